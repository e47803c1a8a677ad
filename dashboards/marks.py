"""Marks beside a published estimate, each with the note that says what it means: the asterisk of an estimate
on a small effective sample (the indicator table's ``low_n_eff``) and the marks of a weighted proportion the
NCHS presentation standards flag (its ``nchs_flag``, analyses/standards.py). The pages show the rows' flags as
they find them and judge nothing again.

An NCHS flag is "present" or the codes of the rules the proportion meets, joined by ';', with the study's
numbers in them. By what a rule leads to:
- ``n_eff_kg_below_<n>``, ``width_<w>_or_more``, ``relative_width_above_<r>``: the standards would withhold it
  (a row the study published all the same: it flags instead of suppressing);
- ``complement_width_above_<r>``: presented with a footnote (its complement would not be presentable);
- ``df_below_<df>``, ``estimate_0_or_1``: for statistical review.

A mark is a symbol with a few words for screen readers; the note under the table says it in full. Charts write
no value on their bars, so a chart's marks are in its hover label (a mark drawn beside every bar would cost the
demo's site, where most shares by a breakdown rest on fewer than 30 effective respondents, a third of its
size).
"""

from __future__ import annotations

import functools
import html
import re

import pandas as pd

from dashboards.text import t

esc = html.escape

LOW_N_EFF = "low_n_eff"
WITHHOLD, FOOTNOTE, REVIEW = "nchs_withhold", "nchs_footnote", "nchs_review"
NCHS = (WITHHOLD, FOOTNOTE, REVIEW)
ORDER = (LOW_N_EFF, *NCHS)  # the order of marks beside a value and of their notes
SYMBOLS = {LOW_N_EFF: "*", WITHHOLD: "\u2020", FOOTNOTE: "\u2021", REVIEW: "\u00a7"}  # * † ‡ §
PRESENT = "present"
ABSENT = "\u00b7"  # · a table cell of a wave or group the figure was not measured in
_RULES = (
    (re.compile(r"n_eff_kg_below_[0-9.]+|width_[0-9.]+_or_more|relative_width_above_[0-9.]+"), WITHHOLD),
    (re.compile(r"complement_width_above_[0-9.]+"), FOOTNOTE),
    (re.compile(r"df_below_[0-9]+|estimate_0_or_1"), REVIEW),
)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def nchs_kind(code: str) -> str:
    """What one rule code leads to (``WITHHOLD``, ``FOOTNOTE`` or ``REVIEW``); a code this module does not know
    is a flag all the same, read as one for review."""
    return next((kind for pattern, kind in _RULES if pattern.fullmatch(code)), REVIEW)


def nchs_marks(flag: object) -> tuple[str, ...]:
    """The marks of an ``nchs_flag`` value, in ``ORDER``; none for "present" or a missing flag."""
    if _missing(flag):
        return ()
    return _marks_of(str(flag))


@functools.lru_cache(maxsize=1024)
def _marks_of(flag: str) -> tuple[str, ...]:
    """A page asks for the same few flags thousands of times."""
    kinds = {nchs_kind(code.strip()) for code in str(flag).split(";") if code.strip() and code.strip() != PRESENT}
    return tuple(k for k in NCHS if k in kinds)


def row_marks(row: pd.Series, nchs_only: bool = False) -> tuple[str, ...]:
    """The marks of a published row (none for a hidden one): its asterisk (unless ``nchs_only``) and its NCHS
    marks."""
    if row is None or bool(row["suppressed"]):
        return ()
    low = () if nchs_only or _missing(row.get("low_n_eff")) or not bool(row["low_n_eff"]) else (LOW_N_EFF,)
    return (*low, *nchs_marks(row.get("nchs_flag")))


def symbols(marks: tuple[str, ...]) -> str:
    """The marks as plain text ("†§"), for a chart's hover label or a sentence."""
    return "".join(SYMBOLS[m] for m in marks)


def words(mark: str, lang: str) -> str:
    """A mark's meaning in a few words, said beside the value (its note says it in full): a page can hold
    hundreds of marked values."""
    return t(f"{mark}_short", lang)


def marks_html(marks: tuple[str, ...], lang: str) -> str:
    """Each mark as a superscript with its meaning in words for screen readers (style.css hides the words from
    sight: the note under the table says it for every reader). No tooltip and no class: a page can hold
    thousands of marks."""
    return "".join(f'<sup>{SYMBOLS[m]}<span> {esc(words(m, lang))}</span></sup>' for m in marks)


def notes(marks: set[str] | tuple[str, ...], lang: str) -> list[str]:
    """The legend of the marks shown: one line per mark, in ``ORDER``."""
    return [f"{SYMBOLS[m]} {t(m, lang)}" for m in ORDER if m in marks]


def notes_html(marks: set[str] | tuple[str, ...], lang: str, absent: bool = False) -> str:
    """The legend under a table: its marks' notes, and the dot of a cell not measured when it has one."""
    lines = [*notes(marks, lang), *([f"{ABSENT} {t('not_measured', lang)}"] if absent else [])]
    return "".join(f'<p class="table-note">{esc(line)}</p>' for line in lines)
