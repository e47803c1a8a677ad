"""Numbers as a reader of each language writes them, per unit of the indicator."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dashboards.text import TEXT, t

NBSP, NNBSP = "\u00a0", "\u202f"
# Plotly's `separators`: decimal mark, then thousands separator.
PLOTLY_SEPARATORS = {"nl": ",.", "fr": ", ", "en": ".,"}


def _is_missing(value: object) -> bool:
    kind = type(value)  # the common kinds first: a site asks a hundred thousand times
    if kind is float:
        return value != value
    if kind is bool or kind is int:
        return False
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("<NA>", "nan")


def number(value: float, lang: str, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    thousands = "." if lang == "nl" else NNBSP
    return text.replace(",", "\0").replace(".", ",").replace("\0", thousands)


def value_text(value: object, unit: str, lang: str) -> str:
    """``0.42`` as 42% (proportion), ``63.2`` as 63.2 (index), a count as a whole number, a proportion
    difference as signed points on the 0-100 index scale."""
    if _is_missing(value):
        return "—"
    value = float(value)
    if unit == "proportion":
        return number(100 * value, lang) + (NBSP + "%" if lang == "fr" else "%")
    if unit == "index":
        return number(value, lang, 1)
    if unit == "count":
        return number(value, lang)
    if unit == "mean":
        return number(value, lang, 2)
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{number(abs(value), lang, 1)}{NBSP}{t('pp', lang)}"


def shown_as_count(row) -> bool:
    """A proportion published as its count of n alone (an unweighted instrument under the study's
    min_percentage_n): no percentage, no interval."""
    flag = row.get("as_count") if row is not None else None
    return not _is_missing(flag) and bool(flag)


def estimate_text(row, unit: str, lang: str) -> str:
    """A published cell's value in words: ``value_text``, or "12 of 18" for a proportion shown as a count."""
    if shown_as_count(row):
        return t("k_of_n", lang, k=int(row["numerator"]), n=int(row["n"]))
    return value_text(row["estimate"], unit, lang)


def interval_text(low: object, high: object, unit: str, lang: str) -> str:
    if _is_missing(low) or _is_missing(high):
        return ""
    return f"[{value_text(low, unit, lang)} – {value_text(high, unit, lang)}]"


def plot_value(value: object, unit: str) -> float | None:
    """The value on the chart's axis: proportions stay 0-1 (the axis formats them)."""
    if _is_missing(value):
        return None
    return float(value)


def plotted(row, unit: str) -> float | None:
    """A cell's estimate on a chart: none for a hidden cell, or one shown as a count (a bar on a percentage axis
    would be the percentage the study does not publish)."""
    if row is None or row["suppressed"] or shown_as_count(row):
        return None
    return plot_value(row["estimate"], unit)


# The reason codes the indicator table builds from the study's rules and instruments (analyses/indicator_table.py).
_ALPHA_BELOW = re.compile(r"alpha_below_(?P<alpha>[0-9]+(?:\.[0-9]+)?)")
_N_BELOW = re.compile(r"(?P<instrument>.+)_n_below_(?P<n>[0-9]+)")
_WITHHELD = re.compile(r"(?P<instrument>.+)_(?P<unit>[a-z]+)_withheld")
# Where the study withholds what the NCHS standards would not publish (analyses/standards.py codes, "nchs_" first).
_NCHS_N_EFF = re.compile(r"nchs_n_eff_kg_below_(?P<n>[0-9]+(?:\.[0-9]+)?)")
_NCHS_WIDTH = re.compile(r"nchs_width_(?P<width>[0-9]+(?:\.[0-9]+)?)_or_more")
_NCHS_RELATIVE = re.compile(r"nchs_relative_width_above_(?P<percent>[0-9]+(?:\.[0-9]+)?)")


def short_number(value: float, lang: str) -> str:
    """A number with no more decimals than it has (at most two): 30, 12.5, 0.05."""
    decimals = next((d for d in range(3) if abs(round(value, d) - value) < 1e-9), 2)
    return number(value, lang, decimals)


def percent(value: float, lang: str) -> str:
    """A percentage as the language writes it: 130%, 130 %, 12,5%."""
    return short_number(value, lang) + (NBSP + "%" if lang == "fr" else "%")


