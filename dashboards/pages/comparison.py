"""Perspectives compared: the catalogue's differences between two instruments' figures for the same subject (the
perception gap, DOMAIN.md section 3), grouped by the pair of instruments, and beside each difference what each
side said: its own figure and, for an unweighted side, its count indicator of the same subject and dimension
("12 of 18"). A difference is a number only where both sides are published."""

from __future__ import annotations

import html

import pandas as pd

from dashboards.blocks import Ids, block
from dashboards.formatting import Reasons, estimate_text, interval_text, lowered
from dashboards.marks import notes_html, row_marks, symbols
from dashboards.matrix import Row, matrix, records
from dashboards.model import SiteContent
from dashboards.pages.common import (indicator_label, indicator_labels, joined, paragraph, plain_table, present,
                                     reasons, respondents, wave_labels)
from dashboards.text import t

esc = html.escape
PAGE = "comparison.html"


def differences(content: SiteContent) -> list[str]:
    """The differences with rows whose two sides are in the catalogue, in catalogue order."""
    return [n for n in present(content) if content.entry(n).unit == "difference" and content.entry(n).of
            and all(side in content.catalogue for side in content.entry(n).of)]


def _pairs(content: SiteContent, names: list[str]) -> dict[tuple[str, str], list[str]]:
    """(minuend's instrument, subtrahend's instrument) -> its differences."""
    pairs: dict[tuple[str, str], list[str]] = {}
    for name in names:
        minuend, subtrahend = content.entry(name).of
        key = (str(content.entry(minuend).instrument), str(content.entry(subtrahend).instrument))
        pairs.setdefault(key, []).append(name)
    return pairs


def _counts(content: SiteContent) -> dict[tuple, str]:
    """(instrument, subject, dimension) -> the count indicator about it."""
    found = {}
    for name in content.catalogue:
        entry = content.entry(name)
        if entry.kind == "count" or (entry.kind is None and entry.unit == "count"):
            found.setdefault((entry.instrument, entry.subject, entry.dimension), name)
    return found


def _whole(content: SiteContent) -> dict[tuple[str, str], Row]:
    """(indicator, wave) -> its row for the whole sample, as a dict."""
    rows = records(content.indicators[content.indicators["breakdown"] == "all"])
    return {(str(r["indicator"]), str(r["wave"])): r for r in rows}


def _said(row: Row | None, lang: str, why: Reasons) -> str:
    if row is None:
        return t("not_measured", lang)
    if row["suppressed"]:
        return "— " + why.text(row["reason"], lang, row["unit"])
    if row["unit"] == "count" and pd.notna(row["n"]):
        return t("k_of_n", lang, k=int(row["estimate"]), n=int(row["n"]))
    value = estimate_text(row, row["unit"], lang) + symbols(row_marks(row, nchs_only=True))
    text = f'{value} {interval_text(row["ci_low"], row["ci_high"], row["unit"], lang)}'
    return text.strip() + ("" if pd.isna(row["n"]) else f" (n = {int(row['n'])})")


def _side(content: SiteContent, whole: dict, side: str, wave: str, counts: dict, lang: str, why: Reasons) -> str:
    """What one side said: its figure and, for an unweighted side, its count ("12 of 18 (label)")."""
    row = whole.get((side, wave))
    said = _said(row, lang, why)
    entry = content.entry(side)
    count = counts.get((entry.instrument, entry.subject, entry.dimension))
    if count is None or count == side or (row is not None and bool(row["weighted"])):
        return said
    count_row = whole.get((count, wave))
    if count_row is None:
        return said
    return f"{said} · {_said(count_row, lang, why)} ({indicator_label(content, count, lang)})"


def _pair_section(content: SiteContent, pair: tuple[str, str], names: list[str], lang: str, ids: Ids,
                  counts: dict, whole: dict) -> str:
    rows = content.indicators
    why = reasons(content)
    first, second = (respondents(content, name, lang) for name in pair)
    section_id = ids.new()
    parts = [f'<section aria-labelledby="{section_id}"><h2 id="{section_id}">'
             f"{esc(joined([first, lowered(second)], lang))}</h2>",
             paragraph(t("compare_sides", lang, a=lowered(first), b=lowered(second))),
             paragraph(t("compare_rule", lang, min_group=content.min_group))]
    parts += [paragraph(t("compare_whole_group", lang, respondents=lowered(respondents(content, name, lang))))
              for name in dict.fromkeys(pair) if content.broken_down and name not in content.broken_down]
    own = rows[rows["indicator"].isin(names) & (rows["breakdown"] == "all")]
    # Only differences with a number in some wave are charted, in the waves that have one: a chart of gaps alone
    # says nothing the table doesn't. A wave without any is one sentence: why, and what would make them publishable.
    published = own[~own["suppressed"].astype(bool)]
    charted = [n for n in names if n in set(published["indicator"])]
    if charted:
        chosen = own[own["indicator"].isin(charted) & own["wave"].isin(set(published["wave"]))]
        grid = matrix(chosen, "indicator", "wave", indicator_labels(content, charted, lang),
                      wave_labels(chosen["wave"], lang))
        parts.append(block(ids, t("gap_chart", lang, a=lowered(first), b=lowered(second)), grid, lang, why,
                           corner=t("indicator", lang), level=3))
    for wave in sorted(set(own["wave"]) - set(published["wave"])):
        withheld = own.loc[own["wave"] == wave, "reason"]
        parts.append(paragraph(why.withheld_sentence(withheld, lang, key="gaps_withheld_wave", wave=wave),
                               "withheld-note"))
    table_rows, marks = [], set()
    for wave in sorted(set(own["wave"])):
        for name in names:
            minuend, subtrahend = content.entry(name).of
            marks |= {m for key in (minuend, subtrahend, name) for m in row_marks(whole.get((key, wave)), True)}
            table_rows.append([indicator_label(content, name, lang), wave,
                               _side(content, whole, minuend, wave, counts, lang, why),
                               _side(content, whole, subtrahend, wave, counts, lang, why),
                               _said(whole.get((name, wave)), lang, why)])
    parts.append(f"<h3>{esc(t('gap_sides', lang))}</h3>")
    parts.append(plain_table(t("gap_sides_caption", lang, a=first, b=lowered(second)),
                             [t("indicator", lang), t("wave", lang), first, second, t("gap", lang)], table_rows,
                             numeric=False))
    parts.append(notes_html(marks, lang))  # the legend of the marks the table has
    return "".join(parts) + "</section>"


def comparison(content: SiteContent, lang: str, ids: Ids) -> str:
    names = differences(content)
    counts, whole = _counts(content), _whole(content)
    parts = [paragraph(t("compare_intro", lang))]
    parts += [_pair_section(content, pair, group, lang, ids, counts, whole)
              for pair, group in _pairs(content, names).items()]
    return "".join(parts)
