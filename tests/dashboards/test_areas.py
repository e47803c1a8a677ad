import math

import pytest

from dashboards.areas import AreaShapes, area_shapes, label_point, projected, ring_area, tile_shapes


def test_tiles_fill_a_square_grid_row_by_row_without_overlap():
    shapes = tile_shapes(["a", "b", "c", "d", "e"])
    assert shapes.schematic
    corners = {code: min(rings[0]) for code, rings in shapes.rings.items()}
    # 5 codes: 3 columns; the fourth starts the second row, below the first
    assert corners["a"][0] < corners["b"][0] < corners["c"][0]
    assert corners["d"][0] == corners["a"][0] and corners["d"][1] < corners["a"][1]
    for rings in shapes.rings.values():
        ring = rings[0]
        assert ring[0] == ring[-1] and len(ring) == 5
    boxes = [(min(x for x, _ in r[0]), max(x for x, _ in r[0]), min(y for _, y in r[0]), max(y for _, y in r[0]))
             for r in shapes.rings.values()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]


def test_a_studys_shapes_win_over_tiles():
    own = AreaShapes(rings={"x": (((0, 0), (1, 0), (0, 1), (0, 0)),)}, schematic=False)
    assert area_shapes({"area": own}, "area", ["x"]) is own
    assert area_shapes({"area": own}, "language", ["nl", "fr"]).schematic


def test_lon_lat_are_projected_equirectangular_around_the_mean_latitude():
    # Two 0.01-degree squares at latitudes 50 and 52: the mean latitude of their positions is 51.004.
    shapes = projected({"a": [((4.0, 50.0), (4.01, 50.0), (4.01, 50.01), (4.0, 50.01), (4.0, 50.0))],
                        "b": [((4.0, 52.0), (4.01, 52.0), (4.01, 52.01), (4.0, 52.01), (4.0, 52.0))]}, True)
    scale = math.cos(math.radians(51.004))
    (ring,) = shapes.rings["a"]
    assert ring[1] == pytest.approx((4.01 * scale, 50.0)) and shapes.schematic
    # A degree of longitude is cos(lat) of a degree of latitude on the ground: the square is about 0.63 as wide
    # as it is high, as it is on the ground there.
    width, height = ring[1][0] - ring[0][0], ring[2][1] - ring[1][1]
    assert width / height == pytest.approx(scale) and 0.62 < scale < 0.64
    assert not projected({"a": [ring]}, False).schematic


def test_the_label_point_is_the_centroid_of_the_largest_ring():
    small = ((10.0, 10.0), (11.0, 10.0), (11.0, 11.0), (10.0, 10.0))
    # An L: its centroid is not its box's centre; either winding gives the same point and area.
    ell = ((0.0, 0.0), (4.0, 0.0), (4.0, 1.0), (1.0, 1.0), (1.0, 4.0), (0.0, 4.0), (0.0, 0.0))
    assert ring_area(ell) == ring_area(tuple(reversed(ell))) == 7.0
    x, y = label_point([small, ell])
    # Its bar (area 4, centre (2, 0.5)) and its stem (area 3, centre (0.5, 2.5)).
    assert (x, y) == pytest.approx(((4 * 2 + 3 * 0.5) / 7, (4 * 0.5 + 3 * 2.5) / 7))
    assert label_point([tuple(reversed(ell)), small]) == pytest.approx((x, y))
    assert label_point([small]) == pytest.approx((10 + 2 / 3, 10 + 1 / 3))
