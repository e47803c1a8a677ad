"""instruments/loader.py, model.py, conditions.py, study.py: definitions compile per wave with the
study's services, follow LimeSurvey's naming, and every problem is reported with file and item."""

import shutil
from pathlib import Path

import pytest
import yaml

from instruments.loader import (CATALOGUES, DEFINITIONS, check_instruments, load_instrument,
                                load_service_catalogue)
from instruments.model import LANGUAGES, InstrumentError
from instruments.study import DEMO_STUDY, STUDIES, all_waves, load_study
from instruments.vocabulary import BREAKDOWNS

CATALOGUE = CATALOGUES / "demo-brussels.yaml"


@pytest.fixture(scope="module")
def study():
    return load_study(DEMO_STUDY)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the definitions and the catalogue."""
    shutil.copytree(DEFINITIONS, tmp_path / "definitions")
    shutil.copy(CATALOGUE, tmp_path / "catalogue.yaml")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(copy: Path) -> list[str]:
    return [str(p) for p in check_instruments(copy / "catalogue.yaml", definitions=copy / "definitions")]


def test_the_real_definitions_have_no_problem():
    assert check_instruments(CATALOGUE) == []


def test_columns_follow_limesurvey_code_headings(study):
    names = [c.name for c in study.instrument("parent", "2018").columns()]
    assert names[:4] == ["consent", "modus", "kanaal", "wijk"]
    for expected in ("kent[S01]", "gebruik[S06]", "tevreden[S03]", "kanalen[FAM]", "kanalen[other]",
                     "nood[OPV]", "steun[SLA]", "drS01[BS1]", "drS06[BB1]", "datum", "opmerking"):
        assert expected in names
    assert len(names) == len(set(names))


def test_services_follow_the_wave(study):
    names_2018 = {c.name for c in study.instrument("parent", "2018").columns()}
    names_2021 = {c.name for c in study.instrument("parent", "2021").columns()}
    assert names_2021 - names_2018 == {"kent[S07]", "gebruik[S07]", "tevreden[S07]",
                                       *(f"drS07[{i}]" for i in ("BS1", "BS2", "BR1", "BR2", "BT1", "BT2",
                                                                 "BG1", "BG2", "BU1", "BU2", "BK1", "BB1"))}
    dr07 = study.instrument("parent", "2021").question("drS07")
    assert dr07.text["fr"].startswith("À propos de Groupe de parents du quartier")
    assert dr07.relevance.expression() == 'kent_S07 == "Y"'


def test_every_text_exists_in_three_languages(study):
    for name in ("parent", "field_actor"):
        instrument = study.instrument(name, "2021")
        assert all(instrument.title[lang] for lang in LANGUAGES)
        for q in instrument.questions:
            assert all(q.text[lang].strip() for lang in LANGUAGES), q.code
            for item in (*q.answers, *q.subquestions):
                assert all(item.labels[lang].strip() for lang in LANGUAGES), (q.code, item.code)


def test_every_accessibility_item_has_dimensions_and_a_mirror(study):
    parent, actor = (study.instrument(n, "2018") for n in ("parent", "field_actor"))
    actor_columns = {c.name for c in actor.columns()}
    items = [c for c in parent.columns() if c.question.code.startswith("dr")]
    assert len(items) == 6 * 12
    for column in items:
        sq = column.subquestion
        assert sq.dim_b and sq.dim_levesque and sq.polarity in "+-"
        assert sq.mirror in actor_columns
        assert actor.column(sq.mirror).subquestion.mirror == column.name


def test_conditions_compile_to_expression_script(study):
    parent = study.instrument("parent", "2018")
    assert parent.question("andertaal").relevance.expression() == '(thuistaal == "ANF" or thuistaal == "AND")'
    assert parent.question("steun").subquestions[0].relevance.expression() == 'nood_OPV == "Y"'
    gebruik = parent.question("gebruik").relevance
    assert gebruik.expression().startswith('(kent_S01 == "Y" or kent_S02 == "Y"')
    assert gebruik.holds({"kent[S03]": "Y"}) and not gebruik.holds({"kent[S03]": ""})
    assert parent.groups[1].relevance.expression() == 'consent == "Y"'


def test_version_is_a_content_hash(study, copy):
    catalogue = load_service_catalogue(CATALOGUE)
    definitions = copy / "definitions"
    before = load_instrument("parent", catalogue=catalogue, wave="2018", definitions=definitions).version
    assert before == study.instrument("parent", "2018").version
    assert before != study.instrument("parent", "2021").version  # a service was added
    _edit(definitions / "parent.yaml", "# Parent questionnaire", "# A new comment\n# Parent questionnaire")
    assert load_instrument("parent", catalogue=catalogue, wave="2018", definitions=definitions).version == before
    _edit(definitions / "parent.yaml", "Quel est votre diplôme le plus élevé ?", "Quel est votre plus haut diplôme ?")
    assert load_instrument("parent", catalogue=catalogue, wave="2018", definitions=definitions).version != before


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("parent.yaml", "code: wijk\n", "code: 1wijk\n",
         "parent.yaml: question '1wijk': code '1wijk' is not a valid LimeSurvey code"),
        ("parent.yaml", "code: kinderen\n", "code: wijk\n", "parent.yaml: question 'wijk': duplicate question code (LimeSurvey ignores case)"),
        ("parent.yaml", 'en: "How many children do you have?"', 'en: ""',
         "parent.yaml: question 'kinderen': no text in en"),
        ("scales.yaml", 'fr: "En partie", ', "",
         "parent.yaml: question 'steun' answer D: no text in fr"),
        ("parent.yaml", "dim_b: bereikbaar, dim_levesque: availability, polarity: \"+\", mirror: \"wd{service}[BR1]\"",
         "dim_b: bereikbaarheid, dim_levesque: availability, polarity: \"+\", mirror: \"wd{service}[BR1]\"",
         "parent.yaml: question 'drS01' subquestion BR1: unknown dimension 'bereikbaarheid'"),
        ("parent.yaml", 'relevance: {question: thuistaal, in: ["ANF", "AND"]}',
         'relevance: {question: thuistaal, in: ["ANF", "XX"]}',
         "parent.yaml: question 'andertaal': condition on 'thuistaal': 'XX' is not one of its answers"),
        ("parent.yaml", 'relevance: {question: modus, equals: "F2F"}', 'relevance: {question: mode, equals: "F2F"}',
         "parent.yaml: question 'datum': condition refers to 'mode', which is not an earlier question"),
        ("field_actor.yaml", 'mirror: "dr{service}[BB1]"', 'mirror: "dr{service}[BB9]"',
         "field_actor.yaml: question 'wdS01' subquestion BB1: mirror item 'drS01[BB9]' does not exist in parent"),
        ("parent.yaml", "type: N\n", "type: Q\n", "parent.yaml: question 'kinderen': unknown question type 'Q'"),
    ],
)
def test_each_problem_is_reported_with_file_item_and_what(copy, file, old, new, expected):
    _edit(copy / "definitions" / file, old, new)
    problems = _problems(copy)
    assert any(expected in p for p in problems), problems


def test_all_problems_in_one_run(copy):
    _edit(copy / "definitions" / "parent.yaml", "code: wijk\n", "code: 1wijk\n")
    _edit(copy / "definitions" / "field_actor.yaml", 'en: "What is your role?"', 'en: ""')
    _edit(copy / "catalogue.yaml", "code: S06", "code: S05")
    problems = _problems(copy)
    assert any("'1wijk' is not a valid" in p for p in problems)
    assert any("question 'rol': no text in en" in p for p in problems)
    assert any("service S05: duplicate service code" in p for p in problems)
    assert len(problems) == len(set(problems))  # a problem found in two waves is reported once


def test_load_instrument_raises_every_problem(copy):
    _edit(copy / "definitions" / "parent.yaml", "code: wijk\n", "code: 1wijk\n")
    _edit(copy / "definitions" / "parent.yaml", "type: N\n", "type: Q\n")
    with pytest.raises(InstrumentError) as error:
        load_instrument("parent", catalogue=load_service_catalogue(CATALOGUE), wave="2018",
                        definitions=copy / "definitions")
    assert "'1wijk' is not a valid" in str(error.value) and "unknown question type 'Q'" in str(error.value)


def test_service_items_need_a_catalogue():
    with pytest.raises(InstrumentError, match="no study catalogue was given"):
        load_instrument("parent")


def test_demo_study_configuration(study):
    assert study.waves == ["2018", "2021"]
    assert {(s.instrument, s.wave) for s in study.surveys} == {
        ("parent", "2018"), ("field_actor", "2018"), ("parent", "2021"), ("field_actor", "2021")}
    assert all(s.export is not None and s.export.is_file() for s in study.surveys)
    margins = {s.wave: s.margins for s in study.surveys if s.instrument == "parent"}
    assert all(m is not None and m.is_file() for m in margins.values())
    assert all(s.margins is None for s in study.surveys if s.instrument == "field_actor")
    assert study.catalogue_path == CATALOGUE and all_waves() == ["2018", "2021"]


@pytest.mark.parametrize("breakdowns, expected", [
    ({"postcode": "wijk"}, "unknown breakdown 'postcode'"),
    ({"all": "wijk"}, "unknown breakdown 'all'"),
    ({"education": "opleiding; DROP TABLE x"}, "'opleiding; DROP TABLE x' is not a clean column name"),
    ({"education": ["opleiding"]}, "is not a clean column name"),
    ({"education": 3}, "'3' is not a clean column name"),
    ({"education": "opleiding\n"}, "is not a clean column name"),
    (["wijk"], "'breakdowns' must map each breakdown to a clean column"),
])
def test_breakdowns_name_known_breakdowns_and_clean_columns(tmp_path, breakdowns, expected):
    doc = yaml.safe_load((STUDIES / f"{DEMO_STUDY}.yaml").read_text(encoding="utf-8"))
    (tmp_path / "s.yaml").write_text(yaml.safe_dump({**doc, "breakdowns": breakdowns}), encoding="utf-8")
    with pytest.raises(InstrumentError) as error:
        load_study("s", tmp_path)
    assert str(error.value).startswith(f"{tmp_path / 's.yaml'}: ") and expected in str(error.value)
    del doc["breakdowns"]  # a study may publish the whole sample only
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert load_study("s", tmp_path).breakdowns == {}


def test_the_demo_study_maps_every_breakdown_to_its_clean_column(study):
    assert study.breakdowns == {"neighbourhood": "wijk", "language": "start_language", "home_language": "thuistaal",
                                "education": "opleiding", "child_age": "kindleeftijd", "channel": "kanaal"}
    assert set(study.breakdowns) == set(BREAKDOWNS) - {"all"}


def test_study_id_cannot_leave_the_studies_folder():
    with pytest.raises(InstrumentError, match="invalid study id"):
        load_study("../definitions/parent")
