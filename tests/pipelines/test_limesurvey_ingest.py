"""LimeSurvey ingestion against a real JSON-RPC server on 127.0.0.1 that answers as LimeSurvey 6.4.2 does."""

import logging
from dataclasses import replace
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from instruments.limesurvey_export import read_export
from instruments.study import DEMO_STUDY, load_study
from pipelines.limesurvey import LimeSurveyError
from pipelines.resources.limesurvey import LimeSurveyResource
from pipelines.runner import run_ingest
from benchmarks.harness.studies import write_study
from benchmarks.harness.limesurvey_server import LimeSurveyTestServer
from warehouse import raw

PASSWORD = "s3cret-Pa55word-for-tests"
PARENTS, ACTORS = 418201, 418202


@pytest.fixture
def server():
    demo = load_study(DEMO_STUDY)
    srv = LimeSurveyTestServer(password=PASSWORD).start()
    for survey in demo.surveys_in("2018"):
        responses = read_export(survey.export).responses
        if survey.survey_id == PARENTS:
            responses = responses[:200]  # the rest arrive later
        srv.add_survey(survey.survey_id, demo.instrument(survey.instrument, "2018"), responses)
    yield srv
    srv.stop()


@pytest.fixture
def setup(tmp_path: Path, server):
    studies = write_study(tmp_path / "studies", "api-study", [
        {"survey_id": PARENTS, "instrument": "parent", "wave": "2018"},
        {"survey_id": ACTORS, "instrument": "field_actor", "wave": "2018"}])
    instance = dg.DagsterInstance.ephemeral()

    def run(password=PASSWORD, **kwargs):
        resource = LimeSurveyResource(url=server.url, username="admin", password=password, retries=1,
                                      backoff_seconds=0.01, page_size=50)
        # Ingestion and its drift check only: what follows the raw layer is tested on the demo.
        return run_ingest("api-study", home=str(tmp_path / "home"), studies_dir=str(studies), instance=instance,
                          limesurvey=resource, **kwargs)

    def query(sql, params=()):
        path = tmp_path / "home" / "api-study" / "raw.duckdb"
        if not path.exists():
            return None
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute(sql, list(params)).fetchall()

    return run, query, instance


def _export_ranges(server, survey_id):
    return [(p[7], p[8]) for p in server.method_calls("export_responses") if p[1] == survey_id]


def test_first_load_then_incremental_then_nothing(server, setup, monkeypatch):
    monkeypatch.setenv("TOEGANG_PSEUDONYM_KEY", "test-key")
    run, query, _ = setup
    run()
    assert query("SELECT survey_id, count(*) FROM responses GROUP BY ALL ORDER BY 1") == [(PARENTS, 200), (ACTORS, 31)]
    assert query("SELECT DISTINCT source, origin FROM loads") == [("limesurvey", server.url)]
    assert query("SELECT count(*) FROM survey_structures")[0][0] == 2
    first_ranges = _export_ranges(server, PARENTS)
    assert all(last - first < 50 for first, last in first_ranges)  # paged, never one big call

    # 100 new responses: the next load asks only for ids after the last one, plus the incomplete ones.
    all_parents = read_export(load_study(DEMO_STUDY).surveys[0].export).responses
    server.surveys[PARENTS].responses = [dict(r) for r in all_parents]
    stored_max = query("SELECT max(response_id) FROM responses WHERE survey_id = ?", [PARENTS])[0][0]
    incomplete = {r[0] for r in query(
        "SELECT response_id FROM responses WHERE survey_id = ? AND NOT completed", [PARENTS])}
    server.calls.clear()
    run()
    assert query("SELECT count(*) FROM responses WHERE survey_id = ?", [PARENTS])[0][0] == len(all_parents)
    ranges = _export_ranges(server, PARENTS)
    for first, last in ranges:
        assert first > stored_max or any(first <= i <= last for i in incomplete)
    assert any(first == stored_max + 1 for first, _ in ranges)
    assert query("SELECT responses_inserted FROM loads WHERE survey_id = ? ORDER BY load_seq DESC LIMIT 1",
                 [PARENTS])[0][0] >= len(all_parents) - 200
    # Nothing changed on the server: nothing is added.
    before = query("SELECT count(*) FROM responses")[0][0]
    run()
    assert query("SELECT count(*) FROM responses")[0][0] == before


