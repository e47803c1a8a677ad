"""The indicator explorer: one indicator at a time, chosen from a searchable list grouped by dimension, with chart,
table and map tabs, breakdown and wave selectors, its definition (what it measures, who is counted among whom: the
catalogue's numerator and denominator, and the population that answered), method notes and marks, a download of its
rows and a permalink (the URL fragment). assets/explorer.js draws it in the browser.

The rows ship once for the three languages (``explorer_script``: assets/explorer-data.js, a script so that the
page works from disk, where a browser fetches no file); each language's page carries its own words in a JSON
element. A hidden cell ships without numbers (``checked_indicators`` blanked them), with its reason's code, which
the page says in words.
"""

from __future__ import annotations

import html
import json
import math

import pandas as pd

from dashboards.areas import area_shapes
from dashboards.charts import PALETTE, PATTERNS, _axis, _layout
from dashboards.formatting import NBSP, NNBSP, PLOTLY_SEPARATORS, shown_as_count
from dashboards.marks import LOW_N_EFF, ORDER, SYMBOLS, nchs_marks, notes, row_marks, words
from dashboards.matrix import records
from dashboards.model import CatalogueEntry, SiteContent
from dashboards.pages.common import (capitalised, dimension_label, domain_labels, indicator_label, present, reasons,
                                     respondents, wave_labels)
from dashboards.text import t
from dashboards.tile_map import STEPS

esc = html.escape
PAGE = "explorer.html"
DATA_FILE = "explorer-data.js"  # in the site's assets/
SCRIPT = "explorer.js"
DIGITS = 5  # significant digits kept


