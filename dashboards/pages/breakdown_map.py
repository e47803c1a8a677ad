"""A breakdown with a map (``map: true`` in study.yaml): a map of a headline indicator across its categories
(areas), drawn from the study's polygons when it ships them (``SiteContent.shapes``), else as schematic tiles;
then each headline indicator, linked to its map in the explorer and to its chart by that breakdown on its
dimension's page."""

from __future__ import annotations

import html
from urllib.parse import quote

from dashboards.area_map import area_map
from dashboards.blocks import Ids
from dashboards.model import SiteContent
from dashboards.pages.common import (breakdown_anchor, capitalised, domain_labels, indicator_label, main_rows,
                                     paragraph, present, reasons)
from dashboards.pages.explorer import PAGE as EXPLORER_PAGE
from dashboards.pages.factsheet import factsheet_links
from dashboards.text import t
from dashboards.tile_map import tile_map

esc = html.escape


def map_page_name(breakdown: str) -> str:
    """The page's file: the breakdown's name (letters, digits, '_' or '-') after a prefix no other page has."""
    return f"breakdown-{breakdown}.html"


def map_page_title(content: SiteContent, breakdown: str, lang: str) -> str:
    return capitalised(content.text(f"breakdown_{breakdown}", lang))


def map_page(content: SiteContent, breakdown: str, lang: str, ids: Ids) -> str:
    rows = main_rows(content)
    local = rows[rows["breakdown"] == breakdown]
    names = present(content, local)
    if not names:
        return paragraph(t("no_rows", lang))
    shapes = content.shapes.get(breakdown)
    word = content.text(f"breakdown_{breakdown}", lang)
    parts = [paragraph(t("map_intro_areas", lang, breakdown=word) if shapes else t("map_intro", lang, breakdown=word))]
    mapped = next((n for n in names if content.entry(n).headline), names[0])
    mapped_rows = local[local["indicator"] == mapped]
    wave = max(mapped_rows["wave"])
    areas = {c: v for c, v in domain_labels(content, breakdown, lang).items() if c != "all"}
    title = t("tile_title", lang, indicator=indicator_label(content, mapped, lang), wave=wave)
    latest = mapped_rows[mapped_rows["wave"] == wave]
    if shapes:
        parts.append(area_map(latest, areas, shapes, title, lang, reasons(content), ids,
                              corner=map_page_title(content, breakdown, lang)))
    else:
        parts.append(tile_map(latest, areas, title, lang, reasons(content)))
    parts.append(factsheet_links(content, breakdown, lang))
    parts.append(_each_indicator(content, breakdown, local, [n for n in names if content.entry(n).headline] or names,
                                 lang))
    return "".join(parts)


def _each_indicator(content: SiteContent, breakdown: str, rows, names: list[str], lang: str) -> str:
    """Each headline indicator by ``breakdown``, linked to the explorer's map of it and to its chart on its
    dimension's page (where that chart has a published cell): the page does not repeat those charts."""
    word = content.text(f"breakdown_{breakdown}", lang)
    published = set(rows.loc[~rows["suppressed"].astype(bool), "indicator"])
    items = []
    for name in names:
        explorer = f"{EXPLORER_PAGE}#i={quote(name, safe='')}&b={quote(breakdown, safe='')}&v=map"
        item = f'<a href="{esc(explorer)}">{esc(indicator_label(content, name, lang))}</a>'
        if name in published:
            dimension = content.entry(name).dimension
            page = f"dimension-{dimension or 'other'}.html#{breakdown_anchor(name, breakdown)}"
            title = content.text(f"dim_{dimension or 'other'}", lang)
            item += f' (<a href="{esc(page)}">{esc(t("map_more_page", lang, page=title))}</a>)'
        items.append(f"<li>{item}</li>")
    section_id = "each-indicator"
    return (f'<section aria-labelledby="{section_id}"><h2 id="{section_id}">'
            f'{esc(capitalised(t("map_more_heading", lang, breakdown=word)))}</h2>'
            f'<p>{esc(t("map_more_intro", lang, breakdown=word))}</p><ul class="indicator-links">{"".join(items)}</ul>'
            "</section>")
