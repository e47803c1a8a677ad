"""pipelines/inbox.py and the inbox sensor: dropped exports are loaded and archived; bad ones are
quarantined with a reason file; the raw layer only ever gains whole files."""

from pathlib import Path

import dagster as dg
import duckdb
import pytest
from instruments.study import DEMO_STUDY, load_study
from pipelines.defs.resources import resources
from pipelines.defs.study import study_definitions
from pipelines.resources.warehouse import WarehouseResource
from pipelines.runner import run_ingest
from benchmarks.harness.studies import write_study

DEMO = load_study(DEMO_STUDY)
PARENTS_CSV = next(s.export for s in DEMO.surveys if s.survey_id == 418201)


@pytest.fixture(autouse=True)
def pseudonym_key(monkeypatch):
    monkeypatch.setenv("TOEGANG_PSEUDONYM_KEY", "test-key")  # the raw load pseudonymises respondents


@pytest.fixture
def studies(tmp_path: Path) -> Path:
    return write_study(tmp_path / "studies", "inbox-study", [
        {"survey_id": 418201, "instrument": "parent", "wave": "2018", "source": "inbox"},
        {"survey_id": 418202, "instrument": "field_actor", "wave": "2018", "source": "inbox"}])


def _drop(home: Path, name: str, data: bytes) -> Path:
    inbox = home / "inbox-study" / "inbox"  # the study's home is <TOEGANG_HOME>/<study>/
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / name).write_bytes(data)
    return inbox / name


def _count(home: Path) -> int:
    with duckdb.connect(str(home / "inbox-study" / "raw.duckdb"), read_only=True) as con:
        return con.execute("SELECT count(*) FROM responses").fetchall()[0][0]


def test_good_file_archived_bad_files_quarantined_with_reason(tmp_path, studies):
    home = tmp_path / "home"
    _drop(home, "results-survey418201.csv", PARENTS_CSV.read_bytes())
    actors = next(s.export for s in DEMO.surveys if s.survey_id == 418202).read_bytes()
    _drop(home, "results-survey418202.csv", actors.replace(b'"\r\n"2";', b'"\r\n"2";"x";', 1))
    changed = PARENTS_CSV.read_bytes().replace(b'"opleiding"', b'"diploma"', 1)
    _drop(home, "418201-edited.csv", changed)
    _drop(home, "notes.txt", b"hello")  # names no survey, or one of another study: quarantined by the ingest too
    _drop(home, "results-survey999999.csv", b"x")
    run_ingest("inbox-study", home=str(home), studies_dir=str(studies), instance=dg.DagsterInstance.ephemeral())
    assert _count(home) == 277
    archived = list((home / "inbox-study" / "archive").iterdir())
    assert [p.name.split("_", 1)[1] for p in archived] == ["results-survey418201.csv"]
    quarantine = home / "inbox-study" / "quarantine"
    reasons = {p.name.split("_", 1)[1]: p.read_text(encoding="utf-8") for p in quarantine.glob("*.reason.txt")}
    assert "line 3: 92 fields where the headings name 91" in reasons["results-survey418202.csv.reason.txt"]
    assert "columns not in the codebook of parent" in reasons["418201-edited.csv.reason.txt"]
    assert "diploma" in reasons["418201-edited.csv.reason.txt"]
    assert "codebook columns missing from the file: opleiding" in reasons["418201-edited.csv.reason.txt"]
    assert reasons["notes.txt.reason.txt"].startswith("not a LimeSurvey response export (.csv, .json, .sav)")
    assert "names no single survey of study inbox-study (418201, 418202)" in \
        reasons["results-survey999999.csv.reason.txt"]
    assert not list((home / "inbox-study" / "inbox").iterdir())


def test_sensor_requests_the_wave_and_quarantines_strangers(tmp_path, studies):
    home = tmp_path / "home"
    _drop(home, "results-survey418201.json", PARENTS_CSV.with_suffix(".json").read_bytes())
    _drop(home, "notes.txt", b"hello")
    _drop(home, "results-survey999999.csv", b"x")
    part = study_definitions(load_study("inbox-study", studies), studies)
    sensor = next(s for s in part.sensors if s.name == "inbox_files_inbox_study")
    defs = dg.Definitions(assets=part.assets, jobs=[part.job], sensors=[sensor], resources=resources(studies))
    context = dg.build_sensor_context(resources={"warehouse": WarehouseResource(home=str(home))}, definitions=defs)
    result = sensor.evaluate_tick(context)
    assert [r.partition_key for r in result.run_requests] == ["2018"]
    assert result.run_requests[0].tags["toegang/study"] == "inbox-study"
    quarantined = sorted(p.name.split("_", 1)[1] for p in (home / "inbox-study" / "quarantine").glob("*.reason.txt"))
    assert quarantined == ["notes.txt.reason.txt", "results-survey999999.csv.reason.txt"]
    assert [p.name for p in (home / "inbox-study" / "inbox").iterdir()] == ["results-survey418201.json"]


def test_an_spss_export_loads_as_the_same_responses(tmp_path, studies):
    import pandas as pd
    import pyreadstat

    from instruments.conditions import em_variable
    from instruments.limesurvey_export import read_export

    home = tmp_path / "home"
    responses = read_export(PARENTS_CSV).responses
    frame = pd.DataFrame(responses)
    frame.columns = [em_variable(c) for c in frame.columns]
    frame["id"] = frame["id"].astype(int)  # SPSS stores numbers as numbers
    frame["lastpage"] = pd.to_numeric(frame["lastpage"]).astype(float)
    sav = home / "inbox-study" / "inbox" / "survey_418201_SPSS_data_file.sav"
    sav.parent.mkdir(parents=True)
    pyreadstat.write_sav(frame, str(sav))
    run_ingest("inbox-study", home=str(home), studies_dir=str(studies), instance=dg.DagsterInstance.ephemeral())
    assert _count(home) == 277
    _drop(home, "results-survey418201.csv", PARENTS_CSV.read_bytes())
    run_ingest("inbox-study", home=str(home), studies_dir=str(studies), instance=dg.DagsterInstance.ephemeral())
    assert _count(home) == 277  # the CSV export holds exactly what the SPSS export held
    assert len(list((home / "inbox-study" / "archive").iterdir())) == 2
