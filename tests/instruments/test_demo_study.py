"""instruments/demo_study.py: deterministic, shaped like LimeSurvey's exports, skewed like a real sample."""

import math

import pandas as pd
import pytest

from analyses.reliability import cronbach_alpha
from instruments.demo_study import generate
from instruments.limesurvey_export import META_COLUMNS, read_export
from instruments.study import DEMO_STUDY, load_study
from tests.conftest import DEMO_EXPORTS


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, generate(out)


def test_generator_is_byte_identical_and_matches_the_bundled_files(generated, tmp_path):
    out, paths = generated
    again = generate(tmp_path)
    assert [p.name for p in paths] == [p.name for p in again]
    for first, second in zip(paths, again):
        assert first.read_bytes() == second.read_bytes(), first.name
        bundled = DEMO_EXPORTS / first.name
        assert bundled.read_bytes() == first.read_bytes(), f"{bundled} is stale: run `toegang generate-demo`"


def test_csv_shape_matches_limesurvey(generated):
    out, _ = generated
    data = (out / "survey_418201_2018_parent.csv").read_bytes()
    assert data.startswith(b'\xef\xbb\xbf"id";"submitdate";"lastpage";"startlanguage";"seed";"token";')
    assert data.endswith(b'"\r\n\r\n')
    header = data[3:].split(b"\r\n", 1)[0].decode()
    assert all(field.startswith('"') and field.endswith('"') for field in header.split(";"))


def test_json_shape_matches_limesurvey(generated):
    out, _ = generated
    text = (out / "survey_421201_2021_parent.json").read_text(encoding="ascii")
    assert text.startswith('{"responses": [{"id":1,"submitdate":')
    assert text.endswith("}]}")


@pytest.mark.parametrize("instrument", ["parent", "field_actor"])
def test_columns_are_the_instrument_columns(generated, instrument):
    out, paths = generated
    study = load_study(DEMO_STUDY)
    matching = [p for p in paths if p.stem.endswith("_" + instrument)]
    assert len(matching) == 4  # two waves, CSV and JSON
    for path in matching:
        wave = path.stem.split("_")[2]
        expected = (*META_COLUMNS, *(c.name for c in study.instrument(instrument, wave).columns()))
        assert read_export(path).columns == expected


def test_csv_and_json_hold_the_same_responses(generated):
    out, paths = generated
    for csv_path in (p for p in paths if p.suffix == ".csv"):
        assert read_export(csv_path).responses == read_export(csv_path.with_suffix(".json")).responses


def test_study_shape(generated):
    out, _ = generated
    parents = read_export(out / "survey_418201_2018_parent.csv").responses
    actors = read_export(out / "survey_418202_2018_field_actor.csv").responses
    assert len(parents) == 277 and len(actors) == 31
    incomplete = [r for r in parents if r["submitdate"] == ""]
    assert 10 <= len(incomplete) <= 45
    groups = len(load_study(DEMO_STUDY).instrument("parent", "2018").groups)
    assert all(int(r["lastpage"]) < groups for r in incomplete)
    assert all(int(r["lastpage"]) == groups for r in parents if r["submitdate"] and r["consent"] == "Y")
    assert {r["startlanguage"] for r in parents} == {"nl", "fr", "en"}
    assert {r["wijk"] for r in parents} >= {"W01", "W02", "W03", "W04"}
    declined = [r for r in parents if r["consent"] == "N"]
    assert declined and all(r["wijk"] == "" for r in declined)
    # Skewed by education as recruitment through services skews it: far above the ~30% in the population.
    answered = [r["opleiding"] for r in parents if r["opleiding"]]
    assert answered.count("HOOG") / len(answered) > 0.42
    # Some parents skip items or answer "don't know".
    assert any(r["drS01[BS1]"] == "DK" for r in parents) and any(r["drS01[BS1]"] == "" for r in parents)


def test_conditions_blank_what_was_not_shown(generated):
    out, _ = generated
    parents = read_export(out / "survey_418201_2018_parent.csv").responses
    for r in parents:
        if r["kent[S02]"] != "Y":
            assert r["gebruik[S02]"] == "" and all(r[f"drS02[{i}]"] == "" for i in ("BS1", "BB1"))
        if r["thuistaal"] not in ("ANF", "AND"):
            assert r["andertaal"] == ""
    assert any(r["andertaal"] for r in parents) and any(r["drS02[BS1]"] for r in parents)


def test_field_actor_panel_returns_across_waves(generated):
    out, _ = generated
    tokens_2018 = {r["token"] for r in read_export(out / "survey_418202_2018_field_actor.csv").responses}
    tokens_2021 = {r["token"] for r in read_export(out / "survey_421202_2021_field_actor.json").responses}
    assert all(tokens_2018) and all(tokens_2021)
    assert 10 <= len(tokens_2018 & tokens_2021) < 28


def _scores(responses, column: str, polarity: str | None) -> list[float]:
    values = [float(r[column]) if r[column] in {"1", "2", "3", "4", "5"} else math.nan for r in responses]
    return [6 - v if polarity == "-" else v for v in values]


def test_a_dimensions_items_correlate_as_a_real_scales_do(generated):
    """Each respondent has a score per dimension on which its items load: every two-item scale of the 2018 parents
    who know a service is reliable (Cronbach's alpha at least the study's 0.70), and the field actors' items of a
    dimension agree too."""
    out, _ = generated
    items = load_study(DEMO_STUDY).instrument("parent", "2018").question("drS01").subquestions
    scales: dict[str, list] = {}
    for item in items:
        scales.setdefault(item.dimensions[0][1], []).append(item)
    scales = {d: its for d, its in scales.items() if len(its) == 2}
    assert len(scales) == 5
    parents = read_export(out / "survey_418201_2018_parent.csv").responses
    actors = read_export(out / "survey_418202_2018_field_actor.csv").responses
    for service in ("S01", "S02", "S03", "S04", "S05", "S06"):
        aware = [r for r in parents if r[f"kent[{service}]"] == "Y"]
        for dimension, its in scales.items():
            data = pd.DataFrame({i.code: _scores(aware, f"dr{service}[{i.code}]", i.polarity) for i in its})
            assert cronbach_alpha(data)["alpha"] >= 0.7, (service, dimension)
    # About 30 field actors per service: single scales vary; their median is that of a real scale.
    for service in ("S01", "S03"):
        judged = [r for r in actors if r[f"kentwa[{service}]"] == "Y"]
        alphas = [cronbach_alpha(pd.DataFrame({i.code: _scores(judged, f"wd{service}[{i.code}]", i.polarity)
                                               for i in its}))["alpha"] for its in scales.values()]
        assert sorted(alphas)[2] >= 0.6, (service, alphas)


def test_field_actors_finish_their_interview_and_most_judge_the_well_known_services(generated):
    """Interviewed face to face, every field actor finishes; nearly all of the 31 of 2018 know the clinic, so
    their index of it rests on at least 30 of them where they answered both items."""
    out, _ = generated
    actors = read_export(out / "survey_418202_2018_field_actor.csv").responses
    assert len(actors) == 31 and all(r["submitdate"] for r in actors)
    assert sum(r["kentwa[S01]"] == "Y" for r in actors) >= 30
    assert sum(r["kentwa[S06]"] == "Y" for r in actors) < 30
