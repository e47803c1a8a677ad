"""dashboards/area_map.py: the map of a breakdown's areas from the study's polygons, as the page writes it for
plotly.js (the browser test draws it): one filled shape per area shaded on the tile map's scale, its value,
interval and n at its label point, hidden areas hatched and said why, counts plain, "schematic" said."""

import html
import json
import re

import pandas as pd
import pytest

from dashboards.area_map import HIDDEN_FILL, PLAIN_FILL, area_map
from dashboards.areas import AreaShapes, label_point
from dashboards.blocks import Ids
from dashboards.formatting import Reasons, interval_text, value_text
from dashboards.model import checked_indicators
from dashboards.site import render_pages
from dashboards.text import t
from dashboards.tile_map import STEPS, step_of
from instruments.vocabulary import LANGUAGES
from tests.dashboards.sample import AREAS, CATALOGUE, sample_content, sample_rows, sample_shapes

PAGE = "breakdown-neighbourhood.html"


def _figures(page: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/json" id="b\d+-data">(.*?)</script>', page)]


def _latest_awareness() -> pd.DataFrame:
    rows = checked_indicators(sample_rows(), CATALOGUE)
    return rows[(rows["indicator"] == "awareness") & (rows["breakdown"] == "neighbourhood") & (rows["wave"] == "2021")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_map_page_draws_one_shaded_shape_per_area_with_its_numbers(lang):
    shapes = sample_shapes()["neighbourhood"]
    page = render_pages(sample_content(shapes=sample_shapes()), lang, [])[PAGE]
    assert 'class="tile-map"' not in page and 'class="area-map"' in page
    figure = _figures(page)[0]  # the map comes first, then the charts by neighbourhood
    areas = [tr for tr in figure["data"] if tr["meta"] == "area"]
    (labels,) = [tr for tr in figure["data"] if tr["meta"] == "labels"]
    assert sorted(tr["name"] for tr in areas) == sorted(a[lang] for a in AREAS.values())
    assert figure["layout"]["yaxis"]["scaleanchor"] == "x" and not figure["layout"]["xaxis"]["visible"]
    rows = {r["domain"]: r for _, r in _latest_awareness().iterrows()}
    by_name = {AREAS[code][lang]: code for code in AREAS}
    for trace, x, y, text in zip(areas, labels["x"], labels["y"], labels["text"]):
        code = by_name[trace["name"]]
        row = rows[code]
        assert trace["fill"] == "toself" and trace["type"] == "scatter"
        # Its label at the centroid of its largest ring, drawn in the page's plane coordinates.
        assert (x, y) == pytest.approx(label_point(shapes.rings[code]), abs=1e-5)
        assert html.unescape(text).startswith(f"<b>{trace['name']}</b>")
        if row["suppressed"]:
            assert trace["fillpattern"]["shape"] == "/" and trace["fillcolor"] == HIDDEN_FILL
            assert t("not_shown_short", lang) in text
            continue
        assert "fillpattern" not in trace
        assert trace["fillcolor"] == STEPS[step_of(row["estimate"], 1.0)][0]
        for words in (value_text(row["estimate"], "proportion", lang),
                      interval_text(row["ci_low"], row["ci_high"], "proportion", lang), f"n = {int(row['n'])}"):
            assert words in html.unescape(text) and words in trace["text"]
    assert [r["suppressed"] for r in rows.values()].count(True) == 2  # W03 and W04 in 2021: hatched


def test_hidden_areas_are_explained_in_words_and_the_boundaries_called_schematic():
    page = render_pages(sample_content(shapes=sample_shapes()), "en", [])[PAGE]
    figure = re.search(r'<figure class="area-map">.*?</figure>', page, re.S).group(0)
    text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", figure, flags=re.S)))
    why = Reasons(10)
    assert t("area_hidden", "en", area=AREAS["W04"]["en"], reason=why.text("primary", "en")) in text
    assert t("area_hidden", "en", area=AREAS["W03"]["en"], reason=why.text("secondary", "en")) in text
    assert t("legend_hatched", "en") in text and t("schematic_boundaries", "en") in text
    assert _figures(figure)[0]["layout"]["annotations"][0]["text"] == "Schematic boundaries"
    # The list under the map and the table beside it; the hidden area's hover says it too.
    assert text.count("not shown: fewer than 10 respondents") == 2
    w04 = next(tr for tr in _figures(figure)[0]["data"] if tr["name"] == AREAS["W04"]["en"])
    assert w04["text"] == f"{AREAS['W04']['en']}: not shown: fewer than 10 respondents"
    assert t("map_intro_areas", "en", breakdown="neighbourhood") in page


def test_without_shapes_the_tile_map_stays():
    page = render_pages(sample_content(), "en", [])[PAGE]
    assert 'class="tile-map"' in page and 'class="area-map"' not in page
    assert t("map_intro", "en", breakdown="neighbourhood") in page


def test_a_count_is_plain_and_real_boundaries_are_not_called_schematic():
    rows = _latest_awareness().copy()
    rows["numerator"], rows["as_count"] = pd.NA, False
    at = rows["domain"] == "W01"
    rows.loc[at, ["numerator", "as_count"]] = [12, True]
    rows.loc[at, "n"] = 18
    square = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0))
    shapes = AreaShapes({code: (tuple((x + i, y) for x, y in square),) for i, code in enumerate(AREAS)},
                        schematic=False)
    out = area_map(rows, {c: v["en"] for c, v in AREAS.items()}, shapes, "Title", "en", Reasons(10), Ids(), "Area")
    (figure,) = _figures(out)
    w01 = next(tr for tr in figure["data"] if tr.get("name") == AREAS["W01"]["en"])
    assert w01["fillcolor"] == PLAIN_FILL and "fillpattern" not in w01 and "12 of 18" in w01["text"]
    assert "[" not in w01["text"]  # no interval, no percentage for a count
    assert t("legend_counted", "en") in html.unescape(out)
    assert "annotations" not in figure["layout"] and "schematic-label" not in out
