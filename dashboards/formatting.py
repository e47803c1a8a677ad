"""Numbers as a reader of each language writes them, per unit of the indicator."""

from __future__ import annotations

import math

from dashboards.text import TEXT, t

NBSP, NNBSP = "\u00a0", "\u202f"
# Plotly's `separators`: decimal mark, then thousands separator.
PLOTLY_SEPARATORS = {"nl": ",.", "fr": ", ", "en": ".,"}


def _is_missing(value: object) -> bool:
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


def interval_text(low: object, high: object, unit: str, lang: str) -> str:
    if _is_missing(low) or _is_missing(high):
        return ""
    return f"[{value_text(low, unit, lang)} – {value_text(high, unit, lang)}]"


def plot_value(value: object, unit: str) -> float | None:
    """The value on the chart's axis: proportions stay 0-1 (the axis formats them)."""
    if _is_missing(value):
        return None
    return float(value)


def reason_text(reason: object, lang: str, min_n: int) -> str:
    """Why a cell is not shown, in words; an unknown code is named as it is."""
    key = f"reason_{reason}"
    if key in TEXT:
        return t(key, lang, min_n=min_n)
    return t("reason_other", lang, reason=str(reason))
