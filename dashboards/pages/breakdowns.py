"""Blocks shared by the dimension and map pages: one indicator across a breakdown's
categories, per wave, with the whole sample as the reference row."""

from __future__ import annotations

import html


from dashboards.blocks import Ids, block
from dashboards.matrix import Row, matrix_of
from dashboards.model import SiteContent
from dashboards.pages.common import (breakdown_anchor, capitalised, domain_labels, indicator_label, reasons,
                                     wave_labels)
from dashboards.text import t

esc = html.escape


def breakdown_block(content: SiteContent, rows: list[Row], indicator: str, breakdown: str, lang: str,
                    ids: Ids, level: int = 3) -> str:
    """``rows``: every row of ``indicator`` (all breakdowns), as dicts (``by_indicator``)."""
    chosen = [r for r in rows if r["breakdown"] in (breakdown, "all")]
    if not any(r["breakdown"] == breakdown for r in chosen):
        return ""
    grid = matrix_of(chosen, "domain", "wave", domain_labels(content, breakdown, lang),
                     wave_labels([r["wave"] for r in chosen], lang))
    title = content.text(f"breakdown_{breakdown}", lang)
    return block(ids, t("by_breakdown", lang, breakdown=title), grid, lang, reasons(content),
                 corner=capitalised(title), level=level, anchor=breakdown_anchor(indicator, breakdown))


def breakdowns_shown(content: SiteContent, entry) -> tuple[str, ...]:
    """Which breakdowns an indicator is charted by: every one but the sensitivity checks (in the downloads)
    for a headline indicator, the compared ones for the other indicators of a dimension, none for the rest
    (their whole-sample figures head the page; every breakdown is in the downloads)."""
    if entry.headline:
        return tuple(b for b in content.breakdowns if b not in content.checks)
    return content.compared if entry.dimension else ()


def indicator_section(content: SiteContent, rows: list[Row], indicator: str, lang: str, ids: Ids,
                      breakdowns: tuple[str, ...] | None = None) -> str:
    """Charts of one indicator (``rows``: its rows as dicts, ``by_indicator``) by ``breakdowns`` (default:
    ``breakdowns_shown``); for an indicator whose every cell there is withheld, its heading and one sentence saying
    why and what would make it publishable."""
    entry = content.entry(indicator)
    own = [r for r in rows if r["indicator"] == indicator]
    if not own:
        return ""
    if breakdowns is None:
        breakdowns = breakdowns_shown(content, entry)
    charted = [r for r in own if r["breakdown"] in breakdowns or r["breakdown"] == "all"]
    if not any(r["breakdown"] in breakdowns for r in own):
        return ""
    heading = esc(indicator_label(content, indicator, lang))
    if all(bool(r["suppressed"]) for r in charted):
        section_id = ids.new()
        why = reasons(content).withheld_sentence([r["reason"] for r in charted], lang)
        return (f'<section aria-labelledby="{section_id}"><h2 id="{section_id}">{heading}</h2>'
                f'<p class="withheld-note">{esc(why)}</p></section>')
    blocks = "".join(breakdown_block(content, own, indicator, b, lang, ids) for b in breakdowns)
    section_id = ids.new()
    # A single item's catalogue text describes the index it would have been (a 0-100 score): say what it is.
    about = t("single_item_note", lang) if entry.single_item else entry.description.get(lang, "")
    return (f'<section aria-labelledby="{section_id}"><h2 id="{section_id}">{heading}</h2>'
            f'<p>{esc(about)}</p>{blocks}</section>')
