"""A chart block: heading, text summary, chart and data table of one Matrix. Every chart on the site
comes with the same numbers in words and in a table, so it can be read without seeing the chart."""

from __future__ import annotations

import html
from itertools import count

import pandas as pd

from dashboards.charts import bar_figure, figure_json, line_figure
from dashboards.formatting import Reasons, estimate_text, interval_text, plotted
from dashboards.marks import ABSENT, marks_html, notes_html, row_marks, symbols
from dashboards.matrix import Matrix
from dashboards.model import ROW
from dashboards.text import t

esc = html.escape


class Ids:
    """Element ids unique within a page."""

    def __init__(self, prefix: str = "b"):
        self._prefix, self._next = prefix, count(1)

    def new(self) -> str:
        return f"{self._prefix}{next(self._next)}"


def _missing(value: object) -> bool:
    return value is None or pd.isna(value)


def cell_html(row: pd.Series | None, unit: str, lang: str, reasons: Reasons) -> str:
    """A table cell: the value in bold, its marks, then its interval and n in small print; a withheld one says why.
    ``data-row``: the row's number in the site's downloads (``ROW``), where its every column is."""
    if row is None:
        text = t("not_measured", lang)
        return (f'<td class="absent"><span aria-hidden="true">{ABSENT}</span>'
                f'<span class="visually-hidden">{esc(text)}</span></td>')
    number = row.get(ROW)
    data = "" if _missing(number) else f' data-row="{int(number)}"'
    if row["suppressed"]:
        why = reasons.text(row["reason"], lang, unit)
        return (f'<td class="suppressed"{data}>'
                f'<span aria-hidden="true">—</span> <span class="reason">{esc(why)}</span></td>')
    ci = interval_text(row["ci_low"], row["ci_high"], unit, lang)
    n = "" if _missing(row["n"]) else f' <small>n\u00a0=\u00a0{int(row["n"])}</small>'
    flag = marks_html(row_marks(row), lang)
    ci_html = f" <small>{esc(ci)}</small>" if ci else ""
    return f"<td{data}><b>{esc(estimate_text(row, unit, lang))}</b>{flag}{ci_html}{n}</td>"


def table_html(grid: Matrix, caption: str, corner: str, lang: str, reasons: Reasons) -> str:
    head = "".join(f'<th scope="col">{esc(label)}</th>' for _, label in grid.series)
    body = "".join(
        f'<tr><th scope="row">{esc(label)}</th>'
        + "".join(cell_html(grid.cell(code, series), grid.unit, lang, reasons) for series, _ in grid.series)
        + "</tr>"
        for code, label in grid.categories
    )
    rows = list(grid.cells.values())
    # The legend of the marks in this table, only those it has (the dot of a cell not measured among them).
    absent = any(grid.cell(code, series) is None for code, _ in grid.categories for series, _ in grid.series)
    foot = notes_html({m for r in rows for m in row_marks(r)}, lang, absent)
    if any(not bool(r["weighted"]) for r in rows):
        foot += f'<p class="table-note">{esc(t("unweighted_note", lang))}</p>'
    return (f'<div class="table-wrap"><table class="data"><caption>{esc(caption)}</caption>'
            f'<thead><tr><th scope="col">{esc(corner)}</th>{head}</tr></thead><tbody>{body}</tbody></table>'
            f"{foot}</div>")


def marked_value(row: pd.Series, unit: str, lang: str) -> str:
    """A value in words with its NCHS marks ("57%§"): the table under the chart says what they mean."""
    return estimate_text(row, unit, lang) + symbols(row_marks(row, nchs_only=True))


def _marked(grid: Matrix) -> int:
    return sum(bool(row_marks(row, nchs_only=True)) for row in grid.cells.values())


def bar_summary(grid: Matrix, lang: str) -> str:
    """The latest series in words: its highest and lowest published value, how many are hidden and how many
    carry a mark of the NCHS standards."""
    series, name = grid.series[-1]
    # The whole-sample reference row ("all") is not one of the categories being compared.
    shown = grid.published(series, skip="all") or grid.published(series)
    parts = []
    if not shown:
        parts.append(t("summary_none", lang, series=name))
    elif len(shown) == 1:
        label, row = shown[0]
        parts.append(t("summary_single", lang, series=name, label=label,
                       value=marked_value(row, grid.unit, lang),
                       interval=interval_text(row["ci_low"], row["ci_high"], grid.unit, lang)))
    else:
        high = max(shown, key=lambda item: item[1]["estimate"])
        low = min(shown, key=lambda item: item[1]["estimate"])
        parts.append(t("summary_range", lang, series=name, high_label=high[0], low_label=low[0],
                       high=marked_value(high[1], grid.unit, lang),
                       low=marked_value(low[1], grid.unit, lang)))
    hidden = grid.hidden()
    if hidden:
        parts.append(t("summary_hidden", lang, count=hidden))
    if _marked(grid):
        parts.append(t("summary_marked", lang, count=_marked(grid)))
    return " ".join(parts)


