"""One page per accessibility dimension (DOMAIN.md section 2), and one for the indicators of no dimension
(need, use, satisfaction): the whole sample per wave, then each indicator by every breakdown it has. A
single item (a one-item dimension's mean score, 1-5) has its own chart, apart from the 0-100 indices."""

from __future__ import annotations

import pandas as pd

from dashboards.blocks import Ids, block
from dashboards.matrix import matrix
from dashboards.model import UNITS, SiteContent
from dashboards.pages.breakdowns import indicator_section
from dashboards.pages.common import (by_indicator, indicator_labels, main_rows, paragraph, present, reasons,
                                     wave_labels, whole_anchor)
from dashboards.text import t


def dimension_page(content: SiteContent, dimension: str | None, lang: str, ids: Ids) -> str:
    rows = main_rows(content)
    names = [n for n in present(content, rows) if content.entry(n).dimension == dimension]
    rows = rows[rows["indicator"].isin(names)]
    parts = [paragraph(content.text(f"dim_{dimension or 'other'}_about", lang))]
    whole = rows[rows["breakdown"] == "all"]
    # A one-item dimension's mean score (1-5) is no index: it has its own chart, after the indices, never on
    # their 0-100 axis nor among the other means.
    single = [n for n in names if content.entry(n).single_item]
    for unit in UNITS:
        unit_rows = whole[(whole["unit"] == unit) & ~whole["indicator"].isin(single)]
        if not unit_rows.empty:
            title = t("dimension_whole", lang, unit=t(f"unit_{unit}", lang))
            parts.append(_whole_block(content, unit_rows, names, title, lang, ids, anchor=whole_anchor(unit)))
        if unit == "index":
            parts.append(_single_items(content, whole[whole["indicator"].isin(single)], single, lang, ids))
    own = by_indicator(rows)
    parts.extend(indicator_section(content, own[name], name, lang, ids) for name in names)
    return "".join(parts)


def _whole_block(content: SiteContent, rows: pd.DataFrame, names: list[str], title: str, lang: str, ids: Ids,
                 intro: str = "", anchor: str | None = None) -> str:
    grid = matrix(rows, "indicator", "wave", indicator_labels(content, names, lang), wave_labels(rows["wave"], lang))
    return block(ids, title, grid, lang, reasons(content), corner=t("indicator", lang), intro=intro, level=2,
                 anchor=anchor)


def _single_items(content: SiteContent, rows: pd.DataFrame, names: list[str], lang: str, ids: Ids) -> str:
    """The single items' mean scores by wave, with why they are no index; nothing without any."""
    if rows.empty:
        return ""
    return _whole_block(content, rows, names, t("single_items_heading", lang), lang, ids,
                        intro=t("single_item_note", lang), anchor=whole_anchor("single"))