def _number(value: object) -> float | None:
    """Five significant digits: far below what a page shows (a share to the percent, an index to a tenth)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(f"{float(value):.{DIGITS}g}")


def shown_rows(content: SiteContent) -> pd.DataFrame:
    """The rows the explorer offers: every indicator's (those of an instrument published whole beside the gaps
    too), by every breakdown but the sensitivity checks (in the downloads)."""
    rows = content.indicators
    return rows[~rows["breakdown"].isin(content.checks)]


def _lists(content: SiteContent, rows: pd.DataFrame) -> tuple[list[str], list[str], list[str]]:
    """The waves, the breakdowns ("all" first) and the reasons of hidden cells of ``rows``."""
    waves = sorted(rows["wave"].astype(str).unique())
    breakdowns = ["all", *(b for b in content.breakdowns if b in set(rows["breakdown"]))]
    reason_codes = sorted({str(r) for r in rows.loc[rows["suppressed"], "reason"].dropna()})
    return waves, breakdowns, reason_codes


def explorer_data(content: SiteContent) -> dict:
    """The language-neutral part: waves, breakdowns, reason codes, per indicator its unit, whether a row is
    unweighted, its interval methods and its rows, and the shapes of the breakdowns with a map.

    A published row is ``[wave, breakdown, domain, estimate, ci_low, ci_high, n, marks]``, with the numerator
    after it for a share shown as a count ("12 of 18"); a hidden row is ``[wave, breakdown, domain, reason]``, with
    no number. Wave, breakdown and reason are indices into their lists, marks their symbols."""
    rows = shown_rows(content)
    waves, breakdowns, reason_codes = _lists(content, rows)
    marks: dict[tuple, str] = {}  # a few combinations of flags, thousands of rows
    by_name: dict[str, list[dict]] = {}
    for row in records(rows):  # plain dicts: a selection per indicator took seconds on the demo's rows
        by_name.setdefault(str(row["indicator"]), []).append(row)
    indicators = {}
    for name in present(content, rows):
        out, methods, unweighted = [], set(), False
        for row in by_name[name]:
            cells: list = [waves.index(str(row["wave"])), breakdowns.index(str(row["breakdown"])), str(row["domain"])]
            if row["suppressed"]:
                cells.append(reason_codes.index(str(row["reason"])))
            else:
                n = _number(row["n"])
                cells += [_number(row["estimate"]), _number(row["ci_low"]), _number(row["ci_high"]),
                          None if n is None else int(n)]
                key = (row["low_n_eff"], row["nchs_flag"])
                if key not in marks:
                    marks[key] = "".join(SYMBOLS[m] for m in row_marks(row))
                cells.append(marks[key])
                if shown_as_count(row):
                    cells.append(int(row["numerator"]))
            if isinstance(row["ci_method"], str):
                methods.add(row["ci_method"])
            unweighted |= row["weighted"] is not None and row["weighted"] is not pd.NA and not bool(row["weighted"])
            out.append(cells)
        entry = content.entry(name)
        indicators[name] = {"unit": str(by_name[name][0]["unit"]), "rows": out, "methods": sorted(methods),
                            "kind": entry.kind or "", "instrument": entry.instrument or "", "unweighted": unweighted}
    shapes = {}
    for breakdown in (b for b in content.maps if b in breakdowns):
        codes = [c for c in content.domains.get(breakdown, {}) if c in set(rows.loc[rows["breakdown"] == breakdown,
                                                                                      "domain"])]
        found = area_shapes(content.shapes, breakdown, codes)
        shapes[breakdown] = {"schematic": found.schematic,
                             "rings": {code: [[[round(x, DIGITS), round(y, DIGITS)] for x, y in ring] for ring in rings]
                                       for code, rings in found.rings.items()}}
    return {"waves": waves, "breakdowns": breakdowns, "reasons": reason_codes, "indicators": indicators,
            "shapes": shapes}


def explorer_script(content: SiteContent) -> str:
    """assets/explorer-data.js: the language-neutral data as one global, read by assets/explorer.js."""
    data = json.dumps(explorer_data(content), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return f"window.TOEGANG_EXPLORER={data};\n"


# What explorer.js says, by kind of measure: how the figure is made (the catalogue's kinds).
def _kinds(lang: str) -> dict[str, str]:
    return {"share": t("explorer_kind_share", lang), "mean": t("explorer_kind_mean", lang),
            "scale_index": t("explorer_kind_scale_index", lang), "count": t("explorer_kind_count", lang),
            "difference": t("explorer_kind_difference", lang)}


def _texts(content: SiteContent, lang: str) -> dict[str, str]:
    """The words explorer.js writes, in ``lang``."""
    return {
        "all_waves": t("explorer_all_waves", lang), "not_shown": t("not_shown_short", lang),
        "not_measured": t("not_measured", lang), "k_of_n": t("k_of_n", lang, k="{k}", n="{n}"),
        "pp": t("pp", lang), "chart_label": t("chart_label", lang, title="{title}"),
        "table_caption": t("table_caption", lang, title="{title}"), "unweighted": t("unweighted_note", lang),
        "chart_caption": t("chart_caption", lang), "gap_note": t("chart_gap_note", lang),
        "summary_none": t("summary_none", lang, series="{series}"),
        "summary_single": t("summary_single", lang, series="{series}", label="{label}", value="{value}",
                            interval="{interval}"),
        "summary_range": t("summary_range", lang, series="{series}", high_label="{high_label}",
                           low_label="{low_label}", high="{high}", low="{low}"),
        "summary_hidden": t("summary_hidden", lang, count="{count}"),
        "summary_marked": t("summary_marked", lang, count="{count}"),
        "nothing_drawn": t("all_withheld_note", lang), "counts_only": t("counts_only_note", lang),
        "view_title": t("explorer_view_title", lang, indicator="{indicator}", breakdown="{breakdown}",
                        wave="{wave}"),
        "whole": t("all_respondents", lang), "by": t("by_breakdown", lang, breakdown="{breakdown}"),
        "map_title": t("tile_title", lang, indicator="{indicator}", wave="{wave}"),
        "map_schematic": t("explorer_map_schematic", lang), "map_note": t("explorer_map_note", lang),
        "map_hidden": t("explorer_map_hidden", lang, area="{area}", reason="{reason}"),
        "map_one_wave": t("explorer_map_one_wave", lang), "legend": t("legend", lang),
        "matches": t("explorer_matches", lang, count="{count}"), "csv_name": t("explorer_csv_name", lang),
        "download": t("explorer_download", lang, indicator="{indicator}"),
        "corner": t("wave", lang),
    }


def _definitions(entries: dict[str, CatalogueEntry], lang: str) -> dict:
    """Per indicator, what it measures, who is counted (numerator) and among whom (denominator) in ``lang``, as
    indices into one list of sentences: each text once (a denominator is shared by a measure's subjects, a
    single item's note by every single item); "" where the catalogue does not say."""
    sentences: dict[str, int] = {}
    definition = {}
    for name, entry in entries.items():
        about = t("single_item_note", lang) if entry.single_item else entry.description.get(lang, "")
        # The catalogue's numerator of a scale index speaks of 0-100 scores; a single item is its 1-5 mean.
        counted = t("explorer_single_item_numerator", lang) if entry.single_item else entry.numerator.get(lang, "")
        definition[name] = [sentences.setdefault(text, len(sentences))
                            for text in (about, counted, entry.denominator.get(lang, ""))]
    return {"definition": definition, "sentences": list(sentences)}


def page_data(content: SiteContent, lang: str) -> dict:
    """The words of the page in ``lang``: labels, definitions, reasons, marks, axes; explorer.js reads them."""
    rows = shown_rows(content)
    waves, breakdowns, reason_codes = _lists(content, rows)
    names = present(content, rows)
    units = sorted(set(rows["unit"].astype(str)))
    published = rows[~rows["suppressed"]]
    shown_marks = {m for flag in set(published["nchs_flag"].dropna()) for m in nchs_marks(flag)}
    shown_marks |= {LOW_N_EFF} if published["low_n_eff"].fillna(False).astype(bool).any() else set()
    why = reasons(content)
    entries = {n: content.entry(n) for n in names}
    groups: dict[str | None, list[str]] = {}
    for name in names:
        groups.setdefault(entries[name].dimension, []).append(name)
    order = [d for d in (*content.dimensions, None) if d in groups] + [d for d in groups if d not in
                                                                          (*content.dimensions, None)]
    methods = sorted(set(rows["ci_method"].dropna().astype(str)) & {"beta", "clopper-pearson", "wilson", "logit",
                                                                      "wald"})
    return {
        "lang": lang, "separators": PLOTLY_SEPARATORS[lang], "percent": (NBSP + "%") if lang == "fr" else "%",
        "decimal": "." if lang == "en" else ",", "thousands": {"nl": ".", "fr": NNBSP}.get(lang, ","),
        "texts": _texts(content, lang), "kinds": _kinds(lang),
        "groups": [[dimension_label(content, d, lang), groups[d]] for d in order],
        **_definitions(entries, lang),
        "who": {i: respondents(content, i, lang) for i in content.instruments},
        "breakdowns": {b: (t("all_respondents", lang) if b == "all"
                           else capitalised(content.text(f"breakdown_{b}", lang))) for b in breakdowns},
        "titles": {b: content.text(f"breakdown_{b}", lang) for b in breakdowns if b != "all"},
        "domains": {b: domain_labels(content, b, lang) for b in breakdowns if b != "all"},
        "waves": wave_labels(waves, lang),
        "reasons": {code: why.text(code, lang) for code in reason_codes},
        "reasons_difference": {code: why.text(code, lang, "difference") for code in reason_codes},
        "marks": {SYMBOLS[m]: {"words": words(m, lang), "note": notes((m,), lang)[0]} for m in ORDER
                  if m in shown_marks},
        "methods": {m: t(f"interval_{m}", lang) for m in methods},
        "axes": {u: _axis(u, lang) for u in units}, "layout": _layout(lang, 300, legend=False),
        "palette": PALETTE, "patterns": PATTERNS, "steps": [list(s) for s in STEPS],
    }


def _json(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text


def _tab(key: str, label: str, selected: bool) -> str:
    return (f'<button type="button" role="tab" id="x-tab-{key}" aria-controls="x-panel-{key}" data-view="{key}" '
            f'aria-selected="{"true" if selected else "false"}" tabindex="{"0" if selected else "-1"}">'
            f"{esc(label)}</button>")


def explorer(content: SiteContent, lang: str) -> str:
    """The page's body: its controls and empty panels, filled by explorer.js from the page's JSON and the data
    script; without scripts it says where the same figures are."""
    data = page_data(content, lang)
    groups = data.pop("groups")  # the list's options: explorer.js reads the labels there
    options = "".join(
        f'<optgroup label="{esc(label)}">'
        + "".join(f'<option value="{esc(n)}">{esc(indicator_label(content, n, lang))}</option>' for n in names)
        + "</optgroup>"
        for label, names in groups)
    tabs = "".join(_tab(k, label, k == "chart") for k, label in (
        ("chart", t("explorer_tab_chart", lang)), ("table", t("explorer_tab_table", lang)),
        ("map", t("explorer_tab_map", lang))))
    return (
        f'<p>{esc(t("explorer_intro", lang))}</p>'
        f'<noscript><p>{esc(t("explorer_noscript", lang))}</p></noscript>'
        f'<div class="explorer" id="explorer" hidden>'
        f'<div class="explorer-controls">'
        f'<div class="field"><label for="x-search">{esc(t("explorer_search", lang))}</label>'
        f'<input type="search" id="x-search" autocomplete="off" aria-describedby="x-matches">'
        f'<p class="hint" id="x-matches" aria-live="polite"></p></div>'
        f'<div class="field"><label for="x-indicator">{esc(t("indicator", lang))}</label>'
        f'<select id="x-indicator" size="8">{options}</select></div>'
        f'<div class="field"><label for="x-breakdown">{esc(t("explorer_breakdown", lang))}</label>'
        f'<select id="x-breakdown"></select>'
        f'<label for="x-wave">{esc(t("wave", lang))}</label><select id="x-wave"></select></div>'
        f"</div>"
        f'<h2 id="x-title"></h2>'
        f'<p class="summary" id="x-summary"></p>'
        f'<div role="tablist" aria-label="{esc(t("explorer_views", lang))}" class="tabs">{tabs}</div>'
        f'<div role="tabpanel" id="x-panel-chart" aria-labelledby="x-tab-chart" tabindex="0">'
        f'<figure><div class="chart" id="x-chart" role="img" aria-describedby="x-summary"></div>'
        f'<figcaption id="x-caption"></figcaption></figure><p class="chart-note" id="x-chart-note" hidden></p></div>'
        f'<div role="tabpanel" id="x-panel-table" aria-labelledby="x-tab-table" tabindex="0" hidden>'
        f'<div class="table-wrap" id="x-table"></div></div>'
        f'<div role="tabpanel" id="x-panel-map" aria-labelledby="x-tab-map" tabindex="0" hidden>'
        f'<figure class="area-map"><figcaption id="x-map-title"></figcaption>'
        f'<div class="explorer-map" id="x-map" role="img" aria-describedby="x-map-note"></div>'
        f'<p class="tile-note" id="x-map-note"></p><ul class="tile-legend" id="x-map-legend" '
        f'aria-label="{esc(t("legend", lang))}"></ul></figure></div>'
        f'<div id="x-notes"></div>'
        f'<h2>{esc(t("explorer_definition", lang))}</h2>'
        f'<dl class="definition">'
        f'<dt>{esc(t("explorer_what", lang))}</dt><dd id="x-about"></dd>'
        f'<div><dt>{esc(t("explorer_numerator", lang))}</dt><dd id="x-numerator"></dd></div>'
        f'<div><dt>{esc(t("explorer_denominator", lang))}</dt><dd id="x-denominator"></dd></div>'
        f'<div><dt>{esc(t("explorer_who", lang))}</dt><dd id="x-who"></dd></div>'
        f'<div><dt>{esc(t("explorer_how", lang))}</dt><dd id="x-how"></dd></div>'
        f'<dt>{esc(t("explorer_interval", lang))}</dt><dd id="x-method"></dd>'
        f'<dt>{esc(t("explorer_hidden", lang))}</dt><dd>{esc(t("suppression_note", lang, min_n=content.min_n))}'
        f' <a href="method.html">{esc(t("page_method", lang))}</a></dd>'
        f"</dl>"
        f'<p class="explorer-links"><a id="x-download" download>{esc(t("explorer_download_plain", lang))}</a> · '
        f'<a id="x-permalink" href="#">{esc(t("explorer_permalink", lang))}</a> · '
        f'<a href="downloads.html">{esc(t("page_downloads", lang))}</a></p>'
        f"</div>"
        f'<script type="application/json" id="explorer-words">{_json(data)}</script>'
    )
