"""A schematic tile map: one square per area (a category of a breakdown), for studies without geodata. Each tile prints
its name and value, so the shading only repeats what the text says."""

from __future__ import annotations

import html
import math

import pandas as pd

from dashboards.formatting import Reasons, estimate_text, shown_as_count, value_text
from dashboards.marks import marks_html, notes_html, row_marks
from dashboards.text import t

# ColorBrewer Blues (colour-blind safe, sequential); dark text on the light steps, white on the darkest.
STEPS = (("#eff3ff", "#1a1a1a"), ("#bdd7e7", "#1a1a1a"), ("#6baed6", "#1a1a1a"), ("#3182bd", "#000000"),
         ("#08519c", "#ffffff"))
esc = html.escape


def scale_max(unit: str, values: list[float]) -> float:
    """The top of the shading scale: a share's 100%, an index's 100, else the largest value."""
    if unit == "proportion":
        return 1.0
    if unit == "index":
        return 100.0
    return max([abs(v) for v in values] + [1e-9])


def step_of(value: float, top: float) -> int:
    """The step of ``STEPS`` a value is shaded with."""
    return min(len(STEPS) - 1, int(len(STEPS) * abs(value) / top))


def steps_legend(top: float, unit: str, lang: str) -> str:
    """The legend's items of the shading scale: a swatch and its range per step."""
    return "".join(
        f'<li><span class="swatch" style="background:{bg}" aria-hidden="true"></span>'
        f'{esc(value_text(top * k / len(STEPS), unit, lang))} – '
        f'{esc(value_text(top * (k + 1) / len(STEPS), unit, lang))}</li>'
        for k, (bg, _) in enumerate(STEPS)
    )


def tile_map(rows: pd.DataFrame, areas: dict[str, str], title: str, lang: str, reasons: Reasons) -> str:
    """``rows``: one indicator, one wave, one breakdown (areas); ``areas``: category code -> label, in the
    order the tiles are laid out (row by row, in a square-ish grid)."""
    by_code = {str(r["domain"]): r for _, r in rows.iterrows()}
    codes = [c for c in areas if c in by_code] + sorted(set(by_code) - set(areas))
    unit = str(rows["unit"].iloc[0])
    top = scale_max(unit, [float(r["estimate"]) for r in by_code.values()
                            if not r["suppressed"] and not shown_as_count(r)])
    columns = max(1, math.ceil(math.sqrt(len(codes))))
    tiles, marked = [], set()
    for i, code in enumerate(codes):
        row = by_code[code]
        place = f"grid-row:{i // columns + 1};grid-column:{i % columns + 1}"
        name = esc(areas.get(code, code))
        if row["suppressed"]:
            why = esc(reasons.text(row["reason"], lang, unit))
            tiles.append(f'<li class="tile suppressed" style="{place}"><span class="tile-name">{name}</span>'
                         f'<span class="tile-value">—</span><span class="tile-reason">{why}</span></li>')
            continue
        if shown_as_count(row):  # its count, on a plain tile: a shade would place the share on the legend's scale
            tiles.append(f'<li class="tile" style="{place}" data-domain="{esc(code)}"><span class="tile-name">'
                         f'{name}</span><span class="tile-value">{esc(estimate_text(row, unit, lang))}</span></li>')
            continue
        marks = row_marks(row, nchs_only=True)
        marked |= set(marks)
        background, ink = STEPS[step_of(float(row["estimate"]), top)]
        value = esc(estimate_text(row, unit, lang)) + marks_html(marks, lang)
        tiles.append(f'<li class="tile" style="{place};background:{background};color:{ink}" '
                     f'data-domain="{esc(code)}"><span class="tile-name">{name}</span>'
                     f'<span class="tile-value">{value}</span></li>')
    legend = steps_legend(top, unit, lang)
    return (f'<figure class="tile-map"><figcaption>{esc(title)}</figcaption>'
            f'<ol class="tiles" style="grid-template-columns:repeat({columns},minmax(8rem,1fr))">{"".join(tiles)}</ol>'
            f'<p class="tile-note">{esc(t("tile_note", lang))}</p>{notes_html(marked, lang)}'
            f'<ul class="tile-legend" aria-label="{esc(t("legend", lang))}">{legend}</ul></figure>')
