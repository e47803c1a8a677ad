"""instruments/study.py: a study is a folder. What it declares (instruments and roles, subject lists, dimension
frameworks, breakdowns, sampling designs, publication rules, shared imports) is checked, and every refusal
names the file and the line that is wrong."""

import re
import json
import shutil
from pathlib import Path

import pytest

from instruments.loader import SHARED
from instruments.model import InstrumentError
from instruments.study import (DEMO_STUDY, STUDIES, Design, Factsheets, Publication, check_study, load_study,
                               read_study)

DEMO = STUDIES / DEMO_STUDY


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the demo study folder (without its exports); ``copy.parent / "shared"`` holds a copy
    of the shared material."""
    shutil.copytree(DEMO, tmp_path / "studies" / DEMO_STUDY, ignore=shutil.ignore_patterns("data"))
    shutil.copytree(SHARED, tmp_path / "shared")
    return tmp_path / "studies" / DEMO_STUDY


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(path: Path, anchor: str) -> int:
    """The line of ``path`` on which ``anchor`` starts."""
    text = path.read_text(encoding="utf-8")
    assert anchor in text, anchor
    return text[:text.index(anchor)].count("\n") + 1


def _read(copy: Path):
    return read_study(copy, copy.parent.parent / "shared")


def _check(copy: Path) -> list[str]:
    """The problems ``toegang instruments check`` lists: those of the study's files, then of every
    questionnaire in every wave, its breakdowns and designs."""
    study, problems = _read(copy)
    assert study is not None, problems
    return [str(p) for p in [*problems, *check_study(study)]]


def _assert_reported(problems: list[str], path: Path, anchor: str, message: str) -> None:
    """One of ``problems`` is ``path:<the line of anchor>: ...message``."""
    where = f"{path}:{_line(path, anchor)}: "
    assert any(p.startswith(where) and message in p for p in problems), (where, message, problems)


def _assert_refused(copy: Path, path: Path, anchor: str, message: str) -> None:
    """``load_study`` refuses the folder with ``path:<line>: ...message`` (and ``read_study`` lists it)."""
    with pytest.raises(InstrumentError) as error:
        load_study(DEMO_STUDY, copy.parent, copy.parent.parent / "shared")
    _assert_reported(str(error.value).splitlines(), path, anchor, message)
    _assert_reported([str(p) for p in _read(copy)[1]], path, anchor, message)


# -- questionnaires: subject lists and dimension frameworks ------------------------------------------------
def test_an_unknown_subject_list_in_per(copy):
    parent = copy / "instruments" / "parent.yaml"
    _edit(parent, "per: services\n        type: F\n        answers: agree5",
          "per: servicez\n        type: F\n        answers: agree5")
    assert _read(copy)[1] == []  # the folder reads; building the questionnaire finds it
    _assert_reported(_check(copy), parent, "per: servicez",
                     "question 'dr{subject}': unknown subject list 'servicez' (known: services, themes)")


def test_a_subject_list_taken_from_a_question_cannot_make_questions(copy):
    parent = copy / "instruments" / "parent.yaml"
    _edit(parent, "per: services\n        type: F\n        answers: agree5",
          "per: themes\n        type: F\n        answers: agree5")
    _assert_reported(_check(copy), parent, "per: themes", "subject list 'themes' takes its subjects from question "
                                                          "'nood'; a question cannot be made from it")


def test_an_unknown_dimension_code(copy):
    parent = copy / "instruments" / "parent.yaml"
    _edit(parent, 'dim_levesque: availability, polarity: "+", mirror: "wd{subject}[BR1]"',
          'dim_levesque: reachability, polarity: "+", mirror: "wd{subject}[BR1]"')
    _assert_reported(_check(copy), parent, "dim_levesque: reachability",
                     "question 'drS01' subquestion BR1: unknown dimension 'reachability' of framework 'levesque'")


def test_an_unknown_framework_key(copy):
    parent = copy / "instruments" / "parent.yaml"
    _edit(parent, '{code: BR1, dim_b: bereikbaar,', '{code: BR1, dim_xyz: a, dim_b: bereikbaar,')
    _assert_reported(_check(copy), parent, "dim_xyz: a",
                     "question 'drS01' subquestion BR1: unknown dimension framework 'dim_xyz' "
                     "(known: dim_b, dim_levesque)")


def test_items_point_to_dimensions_of_every_imported_framework():
    study = load_study(DEMO_STUDY)
    assert list(study.frameworks) == ["b", "levesque"] and study.framework.name == "b"
    item = study.instrument("parent", "2018").column("drS01[BR1]").subquestion
    assert item.dimension("b") == "bereikbaar" and item.dimension("levesque") == "availability"
    assert item.dimension("xyz") is None
    # The chosen framework carries the study's texts: what each dimension's page asks.
    assert study.framework.codes == study.frameworks["b"].codes
    assert all(d.about and d.about["en"] for d in study.framework.dimensions)


# -- publication.yaml ------------------------------------------------------------------------------------------
def test_the_demo_publication_rules():
    assert load_study(DEMO_STUDY).publication == Publication(
        min_cell=10, min_group_for_index=30, min_alpha=0.70, low_n_eff=30.0, forbidden_breakdowns=("rol",),
        disclosure_tolerance=0.01,
        proportions={"action": "flag", "min_n_eff_kg": 30, "present_width": 0.05, "max_width": 0.30,
                     "max_relative_width": 1.30, "min_df": 8}, unweighted_interval="clopper-pearson")


@pytest.mark.parametrize(("old", "new", "message"), [
    ("min_cell: 10", "min_cell: ten", "min_cell: must be a whole number of at least 0, not 'ten'"),
    ("min_cell: 10", "min_cell: 10.5", "min_cell: must be a whole number of at least 0, not '10.5'"),
    ("min_alpha: 0.70", "min_alpha: 1.5", "min_alpha: must be a number between 0 and 1, not '1.5'"),
    ("low_n_eff: 30", "low_n_eff: -1", "low_n_eff: must be a number of at least 0, not '-1'"),
    ("forbidden_breakdowns: [rol]", "forbidden_breakdowns: [rol; DROP TABLE x]",
     "forbidden_breakdowns: must be a list of clean column names"),
    ("action: flag", "action: hide", "proportions.action: must be flag or suppress, not 'hide'"),
    ("min_df: 8", "min_df: 7.5", "proportions.min_df: must be a whole number of at least 0, not '7.5'"),
    ("max_width: 0.30", "max_width: wide", "proportions.max_width: must be a number of at least 0, not 'wide'"),
    ("unweighted_interval: clopper-pearson", "unweighted_interval: wald",
     "unweighted_interval: 'wald': choose clopper-pearson or wilson"),
])
def test_a_bad_publication_value(copy, old, new, message):
    publication = copy / "publication.yaml"
    _edit(publication, old, new)
    _assert_refused(copy, publication, new.split(":")[0] + ":", message)


def test_an_unknown_proportion_rule(copy):
    publication = copy / "publication.yaml"
    _edit(publication, "  min_df: 8\n", "  min_df: 8\n  min_dof: 8\n")
    _assert_refused(copy, publication, "min_dof: 8", "proportions.min_dof: unknown rule (known: action, min_n_eff_kg")


def test_an_unknown_publication_key(copy):
    publication = copy / "publication.yaml"
    _edit(publication, "min_cell: 10\n", "min_cell: 10\nmin_cel: 5\n")
    _assert_refused(copy, publication, "min_cel: 5", "min_cel: unknown rule (known: min_cell, ")


# -- study.yaml: surveys, instruments, designs, breakdowns -----------------------------------------------------
SURVEY_2018 = ('{survey_id: 418202, instrument: field_actor, wave: "2018", '
               'export: data/survey_418202_2018_field_actor.csv}')


def test_a_survey_naming_an_undeclared_instrument(copy):
    study_file = copy / "study.yaml"
    _edit(study_file, SURVEY_2018, SURVEY_2018.replace("instrument: field_actor", "instrument: teacher"))
    _assert_refused(copy, study_file, "{survey_id: 418202", "survey 418202: instrument 'teacher' is not one of "
                                                            "the study's instruments (parent, field_actor)")


def test_margins_on_an_unweighted_instrument(copy):
    study_file = copy / "study.yaml"
    _edit(study_file, SURVEY_2018, SURVEY_2018.replace(".csv}", ".csv, margins: margins_2018.csv}"))
    _assert_refused(copy, study_file, "{survey_id: 418202",
                    "survey 418202: margins given, but instrument 'field_actor' is not weighted")


def test_a_study_id_that_differs_from_the_folder(copy):
    study_file = copy / "study.yaml"
    _edit(study_file, "study_id: demo-brussels", "study_id: brussels-demo")
    _assert_refused(copy, study_file, "study_id: brussels-demo",
                    "study_id: 'brussels-demo' differs from the folder's name 'demo-brussels'")


def test_an_instrument_the_study_does_not_declare():
    with pytest.raises(InstrumentError, match=r"study.yaml: study 'demo-brussels' has no instrument 'teacher' "
                                              r"\(it has parent, field_actor\)"):
        load_study(DEMO_STUDY).instrument("teacher", "2018")


def test_a_sampling_design_names_columns_of_its_instrument(copy):
    study_file = copy / "study.yaml"
    study, problems = _read(copy)
    assert problems == [] and check_study(study) == []
    # The demo's own: neighbourhoods as strata, their sizes from the margins file.
    declared = Design(strata="wijk", stratum_sizes="margins")
    assert next(s for s in study.surveys if s.survey_id == 418201).design == declared
    assert next(s for s in study.surveys if s.survey_id == 418202).design == Design()
    _edit(study_file, "margins: margins_2018.csv, design: {strata: wijk, stratum_sizes: margins}}",
          "margins: margins_2018.csv, design: {strata: wijk, psu: buurt}}")
    _assert_reported(_check(copy), study_file, "{survey_id: 418201",
                     "survey 418201: design column 'buurt' is not a column of parent")


@pytest.mark.parametrize("design, expected", [
    ("{strata: wijk, variance: replicates}", Design(strata="wijk", variance="replicates", method="jackknife")),
    ("{strata: wijk, stratum_sizes: margins, variance: replicates, replicates: {method: bootstrap, seed: 7}}",
     Design(strata="wijk", stratum_sizes="margins", variance="replicates", method="bootstrap", count=200, seed=7)),
    ("{variance: replicates, replicates: {method: bootstrap, count: 50, seed: 1}}",
     Design(variance="replicates", method="bootstrap", count=50, seed=1)),
])
def test_a_design_chooses_its_variance(copy, design, expected):
    study_file = copy / "study.yaml"
    _edit(study_file, "design: {strata: wijk, stratum_sizes: margins}}", f"design: {design}}}")
    study, problems = _read(copy)
    assert problems == [] and check_study(study) == []
    assert next(s for s in study.surveys if s.survey_id == 418201).design == expected
    # What a new wave copies (toegang instruments new-wave) declares the same design.
    _edit(study_file, f"design: {design}}}", f"design: {json.dumps(expected.config())}}}")
    assert next(s for s in _read(copy)[0].surveys if s.survey_id == 418201).design == expected


@pytest.mark.parametrize("design, message", [
    ("{strata: wijk, stratum_sizes: census}", "only 'margins'"),
    ("{stratum_sizes: margins}", "stratum_sizes: margins needs strata"),
    ("{strata: wijk, stratum_sizes: margins, fpc: wijk}", "no psu, fpc or base_weight beside it"),
    ("{strata: wijk, stratum_sizes: margins, psu: kanaal}", "no psu, fpc or base_weight beside it"),
    ("{variance: replicates, replicates: {method: bootstrap, count: 9, seed: -1}}", "a whole number from 0"),
    ("{variance: bootstrap}", "choose linearisation or replicates"),
    ("{replicates: {method: jackknife}}", "given, but variance is not 'replicates'"),
    ("{variance: replicates, replicates: {method: bootstrap}}", "a bootstrap needs a seed"),
    ("{strata: wijk, fpc: wijk, variance: replicates, replicates: {method: bootstrap, seed: 1}}",
     "has no finite population correction"),
    ("{variance: replicates, replicates: {method: jackknife, count: 20}}", "{method: jackknife}"),
    ("{variance: replicates, replicates: {method: bootstrap, count: 1, seed: 1}}", "count: <at least 2>"),
    ("{strata: \"wijk; DROP TABLE x\"}", "is not a clean column name"),
])
def test_a_design_that_cannot_be_used_is_refused(copy, design, message):
    study_file = copy / "study.yaml"
    _edit(study_file, "design: {strata: wijk, stratum_sizes: margins}}", f"design: {design}}}")
    _assert_reported(_check(copy), study_file, "margins: margins_2018.csv, design", message)


def test_surveys_raked_together_share_their_design(copy):
    """Two surveys of the weighted instrument in one wave (say one per language) are raked as one base: a design
    on one only would be used for both or neither, so it is refused."""
    study_file = copy / "study.yaml"
    _edit(study_file, "  - {survey_id: 418202,", "  - {survey_id: 418203, instrument: parent, wave: \"2018\", "
                                                 "source: inbox, margins: margins_2018.csv}\n  - {survey_id: 418202,")
    _assert_reported(_check(copy), study_file, "{survey_id: 418203", "wave 2018's surveys of parent are raked "
                                                                     "together: give them the same margins and design")


def test_a_design_needs_margins(copy):
    study_file = copy / "study.yaml"
    _edit(study_file, "export: data/survey_418202_2018_field_actor.csv}",
          "export: data/survey_418202_2018_field_actor.csv, design: {strata: wijk}}")
    _assert_reported(_check(copy), study_file, "{survey_id: 418202", "design given, but no margins")


BREAKDOWN = "breakdowns:\n  {name}:\n    column: {column}\n    title: {{nl: x, fr: x, en: x}}\n"


def test_a_breakdown_on_a_column_no_broken_down_instrument_has(copy):
    study_file = copy / "study.yaml"
    # ervaring is a field actor's column: field actors are never broken down.
    _edit(study_file, "breakdowns:\n", BREAKDOWN.format(name="experience", column="ervaring"))
    assert _read(copy)[1] == []
    _assert_reported(_check(copy), study_file, "  experience:", "breakdown experience: no instrument that is "
                                                                "broken down (parent) has the column 'ervaring'")


def test_a_forbidden_breakdown(copy):
    study_file = copy / "study.yaml"
    _edit(study_file, "    professionals: true\n", "")  # publication.yaml's list alone refuses it
    _edit(study_file, "breakdowns:\n", BREAKDOWN.format(name="role", column="rol"))
    _assert_reported(_check(copy), study_file, "  role:",
                     "breakdown role: column 'rol' is a forbidden breakdown (publication.yaml)")


def test_professionals_are_never_broken_down_by_their_role(copy):
    study_file = copy / "study.yaml"
    (copy / "publication.yaml").write_text("min_cell: 10\n", encoding="utf-8")  # no forbidden list needed
    _edit(study_file, "    breakdowns: false\n    professionals: true\n", "    professionals: true\n")
    _edit(study_file, "breakdowns:\n", BREAKDOWN.format(name="role", column="rol"))
    _assert_reported(_check(copy), study_file, "  role:",
                     "breakdown role: column 'rol' identifies the role of field_actor's respondents, who are "
                     "professionals: they are never broken down by it (DOMAIN.md section 5)")
    _edit(study_file, "    professionals: true\n", "")  # respondents who are not professionals may be
    assert not any("identifies" in p for p in _check(copy))


def test_what_a_question_identifies_is_an_organisation_or_a_role(copy):
    definition = copy / "instruments" / "field_actor.yaml"
    _edit(definition, "identifies: role", "identifies: name")
    _assert_reported(_check(copy), definition, "- code: rol",
                     "question 'rol': identifies must be organisation or role, not 'name'")


def test_a_panel_is_not_weighted(copy):
    study_file = copy / "study.yaml"
    _edit(study_file, "    weighted: true\n", "    weighted: true\n    panel: true\n")
    _assert_refused(copy, study_file, "    panel: true", "instrument parent: a panel is not weighted")


# -- study.yaml: the dashboards' words (who answers each instrument, map pages, method texts) --------------------
def test_the_demo_names_its_respondents_map_and_method():
    study = load_study(DEMO_STUDY)
    assert study.role("parent").respondents == {"nl": "Ouders", "fr": "Parents", "en": "Parents"}
    assert study.role("field_actor").respondents["fr"] == "Acteurs de terrain"
    assert [b.name for b in study.breakdowns.values() if b.map] == ["neighbourhood"]
    assert list(study.method) == ["samples", "weighting", "caveats"]
    assert study.method["caveats"]["en"].startswith("Weighting corrects the known distributions")


def test_respondents_are_needed_when_a_study_has_more_than_one_instrument(copy):
    study_file = copy / "study.yaml"
    _edit(study_file, '    respondents: {nl: "Werkveldactoren", fr: "Acteurs de terrain", en: "Field actors"}\n', "")
    _assert_refused(copy, study_file, "  field_actor:", "instrument field_actor: respondents: who answers it, a "
                                                        "plural noun per language (nl, fr, en), is needed")


def test_one_instrument_needs_no_respondents(copy):
    study_file = copy / "study.yaml"
    text = study_file.read_text(encoding="utf-8")
    start, end = text.index("  # 31 people in 20 initiatives"), text.index("# The framework whose dimensions")
    study_file.write_text(text[:start] + text[end:], encoding="utf-8")
    _edit(study_file, '    respondents: {nl: "Ouders", fr: "Parents", en: "Parents"}\n', "")
    study, problems = _read(copy)
    assert [p for p in problems if "respondents" in str(p)] == []
    assert study.instrument_names == ["parent"] and study.role("parent").respondents is None


def test_respondents_in_every_language(copy):
    study_file = copy / "study.yaml"
    _edit(study_file, '{nl: "Ouders", fr: "Parents", en: "Parents"}', '{nl: "Ouders", en: "Parents"}')
    _assert_refused(copy, study_file, '    respondents: {nl: "Ouders"', "instrument parent respondents: no text in fr")


def test_a_map_is_true_or_false(copy):
    study_file = copy / "study.yaml"
    _edit(study_file, "    map: true\n", "    map: yes please\n")
    _assert_refused(copy, study_file, "    map: yes please", "breakdown neighbourhood: map must be true or false")


@pytest.mark.parametrize(("old", "new", "anchor", "message"), [
    ("  caveats:\n", "  caveat:\n", "  caveat:", "method: 'caveat' is not a method text (known: samples, weighting, "
                                                "caveats)"),
    ('    fr: "La pondération corrige', '    de: "La pondération corrige', "  caveats:",
     "method caveats: no text in fr"),
    ("method:\n  samples:", "method: see the report\nx:\n  samples:", "method: see",
     "method: must map method texts (samples, weighting, caveats) to a text per language"),
])
def test_a_bad_method_text(copy, old, new, anchor, message):
    study_file = copy / "study.yaml"
    _edit(study_file, old, new)
    _assert_refused(copy, study_file, anchor, message)


# -- shared material and subject lists ---------------------------------------------------------------------------
OWN_SCALES = """\
often3:
  - {code: "1", nl: "Nooit", fr: "Jamais", en: "Never"}
  - {code: "2", nl: "Soms", fr: "Parfois", en: "Sometimes"}
  - {code: "3", nl: "Vaak", fr: "Souvent", en: "Often"}
