"""A breakdown's areas as GeoJSON (study.yaml: ``geojson:`` of a breakdown with ``map: true``): one Feature per
category, its code in a property, its geometry a Polygon or MultiPolygon in WGS84 longitude and latitude.

Read with the standard library's ``json`` through a decoder that remembers the line each object starts on, so a
refusal names the file and the line. Only the outer rings are kept (holes are not drawn: an enclave is an area of
its own, drawn over the area around it)."""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import math
from dataclasses import dataclass, field
from pathlib import Path

from instruments.loader import Problem

GEOMETRIES = ("Polygon", "MultiPolygon")
LonLatRing = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Area:
    code: str
    rings: tuple[LonLatRing, ...]  # outer rings, closed, (longitude, latitude)
    line: int | None = field(default=None, compare=False, repr=False)  # where its Feature starts


@dataclass(frozen=True)
class AreaFile:
    """The areas of one breakdown, as its ``geojson:`` file gives them."""

    path: Path
    code_property: str
    schematic: bool
    areas: tuple[Area, ...] = ()

    def codes(self) -> list[str]:
        return [a.code for a in self.areas]


class _LocatedObject(dict):
    line: int = 0


class _Decoder(json.JSONDecoder):
    """``json``'s decoder, each object a dict that knows the line it starts on (the pure-Python scanner: the C
    one builds objects itself)."""

    def __init__(self, text: str):
        super().__init__()
        breaks = [i for i, char in enumerate(text) if char == "\n"]

        def parse_object(s_and_end, *args):
            obj, end = json.decoder.JSONObject(s_and_end, *args)
            located = _LocatedObject(obj)
            located.line = bisect.bisect_left(breaks, s_and_end[1]) + 1
            return located, end

        self.parse_object = parse_object
        self.scan_once = json.scanner.py_make_scanner(self)


def _line(value: object) -> int | None:
    return value.line if isinstance(value, _LocatedObject) else None


def _ring(value: object) -> LonLatRing | None:
    """A closed ring of at least four (longitude, latitude) positions, or None."""
    if not isinstance(value, list) or len(value) < 4:
        return None
    points = []
    for position in value:
        if (not isinstance(position, list) or len(position) < 2
                or not all(isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c)
                           for c in position[:2])):
            return None
        lon, lat = float(position[0]), float(position[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return None
        points.append((lon, lat))
    return tuple(points) if points[0] == points[-1] else None


def _outer_rings(geometry: dict) -> tuple[LonLatRing, ...] | None:
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry.get("type") == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return None
    rings = []
    for polygon in polygons:
        ring = _ring(polygon[0]) if isinstance(polygon, list) and polygon else None
        if ring is None:
            return None
        rings.append(ring)
    return tuple(rings)


def read_areas(path: Path, code_property: str, schematic: bool, problems: list[Problem], item: str,
               named_in: Path, line: int | None = None) -> AreaFile | None:
    """The areas of ``path`` (a FeatureCollection); every problem with its file and line added to ``problems``
    (``item`` names the breakdown; ``named_in`` and ``line``: where the file is named, for a missing one)."""
    if not path.is_file():
        problems.append(Problem(str(named_in), item, f"geojson: no such file {path}", line))
        return None
    try:
        text = path.read_text(encoding="utf-8")
        doc = _Decoder(text).decode(text)
    except json.JSONDecodeError as exc:
        problems.append(Problem(str(path), item, f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), item, f"cannot read: {exc}"))
        return None
    where = str(path)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"),
                                                                                                list):
        problems.append(Problem(where, item, "not GeoJSON: expected a FeatureCollection with a list of features",
                                _line(doc)))
        return None
    areas, seen, before = [], set(), len(problems)
    for feature in doc["features"]:
        at = _line(feature)
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem(where, item, "not a GeoJSON Feature", at))
            continue
        properties = feature.get("properties")
        code = properties.get(code_property) if isinstance(properties, dict) else None
        if not isinstance(code, (str, int)) or isinstance(code, bool) or str(code) == "":
            problems.append(Problem(where, item, f"a feature without the property {code_property!r} (the category "
                                                 "code: code_property in study.yaml)", at))
            continue
        code = str(code)
        if code in seen:
            problems.append(Problem(where, item, f"a second feature for {code!r}: give one feature per area (a "
                                                 "MultiPolygon for an area in parts)", at))
            continue
        seen.add(code)
        geometry = feature.get("geometry")
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind not in GEOMETRIES:
            problems.append(Problem(where, item, f"{code}: geometry must be {' or '.join(GEOMETRIES)}, not "
                                                 f"{str(kind)[:40]}", _line(geometry) or at))
            continue
        rings = _outer_rings(geometry)
        if rings is None:
            problems.append(Problem(where, item, f"{code}: each polygon needs a closed ring of at least four "
                                                 "[longitude, latitude] positions (WGS84 degrees)",
                                    _line(geometry) or at))
            continue
        areas.append(Area(code, rings, at))
    if len(problems) > before:
        return None
    if not areas:
        problems.append(Problem(where, item, "no features", _line(doc)))
        return None
    return AreaFile(path, code_property, schematic, tuple(areas))


def check_codes(areas: AreaFile, categories: set[str], item: str) -> list[Problem]:
    """A feature for every category of the breakdown and none for anything else: an area left blank on a map
    reads as "no data", and a shape of no category as a value the map does not have."""
    problems = [Problem(str(areas.path), item, f"feature {a.code!r} is not a category of the breakdown (its "
                                               f"categories: {', '.join(sorted(categories))})", a.line)
                for a in areas.areas if a.code not in categories]
    missing = sorted(categories - set(areas.codes()))
    if missing:
        problems.append(Problem(str(areas.path), item, f"no feature for the categories {', '.join(missing)}: a map "
                                                       "draws every area", None))
    return problems
