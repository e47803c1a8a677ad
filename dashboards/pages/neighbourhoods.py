"""Neighbourhoods: a schematic tile map of a headline indicator, then every indicator by neighbourhood."""

from __future__ import annotations

from dashboards.blocks import Ids
from dashboards.model import SiteContent
from dashboards.pages.breakdowns import indicator_section
from dashboards.pages.common import domain_labels, paragraph, parent_side, present
from dashboards.text import t
from dashboards.tile_map import tile_map


def neighbourhoods(content: SiteContent, lang: str, ids: Ids) -> str:
    rows = parent_side(content)
    local = rows[rows["breakdown"] == "neighbourhood"]
    names = present(content, local)
    if not names:
        return paragraph(t("no_rows", lang))
    parts = [paragraph(t("neighbourhoods_intro", lang))]
    mapped = next((n for n in names if content.entry(n).headline), names[0])
    mapped_rows = local[local["indicator"] == mapped]
    wave = max(mapped_rows["wave"])
    areas = {c: v for c, v in domain_labels(content, "neighbourhood", lang).items() if c != "all"}
    title = t("tile_title", lang, indicator=content.entry(mapped).label.get(lang, mapped), wave=wave)
    parts.append(tile_map(mapped_rows[mapped_rows["wave"] == wave], areas, title, lang, content.min_n))
    # The headline indicators here; every other indicator is by neighbourhood on its dimension's page.
    shown = [n for n in names if content.entry(n).headline] or names
    rows = rows[rows["indicator"].isin(shown)]
    parts.extend(indicator_section(content, rows, n, lang, ids, breakdowns=("neighbourhood",)) for n in shown)
    return "".join(parts)
