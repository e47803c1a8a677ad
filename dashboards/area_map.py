"""A map of one indicator across a breakdown's areas, drawn from the study's polygons (``dashboards.areas``) with
what the shipped plotly-basic bundle has: one filled ``scatter`` trace per area in plane coordinates, no geo
traces, no tiles, no request. Each area is shaded on the tile map's scale and prints its value, interval and n
at its label point; a hidden area is hatched and the caption says why; a count ("12 of 18") is plain. The same
numbers follow in a table."""

from __future__ import annotations

import html

import pandas as pd

from dashboards.areas import AreaShapes, label_point, ring_area
from dashboards.blocks import Ids, bar_summary, marked_value, table_html
from dashboards.charts import figure_json
from dashboards.formatting import PLOTLY_SEPARATORS, Reasons, interval_text, shown_as_count
from dashboards.matrix import matrix
from dashboards.text import t
from dashboards.tile_map import STEPS, scale_max, step_of, steps_legend

esc = html.escape
HIDDEN_FILL, HIDDEN_LINES = "#f2f2f2", "#6b6b6b"  # the tiles' hatch, in plotly's pattern
PLAIN_FILL = "#ffffff"  # a count, or an area not measured: no shade
INK = "#1a1a1a"


def _outline(rings) -> tuple[list, list]:
    """The rings as one line, a gap between rings: ``fill="toself"`` fills each part."""
    xs: list = []
    ys: list = []
    for ring in rings:
        if xs:
            xs.append(None)
            ys.append(None)
        xs += [x for x, _ in ring]
        ys += [y for _, y in ring]
    return xs, ys


def _words(row, unit: str, lang: str) -> list[str]:
    """What an area says of its cell, line by line: value (with its marks), interval, n; or why it is hidden."""
    if row is None:
        return [t("not_measured", lang)]
    if row["suppressed"]:
        return [t("not_shown_short", lang)]
    lines = [marked_value(row, unit, lang)]
    if shown_as_count(row):  # "12 of 18" says its n; no interval, as no percentage
        return lines
    interval = interval_text(row["ci_low"], row["ci_high"], unit, lang)
    if interval:
        lines.append(interval)
    if row["n"] is not None and not pd.isna(row["n"]):
        lines.append(f"n = {int(row['n'])}")
    return lines


def area_figure(by_code: dict, labels: dict[str, str], shapes: AreaShapes, unit: str, top: float, lang: str,
                reasons: Reasons) -> dict:
    """plotly.js's spec: a filled trace per area (``meta: "area"``), larger areas first so an enclave is drawn
    over the area around it, then one text trace of the labels (``meta: "labels"``)."""
    codes = sorted(shapes.rings, key=lambda c: -max(ring_area(r) for r in shapes.rings[c]))
    traces, points, texts, inks, hovers = [], [], [], [], []
    for code in codes:
        row = by_code.get(code)
        name = labels.get(code, code)
        words = _words(row, unit, lang)
        # The hover of a hidden area says why; its label only that it is hidden (the caption says why too).
        said = [reasons.text(row["reason"], lang, unit)] if row is not None and row["suppressed"] else words
        xs, ys = _outline(shapes.rings[code])
        trace = {"type": "scatter", "mode": "lines", "x": xs, "y": ys, "fill": "toself", "meta": "area",
                 "name": name, "showlegend": False, "hoveron": "fills", "hoverinfo": "text",
                 "text": f"{name}: {' '.join(said)}", "line": {"color": INK, "width": 1.5},
                 "fillcolor": PLAIN_FILL}
        ink = INK
        if row is not None and row["suppressed"]:
            trace["fillcolor"] = HIDDEN_FILL
            trace["fillpattern"] = {"shape": "/", "bgcolor": HIDDEN_FILL, "fgcolor": HIDDEN_LINES, "size": 10,
                                    "solidity": 0.15}
        elif row is not None and not shown_as_count(row):
            trace["fillcolor"], ink = STEPS[step_of(float(row["estimate"]), top)]
        traces.append(trace)
        points.append(label_point(shapes.rings[code]))
        texts.append("<br>".join([f"<b>{esc(name)}</b>", *map(esc, words)]))
        inks.append(ink)
        hovers.append(f"{name}: {' '.join(said)}")
    traces.append({"type": "scatter", "mode": "text", "meta": "labels", "name": "", "showlegend": False,
                   "x": [p[0] for p in points], "y": [p[1] for p in points], "text": texts,
                   "textfont": {"size": 12, "color": inks}, "customdata": hovers,
                   "hovertemplate": "%{customdata}<extra></extra>"})
    layout = {
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "height": 560, "separators": PLOTLY_SEPARATORS[lang],
        "font": {"size": 14, "color": INK}, "showlegend": False, "margin": {"l": 10, "r": 10, "t": 36, "b": 10},
        "hoverlabel": {"namelength": -1},
        # No axes: the plane's units mean nothing to a reader. One unit across is one unit up.
        "xaxis": {"visible": False, "constrain": "domain"},
        "yaxis": {"visible": False, "scaleanchor": "x", "scaleratio": 1, "constrain": "domain"},
    }
    if shapes.schematic:
        layout["annotations"] = [{"text": t("schematic_short", lang), "showarrow": False, "xref": "paper",
                                  "yref": "paper", "x": 0, "y": 1, "xanchor": "left", "yanchor": "bottom",
                                  "font": {"size": 13, "color": INK}}]
    return {"data": traces, "layout": layout}


