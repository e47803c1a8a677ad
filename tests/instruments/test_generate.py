"""instruments/generate.py: synthetic exports for any study, from its instruments alone. Shown on the demo
study's instruments and on a small instrument of another study written here (numbers, dates, free text, an
array with its own codes, two languages, surveys that name no export), on the settings of a study's
`synthetic:` section (cohorts, implied answers) and on the bundled example studies' committed exports."""

import re
import shutil
import statistics

import pytest
from typer.testing import CliRunner

from instruments.generate import (
    DEFAULT_PANEL,
    Written,
    describe,
    generate_study,
    prepare_demo,
    reads_export_files,
    write_study,
)
from instruments.limesurvey_export import META_COLUMNS, read_export
from instruments.model import InstrumentError
from instruments.study import DEMO_STUDY, STUDIES, load_study

SMALL_STUDY = "small-study"
SMALL_INSTRUMENT = """\
instrument: checkup
title: {nl: "Korte vragenlijst", fr: "Questionnaire court", en: "Short questionnaire"}
base_language: fr
languages: [fr, en]
groups:
  - name: {nl: "Begin", fr: "Début", en: "Start"}
    questions:
      - code: agree
        type: Y
        mandatory: true
        text: {nl: "Doet u mee?", fr: "Participez-vous ?", en: "Do you take part?"}
  - name: {nl: "Bezoeken", fr: "Visites", en: "Visits"}
    relevance: {question: agree, equals: "Y"}
    questions:
      - code: visits
        type: N
        min: 1
        max: 12
        mandatory: true
        text: {nl: "Hoe vaak?", fr: "Combien de fois ?", en: "How often?"}
      - code: often
        type: L
        answers: freq5
        text: {nl: "Hoe vaak gaat u?", fr: "À quelle fréquence ?", en: "How often do you go?"}
      - code: lastvisit
        type: D
        relevance: {question: often, in: ["3", "4", "5"]}
        text: {nl: "Laatste bezoek?", fr: "Dernière visite ?", en: "Last visit?"}
      - code: rating
        type: F
        relevance: {question: often, in: ["2", "3", "4", "5"]}
        text: {nl: "Hoe was het?", fr: "C'était comment ?", en: "How was it?"}
        answers:
          - {code: "A1", nl: "Goed", fr: "Bien", en: "Good"}
          - {code: "A2", nl: "Slecht", fr: "Mal", en: "Bad"}
          - {code: "X", nl: "Geen idee", fr: "Aucune idée", en: "No idea", missing: dont_know}
        subquestions:
          - {code: Q1, nl: "Ontvangst", fr: "Accueil", en: "Welcome"}
          - {code: Q2, nl: "Uren", fr: "Horaires", en: "Hours"}
      - code: where
        type: S
        relevance: {question: "rating[Q1]", equals: "A2"}
        text: {nl: "Waarom?", fr: "Pourquoi ?", en: "Why?"}
  - name: {nl: "Einde", fr: "Fin", en: "End"}
    relevance: {question: agree, equals: "Y"}
    questions:
      - code: note
        type: T
        text: {nl: "Nog iets?", fr: "Autre chose ?", en: "Anything else?"}
"""


@pytest.fixture(scope="module")
def small_study(tmp_path_factory):
    """A copy of the demo study renamed, with a small instrument of its own whose surveys name no export."""
    studies = tmp_path_factory.mktemp("studies")
    folder = studies / SMALL_STUDY
    shutil.copytree(STUDIES / DEMO_STUDY, folder, ignore=shutil.ignore_patterns("data"))
    (folder / "instruments" / "checkup.yaml").write_text(SMALL_INSTRUMENT, encoding="utf-8")
    text = (folder / "study.yaml").read_text(encoding="utf-8")
    text = text.replace(f"study_id: {DEMO_STUDY}", f"study_id: {SMALL_STUDY}")
    text = text.replace("\n# The framework whose dimensions", "\n  checkup:\n    weighted: false\n    respondents: "
                                                              "{nl: Ouders, fr: Parents, en: Parents}\n"
                                                              "# The framework whose dimensions")
    text = text.replace("surveys:\n", 'surveys:\n  - {survey_id: 900001, instrument: checkup, wave: "2018"}\n'
                                      '  - {survey_id: 900002, instrument: checkup, wave: "2021"}\n')
    (folder / "study.yaml").write_text(text, encoding="utf-8")
    return load_study(SMALL_STUDY, studies)


@pytest.fixture(scope="module")
def demo_files():
    return generate_study(load_study(DEMO_STUDY))


