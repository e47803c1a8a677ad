"""Build the static dashboard site: one folder per language, plotly.js shipped once as a local file.

The site is written to a temporary folder next to its destination and swapped in whole
(``dashboards.files.replace_folder``), so a reader never sees half a dashboard. It holds aggregates only,
never a respondent's row.
"""

from __future__ import annotations

import gc
import html
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from dashboards.blocks import Ids
from dashboards.files import replace_folder, write_parquet
from dashboards.layout import PLOTLY_FILE, page_html, root_index
from dashboards.model import (COUNT_COLUMNS, INDICATOR_COLUMNS, PROVENANCE_COLUMNS, ROW, SiteContent, catalogue_entry,
                              checked_indicators)
from dashboards.pages.breakdown_map import map_page, map_page_name, map_page_title
from dashboards.pages.common import dimensions_with_rows
from dashboards.pages.comparison import PAGE as COMPARISON_PAGE
from dashboards.pages.comparison import comparison, differences
from dashboards.pages.dimension import dimension_page
from dashboards.pages.downloads import downloads
from dashboards.pages.explorer import DATA_FILE as EXPLORER_DATA
from dashboards.pages.explorer import PAGE as EXPLORER_PAGE
from dashboards.pages.explorer import SCRIPT as EXPLORER_SCRIPT
from dashboards.pages.explorer import explorer, explorer_script
from dashboards.pages.factsheet import INDEX as FACTSHEET_INDEX
from dashboards.pages.factsheet import factsheet_pages, index_page, sheets
from dashboards.pages.method import method
from dashboards.pages.overview import overview
from dashboards.pages.panel import PAGE as PANEL_PAGE
from dashboards.pages.panel import panel
from dashboards.pages.trend import trend
from dashboards.text import t
from instruments.vocabulary import LANGUAGES

ASSETS = Path(__file__).parent / "assets"
ASSET_FILES = (PLOTLY_FILE, "plotly-basic.LICENSE.txt", "site.js", "style.css", EXPLORER_SCRIPT)
esc = html.escape


def _catalogue_frame(content: SiteContent) -> pd.DataFrame:
    rows = []
    for name in content.catalogue:
        entry = content.entry(name)
        rows.append({"indicator": name, "dimension": entry.dimension, "unit": entry.unit, "headline": entry.headline,
                     "single_item": entry.single_item,
                     **{f"label_{lang}": entry.label.get(lang) for lang in LANGUAGES},
                     **{f"description_{lang}": entry.description.get(lang) for lang in LANGUAGES},
                     **{f"numerator_{lang}": entry.numerator.get(lang) for lang in LANGUAGES},
                     **{f"denominator_{lang}": entry.denominator.get(lang) for lang in LANGUAGES}})
    return pd.DataFrame(rows)


def write_downloads(folder: Path, content: SiteContent) -> list[Path]:
    """The indicator rows (contract columns and provenance only) and the catalogue, as CSV and Parquet.
    The CSV leaves the provenance, the same for every row of a wave, to ``provenance.csv``."""
    folder.mkdir()
    provenance = [c for c in PROVENANCE_COLUMNS if c in content.indicators.columns]
    columns = [c for c in (*INDICATOR_COLUMNS, *COUNT_COLUMNS) if c in content.indicators.columns]
    rows = content.indicators.sort_values(ROW)[columns + provenance]  # the cells' data-row: their place here
    frames = [("indicators", rows, rows[columns]), ("catalogue", _catalogue_frame(content), None)]
    if provenance:
        waves = rows[["wave", *provenance]].drop_duplicates().sort_values("wave", kind="stable")
        frames.append(("provenance", waves, None))
    paths = []
    for name, frame, csv_frame in frames:
        csv = folder / f"{name}.csv"
        # Six significant digits in the CSV; the Parquet keeps every digit.
        (frame if csv_frame is None else csv_frame).to_csv(csv, index=False, float_format="%.6g")
        parquet = folder / f"{name}.parquet"
        write_parquet(parquet, frame)
        paths += [csv, parquet]
    return paths