def area_map(rows: pd.DataFrame, areas: dict[str, str], shapes: AreaShapes, title: str, lang: str, reasons: Reasons,
             ids: Ids, corner: str) -> str:
    """``rows``: one indicator, one wave, one breakdown (its areas); ``areas``: category code -> label; ``corner``:
    the table's first column heading. The map, its legend and notes, and the table of the same cells (its notes
    say what the marks mean)."""
    by_code = {str(r["domain"]): r for _, r in rows.iterrows()}
    unit = str(rows["unit"].iloc[0])
    top = scale_max(unit, [float(r["estimate"]) for r in by_code.values()
                           if not r["suppressed"] and not shown_as_count(r)])
    figure = area_figure(by_code, areas, shapes, unit, top, lang, reasons)
    grid = matrix(rows, "domain", "wave", {c: v for c, v in areas.items() if c in by_code},
                  {w: t("wave_label", lang, wave=w) for w in rows["wave"].astype(str).unique()})
    block_id = ids.new()
    hidden = [t("area_hidden", lang, area=areas.get(code, code), reason=reasons.text(row["reason"], lang, unit))
              for code, row in by_code.items() if row["suppressed"]]
    counted = any(not r["suppressed"] and shown_as_count(r) for r in by_code.values())
    legend = steps_legend(top, unit, lang)
    if hidden:
        legend += (f'<li><span class="swatch hatched" aria-hidden="true"></span>'
                   f'{esc(t("legend_hatched", lang))}</li>')
    if counted:
        legend += (f'<li><span class="swatch" style="background:{PLAIN_FILL}" aria-hidden="true"></span>'
                   f'{esc(t("legend_counted", lang))}</li>')
    schematic = (f'<p class="schematic-label">{esc(t("schematic_boundaries", lang))}</p>'
                 if shapes.schematic else "")
    notes = "".join(f"<li>{esc(line)}</li>" for line in hidden)
    return (f'<figure class="area-map"><figcaption>{esc(title)}</figcaption>{schematic}'
            f'<p class="summary" id="{block_id}-s">{esc(bar_summary(grid, lang))}</p>'
            f'<div class="chart" id="{block_id}-chart" data-figure="{block_id}-data" role="img" '
            f'aria-label="{esc(t("area_map_label", lang, title=title))}" aria-describedby="{block_id}-s"></div>'
            f'<script type="application/json" id="{block_id}-data">{figure_json(figure)}</script>'
            f'<ul class="tile-legend" aria-label="{esc(t("legend", lang))}">{legend}</ul>'
            f'<p class="tile-note">{esc(t("area_map_note", lang))}</p>'
            + (f'<ul class="map-hidden">{notes}</ul>' if notes else "")
            + table_html(grid, t("table_caption", lang, title=title), corner, lang, reasons) + "</figure>")
