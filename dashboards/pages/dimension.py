"""One page per accessibility dimension (DOMAIN.md section 2), and one for the indicators of no dimension
(need, use, satisfaction): the whole sample per wave, then each indicator by every breakdown it has."""

from __future__ import annotations

from dashboards.blocks import Ids, block
from dashboards.matrix import matrix
from dashboards.model import UNITS, SiteContent
from dashboards.pages.breakdowns import indicator_section
from dashboards.pages.common import indicator_labels, main_rows, paragraph, present, reasons, wave_labels
from dashboards.text import t


def dimension_page(content: SiteContent, dimension: str | None, lang: str, ids: Ids) -> str:
    rows = main_rows(content)
    names = [n for n in present(content, rows) if content.entry(n).dimension == dimension]
    rows = rows[rows["indicator"].isin(names)]
    parts = [paragraph(content.text(f"dim_{dimension or 'other'}_about", lang))]
    whole = rows[rows["breakdown"] == "all"]
    for unit in UNITS:
        unit_rows = whole[whole["unit"] == unit]
        if not unit_rows.empty:
            grid = matrix(unit_rows, "indicator", "wave", indicator_labels(content, names, lang),
                          wave_labels(unit_rows["wave"], lang))
            parts.append(block(ids, t("dimension_whole", lang, unit=t(f"unit_{unit}", lang)), grid, lang,
                               reasons(content), corner=t("indicator", lang), level=2))
    parts.extend(indicator_section(content, rows, name, lang, ids) for name in names)
    return "".join(parts)
