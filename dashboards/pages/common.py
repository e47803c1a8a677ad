"""Row selections and labels the pages share."""

from __future__ import annotations

import html

import pandas as pd

from dashboards.model import SiteContent
from dashboards.text import t

esc = html.escape


def parent_side(content: SiteContent) -> pd.DataFrame:
    """Rows about parents (and gaps); field actors' own rows belong to the comparison page."""
    rows = content.indicators
    return rows[rows["instrument"].astype(str) != "field_actor"]


def present(content: SiteContent, rows: pd.DataFrame | None = None) -> list[str]:
    """Indicator names with rows, in catalogue order."""
    names = set((content.indicators if rows is None else rows)["indicator"])
    return [name for name in content.catalogue if name in names]


def indicator_labels(content: SiteContent, names: list[str], lang: str) -> dict[str, str]:
    return {name: content.entry(name).label.get(lang, name) for name in names}


def wave_labels(waves, lang: str) -> dict[str, str]:
    return {w: t("wave_label", lang, wave=w) for w in sorted(set(map(str, waves)))}


def domain_labels(content: SiteContent, breakdown: str, lang: str) -> dict[str, str]:
    labels = {code: names.get(lang, code) for code, names in content.domains.get(breakdown, {}).items()}
    return {**labels, "all": t("all_respondents", lang)}


def dimensions_with_rows(content: SiteContent) -> list[str | None]:
    """Dimensions with indicators, in the framework's order; None (need, use, satisfaction...) last."""
    used = {content.entry(name).dimension for name in present(content, parent_side(content))}
    return [d for d in (*content.dimensions, None) if d in used]


def dimension_label(content: SiteContent, dimension: str | None, lang: str) -> str:
    return content.text(f"dim_{dimension or 'other'}", lang)


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
