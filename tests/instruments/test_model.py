"""instruments/model.py and study.py: definitions load, columns follow LimeSurvey's naming, bad ones are refused."""

from pathlib import Path

import pytest

from instruments.model import LANGUAGES, InstrumentError, load_instrument
from instruments.study import DEMO_STUDY, all_waves, load_study

DEFINITIONS = Path(__file__).resolve().parents[2] / "instruments" / "definitions"


def test_parent_columns_follow_limesurvey_code_headings():
    parent = load_instrument("parent")
    names = [c.name for c in parent.columns()]
    assert names[:3] == ["consent", "wijk", "kindleeftijd"]
    assert "kent[S01]" in names and "gebruik[S06]" in names and "drempel[BU2]" in names
    assert len(names) == len(set(names))
    assert len(names) == 30  # 7 single questions, 2 x 6 services, 10 barrier items, 1 free text


def test_every_text_exists_in_three_languages():
    for name in ("parent", "field_actor"):
        instrument = load_instrument(name)
        for q in instrument.questions:
            assert set(q.text) == set(LANGUAGES)
            for item in (*q.answers, *q.subquestions):
                assert all(item.labels[lang].strip() for lang in LANGUAGES), (q.code, item.code)


def test_mirror_items_pair_up():
    parent = load_instrument("parent").question("drempel")
    actor = load_instrument("field_actor").question("drempelwa")
    assert {sq.mirror for sq in parent.subquestions} == {f"drempelwa.{sq.code}" for sq in actor.subquestions}


def test_version_is_a_content_hash(tmp_path):
    for f in DEFINITIONS.glob("*.yaml"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    before = load_instrument("parent", tmp_path).version
    assert before == load_instrument("parent").version
    text = (tmp_path / "parent.yaml").read_text(encoding="utf-8")
    (tmp_path / "parent.yaml").write_text(text.replace("In welke wijk woont u?", "Waar woont u?"), encoding="utf-8")
    assert load_instrument("parent", tmp_path).version != before


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("code: wijk\n", "code: 1wijk\n", "'1wijk' is not a valid LimeSurvey code"),
        ("code: kinderen\n", "code: wijk\n", "duplicate question codes wijk"),
        ("type: N\n", "type: Q\n", "unknown question type 'Q'"),
        ('en: "How many children do you have?"', 'en: ""', "question 'kinderen': no text in en"),
    ],
)
def test_bad_definitions_are_refused_with_file_and_item(tmp_path, old, new, message):
    for f in DEFINITIONS.glob("*.yaml"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    text = (tmp_path / "parent.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "parent.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InstrumentError) as error:
        load_instrument("parent", tmp_path)
    assert message in str(error.value)
    assert "parent.yaml" in str(error.value)


def test_demo_study_configuration():
    study = load_study(DEMO_STUDY)
    assert study.waves == ["2018", "2021"]
    assert {(s.instrument, s.wave) for s in study.surveys} == {
        ("parent", "2018"), ("field_actor", "2018"), ("parent", "2021"), ("field_actor", "2021")}
    assert all(s.export is not None and s.export.is_file() for s in study.surveys)
    margins = {s.wave: s.margins for s in study.surveys if s.instrument == "parent"}
    assert all(m is not None and m.is_file() for m in margins.values())
    assert all(s.margins is None for s in study.surveys if s.instrument == "field_actor")
    assert all_waves() == ["2018", "2021"]


def test_study_id_cannot_leave_the_studies_folder():
    with pytest.raises(InstrumentError, match="invalid study id"):
        load_study("../definitions/parent")
