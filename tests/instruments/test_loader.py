"""instruments/loader.py, model.py, conditions.py, study.py: definitions compile per wave with the
study's subjects, follow LimeSurvey's naming, and every problem is reported with file, line and item."""

import re
import shutil
from pathlib import Path

import pytest
import yaml

from instruments.loader import SHARED, load_instrument
from instruments.model import LANGUAGES, InstrumentError
from instruments.study import DEMO_STUDY, STUDIES, all_waves, check_study, load_study, read_study, study_ids

DEMO = STUDIES / DEMO_STUDY
# Where each file lives in a copy made by the ``copy`` fixture.
FILES = {"parent.yaml": f"studies/{DEMO_STUDY}/instruments/parent.yaml",
         "field_actor.yaml": f"studies/{DEMO_STUDY}/instruments/field_actor.yaml",
         "subjects.yaml": f"studies/{DEMO_STUDY}/subjects.yaml", "study.yaml": f"studies/{DEMO_STUDY}/study.yaml",
         "scales.yaml": "shared/scales.yaml"}


@pytest.fixture(scope="module")
def study():
    return load_study(DEMO_STUDY)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the demo study folder (``studies/demo-brussels``, without its exports) and of the
    shared material (``shared``)."""
    shutil.copytree(DEMO, tmp_path / "studies" / DEMO_STUDY, ignore=shutil.ignore_patterns("data"))
    shutil.copytree(SHARED, tmp_path / "shared")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(copy: Path) -> list[str]:
    """What ``toegang instruments check`` lists: the study folder's problems, then those of every
    questionnaire in every wave."""
    study, problems = read_study(copy / "studies" / DEMO_STUDY, copy / "shared")
    assert study is not None, problems
    return [str(p) for p in [*problems, *check_study(study)]]


def test_the_real_definitions_have_no_problem(study):
    assert read_study(DEMO)[1] == [] and check_study(study) == []


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
        assert sq.dimension("b") in study.frameworks["b"].codes and sq.polarity in "+-"
        assert sq.dimension("levesque") in study.frameworks["levesque"].codes
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
    parent = copy / FILES["parent.yaml"]
    before = load_instrument(parent, context=study.context, wave="2018").version
    assert before == study.instrument("parent", "2018").version
    assert before != study.instrument("parent", "2021").version  # a service was added
    _edit(parent, "# Parent questionnaire", "# A new comment\n# Parent questionnaire")
    assert load_instrument(parent, context=study.context, wave="2018").version == before
    _edit(parent, "Quel est votre diplôme le plus élevé ?", "Quel est votre plus haut diplôme ?")
    assert load_instrument(parent, context=study.context, wave="2018").version != before


def _line(path: Path, anchor: str) -> int:
    """The line of ``path`` on which ``anchor`` starts."""
    text = path.read_text(encoding="utf-8")
    assert anchor in text, anchor
    return text[:text.index(anchor)].count("\n") + 1


# (file edited, old, new, the problem expected with {line}, the file and text at that line)
@pytest.mark.parametrize(
    ("file", "old", "new", "expected", "at"),
    [
        ("parent.yaml", "code: wijk\n", "code: 1wijk\n",
         "parent.yaml:{line}: question '1wijk': code '1wijk' is not a valid LimeSurvey code",
         ("parent.yaml", "code: 1wijk")),
        ("parent.yaml", "code: kinderen\n", "code: wijk\n",
         "parent.yaml:{line}: question 'wijk': duplicate question code (LimeSurvey ignores case)",
         ("parent.yaml", "code: wijk\n        type: N")),
        ("parent.yaml", 'en: "How many children do you have?"', 'en: ""',
         "parent.yaml:{line}: question 'kinderen': no text in en",
         ("parent.yaml", 'text: {nl: "Hoeveel kinderen heeft u?"')),
        # A scale's answers are checked where a question uses it: the line that names the scale.
        ("scales.yaml", 'fr: "En partie", ', "",
         "parent.yaml:{line}: question 'steun' answer D: no text in fr", ("parent.yaml", "answers: support3")),
        ("parent.yaml", 'dim_b: bereikbaar, dim_levesque: availability, polarity: "+", mirror: "wd{subject}[BR1]"',
         'dim_b: bereikbaarheid, dim_levesque: availability, polarity: "+", mirror: "wd{subject}[BR1]"',
         "parent.yaml:{line}: question 'drS01' subquestion BR1: unknown dimension 'bereikbaarheid' of framework 'b'",
         ("parent.yaml", "dim_b: bereikbaarheid")),
        ("parent.yaml", 'relevance: {question: thuistaal, in: ["ANF", "AND"]}',
         'relevance: {question: thuistaal, in: ["ANF", "XX"]}',
         "parent.yaml:{line}: question 'andertaal': condition on 'thuistaal': 'XX' is not one of its answers",
         ("parent.yaml", 'relevance: {question: thuistaal, in: ["ANF", "XX"]}')),
        ("parent.yaml", 'relevance: {question: modus, equals: "F2F"}', 'relevance: {question: mode, equals: "F2F"}',
         "parent.yaml:{line}: question 'datum': condition refers to 'mode', which is not an earlier question",
         ("parent.yaml", 'relevance: {question: mode, equals: "F2F"}')),
        ("field_actor.yaml", 'mirror: "dr{subject}[BB1]"', 'mirror: "dr{subject}[BB9]"',
         "field_actor.yaml:{line}: question 'wdS01' subquestion BB1: mirror item 'drS01[BB9]' does not exist in parent",
         ("field_actor.yaml", 'mirror: "dr{subject}[BB9]"')),
        ("parent.yaml", "type: N\n", "type: Q\n", "parent.yaml:{line}: question 'kinderen': unknown question type 'Q'",
         ("parent.yaml", "code: kinderen")),
        ("subjects.yaml", "code: S06", "code: S05",
         "subjects.yaml:{line}: list services subject S05: duplicate subject code", ("subjects.yaml", "- code: S05\n"
                                                                                      "        type: toy_library")),
    ],
)
def test_each_problem_is_reported_with_file_line_item_and_what(copy, file, old, new, expected, at):
    _edit(copy / FILES[file], old, new)
    problems = _problems(copy)
    line = _line(copy / FILES[at[0]], at[1])
    assert any(expected.format(line=line) in p for p in problems), (line, problems)


def test_all_problems_in_one_run(copy):
    _edit(copy / FILES["parent.yaml"], "code: wijk\n", "code: 1wijk\n")
    _edit(copy / FILES["field_actor.yaml"], 'en: "What is your role?"', 'en: ""')
    _edit(copy / FILES["subjects.yaml"], "code: S06", "code: S05")
    problems = _problems(copy)
    assert any("'1wijk' is not a valid" in p for p in problems)
    assert any("question 'rol': no text in en" in p for p in problems)
    assert any("subject S05: duplicate subject code" in p for p in problems)
    assert len(problems) == len(set(problems))  # a problem found in two waves is reported once


def test_load_instrument_raises_every_problem(study, copy):
    _edit(copy / FILES["parent.yaml"], "code: wijk\n", "code: 1wijk\n")
    _edit(copy / FILES["parent.yaml"], "type: N\n", "type: Q\n")
    with pytest.raises(InstrumentError) as error:
        load_instrument(copy / FILES["parent.yaml"], context=study.context, wave="2018")
    assert "'1wijk' is not a valid" in str(error.value) and "unknown question type 'Q'" in str(error.value)
    with pytest.raises(InstrumentError) as error:  # and so does the study, for the questionnaire of a wave
        load_study(DEMO_STUDY, copy / "studies", copy / "shared").instrument("parent", "2018")
    assert "'1wijk' is not a valid" in str(error.value) and "unknown question type 'Q'" in str(error.value)


def test_subject_items_need_the_study_lists():
    with pytest.raises(InstrumentError, match="unknown subject list 'services' \\(known: none"):
        load_instrument(DEMO / "instruments" / "parent.yaml")


def test_demo_study_configuration(study):
    assert study.waves == ["2018", "2021"]
    assert {(s.instrument, s.wave) for s in study.surveys} == {
        ("parent", "2018"), ("field_actor", "2018"), ("parent", "2021"), ("field_actor", "2021")}
    assert all(s.export is not None and s.export.is_file() for s in study.surveys)
    margins = {s.wave: s.margins for s in study.surveys if s.instrument == "parent"}
    assert all(m is not None and m.is_file() for m in margins.values())
    assert all(s.margins is None for s in study.surveys if s.instrument == "field_actor")
    assert study.instrument_names == ["parent", "field_actor"] and study.weighted_instruments == ["parent"]
    assert [r.breakdowns for r in study.instruments] == [True, False]
    assert study.path == DEMO and study.file == DEMO / "study.yaml"
    assert study.catalogue_path == DEMO / "indicators.yaml"
    # Every wave of every bundled study (the demo is one of several).
    assert all_waves() == sorted({w for study_id in study_ids() for w in load_study(study_id).waves})
    assert {"2018", "2021"} <= set(all_waves())


@pytest.mark.parametrize("breakdowns, expected, at", [
    ({"postcode": "wijk"}, "breakdown postcode: needs column and title", "postcode:"),
    ({"all": {"column": "wijk", "title": "x"}}, "breakdown all: a breakdown's name is letters", "all:"),
    ({"education": {"column": "opleiding; DROP TABLE x"}}, "'opleiding; DROP TABLE x' is not a clean column name",
     "column:"),
    ({"education": {"column": ["opleiding"]}}, "is not a clean column name", "column:"),
    ({"education": {"column": 3}}, "'3' is not a clean column name", "column:"),
    ({"education": {"column": "opleiding\n"}}, "is not a clean column name", "column:"),
    ({"education": {"column": "opleiding", "title": {"nl": "opleiding", "fr": "instruction"}}},
     "breakdown education title: no text in en", "title:"),
    ({"education": {"column": "opleiding", "title": {"nl": "o", "fr": "o", "en": "o"}, "compare": "yes"}},
     "breakdown education: compare must be true or false", "compare:"),
    ({"education": {"column": "opleiding", "title": {"nl": "o", "fr": "o", "en": "o"}, "order": 1}},
     "breakdown education: unknown key(s) order", "order:"),
    (["wijk"], "breakdowns: must map each breakdown to its column and title", "breakdowns:"),
])
def test_breakdowns_have_clean_columns_and_titles(copy, breakdowns, expected, at):
    file = copy / FILES["study.yaml"]
    doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    file.write_text(yaml.safe_dump({**doc, "breakdowns": breakdowns}), encoding="utf-8")
    with pytest.raises(InstrumentError) as error:
        load_study(DEMO_STUDY, copy / "studies")
    found = re.match(rf"{re.escape(str(file))}:(\d+): ", str(error.value))
    assert found and expected in str(error.value), str(error.value)
    assert at in file.read_text(encoding="utf-8").splitlines()[int(found[1]) - 1]  # the line holds what is wrong
    del doc["breakdowns"]  # a study may publish the whole sample only
    file.write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert load_study(DEMO_STUDY, copy / "studies").breakdowns == {}


def test_the_demo_study_maps_every_breakdown_to_its_clean_column(study):
    assert study.breakdown_columns == {"neighbourhood": "wijk", "language": "start_language",
                                       "home_language": "thuistaal", "education": "opleiding",
                                       "child_age": "kindleeftijd", "channel": "kanaal"}
    assert list(study.breakdowns) == ["neighbourhood", "language", "home_language", "education", "child_age",
                                      "channel"]  # the order they are published in
    assert all(b.title[lang].strip() for b in study.breakdowns.values() for lang in LANGUAGES)
    assert [b.name for b in study.breakdowns.values() if b.compare] == ["neighbourhood"]
    assert [b.name for b in study.breakdowns.values() if b.sensitivity] == ["channel"]


def test_study_id_cannot_leave_the_studies_folder():
    with pytest.raises(InstrumentError, match="invalid study id"):
        load_study("../instruments/parent")
