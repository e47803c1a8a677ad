"""Row selections and labels the pages share."""

from __future__ import annotations

import html

import pandas as pd

from dashboards.formatting import Reasons, lowered
from dashboards.matrix import Row, records
from dashboards.model import SiteContent
from dashboards.text import t

esc = html.escape


def main_instruments(content: SiteContent) -> tuple[str, ...]:
    """The instruments whose rows the overview, dimension, map and trend pages show: those broken down (every
    instrument when none is), and any other that is no side of a difference (its rows would be nowhere else). An
    instrument published as a whole beside a broken-down one and a side of a difference (a small group) is on the
    comparison page, beside the differences it is a side of."""
    if not content.broken_down:
        return content.instruments
    sides = {str(content.entry(side).instrument) for name in content.catalogue
             if content.entry(name).unit == "difference" and content.entry(name).of
             for side in content.entry(name).of if side in content.catalogue}
    return tuple(i for i in content.instruments if i in content.broken_down or i not in sides)


def main_rows(content: SiteContent) -> pd.DataFrame:
    """The rows of ``main_instruments`` and the differences: what the overview, dimension, map and trend pages
    show."""
    rows = content.indicators
    shown = main_instruments(content)
    if not shown:
        return rows
    return rows[rows["instrument"].astype(str).isin(shown) | (rows["unit"] == "difference")]


def respondents(content: SiteContent, instrument: str, lang: str) -> str:
    """Who answers ``instrument``, written as a title ("Parents"); lower it with ``lowered`` in a sentence."""
    return content.text(f"respondents_{instrument}", lang)


def reasons(content: SiteContent) -> Reasons:
    """What the pages need to say why a cell is hidden."""
    return Reasons(content.min_n, {name: content.words.get(f"respondents_{name}", {}) for name in content.instruments})


def main_respondents(content: SiteContent, lang: str) -> str:
    """Who the main pages' figures are about, inside a sentence: "parents", "clients and patients"."""
    names = main_instruments(content)
    if not names:
        return t("respondents", lang)
    return joined([lowered(respondents(content, name, lang)) for name in names], lang)


def capitalised(text: str) -> str:
    """A word from inside a sentence as a title: its first letter raised, nothing else changed."""
    return text[:1].upper() + text[1:]


def joined(words: list[str], lang: str) -> str:
    """"a, b and c" in ``lang``."""
    if len(words) < 2:
        return "".join(words)
    return t("and", lang, first=", ".join(words[:-1]), last=words[-1])


def present(content: SiteContent, rows: pd.DataFrame | None = None) -> list[str]:
    """Indicator names with rows, in catalogue order."""
    names = set((content.indicators if rows is None else rows)["indicator"].unique())
    return [name for name in content.catalogue if name in names]


def by_indicator(rows: pd.DataFrame) -> dict[str, list[Row]]:
    """indicator -> its rows as dicts (``records``): made once for a page, then selected in Python for each of its
    hundreds of charts (a pandas selection per chart was half the site's build)."""
    out: dict[str, list[Row]] = {}
    for row in records(rows):
        out.setdefault(str(row["indicator"]), []).append(row)
    return out


def indicator_label(content: SiteContent, name: str, lang: str) -> str:
    """The catalogue's label of an indicator; a single item's says it is one ("... (single item)")."""
    label = content.entry(name).label.get(lang, name)
    return t("single_item_label", lang, label=label) if content.entry(name).single_item else label


def indicator_labels(content: SiteContent, names: list[str], lang: str) -> dict[str, str]:
    return {name: indicator_label(content, name, lang) for name in names}


def wave_labels(waves, lang: str) -> dict[str, str]:
    return {w: t("wave_label", lang, wave=w) for w in sorted(set(map(str, waves)))}


def domain_labels(content: SiteContent, breakdown: str, lang: str) -> dict[str, str]:
    labels = {code: names.get(lang, code) for code, names in content.domains.get(breakdown, {}).items()}
    return {**labels, "all": t("all_respondents", lang)}


def dimensions_with_rows(content: SiteContent) -> list[str | None]:
    """Dimensions with indicators, in the framework's order; None (need, use, satisfaction...) last."""
    used = {content.entry(name).dimension for name in present(content, main_rows(content))}
    return [d for d in (*content.dimensions, None) if d in used]


def dimension_label(content: SiteContent, dimension: str | None, lang: str) -> str:
    return content.text(f"dim_{dimension or 'other'}", lang)


def breakdown_anchor(indicator: str, breakdown: str) -> str:
    """The id of the chart of ``indicator`` by ``breakdown`` on a page (links to it: the key findings)."""
    return f"i-{indicator}--{breakdown}"


def whole_anchor(unit: str, page: str = "whole") -> str:
    """The id of a page's chart of its indicators of ``unit`` for the whole sample ("single": the single items)."""
    return f"{page}-{unit}"


def paragraph(text: str, css: str = "") -> str:
    attribute = f' class="{css}"' if css else ""
    return f"<p{attribute}>{esc(text)}</p>"


def plain_table(caption: str, header: list[str], rows: list[list[str]], row_headers: bool = True,
                numeric: bool = True) -> str:
    """A simple table of already formatted text (escaped here); ``numeric`` aligns cells to the right."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join(
            (f'<th scope="row">{esc(v)}</th>' if i == 0 and row_headers else f"<td>{esc(v)}</td>")
            for i, v in enumerate(row)) + "</tr>"
        for row in rows
    )
    css = "data" if numeric else "data text"
    return (f'<div class="table-wrap"><table class="{css}"><caption>{esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
