"""Trend: each indicator for the whole sample across waves, one chart per dimension and unit."""

from __future__ import annotations

from dashboards.blocks import Ids, block, withheld_block
from dashboards.charts import LINES_MAX, panel_groups
from dashboards.matrix import matrix_of, records
from dashboards.model import UNITS, SiteContent
from dashboards.pages.common import (dimension_label, indicator_labels, main_rows, paragraph, present, reasons,
                                     wave_labels)
from dashboards.text import t


def trend(content: SiteContent, lang: str, ids: Ids) -> str:
    frame = main_rows(content)
    frame = frame[frame["breakdown"] == "all"]
    rows = records(frame)
    # An indicator withheld in every wave has no trend to draw: its reasons are on its dimension's page. A chart
    # all of whose indicators are is one sentence, why and what would make them publishable.
    shown = {r["indicator"] for r in rows if not r["suppressed"]}
    everything = present(content, frame)
    parts = [paragraph(t("trend_intro", lang))]
    for dimension in (*content.dimensions, None):
        group = [n for n in everything if content.entry(n).dimension == dimension]
        members = set(group)
        for unit in UNITS:
            of_unit = [r for r in rows if r["indicator"] in members and r["unit"] == unit]
            if not of_unit:
                continue
            title = t("trend_block", lang, dimension=dimension_label(content, dimension, lang),
                      unit=t(f"unit_{unit}", lang))
            chosen = [r for r in of_unit if r["indicator"] in shown]
            if not chosen:
                parts.append(withheld_block(ids.new(), title, [r["reason"] for r in of_unit], lang, reasons(content),
                                            level=2))
                continue
            # Many indicators: figures of at most PANELS_MAX small multiples each, never one chart of dozens.
            listed = [n for n in group if n in {r["indicator"] for r in chosen}]
            pieces = panel_groups(len(listed)) if len(listed) > LINES_MAX else [range(len(listed))]
            for number, piece in enumerate(pieces, start=1):
                names_here = [listed[i] for i in piece]
                here = set(names_here)
                part = [r for r in chosen if r["indicator"] in here]
                grid = matrix_of(part, "indicator", "wave", indicator_labels(content, names_here, lang),
                                 wave_labels([r["wave"] for r in part], lang))
                heading = f"{title} ({number}/{len(pieces)})" if len(pieces) > 1 else title
                parts.append(block(ids, heading, grid, lang, reasons(content), corner=t("indicator", lang),
                                   kind="line", level=2))
    if not everything:
        parts.append(paragraph(t("no_rows", lang)))
    return "".join(parts)