def lowered(text: str) -> str:
    """A title's word inside a sentence: its first letter lowered, nothing else changed."""
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class Reasons:
    """What the reason codes of hidden cells need to be said in words: the small-cell minimum and who answers
    each instrument (instrument -> language -> plural noun written as a title; else the instrument's name)."""

    min_n: int
    respondents: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def who(self, instrument: str, lang: str) -> str:
        return lowered(self.respondents.get(instrument, {}).get(lang) or instrument)

    def text(self, reason: object, lang: str, unit: str | None = None) -> str:
        """Why a cell is not shown, in words (``unit``: the hidden cell's; a difference says which side is
        missing); an unknown code is named as it is."""
        code = str(reason)
        if code in ("primary", "secondary", "alpha_not_computable"):
            return t(f"reason_{code}", lang, min_n=self.min_n)
        match = _ALPHA_BELOW.fullmatch(code)
        if match:
            return t("reason_alpha_below", lang, alpha=number(float(match["alpha"]), lang, 2))
        match = _N_BELOW.fullmatch(code)
        if match:
            key = "reason_n_below_difference" if unit == "difference" else "reason_n_below"
            return t(key, lang, n=match["n"], respondents=self.who(match["instrument"], lang))
        match = _NCHS_N_EFF.fullmatch(code)
        if match:
            return t("reason_nchs_n_eff", lang, n=short_number(float(match["n"]), lang))
        match = _NCHS_WIDTH.fullmatch(code)
        if match:
            return t("reason_nchs_width", lang, width=short_number(100 * float(match["width"]), lang))
        match = _NCHS_RELATIVE.fullmatch(code)
        if match:
            return t("reason_nchs_relative_width", lang, share=percent(float(match["percent"]), lang))
        match = _WITHHELD.fullmatch(code)
        if match and f"reason_withheld_{match['unit']}" in TEXT:
            return t(f"reason_withheld_{match['unit']}", lang, respondents=self.who(match["instrument"], lang))
        return t("reason_other", lang, reason=code)

    def rule(self, reason: object, lang: str) -> tuple[str, dict[str, object]]:
        """The rule a reason code names (``primary``, ``alpha_below``, ``n_below``, ``withheld_index``, ...; else
        ``other``) and its numbers and words in ``lang``: what ``why`` and ``needs`` say."""
        code = str(reason)
        if code in ("primary", "secondary", "alpha_not_computable"):
            return code, {"min_n": self.min_n}
        for pattern, name, values in (
                (_ALPHA_BELOW, "alpha_below", lambda m: {"alpha": short_number(float(m["alpha"]), lang)}),
                (_N_BELOW, "n_below", lambda m: {"n": m["n"], "respondents": self.who(m["instrument"], lang)}),
                (_NCHS_N_EFF, "nchs_n_eff", lambda m: {"n": short_number(float(m["n"]), lang)}),
                (_NCHS_WIDTH, "nchs_width", lambda m: {"width": short_number(100 * float(m["width"]), lang)}),
                (_NCHS_RELATIVE, "nchs_relative_width", lambda m: {"share": percent(float(m["percent"]), lang)})):
            match = pattern.fullmatch(code)
            if match:
                return name, values(match)
        match = _WITHHELD.fullmatch(code)
        if match and f"why_withheld_{match['unit']}" in TEXT:
            return f"withheld_{match['unit']}", {"respondents": self.who(match["instrument"], lang)}
        return "other", {}

    def why(self, reason: object, lang: str) -> str:
        """Why cells are withheld, as a clause inside a sentence ("fewer than 30 field actors answered")."""
        name, values = self.rule(reason, lang)
        return t(f"why_{name}", lang, **values)

    def needs(self, reason: object, lang: str) -> str:
        """What would make them publishable, with the study's number ("at least 30 field actors"); a cell
        hidden to protect another needs what that one needs: enough respondents per group."""
        name, values = self.rule(reason, lang)
        return t("needs_primary" if name == "secondary" else f"needs_{name}", lang, **values)

    def withheld_sentence(self, reasons: Iterable[object], lang: str, key: str | None = None,
                          **values: object) -> str:
        """One sentence for figures that are all withheld: why (each reason once) and what would make them
        publishable (each requirement once), in the order the reasons come; ``key``: another form of the
        sentence than "None of these figures...", with its ``values``."""
        codes = list(dict.fromkeys(str(r) for r in reasons))
        why = list(dict.fromkeys(self.why(c, lang) for c in codes))
        needs = list(dict.fromkeys(self.needs(c, lang) for c in codes))
        return t("all_withheld_sentence" if key is None else key, lang, why=_joined(why, lang),
                 needs=_joined(needs, lang), **values)


def _joined(words: list[str], lang: str) -> str:
    if len(words) < 2:
        return "".join(words)
    return t("and", lang, first=", ".join(words[:-1]), last=words[-1])