@pytest.fixture(scope="module")
def small_files(small_study):
    return generate_study(small_study)


@pytest.fixture(scope="module")
def every_file(demo_files, small_files):
    return [*demo_files, *small_files]


def _shown(instrument, column, response) -> bool:
    return all(c.holds(response) for c in instrument.conditions(column))


def test_every_survey_has_a_file_of_its_instrument(demo_files, small_files, small_study):
    assert [f.survey.survey_id for f in demo_files] == [418201, 418202, 421201, 421202]
    assert {f.instrument.name for f in small_files} == {"parent", "field_actor", "checkup"}
    for f in small_files:
        assert f.instrument.name == f.survey.instrument and f.instrument.wave == f.survey.wave
        assert len(f.responses) == 60
    checkup = {f.survey.survey_id: f for f in small_files if f.instrument.name == "checkup"}
    assert checkup[900001].path == small_study.path / "data" / "survey_900001_2018_checkup.csv"
    assert not checkup[900001].named
    assert not reads_export_files(small_study)


def test_answers_honour_the_conditions(every_file):
    """A column holds a value only where every condition on it holds and its page was reached."""
    for f in every_file:
        for r in f.responses:
            reached = len(f.instrument.groups) if r["submitdate"] else int(r["lastpage"])
            for column in f.instrument.columns():
                value = r[column.name]
                if value:
                    assert _shown(f.instrument, column, r), (f.path.name, r["id"], column.name)
                    assert column.question.group <= reached, (f.path.name, r["id"], column.name)
                elif not _shown(f.instrument, column, r):
                    assert value == ""


def test_answers_are_of_their_question_type(every_file):
    for f in every_file:
        for column in f.instrument.columns():
            q = column.question
            values = {r[column.name] for r in f.responses} - {""}
            if column.is_other or q.type in ("S", "T"):
                continue
            if q.type in ("Y", "M"):
                assert values <= {a.code for a in q.answer_options()}, column.name
            elif q.type in ("L", "F"):
                assert values <= {a.code for a in q.answers}, column.name
            elif q.type == "N":
                assert all(q.minimum <= float(v) <= q.maximum for v in values), column.name
            elif q.type == "D":
                assert all(len(v) == 19 and v.endswith(" 00:00:00") for v in values), column.name
    small = next(f for f in every_file if f.instrument.name == "checkup")
    assert {r["startlanguage"] for r in small.responses} == {"fr", "en"}
    assert any(r["where"] for r in small.responses) and any(r["lastvisit"] for r in small.responses)


@pytest.mark.parametrize("which", ["demo", "small"])
def test_incomplete_skipped_dont_know_and_declined_occur(which, demo_files, small_files):
    files = demo_files if which == "demo" else [f for f in small_files if f.instrument.name == "checkup"]
    for f in files:
        instrument, responses = f.instrument, f.responses
        groups = len(instrument.groups)
        incomplete = [r for r in responses if r["submitdate"] == ""]
        assert incomplete and all(int(r["lastpage"]) < groups for r in incomplete)
        for r in incomplete:  # later pages are empty
            assert all(r[c.name] == "" for c in instrument.columns() if c.question.group > int(r["lastpage"]))
        complete = [r for r in responses if r["submitdate"]]
        skipped = [(r["id"], c.name) for r in complete for c in instrument.columns()
                   if not c.free_text and c.question.type != "M" and not c.question.mandatory
                   and r[c.name] == "" and _shown(instrument, c, r)]
        assert skipped, f.path.name
        dont_know = [(r["id"], c.name) for r in responses for c in instrument.columns()
                     if r[c.name] in {a.code for a in c.question.answers if a.missing}]
        assert dont_know, f.path.name
        # Declined: a yes/no answer that a group's condition depends on closes the rest of the survey.
        declined = [r for r in complete if any(g.relevance is not None and not g.relevance.holds(r)
                                               for g in instrument.groups)]
        assert declined and len(declined) < len(responses) / 10, f.path.name
        for r in declined:
            assert r["lastpage"] == "1"
            assert all(r[c.name] == "" for c in instrument.columns() if c.question.group > 1)


def test_declined_consent_is_what_the_clean_stage_sees(demo_files):
    parents = demo_files[0].responses
    assert {"Y", "N"} <= {r["consent"] for r in parents} <= {"Y", "N", ""}  # "": stopped before the first page