def test_an_edit_is_a_new_version_on_rescan(server, setup, monkeypatch):
    monkeypatch.setenv("TOEGANG_PSEUDONYM_KEY", "test-key")
    run, query, _ = setup
    run()
    edited = next(r for r in server.surveys[PARENTS].responses if r["submitdate"])
    edited["kinderen"] = "9"
    run()  # an incremental load does not look at completed responses again
    assert query("SELECT count(*) FROM responses WHERE response_id = ? AND survey_id = ?",
                 [int(edited["id"]), PARENTS])[0][0] == 1
    run(full_rescan=True)
    versions = query(f"SELECT kinderen FROM ({raw.versions_sql('api-study', PARENTS)}) WHERE response_id = ? "
                     "ORDER BY load_seq", [int(edited["id"])])
    assert len(versions) == 2 and versions[-1][0] == "9"


def test_wrong_password_is_a_clear_error_and_writes_nothing(server, setup, monkeypatch, caplog):
    monkeypatch.setenv("TOEGANG_PSEUDONYM_KEY", "test-key")
    run, query, _ = setup
    with pytest.raises(LimeSurveyError, match="get_session_key: Invalid user name or password"):
        run(password="not-the-password")
    assert (query("SELECT count(*) FROM responses") or [(0,)])[0][0] == 0
    assert (query("SELECT count(*) FROM loads") or [(0,)])[0][0] == 0


def test_connection_dropped_mid_export_leaves_no_partial_rows(server, setup, monkeypatch):
    monkeypatch.setenv("TOEGANG_PSEUDONYM_KEY", "test-key")
    run, query, _ = setup
    server.drop_export_call = 3  # the third export call (a page of parents) is cut off, every retry too
    server.fail_next = 0
    with pytest.raises(LimeSurveyError, match="export_responses \\(survey 418201\\)"):
        run()
    assert (query("SELECT count(*) FROM responses") or [(0,)])[0][0] == 0
    server.drop_export_call = None
    run()
    assert query("SELECT count(*) FROM responses")[0][0] == 231


def test_an_expired_session_key_is_renewed_once(server, setup, monkeypatch):
    monkeypatch.setenv("TOEGANG_PSEUDONYM_KEY", "test-key")
    run, query, _ = setup
    original = server.rpc_export_responses
    calls = {"n": 0}

    def expire_then_export(*params):
        calls["n"] += 1
        if calls["n"] == 2:
            server.expire_keys()
            return {"status": "Invalid session key"}
        return original(*params)

    server.rpc_export_responses = expire_then_export
    run()
    assert query("SELECT count(*) FROM responses")[0][0] == 231
    assert len(server.method_calls("get_session_key")) >= 3  # two surveys, plus one renewal


def test_drift_check_fails_on_a_renamed_question_and_a_removed_answer(server, setup, monkeypatch):
    monkeypatch.setenv("TOEGANG_PSEUDONYM_KEY", "test-key")
    run, query, instance = setup
    survey = server.surveys[PARENTS]
    questions = []
    for q in survey.instrument.questions:
        if q.code == "opleiding":
            q = replace(q, code="diploma")
        if q.code == "kindleeftijd":
            q = replace(q, answers=tuple(a for a in q.answers if a.code != "K6"))
        questions.append(q)
    survey.instrument = replace(survey.instrument, questions=tuple(questions))
    with pytest.raises(Exception) as error:
        run()
    evaluations = [e for e in instance.all_logs(instance.get_runs()[0].run_id)
                   if e.dagster_event and e.dagster_event.event_type_value == "ASSET_CHECK_EVALUATION"]
    description = " ".join(str(e.dagster_event.event_specific_data.description) for e in evaluations)
    assert "question 'diploma' is on the server but not in the codebook" in description
    assert "question 'opleiding' is in the codebook but not on the server" in description
    assert "question 'kindleeftijd': answer 'K6' is in the codebook but not on the server" in description
    assert "survey_structure_matches_codebook" in str(error.value), repr(error.value)


def test_the_password_reaches_no_log_line(server, setup, monkeypatch, caplog):
    monkeypatch.setenv("TOEGANG_PSEUDONYM_KEY", "test-key")
    run, query, instance = setup
    caplog.set_level(logging.DEBUG)
    run()
    with pytest.raises(LimeSurveyError) as error:
        run(password="wrong-" + PASSWORD)
    texts = [r.getMessage() for r in caplog.records] + [str(error.value)]
    for record in instance.get_runs():
        texts += [e.message or "" for e in instance.all_logs(record.run_id)]
        texts += [str(e.dagster_event) for e in instance.all_logs(record.run_id) if e.dagster_event]
    assert texts and not [t for t in texts if PASSWORD in t]
    assert not [row for row in query("SELECT * FROM loads") if PASSWORD in str(row)]
