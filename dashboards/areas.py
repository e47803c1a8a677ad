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


def projected(areas: Mapping[str, Sequence[Sequence[tuple[float, float]]]], schematic: bool) -> AreaShapes:
    """Shapes from rings of WGS84 (longitude, latitude) degrees, projected to a plane.

    Equirectangular around the areas' mean latitude lat0: x = longitude · cos(lat0), y = latitude. At city scale
    (a few km) its distortion is far below what a screen shows, and it needs no projection library."""
    lats = [lat for rings in areas.values() for ring in rings for _, lat in ring]
    scale = math.cos(math.radians(sum(lats) / len(lats))) if lats else 1.0
    return AreaShapes(rings={code: tuple(tuple((lon * scale, lat) for lon, lat in ring) for ring in rings)
                             for code, rings in areas.items()}, schematic=schematic)


def ring_area(ring: Ring) -> float:
    """The area a closed ring encloses (shoelace; positive whichever way it turns)."""
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))) / 2


def label_point(rings: Sequence[Ring]) -> tuple[float, float]:
    """Where an area's label goes: the centroid of its largest ring (an area in parts is named on its main part)."""
    ring = max(rings, key=ring_area)
    cross = [x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])]
    doubled = sum(cross)
    if abs(doubled) < 1e-15:  # degenerate: no area, take the mean of its corners
        return (sum(x for x, _ in ring[:-1]) / (len(ring) - 1), sum(y for _, y in ring[:-1]) / (len(ring) - 1))
    cx = sum((x0 + x1) * c for ((x0, _), (x1, _)), c in zip(zip(ring, ring[1:]), cross)) / (3 * doubled)
    cy = sum((y0 + y1) * c for ((_, y0), (_, y1)), c in zip(zip(ring, ring[1:]), cross)) / (3 * doubled)
    return cx, cy
