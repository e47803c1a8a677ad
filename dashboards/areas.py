"""Where a breakdown's areas are drawn: polygons in plane coordinates (x east, y north, any unit), one tuple of
rings per category code. A study that ships its areas as GeoJSON gives them (``SiteContent.shapes``, filled by the
pipeline from the study folder); any other breakdown with a map gets tiles on a square-ish grid, a schematic. The
map page, the indicator explorer and the factsheets all draw from here."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Ring = tuple[tuple[float, float], ...]  # closed: its last point repeats its first

TILE_GAP = 0.08  # between tiles, in tile widths


@dataclass(frozen=True)
class AreaShapes:
    rings: Mapping[str, tuple[Ring, ...]]  # category code -> its polygons' outer rings
    # Not the real boundaries (tiles, or hand-simplified polygons): the map says so.
    schematic: bool = True


def tile_shapes(codes: Sequence[str]) -> AreaShapes:
    """One unit square per code, row by row from the top left, in a grid as square as the count allows (the order
    and grid of ``dashboards.tile_map``)."""
    columns = max(1, math.ceil(math.sqrt(len(codes))))
    rings = {}
    for i, code in enumerate(codes):
        x, y = i % columns, -(i // columns)
        low, high = TILE_GAP / 2, 1 - TILE_GAP / 2
        rings[code] = (((x + low, y + low), (x + high, y + low), (x + high, y + high), (x + low, y + high),
                        (x + low, y + low)),)
    return AreaShapes(rings=rings, schematic=True)


def area_shapes(shapes: Mapping[str, AreaShapes], breakdown: str, codes: Sequence[str]) -> AreaShapes:
    """The study's shapes of ``breakdown`` (``SiteContent.shapes``), else tiles for ``codes``."""
    return shapes.get(breakdown) or tile_shapes(codes)