def _overlap(a: pd.Series, b: pd.Series) -> bool | None:
    if any(_missing(r[c]) for r in (a, b) for c in ("ci_low", "ci_high")):
        return None
    return a["ci_low"] <= b["ci_high"] and b["ci_low"] <= a["ci_high"]


def _trend_sentence(grid: Matrix, code: str, label: str, lang: str) -> str:
    points = [(name, grid.cell(code, s)) for s, name in grid.series]
    points = [(name, r) for name, r in points if r is not None and not r["suppressed"]]
    if len(points) < 2:
        return t("trend_too_few", lang, label=label)
    (first_name, first), (last_name, last) = points[0], points[-1]
    overlap = _overlap(first, last)
    sentence = t("trend_change", lang, label=label, first=marked_value(first, grid.unit, lang),
                 first_series=first_name, last=marked_value(last, grid.unit, lang), last_series=last_name)
    if overlap is not None:
        sentence += " " + t("trend_overlap" if overlap else "trend_no_overlap", lang)
    return sentence


def trend_summary(grid: Matrix, lang: str) -> list[str]:
    """Per category: first and last published value across the series, and whether the intervals overlap;
    how many values carry a mark of the NCHS standards."""
    if len(grid.series) < 2:
        parts = [t("trend_one_wave", lang)]
    else:
        parts = [_trend_sentence(grid, code, label, lang) for code, label in grid.categories]
    if _marked(grid):
        parts.append(t("summary_marked", lang, count=_marked(grid)))
    return parts


def block(ids: Ids, title: str, grid: Matrix, lang: str, reasons: Reasons, *, corner: str, kind: str = "bar",
          intro: str = "", level: int = 3, anchor: str | None = None) -> str:
    """One chart with its heading, summary and table; a grid whose every cell is withheld is one sentence saying
    why and what would make it publishable (``withheld_block``). ``anchor``: a stable id for links to it (the key
    findings)."""
    block_id = ids.new()
    if all_withheld(grid.cells.values()):
        return withheld_block(block_id, title, [r["reason"] for r in grid.cells.values()], lang, reasons,
                              intro=intro, level=level)
    fig = bar_figure(grid, lang) if kind == "bar" else line_figure(grid, lang)
    sentences = [bar_summary(grid, lang)] if kind == "bar" else trend_summary(grid, lang)
    summary = (f'<p class="summary" id="{block_id}-s">{esc(sentences[0])}</p>' if len(sentences) == 1 else
               f'<ul class="summary" id="{block_id}-s">{"".join(f"<li>{esc(s)}</li>" for s in sentences)}</ul>')
    caption = t("table_caption", lang, title=title)
    gap_note = f" {t('chart_gap_note', lang)}" if grid.hidden() else ""
    caption_words = t("chart_caption_band", lang) if "grid" in fig["layout"] else t("chart_caption", lang)
    cells = list(grid.cells.values())
    anchor_id = f' id="{esc(anchor)}"' if anchor else ""
    figure = (f'<figure><div class="chart" id="{block_id}-chart" data-figure="{block_id}-data" role="img" '
              f'aria-label="{esc(t("chart_label", lang, title=title))}" aria-describedby="{block_id}-s"></div>'
              f'<script type="application/json" id="{block_id}-data">{figure_json(fig)}</script>'
              f'<figcaption>{esc(caption_words + gap_note)}</figcaption></figure>')
    if all(plotted(r, grid.unit) is None for r in cells):
        # Nothing to draw, though not all withheld (see above): counts only ("12 of 18"; a chart would
        # draw the percentages the study does not publish). The table says each value or why it is withheld.
        figure = f'<p class="chart-note">{esc(t("counts_only_note", lang))}</p>'
    return (
        # No accessible name on purpose: blocks repeat titles ("By neighbourhood"), so as named regions
        # they would be landmarks with the same name; the headings already structure the page.
        f'<section class="block"{anchor_id}>'
        f'<h{level} id="{block_id}-h">{esc(title)}</h{level}>'
        + (f'<p class="intro">{esc(intro)}</p>' if intro else "")
        + summary
        + figure
        + f"{table_html(grid, caption, corner, lang, reasons)}</section>"
    )


def all_withheld(rows) -> bool:
    """Some rows, and every one withheld."""
    rows = list(rows)
    return bool(rows) and all(bool(r["suppressed"]) for r in rows)


def withheld_block(block_id: str, title: str, codes, lang: str, reasons: Reasons, *, intro: str = "",
                   level: int = 3) -> str:
    """A section whose every figure is withheld: its heading and one sentence, why and what would make it
    publishable (the reasons' words, the study's numbers); no chart, no table of dashes."""
    return (f'<section class="block withheld">'
            f'<h{level} id="{block_id}-h">{esc(title)}</h{level}>'
            + (f'<p class="intro">{esc(intro)}</p>' if intro else "")
            + f'<p class="withheld-note">{esc(reasons.withheld_sentence(codes, lang))}</p></section>')