def test_scale_items_correlate_as_a_scale(demo_files):
    """Cronbach's alpha of two items of one dimension, per subject, on the complete cases (DOMAIN.md section 3)."""
    alphas = []
    for f in demo_files:
        for q in f.instrument.questions:
            items = [s for s in q.subquestions if s.polarity]
            for dimension in {s.dimension("b") for s in items}:
                pair = [s for s in items if s.dimension("b") == dimension]
                rows = [[6 - int(v) if s.polarity == "-" else int(v) for v, s in zip(values, pair)]
                        for values in ([r[f"{q.code}[{s.code}]"] for s in pair] for r in f.responses)
                        if all(v.isdigit() for v in values)]
                if len(pair) < 2 or len(rows) < 10:
                    continue
                total = statistics.variance([sum(row) for row in rows])
                items_variance = sum(statistics.variance(col) for col in zip(*rows))
                alphas.append(len(pair) / (len(pair) - 1) * (1 - items_variance / total))
    assert len(alphas) > 50
    assert statistics.median(alphas) > 0.8
    assert sum(a >= 0.7 for a in alphas) / len(alphas) > 0.85


def test_same_seed_same_bytes_other_seed_other_bytes(small_study, tmp_path):
    first = write_study(small_study, tmp_path / "a")
    again = write_study(small_study, tmp_path / "b")
    other = write_study(small_study, tmp_path / "c", seed=17)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir()) and len(names) == 6
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "c" / name).read_bytes(), name
    assert all(w.written for w in [*first, *again, *other])
    kept = write_study(small_study, tmp_path / "a", seed=17)  # files that exist stay as they are
    assert not any(w.written for w in kept)
    assert (tmp_path / "a" / names[0]).read_bytes() == (tmp_path / "b" / names[0]).read_bytes()


def test_files_read_back_as_limesurvey_exports(small_study, tmp_path):
    """CSV and JSON (as each survey's export names it) read back with the instrument's columns, and load into
    the raw layer as the ingest stage loads an export file."""
    from pipelines.stages.ingest import file_batch
    from warehouse import raw
    from warehouse.connection import connect
    from warehouse.paths import Locations

    written = write_study(small_study, tmp_path / "out")
    assert {w.file.path.suffix for w in written} == {".csv", ".json"}
    with connect(Locations(home=tmp_path / "home", site=tmp_path / "site", build=tmp_path / "build")) as con:
        for w in written:
            survey, instrument = w.file.survey, w.file.instrument
            export = read_export(w.file.path)
            assert export.columns == (*META_COLUMNS, *(c.name for c in instrument.columns()))
            assert list(export.responses) == list(w.file.responses)
            assert {r["startlanguage"] for r in export.responses} <= set(instrument.languages)
            common = {"study_id": small_study.study_id, "survey_id": survey.survey_id, "wave": survey.wave,
                      "instrument": instrument.name, "instrument_version": instrument.version}
            loaded = raw.append(con, file_batch(w.file.path, common), pseudonym_key=b"test")
            assert loaded.received == loaded.inserted == 60


@pytest.mark.parametrize("share", [DEFAULT_PANEL, 0.3, 0.0])
def test_panel_tokens_return_across_waves(small_study, share):
    files = {}
    for f in generate_study(small_study, panel=share, responses=40):
        files.setdefault(f.instrument.name, {})[f.survey.wave] = f
    for name, waves in files.items():
        first, second = ([r["token"] for r in waves[w].responses] for w in ("2018", "2021"))
        assert len(set(first)) == len(first) and len(set(second)) == len(second) and all(first)
        returning = len(set(second) & set(first)) / len(second)
        assert abs(returning - share) <= 0.05, (name, returning)


def test_surveys_without_an_export_are_written_by_convention_and_said(small_study, small_files):
    notes = [describe(Written(f, True), small_study) for f in small_files]
    assert any("survey 900001 names no CSV or JSON export" in n and "export: data/survey_900001_2018_checkup.csv" in n
               for n in notes)


def test_the_demo_of_a_study_without_exports_reads_a_copy(small_study, tmp_path):
    staged = prepare_demo(SMALL_STUDY, tmp_path / "staging", small_study.path.parent)
    try:
        assert all(w.written for w in staged.written)
        # The demo runs on a copy whose surveys read the generated files; the study's own file is unchanged.
        assert staged.studies_dir == tmp_path / "staging"
        copy = load_study(SMALL_STUDY, staged.studies_dir)
        assert reads_export_files(copy)
        assert {s.survey_id: s.export for s in copy.surveys} == {w.file.survey.survey_id: w.file.path.resolve()
                                                                 for w in staged.written}
        assert load_study(SMALL_STUDY, small_study.path.parent).surveys == small_study.surveys
    finally:
        shutil.rmtree(small_study.path / "data")