support3:
  - {code: "J", nl: "Ja", fr: "Oui", en: "Yes"}
  - {code: "D", nl: "Deels", fr: "En partie", en: "Partly"}
  - {code: "N", nl: "Nee", fr: "Non", en: "No"}
"""


def test_a_study_scales_file_adds_to_and_replaces_the_shared_scales(copy):
    (copy / "scales.yaml").write_text(OWN_SCALES, encoding="utf-8")
    study, problems = _read(copy)
    assert problems == [] and check_study(study) == []
    assert {"agree5", "freq5", "often3", "support3"} <= set(study.scales)  # shared and own
    assert [a["code"] for a in study.scales["often3"]] == ["1", "2", "3"]
    parent = study.instrument("parent", "2018")
    assert [a.code for a in parent.question("steun").answers] == ["J", "D", "N"]  # the study's own replaces it
    assert parent.question("steun").answers[1].labels["nl"] == "Deels"
    assert [a.code for a in parent.question("drS01").answers][:5] == ["1", "2", "3", "4", "5"]  # shared agree5


def test_shared_material_comes_only_when_imported(copy):
    (copy / "scales.yaml").write_text(OWN_SCALES, encoding="utf-8")
    study_file = copy / "study.yaml"
    _edit(study_file, "shared: [scales, dimensions, quality]", "shared: [dimensions, quality]")
    study, problems = _read(copy)
    assert problems == [] and "agree5" not in study.scales and "often3" in study.scales
    parent = copy / "instruments" / "parent.yaml"
    _assert_reported(_check(copy), parent, "answers: agree5", "question 'drS01': unknown answer scale 'agree5'")


def test_a_subject_list_taken_from_a_question(copy):
    study = load_study(DEMO_STUDY)
    assert study.lists["themes"].role == "theme" and study.lists["themes"].question == ("parent", "nood")
    nood = study.instrument("parent", "2018").question("nood")
    themes = study.subjects("themes", "2018")
    assert list(themes) == [sq.code for sq in nood.subquestions] == ["OPV", "ONT", "GEZ", "SLA", "WEL", "VRT"]
    assert themes["SLA"] == {"nl": "Slaap", "fr": "Sommeil", "en": "Sleep"}
    assert "S07" not in study.subjects("services", "2018") and "S07" in study.subjects("services", "2021")
    # The questionnaire is the list's one home: a theme added to the question is a subject of the list.
    _edit(copy / "instruments" / "parent.yaml", '          - {code: VRT,',
          '          - {code: GLD, nl: "Geld", fr: "Argent", en: "Money"}\n          - {code: VRT,')
    changed = load_study(DEMO_STUDY, copy.parent, copy.parent.parent / "shared")
    assert list(changed.subjects("themes", "2021")) == ["OPV", "ONT", "GEZ", "SLA", "WEL", "GLD", "VRT"]
    # A list that names a question without subquestions is reported by the check.
    _edit(copy / "subjects.yaml", "code: nood}", "code: noodz}")
    assert any(re.search(r"subjects.yaml: list themes: question: parent has no question 'noodz' with subquestions",
                         p) for p in _check(copy))


def test_an_instrument_definition_stays_inside_the_study_folder(copy):
    study_file = copy / "study.yaml"
    text = study_file.read_text(encoding="utf-8")
    assert "  field_actor:\n    weighted: false\n" in text
    study_file.write_text(text.replace("  field_actor:\n    weighted: false\n",
                                       "  field_actor:\n    definition: ../../etc/passwd\n    weighted: false\n", 1),
                          encoding="utf-8")
    _, problems = _read(copy)
    assert any("definition '../../etc/passwd' is outside the study folder" in str(p) and
               str(p).startswith(f"{study_file}:") for p in problems), problems


# -- study.yaml: synthetic (how `toegang generate` makes the study's responses) ------------------------------
def test_a_study_without_synthetic_has_the_defaults():
    study = load_study(DEMO_STUDY)
    assert study.synthetic.seed is None and not study.synthetic.instruments


def test_the_synthetic_section_is_read(copy):
    _edit(copy / "study.yaml", "surveys:\n", "synthetic:\n  seed: 7\n  instruments:\n"
          "    parent: {responses: 80, panel: 0.25, days: 30,\n"
          "             implies: {wijk: {W01: {opleiding: HOOG}}}}\n"
          "    field_actor: {retention: 0.8, joiners: 2, skip: 0.1, drift: -0.2}\nsurveys:\n")
    study, problems = _read(copy)
    assert problems == []
    parent, actor = study.synthetic.instruments["parent"], study.synthetic.instruments["field_actor"]
    assert study.synthetic.seed == 7
    assert (parent.responses, parent.panel, parent.days, parent.cohort) == (80, 0.25, 30, False)
    assert parent.implies == {"wijk": {"W01": {"opleiding": "HOOG"}}}
    assert (actor.retention, actor.joiners, actor.skip, actor.drift, actor.cohort) == (0.8, 2, 0.1, -0.2, True)


@pytest.mark.parametrize(("entry", "anchor", "message"), [
    ("  seed: -1\n", "  seed: -1", "synthetic: seed must be a whole number from 0, not '-1'"),
    ("  sead: 1\n", "synthetic:", "synthetic: takes seed (a whole number) and instruments"),
    ("  instruments:\n    parent: {respones: 10}\n", "    parent:",
     "synthetic instrument parent: unknown key 'respones'"),
    ("  instruments:\n    parent: {responses: 0}\n", "    parent:", "responses must be a whole number from 1"),
    ("  instruments:\n    parent: {panel: 1.5}\n", "    parent:", "panel must be a number from 0 to 1, not '1.5'"),
    ("  instruments:\n    parent: {responses: 2.5}\n", "    parent:", "responses must be a whole number from 1"),
    ("  instruments:\n    nobody: {responses: 10}\n", "    nobody:",
     "synthetic instrument nobody: not one of the study's"),
    ("  instruments:\n    parent: {panel: 0.5, retention: 0.9}\n", "    parent:", "panel (a share of returning "
     "respondents) or retention (a cohort), not both"),
    ("  instruments:\n    parent: {joiners: 2}\n", "    parent:", "joiners: only for a cohort (give retention)"),
    ("  instruments:\n    parent: {implies: {wijk: W01}}\n", "    parent:", "implies: {<column>: {<answer code>: "),
])
def test_a_bad_synthetic_section_is_refused_with_its_line(copy, entry, anchor, message):
    study_file = copy / "study.yaml"
    _edit(study_file, "surveys:\n", f"synthetic:\n{entry}surveys:\n")
    _assert_refused(copy, study_file, anchor, message)


def test_a_panels_change_rests_on_at_least_min_cell_pairs(copy):
    rules = copy / "publication.yaml"
    _edit(rules, "min_cell: 10\n", "min_cell: 10\nmin_pairs: 6\n")
    _assert_refused(copy, rules, "min_pairs: 6", "min_pairs: must be at least min_cell (10), not 6")


# -- benchmarks ----------------------------------------------------------------------------------------------------
BENCHMARKS = """
benchmarks:
  awareness_rate.S01:
    value: 0.8
    source: {nl: "Bron A", fr: "Source A", en: "Source A"}
  access_index.S01.bereikbaar: {value: 62.5, source: "Report B, 2019"}
