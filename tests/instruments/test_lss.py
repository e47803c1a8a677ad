"""instruments/lss.py: the .lss is well-formed and shaped as the survey LimeSurvey 6.4.2 imported
(shared/fixtures/limesurvey/survey_definition_toegang_test_246810.lss); its counts match the definition."""

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from instruments.lss import compile_lss
from instruments.study import DEMO_STUDY, load_study

RESERVED = {"LANG", "SID", "SAVEDID", "TOKEN", "QID", "GID", "SGQ", "self", "that", "this"}


def _rows(root, section):
    node = root.find(section)
    if node is None:
        return []
    fields = [f.text for f in node.find("fields")]
    out = []
    for row in node.find("rows"):
        values = {child.tag: child.text or "" for child in row}
        assert list(values) == [f for f in fields if f in values], section  # columns in the declared order
        out.append(values)
    return out


def check_lss(text: str) -> dict:
    """What LimeSurvey's importer relies on: languages, unique ids, resolvable references, valid codes,
    one text per object and language. Returns counts."""
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "document" and root.findtext("LimeSurveyDocType") == "Survey"
    assert root.findtext("DBVersion") == "620"
    languages = [node.text for node in root.find("languages")]
    (survey,) = _rows(root, "surveys")
    assert set(languages) == {survey["language"], *survey["additional_languages"].split()}
    assert sorted(r["surveyls_language"] for r in _rows(root, "surveys_languagesettings")) == sorted(languages)
    groups = _rows(root, "groups")
    gids = {g["gid"] for g in groups}
    assert len(gids) == len(groups)
    assert {(r["gid"], r["language"]) for r in _rows(root, "group_l10ns")} == {(g, lang) for g in gids for lang in languages}
    questions, subquestions = _rows(root, "questions"), _rows(root, "subquestions")
    qids = [q["qid"] for q in questions + subquestions]
    assert len(qids) == len(set(qids))
    main = {q["qid"]: q for q in questions}
    assert len({q["title"].lower() for q in questions}) == len(questions)
    for q in questions:
        assert q["parent_qid"] == "0" and q["gid"] in gids
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,19}", q["title"]) and q["title"] not in RESERVED
        assert q["mandatory"] in "YNS" and q["other"] in "YN" and q["relevance"]
    for sq in subquestions:
        parent = main[sq["parent_qid"]]
        assert sq["gid"] == parent["gid"] and sq["type"] == parent["type"]
        assert re.fullmatch(r"[A-Za-z0-9]{1,20}", sq["title"]) and sq["title"].lower() not in ("time", "other")
    texts = {(r["qid"], r["language"]) for r in _rows(root, "question_l10ns")}
    assert texts == {(q, lang) for q in qids for lang in languages}
    answers = _rows(root, "answers")
    assert len({a["aid"] for a in answers}) == len(answers)
    assert len({(a["qid"], a["code"], a["scale_id"]) for a in answers}) == len(answers)
    for a in answers:
        assert a["qid"] in main and re.fullmatch(r"[A-Za-z0-9]{1,5}", a["code"])
    assert {(r["aid"], r["language"]) for r in _rows(root, "answer_l10ns")} == {
        (a["aid"], lang) for a in answers for lang in languages}
    assert root.find("conditions") is None  # relevance only: conditions would overwrite it on import
    return {"groups": len(groups), "questions": len(questions), "subquestions": len(subquestions),
            "answers": len(answers), "languages": languages}


@pytest.fixture(scope="module")
def study():
    return load_study(DEMO_STUDY)


def test_the_checker_accepts_the_file_limesurvey_imported(limesurvey_fixtures):
    text = (limesurvey_fixtures / "survey_definition_toegang_test_246810.lss").read_text(encoding="utf-8")
    assert check_lss(text) == {"groups": 1, "questions": 7, "subquestions": 6, "answers": 13,
                               "languages": ["nl", "fr", "en"]}


@pytest.mark.parametrize(("instrument", "wave", "survey_id"),
                         [("parent", "2018", 418201), ("field_actor", "2018", 418202), ("parent", "2021", 421201)])
def test_counts_match_the_definition(study, instrument, wave, survey_id):
    compiled = study.instrument(instrument, wave)
    counts = check_lss(compile_lss(compiled, survey_id))
    assert counts == {
        "groups": len(compiled.groups),
        "questions": len(compiled.questions),
        "subquestions": sum(len(q.subquestions) for q in compiled.questions),
        "answers": sum(len(q.answers) for q in compiled.questions),
        "languages": ["nl", "fr", "en"],
    }


def test_same_sections_and_fields_as_the_imported_survey(study, limesurvey_fixtures):
    fixture = ET.parse(limesurvey_fixtures / "survey_definition_toegang_test_246810.lss").getroot()
    ours = ET.fromstring(compile_lss(study.instrument("parent", "2018"), 418201).encode("utf-8"))

    def fields(root):
        return {s.tag: [f.text for f in s.find("fields")] for s in root if s.find("fields") is not None}

    theirs, mine = fields(fixture), fields(ours)
    for section, names in theirs.items():
        assert mine[section] == names, section
    order = [s.tag for s in ours]
    assert order == [t for t in ("LimeSurveyDocType", "DBVersion", "languages", "answers", "answer_l10ns", "groups",
                                 "group_l10ns", "questions", "subquestions", "question_l10ns", "question_attributes",
                                 "surveys", "surveys_languagesettings") if t in order]


def test_relevance_types_themes_and_texts(study):
    root = ET.fromstring(compile_lss(study.instrument("parent", "2018"), 418201).encode("utf-8"))
    questions = {q["title"]: q for q in _rows(root, "questions")}
    assert questions["andertaal"]["relevance"] == '(thuistaal == "ANF" or thuistaal == "AND")'
    assert questions["consent"]["mandatory"] == "Y" and questions["consent"]["question_theme_name"] == "yesno"
    assert questions["kanalen"]["other"] == "Y" and questions["drS01"]["question_theme_name"] == "arrays/array"
    assert {g["grelevance"] for g in _rows(root, "groups")} == {"1", 'consent == "Y"'}
    sub = [s for s in _rows(root, "subquestions") if s["parent_qid"] == questions["gebruik"]["qid"]]
    assert [s["relevance"] for s in sub][:2] == ['kent_S01 == "Y"', 'kent_S02 == "Y"']
    texts = {(r["qid"], r["language"]): r["question"] for r in _rows(root, "question_l10ns")}
    assert texts[(questions["wijk"]["qid"], "fr")] == "Dans quel quartier habitez-vous ?"
    survey = _rows(root, "surveys")[0]
    assert (survey["sid"], survey["language"], survey["additional_languages"]) == ("418201", "nl", "fr en")
    assert survey["format"] == "G" and survey["anonymized"] == "N" and survey["ipaddr"] == "N"


def test_awkward_text_survives_as_data(study):
    parent = study.instrument("parent", "2018")
    wijk = parent.question("wijk")
    tricky = "<script>alert(1)</script> ]]> & \x0b\"quoted\""
    questions = tuple(replace(q, text={**q.text, "en": tricky}) if q is wijk else q for q in parent.questions)
    text = compile_lss(replace(parent, questions=questions), 418201)
    root = ET.fromstring(text.encode("utf-8"))
    qid = next(q["qid"] for q in _rows(root, "questions") if q["title"] == "wijk")
    stored = next(r["question"] for r in _rows(root, "question_l10ns") if r["qid"] == qid and r["language"] == "en")
    assert stored == "<script>alert(1)</script> ]]> & \"quoted\""  # the XML-invalid \x0b is dropped