def test_the_demo_of_a_study_with_its_exports_runs_it_as_it_is(tmp_path):
    """The bundled demo's files are there: nothing is generated and the study runs from its own folder."""
    shutil.copytree(STUDIES / DEMO_STUDY, tmp_path / "studies" / DEMO_STUDY)
    before = {p.name: p.read_bytes() for p in (tmp_path / "studies" / DEMO_STUDY / "data").iterdir()}
    staged = prepare_demo(DEMO_STUDY, tmp_path / "staging", tmp_path / "studies")
    assert staged.studies_dir is None and not any(w.written for w in staged.written)
    assert before == {p.name: p.read_bytes() for p in (tmp_path / "studies" / DEMO_STUDY / "data").iterdir()}


def test_the_command_writes_the_files(tmp_path):
    from pipelines.cli import app

    result = CliRunner().invoke(app, ["generate", "--study", DEMO_STUDY, "--out", str(tmp_path), "--responses", "12"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "survey_418201_2018_parent.csv", "survey_418202_2018_field_actor.csv",
        "survey_421201_2021_parent.json", "survey_421202_2021_field_actor.json"]
    assert "12 responses" in result.output
    again = CliRunner().invoke(app, ["generate", "--study", DEMO_STUDY, "--out", str(tmp_path)])
    assert again.exit_code == 0 and again.output.count("kept (the file exists)") == 4
    assert "--overwrite replaces them" in again.output
    assert len(read_export(tmp_path / "survey_418201_2018_parent.csv").responses) == 12


# -- a study's `synthetic:` section, cohorts, and the bundled example studies ---------------------------------
EXAMPLES = ("demo-antwerp", "demo-rotterdam")


def _tokens_by_wave(files) -> list[list[str]]:
    return [[r["token"] for r in f.responses] for f in sorted(files, key=lambda f: f.survey.wave)]


def _presence(files) -> dict[str, str]:
    """token -> one mark per wave in order: X present, . absent."""
    waves = _tokens_by_wave(files)
    tokens = dict.fromkeys(t for wave in waves for t in wave)
    return {t: "".join("X" if t in wave else "." for wave in waves) for t in tokens}


@pytest.mark.parametrize("study_id", EXAMPLES)
def test_regenerating_an_example_study_gives_its_committed_files(study_id, tmp_path):
    """The exports in the study's data/ are what the generator makes from its folder, byte for byte, so
    `toegang demo --study` finds every file there and writes nothing into the repository."""
    study = load_study(study_id)
    files = generate_study(study)
    assert files and reads_export_files(study)
    for f in files:
        assert f.named and f.path.is_file(), f.path
        assert f.path.read_bytes() == f.data(), f.path.name
    shutil.copytree(STUDIES / study_id, tmp_path / "studies" / study_id)
    staged = prepare_demo(study_id, tmp_path / "staging", tmp_path / "studies")
    assert staged.studies_dir is None and not any(w.written for w in staged.written)


def test_the_rotterdam_panel_persists_drops_out_skips_and_joins():
    files = generate_study(load_study("demo-rotterdam"))
    presence = _presence(files)
    assert len(files) == 5 and all(len(set(wave)) == len(wave) for wave in _tokens_by_wave(files))
    assert any(marks == "XXXXX" for marks in presence.values())  # a person keeps their token throughout
    assert sum(marks.rstrip(".") != marks and marks[0] == "X" for marks in presence.values()) >= 2  # drop-outs
    assert sum(marks[0] == "." for marks in presence.values()) >= 2  # late joiners
    assert any(re.search(r"X\.+X", marks) for marks in presence.values())  # a skipped meeting, then back
    # Who a person is stays the same: their role, organisation and language.
    for token in presence:
        rows = [r for f in files for r in f.responses if r["token"] == token]
        for column in ("functie", "organisatie", "startlanguage"):
            assert len({r[column] for r in rows} - {""}) <= 1, (token, column)


def test_a_cohort_member_who_leaves_never_comes_back(small_study, tmp_path):
    """Without skipped waves, each person's waves are one unbroken run; joiners start after the first wave."""
    study = _with_synthetic(small_study, tmp_path, "checkup: {responses: 30, retention: 0.7, joiners: 4}")
    files = [f for f in generate_study(study) if f.instrument.name == "checkup"]
    presence = _presence(files)
    assert all(re.fullmatch(r"\.*X+\.*", marks) for marks in presence.values())
    assert [len(f.responses) for f in files][0] == 30
    assert sum(marks == ".X" for marks in presence.values()) == 4
    assert 30 * 0.7 - 8 <= sum(marks == "XX" for marks in presence.values()) <= 30 * 0.7 + 8


def test_a_cohort_answers_alike_across_waves(small_study, tmp_path):
    """A member's tendencies stay: their scale answers in two waves correlate, and drift moves them."""
    settings = "checkup: {responses: 200, retention: 1.0, drift: 0.6}"
    files = [f for f in generate_study(_with_synthetic(small_study, tmp_path, settings))
             if f.instrument.name == "checkup"]
    first, second = ({r["token"]: r["often"] for r in f.responses if r["often"].isdigit()} for f in files)
    pairs = [(int(first[t]), int(second[t])) for t in first.keys() & second.keys()]
    assert len(pairs) > 100
    assert statistics.correlation(*zip(*pairs)) > 0.4
    assert statistics.mean(b - a for a, b in pairs) > 0.2


def test_settings_of_the_study_and_arguments_that_override_them(small_study, tmp_path):
    study = _with_synthetic(small_study, tmp_path, "checkup: {responses: 12, panel: 0.0, days: 5}", seed=3)
    files = {f.survey.survey_id: f for f in generate_study(study)}
    assert len(files[900001].responses) == 12 and len(files[418201].responses) == 60  # others: the default
    assert not {r["token"] for r in files[900001].responses} & {r["token"] for r in files[900002].responses}
    assert {r["startdate"][:10] for r in files[900001].responses} <= {f"2018-03-0{d}" for d in range(1, 6)}
    again, other = ({f.survey.survey_id: f.data() for f in generate_study(study, seed=s)} for s in (3, 4))
    assert files[900001].data() == again[900001] != other[900001]  # the study's seed, unless one is given
    overridden = {f.survey.survey_id: f for f in generate_study(study, responses=7)}
    assert len(overridden[900001].responses) == 7


def test_an_implied_answer_follows_its_source(small_study, tmp_path):
    study = _with_synthetic(small_study, tmp_path, "parent: {responses: 40, implies: {wijk: {W01: {opleiding: "
                                                   "HOOG}, W02: {opleiding: LAAG}}}}")
    for f in generate_study(study):
        if f.instrument.name == "parent":
            rows = [r for r in f.responses if r["wijk"] in ("W01", "W02")]
            assert rows and all(r["opleiding"] == {"W01": "HOOG", "W02": "LAAG"}[r["wijk"]] for r in rows)
    antwerp = [f for f in generate_study(load_study("demo-antwerp")) if f.instrument.name == "deelnemer"]
    combinations = {(r["initiatief"], r["steunmodel"], r["wijk"]) for f in antwerp for r in f.responses}
    assert combinations == {("VBDE", "VERB", "DEUR"), ("VBAN", "VERB", "ANRD"), ("NWDE", "NETW", "DEUR"),
                            ("NWAN", "NETW", "ANRD"), ("", "", "")}


def test_an_implied_column_the_questionnaire_lacks_is_refused(small_study, tmp_path):
    study = _with_synthetic(small_study, tmp_path, "checkup: {implies: {often: {'3': {visits: '2'}}}}")
    with pytest.raises(InstrumentError, match=r"study\.yaml:\d+: synthetic instrument checkup: implies: 'visits' is "
                                              r"not a column of checkup after 'often'"):
        generate_study(study)
    # instruments check says so before any response is made, with the file and line of the setting
    from instruments.study import check_study

    found = [str(p) for p in check_study(study)]
    assert any(p.startswith(f"{study.file}:") and "synthetic instrument checkup: 'visits' is not a column of "
               "checkup after 'often'" in p for p in found), found


def _with_synthetic(study, tmp_path, instruments: str, seed: int | None = None):
    """A copy of ``study`` with a ``synthetic:`` section (its instruments' settings, one YAML line each)."""
    folder = tmp_path / "studies" / study.study_id
    shutil.copytree(study.path, folder, ignore=shutil.ignore_patterns("data"))
    seed_line = f"  seed: {seed}\n" if seed is not None else ""
    with (folder / "study.yaml").open("a", encoding="utf-8") as out:
        out.write(f"synthetic:\n{seed_line}  instruments:\n    {instruments}\n")
    return load_study(study.study_id, folder.parent)
