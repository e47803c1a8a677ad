"""Plotly figures of a Matrix, as JSON for the page's one local plotly.js to draw.

Horizontal bars (long service and category names stay readable), 95% intervals as error bars, series
told apart by colour, pattern and legend; a suppressed cell is a gap labelled in the chart, never a zero.
A point's hover label is its cell in the table under the chart, which site.js reads when it draws the chart
(``cells``: "columns" when trace j is the table's column j, "rows" when trace i, leaving out the interval bands, is
its row i): the page says each value once.

A figure is plotly.js's own spec (``{"data": [traces], "layout": {...}}``) built as plain dicts: plotly.py's
validating ``go.Figure`` took about 20 ms a chart, most of a site's build time (hundreds of charts). The
browser tests draw every chart with plotly.js, which is what checks them.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from dashboards.formatting import PLOTLY_SEPARATORS, estimate_text, plot_value, plotted, shown_as_count
from dashboards.matrix import Matrix
from dashboards.text import t

# Okabe-Ito: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
PATTERNS = ("", "/", ".", "x", "\\", "+", "-", "|")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "triangle-down")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
BAR_GAP = 0.2  # plotly's default: a group of bars fills 0.8 of its category slot


def _axis(unit: str, lang: str) -> dict:
    return {"gridcolor": "#d9d9d9", "linecolor": "#1a1a1a", "automargin": True, **_scale(unit, lang)}


def _scale(unit: str, lang: str) -> dict:
    if unit == "proportion":
        return {"tickformat": ".0%", "range": [0, 1.0001], "title": {"text": t("axis_proportion", lang)}}
    if unit == "index":
        return {"range": [0, 100], "title": {"text": t("axis_index", lang)}}
    if unit == "mean":
        return {"range": [1, 5], "title": {"text": t("axis_mean", lang)}}
    if unit == "difference":
        return {"ticksuffix": " " + t("pp", lang), "zeroline": True, "zerolinewidth": 2, "zerolinecolor": "#333",
                "title": {"text": t("axis_difference", lang)}}
    return {"rangemode": "tozero", "title": {"text": t("axis_count", lang)}}


def _errors(rows: list, unit: str) -> tuple[list, list]:
    plus, minus = [], []
    for row in rows:
        est = plotted(row, unit)
        high = None if est is None else plot_value(row["ci_high"], unit)
        low = None if est is None else plot_value(row["ci_low"], unit)
        plus.append(None if high is None else max(high - est, 0.0))
        minus.append(None if low is None else max(est - low, 0.0))
    return plus, minus


def _layout(lang: str, height: int, legend: bool) -> dict:
    return {
        # No template: plotly.js draws its plain defaults (plotly.py's named ones would be copied into each chart).
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "height": height, "separators": PLOTLY_SEPARATORS[lang],
        "font": {"size": 14, "color": "#1a1a1a"}, "showlegend": legend,
        "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "traceorder": "normal"},
        "margin": {"l": 10, "r": 20, "t": 40 if legend else 10, "b": 50}, "hoverlabel": {"namelength": -1},
    }


Figure = dict  # {"data": [trace, ...], "layout": {...}}, as plotly.js takes it


def bar_figure(grid: Matrix, lang: str) -> Figure:
    """One trace per series; categories on the y axis, top to bottom."""
    traces = []
    labels = [label for _, label in grid.categories]
    count = len(grid.series)
    annotations = []
    for j, (series, name) in enumerate(grid.series):
        rows = [grid.cell(code, series) for code, _ in grid.categories]
        plus, minus = _errors(rows, grid.unit)
        traces.append(dict(
            type="bar", name=name, orientation="h", y=labels,
            x=[plotted(r, grid.unit) for r in rows],
            error_x={"type": "data", "symmetric": False, "array": plus, "arrayminus": minus,
                     "color": "#1a1a1a", "thickness": 1.5, "width": 4},
            hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>",
            marker={"color": PALETTE[j % len(PALETTE)], "line": {"color": "#1a1a1a", "width": 0.5},
                    # No shape is plotly's default: the first series has none.
                    "pattern": {**({"shape": PATTERNS[j % len(PATTERNS)]} if PATTERNS[j % len(PATTERNS)] else {}),
                                "fillmode": "overlay", "fgcolor": "#1a1a1a", "fgopacity": 0.6}},
        ))
        for i, row in enumerate(rows):
            if row is not None and (row["suppressed"] or shown_as_count(row)):
                # At the slot the bar would have had within its group: why there is none, or its count.
                y = i - (1 - BAR_GAP) / 2 + (j + 0.5) * (1 - BAR_GAP) / count
                text = estimate_text(row, grid.unit, lang) if not row["suppressed"] else t("not_shown_short", lang)
                annotations.append({"x": 0, "y": y, "xref": "x", "yref": "y", "xanchor": "left",
                                    "text": "— " + text, "showarrow": False,
                                    "font": {"size": 12, "color": "#1a1a1a"}})
    height = 110 + len(labels) * max(44, 24 * count)
    layout = _layout(lang, height, legend=count > 1)
    x_axis = _axis(grid.unit, lang)
    if grid.unit == "difference":
        x_axis["range"] = _difference_range(grid)
    layout.update(barmode="group", bargap=BAR_GAP, xaxis=x_axis, annotations=annotations,
                  yaxis={"autorange": "reversed", "automargin": True, "type": "category"})
    return {"data": traces, "layout": layout, "cells": "columns"}


def _difference_range(grid: Matrix) -> list[float]:
    ends = [abs(plot_value(r[c], "difference")) for r in grid.cells.values() if not r["suppressed"]
            for c in ("estimate", "ci_low", "ci_high") if plot_value(r[c], "difference") is not None]
    edge = max([10.0, *ends]) * 1.1
    return [-edge, edge]


LINES_MAX = 6  # more series than this in one trend chart and it becomes small multiples
PANELS_MAX = 12  # panels in one figure of small multiples (the page splits a longer list: ``panel_groups``)
PANEL_COLUMNS = 3


def panel_groups(count: int) -> list[range]:
    """``count`` trend series in as few figures as ``PANELS_MAX`` allows, of sizes as equal as can be."""
    figures = max(1, -(-count // PANELS_MAX))
    size = -(-count // figures)
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _panel_titles(names: list[str]) -> list[str]:
    """The panels' names without the words they all start with ("Barrier, available: "), which the figure's
    heading and table say: what tells the panels apart stays in view."""
    shared = names[0].split(": ")[:-1] if len(names) > 1 else []
    while shared and not all(n.startswith(": ".join(shared) + ": ") for n in names):
        shared.pop()
    cut = len(": ".join(shared)) + 2 if shared else 0
    return [n[cut:] for n in names]


def _small_multiples(grid: Matrix, lang: str) -> Figure:
    """Trend of many series: one panel per category (at most ``PANELS_MAX``), shared axes, the 95% interval as
    a band around the line; each panel titled with its category."""
    waves = [label for _, label in grid.series]
    columns = min(PANEL_COLUMNS, len(grid.categories))
    rows_count = -(-len(grid.categories) // columns)
    traces, annotations = [], []
    layout = _layout(lang, 60 + 190 * rows_count, legend=False)
    layout["margin"].update(t=30, l=60, r=40)  # room for the first column's ticks and the last wave's label
    layout["grid"] = {"rows": rows_count, "columns": columns, "pattern": "independent", "ygap": 0.45, "xgap": 0.12}
    scale = _scale(grid.unit, lang)
    titles = _panel_titles([name for _, name in grid.categories])
    for i, (code, name) in enumerate(grid.categories, start=1):
        rows = [grid.cell(code, series) for series, _ in grid.series]
        values = [plotted(r, grid.unit) for r in rows]
        plus, minus = _errors(rows, grid.unit)
        axis = "" if i == 1 else str(i)
        band = [(w, v + p, v - m) for w, v, p, m in zip(waves, values, plus, minus)
                if v is not None and p is not None and m is not None]
        if band:  # the interval: a shape, not a series (meta tells the browser test)
            traces.append({"type": "scatter", "x": [b[0] for b in band] + [b[0] for b in reversed(band)],
                           "y": [b[1] for b in band] + [b[2] for b in reversed(band)], "fill": "toself",
                           "mode": "lines", "line": {"width": 0}, "fillcolor": "rgba(0,114,178,0.18)",
                           "hoverinfo": "skip", "showlegend": False, "meta": "interval",
                           "xaxis": f"x{axis}", "yaxis": f"y{axis}"})
        traces.append({"type": "scatter", "name": name, "x": waves, "y": values, "mode": "lines+markers",
                       "connectgaps": False, "showlegend": False, "xaxis": f"x{axis}", "yaxis": f"y{axis}",
                       "hovertemplate": "%{x}: %{customdata}<extra>%{fullData.name}</extra>",
                       "marker": {"size": 8, "color": PALETTE[0]}, "line": {"color": PALETTE[0], "width": 2}})
        layout[f"xaxis{axis}"] = {"type": "category", "linecolor": "#1a1a1a", "categoryorder": "array",
                                  "categoryarray": waves, "range": [-0.4, len(waves) - 0.6]}
        shared = {k: v for k, v in scale.items() if k != "title"}
        layout[f"yaxis{axis}"] = {"gridcolor": "#d9d9d9", "linecolor": "#1a1a1a", **shared}
        title = titles[i - 1]
        annotations.append({"text": title if len(title) <= 48 else title[:47] + "…", "showarrow": False,
                            "xref": f"x{axis} domain", "yref": f"y{axis} domain", "x": 0, "y": 1.02,
                            "xanchor": "left", "yanchor": "bottom", "font": {"size": 12}})
    if "range" not in scale:  # shared axes: one range for every panel
        ends = [v for tr in traces for v in tr["y"] if v is not None] or [0.0]
        for i in range(1, len(grid.categories) + 1):
            layout[f"yaxis{'' if i == 1 else i}"]["range"] = [min(0.0, min(ends)), max(ends) * 1.1 or 1.0]
    layout["annotations"] = annotations
    return {"data": traces, "layout": layout, "cells": "rows"}


def line_figure(grid: Matrix, lang: str) -> Figure:
    """Trend: the series (waves) along the x axis, one line per category, with markers and dashes
    that differ as well as colours; more than ``LINES_MAX`` categories are small multiples."""
    if len(grid.categories) > LINES_MAX:
        return _small_multiples(grid, lang)
    traces = []
    waves = [label for _, label in grid.series]
    for i, (code, name) in enumerate(grid.categories):
        rows = [grid.cell(code, series) for series, _ in grid.series]
        plus, minus = _errors(rows, grid.unit)
        traces.append(dict(
            type="scatter", name=name, x=waves, mode="lines+markers", connectgaps=False,
            y=[plotted(r, grid.unit) for r in rows],
            error_y={"type": "data", "symmetric": False, "array": plus, "arrayminus": minus, "thickness": 1.5,
                     "width": 5},
            hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}</extra>",
            marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 10, "color": PALETTE[i % len(PALETTE)]},
            line={"dash": DASHES[i % len(DASHES)], "color": PALETTE[i % len(PALETTE)], "width": 2},
        ))
    layout = _layout(lang, 380 + 22 * len(grid.categories), legend=True)
    layout["margin"]["t"] = 30 + 22 * ((len(grid.categories) + 1) // 2)
    layout.update(xaxis={"type": "category", "title": {"text": t("wave", lang)}}, yaxis=_axis(grid.unit, lang))
    return {"data": traces, "layout": layout, "cells": "rows"}


def _rounded(value, decimals: int = 5):
    """Numbers to 5 decimals (0.001 percentage points, 0.00001 index points): far below what a chart
    shows, and a third of the bytes."""
    kind = type(value)  # the common kinds first, by type: a page rounds hundreds of thousands of values
    if kind is float:
        return round(value, decimals) if math.isfinite(value) else None  # JSON has no NaN: a gap
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        return {k: _rounded(v, decimals) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_rounded(v, decimals) for v in value]
    if value is pd.NA:
        return None
    if isinstance(value, np.generic):
        return _rounded(value.item(), decimals)
    if isinstance(value, np.ndarray):
        return _rounded(value.tolist(), decimals)
    if isinstance(value, float):  # a float subclass
        return _rounded(float(value), decimals)
    return value


# What the site's charts share, said once in site.js, which puts it back before drawing: a bar's style; what a
# figure's "shared" lists: its layout's, an axis's style and the bars' category axis (each where the figure has all
# of it: the monitor's has not); and the style of the label at a gap's slot (an annotation with all of it; site.js
# knows it by its missing "showarrow").
SHARED = json.loads(re.search(r"/\*shared\*/(.*?)/\*end\*/", (Path(__file__).parent / "assets" / "site.js")
                              .read_text(encoding="utf-8"), re.S).group(1))


def _unshared(value: dict, shared: dict) -> dict:
    """``value`` without the properties equal to ``shared``'s; a dict keeps its place, empty or not (site.js
    fills the dicts a bar has, and only those)."""
    out = {}
    for key, item in value.items():
        if key in shared and isinstance(item, dict) and isinstance(shared[key], dict):
            out[key] = _unshared(item, shared[key])
        elif key not in shared or item != shared[key]:
            out[key] = item
    return out


def figure_json(fig: Figure) -> str:
    """The figure as JSON that is safe inside a <script type="application/json"> element, without what the site's
    charts share (``SHARED``)."""
    bars = [trace for trace in fig["data"] if trace.get("type") == "bar"]
    # A bar after the first leaves out its categories when they are the first's (site.js puts them back).
    data = [{k: v for k, v in _unshared(trace, SHARED["bar"]).items() if k != "y" or trace is bars[0]
             or v != bars[0].get("y")} if trace.get("type") == "bar" else trace for trace in fig["data"]]
    layout, shared = fig["layout"], []
    if all(layout.get(key) == value for key, value in SHARED["layout"].items()):
        layout = {k: v for k, v in layout.items() if k not in SHARED["layout"]}
        shared.append("layout")
    for axis in ("xaxis", "yaxis"):
        value = layout.get(axis)
        if value == SHARED["categories"] and axis == "yaxis":
            layout = {k: v for k, v in layout.items() if k != axis}
            shared.append("categories")
        elif isinstance(value, dict) and all(value.get(k) == v for k, v in SHARED["axis"].items()):
            layout = {**layout, axis: {k: v for k, v in value.items() if k not in SHARED["axis"]}}
            shared.append(axis)
    gap = SHARED["gap"]
    if any(all(note.get(k) == v for k, v in gap.items()) for note in layout.get("annotations", ())):
        layout = {**layout, "annotations": [{k: v for k, v in note.items() if k not in gap}
                                            if all(note.get(k) == v for k, v in gap.items()) else note
                                            for note in layout["annotations"]]}
    # UTF-8 as it is (the pages are UTF-8): escaped, an accent took six bytes.
    extra = {**({"shared": shared} if shared else {}), **({"cells": fig["cells"]} if "cells" in fig else {})}
    text = json.dumps(_rounded({"data": data, "layout": layout, **extra}),
                      ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text
