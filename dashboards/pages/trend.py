"""Trend: each indicator for the whole sample across waves, one chart per dimension and unit."""

from __future__ import annotations

from dashboards.blocks import Ids, block, withheld_block
from dashboards.charts import LINES_MAX, panel_groups
from dashboards.matrix import matrix
from dashboards.model import UNITS, SiteContent
from dashboards.pages.common import (dimension_label, indicator_labels, main_rows, paragraph, present, reasons,
                                     wave_labels)
from dashboards.text import t


def trend(content: SiteContent, lang: str, ids: Ids) -> str:
    rows = main_rows(content)
    rows = rows[rows["breakdown"] == "all"]
    # An indicator withheld in every wave has no trend to draw: its reasons are on its dimension's page. A chart
    # all of whose indicators are is one sentence, why and what would make them publishable.
    shown = set(rows.loc[~rows["suppressed"].astype(bool), "indicator"])
    everything = present(content, rows)
    parts = [paragraph(t("trend_intro", lang))]
    for dimension in (*content.dimensions, None):
        group = [n for n in everything if content.entry(n).dimension == dimension]
        for unit in UNITS:
            of_unit = rows[rows["indicator"].isin(group) & (rows["unit"] == unit)]
            if of_unit.empty:
                continue
            title = t("trend_block", lang, dimension=dimension_label(content, dimension, lang),
                      unit=t(f"unit_{unit}", lang))
            chosen = of_unit[of_unit["indicator"].isin(shown)]
            if chosen.empty:
                parts.append(withheld_block(ids.new(), title, of_unit["reason"], lang, reasons(content), level=2))
                continue
            # Many indicators: figures of at most PANELS_MAX small multiples each, never one chart of dozens.
            listed = [n for n in group if n in set(chosen["indicator"])]
            pieces = panel_groups(len(listed)) if len(listed) > LINES_MAX else [range(len(listed))]
            for number, piece in enumerate(pieces, start=1):
                names_here = [listed[i] for i in piece]
                part = chosen[chosen["indicator"].isin(names_here)]
                grid = matrix(part, "indicator", "wave", indicator_labels(content, names_here, lang),
                              wave_labels(part["wave"], lang))
                heading = f"{title} ({number}/{len(pieces)})" if len(pieces) > 1 else title
                parts.append(block(ids, heading, grid, lang, reasons(content), corner=t("indicator", lang),
                                   kind="line", level=2))
    if not everything:
        parts.append(paragraph(t("no_rows", lang)))
    return "".join(parts)