"""


def test_benchmarks_are_read_with_their_source(copy):
    study_file = copy / "study.yaml"
    study_file.write_text(study_file.read_text(encoding="utf-8") + BENCHMARKS, encoding="utf-8")
    study, problems = _read(copy)
    assert problems == []
    assert study.benchmarks["awareness_rate.S01"].value == 0.8
    assert study.benchmarks["awareness_rate.S01"].source["fr"] == "Source A"
    assert study.benchmarks["access_index.S01.bereikbaar"].source == {lang: "Report B, 2019" for lang in
                                                                       ("nl", "fr", "en")}
    assert load_study(DEMO_STUDY).benchmarks == {}  # the demo declares none


@pytest.mark.parametrize(("old", "new", "anchor", "message"), [
    ("  awareness_rate.S01:\n", "  awareness_rate.S99:\n", "  awareness_rate.S99:",
     "benchmarks awareness_rate.S99: unknown indicator"),
    ("  awareness_rate.S01:\n", "  awareness.S01:\n", "  awareness.S01:",
     "benchmarks awareness.S01: unknown indicator"),
    ("access_index.S01.bereikbaar:", "access_index.S01:", "  access_index.S01:",
     "benchmarks access_index.S01: unknown indicator"),
    ("    value: 0.8\n", "    value: 80\n", "    value: 80",
     "benchmarks awareness_rate.S01: value 80 is outside 0-1 (a share is written between 0 and 1: 0.45 for 45%)"),
    ("    value: 0.8\n", "    value: high\n", "    value: high",
     "benchmarks awareness_rate.S01: value must be a number, not 'high'"),
    ("{value: 62.5,", "{value: 162.5,", "  access_index.S01.bereikbaar:",
     "benchmarks access_index.S01.bereikbaar: value 162.5 is outside 0-100"),
    ('    source: {nl: "Bron A", fr: "Source A", en: "Source A"}\n', '    source: {nl: "Bron A", en: "Source A"}\n',
     "    source: {nl", "benchmarks awareness_rate.S01 source: no text in fr"),
    ('    source: {nl: "Bron A", fr: "Source A", en: "Source A"}\n', "", "    value: 0.8",
     "benchmarks awareness_rate.S01: needs a source"),
])
def test_a_bad_benchmark_is_refused_with_file_and_line(copy, old, new, anchor, message):
    study_file = copy / "study.yaml"
    study_file.write_text(study_file.read_text(encoding="utf-8") + BENCHMARKS, encoding="utf-8")
    _edit(study_file, old, new)
    _assert_refused(copy, study_file, anchor, message)


# -- study.yaml: which factsheets the site prints (issue 22, part 7) ------------------------------------------
def test_the_demo_prints_factsheets_of_its_areas(copy):
    assert load_study(DEMO_STUDY).factsheets == Factsheets(areas=True, subjects=False)
    study_file = copy / "study.yaml"
    _edit(study_file, "factsheets: {areas: true, subjects: false}\n", "factsheets: {subjects: true}\n")
    study, problems = _read(copy)
    assert problems == [] and study.factsheets == Factsheets(areas=True, subjects=True)
    _edit(study_file, "factsheets: {subjects: true}\n", "")
    study, problems = _read(copy)
    assert problems == [] and study.factsheets == Factsheets(areas=True, subjects=False)  # the defaults


@pytest.mark.parametrize("value, message", [
    ("{areas: true, subjects: yes please}", "factsheets: subjects must be true or false, not 'yes please'"),
    ("{areas: true, people: true}", "factsheets: unknown key(s) people (known: areas, subjects)"),
    ("[areas, subjects]", "factsheets: must map areas and subjects to true or false"),
])
def test_a_bad_factsheets_option(copy, value, message):
    study_file = copy / "study.yaml"
    _edit(study_file, "factsheets: {areas: true, subjects: false}", f"factsheets: {value}")
    _assert_refused(copy, study_file, "factsheets:", message)
