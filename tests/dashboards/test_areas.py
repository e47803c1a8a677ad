from dashboards.areas import AreaShapes, area_shapes, tile_shapes


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
