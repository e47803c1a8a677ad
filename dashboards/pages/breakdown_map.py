"""A breakdown with a map (``map: true`` in study.yaml): a map of a headline indicator across its categories
(areas), drawn from the study's polygons when it ships them (``SiteContent.shapes``), else as schematic tiles;
then every headline indicator by that breakdown."""

from __future__ import annotations

from dashboards.area_map import area_map
from dashboards.blocks import Ids
from dashboards.model import SiteContent
from dashboards.pages.breakdowns import indicator_section
from dashboards.pages.common import (by_indicator, capitalised, domain_labels, indicator_label, main_rows, paragraph,
                                     present, reasons)
from dashboards.pages.factsheet import factsheet_links
from dashboards.text import t
from dashboards.tile_map import tile_map


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
    # The headline indicators here; the dimensions' other indicators are by this breakdown on their pages.
    shown = [n for n in names if content.entry(n).headline] or names
    own = by_indicator(rows[rows["indicator"].isin(shown)])
    parts.extend(indicator_section(content, own[n], n, lang, ids, breakdowns=(breakdown,)) for n in shown)
    return "".join(parts)
