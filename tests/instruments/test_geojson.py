"""A breakdown's areas as GeoJSON (instruments/geojson.py, read by instruments/study.py): the demo's schematic
polygons load, and every refusal names the file and the line (study.yaml's for the keys, the GeoJSON's for its
features)."""

import json
import shutil
from pathlib import Path

import pytest

from instruments.geojson import read_areas
from instruments.loader import SHARED
from instruments.study import DEMO_STUDY, STUDIES, load_study
from tests.instruments.test_study import _assert_refused, _assert_reported, _check, _edit, _read

GEOJSON = "neighbourhoods.geojson"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the demo study folder (without its exports) and of the shared material, as
    tests/instruments/test_study.py makes it."""
    shutil.copytree(STUDIES / DEMO_STUDY, tmp_path / "studies" / DEMO_STUDY, ignore=shutil.ignore_patterns("data"))
    shutil.copytree(SHARED, tmp_path / "shared")
    return tmp_path / "studies" / DEMO_STUDY


def test_the_demo_ships_schematic_polygons_for_its_four_areas():
    areas = load_study(DEMO_STUDY).breakdowns["neighbourhood"].areas
    assert areas.schematic and areas.code_property == "code" and areas.path.name == GEOJSON
    assert areas.codes() == ["W01", "W02", "W03", "W04"]
    for area in areas.areas:
        (ring,) = area.rings
        assert ring[0] == ring[-1] and 6 <= len(ring) - 1 <= 12  # hand-simplified
        # Brussels, roughly: the polygons are placed where the neighbourhoods are.
        assert all(4.25 < lon < 4.45 and 50.80 < lat < 50.90 for lon, lat in ring)
    assert [a.line for a in areas.areas] == [5, 7, 9, 11]  # each Feature's line in the file


def test_the_demo_polygons_pass_the_check(copy):
    assert [p for p in _check(copy) if "geojson" in p or "feature" in p] == []


def test_a_missing_file_is_named_at_its_line_in_study_yaml(copy):
    (copy / GEOJSON).unlink()
    _assert_refused(copy, copy / "study.yaml", "    geojson:", f"geojson: no such file {copy / GEOJSON}")


@pytest.mark.parametrize(("entry", "anchor", "message"), [
    ("    geojson: ../elsewhere.geojson\n", "    geojson:", "geojson must name a file in the study folder"),
    ("    geojson: neighbourhoods.geojson\n    code_property: 7\n", "    code_property:",
     "code_property must name the features' property"),
])
def test_bad_keys_are_refused_with_their_line(copy, entry, anchor, message):
    _edit(copy / "study.yaml", "    geojson: neighbourhoods.geojson\n    code_property: code\n", entry)
    _assert_refused(copy, copy / "study.yaml", anchor, message)


def test_schematic_must_be_said(copy):
    _edit(copy / "study.yaml", "    schematic: true\n", "")
    _assert_refused(copy, copy / "study.yaml", "    geojson:", "schematic: true or false is required with geojson")


def test_geojson_needs_a_map(copy):
    _edit(copy / "study.yaml", "    map: true\n", "")
    _assert_refused(copy, copy / "study.yaml", "    geojson:", "geojson, code_property and schematic need map: true")


def test_invalid_json_is_refused_at_its_line(copy):
    _edit(copy / GEOJSON, '"geometry": {"type": "Polygon", "coordinates": [[[4.312',
          '"geometry": {"type": "Polygon", "coordinates": [[[4.312,,')
    _assert_refused(copy, copy / GEOJSON, '     "geometry": {"type": "Polygon", "coordinates": [[[4.312',
                    "breakdown neighbourhood: not valid JSON: Expecting value")


def test_json_that_is_not_geojson(copy):
    (copy / GEOJSON).write_text('\n{"type": "Topology", "objects": {}}\n', encoding="utf-8")
    _assert_refused(copy, copy / GEOJSON, '{"type": "Topology"', "not GeoJSON: expected a FeatureCollection")


def test_a_geometry_that_is_no_polygon_is_refused_at_its_line(copy):
    _edit(copy / GEOJSON, '"geometry": {"type": "Polygon", "coordinates": [[[4.312, 50.852]',
          '"geometry": {"type": "LineString", "coordinates": [[[4.312, 50.852]')
    _assert_refused(copy, copy / GEOJSON, '     "geometry": {"type": "LineString"',
                    "W03: geometry must be Polygon or MultiPolygon, not LineString")


def test_an_open_ring_is_refused(copy):
    _edit(copy / GEOJSON, "[4.327, 50.860], [4.326, 50.853]]]", "[4.327, 50.860]]]")  # W02's closing point
    _assert_refused(copy, copy / GEOJSON, '     "geometry": {"type": "Polygon", "coordinates": [[[4.326, 50.853], '
                                          '[4.333', "W02: each polygon needs a closed ring")


def test_a_feature_without_its_code_property(copy):
    _edit(copy / GEOJSON, '{"code": "W02"', '{"wijk": "W02"')
    _assert_refused(copy, copy / GEOJSON, '    {"type": "Feature", "properties": {"wijk": "W02"',
                    "a feature without the property 'code'")


def test_a_feature_of_no_category_and_a_category_without_a_feature(copy):
    """Both refused by the check, which knows the breakdown's categories (its question's answers): a shape of
    no category would be a value the map does not have, an area left out reads as "no data"."""
    _edit(copy / GEOJSON, '{"code": "W02"', '{"code": "W09"')
    assert _read(copy)[1] == []
    problems = _check(copy)
    _assert_reported(problems, copy / GEOJSON, '    {"type": "Feature", "properties": {"code": "W09"',
                     "breakdown neighbourhood: feature 'W09' is not a category of the breakdown (its categories: "
                     "W01, W02, W03, W04)")
    assert f"{copy / GEOJSON}: breakdown neighbourhood: no feature for the categories W02: a map draws every " \
           "area" in problems


def test_a_multipolygon_keeps_each_outer_ring(tmp_path):
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": 3},
         "geometry": {"type": "MultiPolygon", "coordinates": [
             [square, [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2]]],  # a hole: not drawn
             [[[5, 5], [6, 5], [6, 6], [5, 5]]]]}}]}
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    problems = []
    areas = read_areas(path, "id", False, problems, "breakdown x", tmp_path / "study.yaml")
    assert problems == [] and not areas.schematic
    assert areas.codes() == ["3"]  # a numeric code is its text
    assert areas.areas[0].rings == (tuple(map(tuple, square)), ((5.0, 5.0), (6.0, 5.0), (6.0, 6.0), (5.0, 5.0)))
