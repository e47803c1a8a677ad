"""Overview: the key findings, then the headline indicators of every wave, whole sample, with their intervals."""

from __future__ import annotations

from dashboards.blocks import Ids, block
from dashboards.matrix import matrix
from dashboards.model import UNITS, SiteContent
from dashboards.pages.common import (indicator_labels, main_respondents, main_rows, paragraph, present, reasons,
                                     wave_labels, whole_anchor)
from dashboards.pages.findings import OVERVIEW, findings_section
from dashboards.text import t


def overview(content: SiteContent, lang: str, ids: Ids) -> str:
    rows = main_rows(content)
    rows = rows[rows["breakdown"] == "all"]
    names = [n for n in present(content, rows) if content.entry(n).headline]
    rows = rows[rows["indicator"].isin(names)]
    parts = [findings_section(content, lang),
             paragraph(t("overview_intro", lang, respondents=main_respondents(content, lang))),
             paragraph(t("suppression_note", lang, min_n=content.min_n))]
    for unit in UNITS:
        unit_rows = rows[rows["unit"] == unit]
        if unit_rows.empty:
            continue
        grid = matrix(unit_rows, "indicator", "wave", indicator_labels(content, names, lang),
                      wave_labels(unit_rows["wave"], lang))
        parts.append(block(ids, t(f"overview_{unit}", lang), grid, lang, reasons(content),
                           corner=t("indicator", lang), level=2, anchor=whole_anchor(unit, OVERVIEW)))
    if not names:
        parts.append(paragraph(t("no_rows", lang)))
    return "".join(parts)