def _page_list(content: SiteContent, lang: str, files: list[Path]) -> list[tuple[str, str, Callable[[Ids], str]]]:
    pages: list[tuple[str, str, Callable[[Ids], str]]] = [
        ("index.html", t("page_overview", lang), lambda ids: overview(content, lang, ids)),
        (EXPLORER_PAGE, t("page_explorer", lang), lambda ids: explorer(content, lang))]
    for dim in dimensions_with_rows(content):
        pages.append((f"dimension-{dim or 'other'}.html", content.text(f"dim_{dim or 'other'}", lang),
                      lambda ids, dim=dim: dimension_page(content, dim, lang, ids)))
    for breakdown in (b for b in content.maps if b in content.breakdowns):
        pages.append((map_page_name(breakdown), map_page_title(content, breakdown, lang),
                      lambda ids, breakdown=breakdown: map_page(content, breakdown, lang, ids)))
    if differences(content):  # a study with one perspective has nothing to compare
        pages.append((COMPARISON_PAGE, t("page_comparison", lang), lambda ids: comparison(content, lang, ids)))
    if not content.panel_trajectory.empty:
        pages.append((PANEL_PAGE, t("page_panel", lang), lambda ids: panel(content, lang, ids)))
    if sheets(content):
        pages.append((FACTSHEET_INDEX, t("page_factsheets", lang), lambda ids: index_page(content, lang)))
    pages += [
        ("trend.html", t("page_trend", lang), lambda ids: trend(content, lang, ids)),
        ("method.html", t("page_method", lang), lambda ids: method(content, lang)),
        ("downloads.html", t("page_downloads", lang), lambda ids: downloads(content, files, lang)),
    ]
    return pages


def _footer(content: SiteContent, lang: str) -> str:
    waves = ", ".join(sorted(content.indicators["wave"].unique()))
    return (f"<p>{esc(t('footer', lang, waves=waves, min_n=content.min_n))} "
            f'<a href="method.html">{esc(t("page_method", lang))}</a></p>')


def render_pages(content: SiteContent, lang: str, files: list[Path]) -> dict[str, str]:
    """filename -> HTML of every page in ``lang``."""
    pages = _page_list(content, lang, files)
    nav = [(name, title) for name, title, _ in pages]
    out = {}
    footer = _footer(content, lang)
    for name, title, body in pages:
        main = body(Ids())
        out[name] = page_html(lang=lang, filename=name, title=title, body=main, pages=nav,
                              study_title=content.study_title.get(lang, ""), footer=footer,
                              charts='class="chart"' in main,
                              more_scripts=(EXPLORER_DATA, EXPLORER_SCRIPT) if name == EXPLORER_PAGE else ())
    return out


def _for_pages(content: SiteContent) -> SiteContent:
    """The same rows with their text columns as one block of Python objects: the pages select rows hundreds of
    times, and a selection copies each of pandas' string columns on its own (the downloads keep the typed
    columns)."""
    rows = content.indicators
    text = [c for c in rows.columns if pd.api.types.is_string_dtype(rows[c]) and rows[c].dtype != object]
    # copy() joins the object columns into one block, which each selection then copies once.
    return replace(content, indicators=rows.astype(dict.fromkeys(text, object)).copy())


def write_site(site: Path, content: SiteContent) -> list[Path]:
    """Write the whole site to ``site`` (replacing what was there); return the pages written."""
    # The build makes hundreds of thousands of short-lived strings and dicts; without freezing, each collection
    # of the cyclic garbage collector walks every object the process already holds (the asset's: Dagster's, a
    # quarter of a million), a sixth of the build.
    gc.freeze()
    try:
        return _write_site(site, content)
    finally:
        gc.unfreeze()


def _write_site(site: Path, content: SiteContent) -> list[Path]:
    # The entries built once: the pages ask for them tens of thousands of times.
    content = replace(content, indicators=checked_indicators(content.indicators, content.catalogue,
                                                                      content.breakdowns),
                      catalogue={name: catalogue_entry(entry) for name, entry in content.catalogue.items()})
    site = Path(site)
    written: list[Path] = []

    def write(staging: Path) -> None:
        (staging / "assets").mkdir()
        for name in ASSET_FILES:
            shutil.copyfile(ASSETS / name, staging / "assets" / name)
        # The explorer's rows, once for the three languages.
        (staging / "assets" / EXPLORER_DATA).write_text(explorer_script(content), encoding="utf-8")
        files = write_downloads(staging / "downloads", content)
        (staging / "index.html").write_text(root_index(dict(content.study_title)), encoding="utf-8")
        written.append(site / "index.html")
        pages = _for_pages(content)
        for lang in LANGUAGES:
            (staging / lang).mkdir()
            for name, text in render_pages(pages, lang, files).items():
                (staging / lang / name).write_text(text, encoding="utf-8")
                written.append(site / lang / name)
            for name, text in factsheet_pages(pages, lang).items():  # in a folder of their own
                (staging / lang / name).parent.mkdir(exist_ok=True)
                (staging / lang / name).write_text(text, encoding="utf-8")
                written.append(site / lang / name)

    replace_folder(site, write)
    return written
