"""instruments/demo_study.py: deterministic, shaped like LimeSurvey's exports, skewed like a real sample."""

import pytest

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
