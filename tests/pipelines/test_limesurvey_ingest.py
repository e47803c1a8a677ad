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


# --- toegang ingest on the command line: refusals with their reason, exit codes, one line per retry ---------


def _cli(tmp_path: Path, url: str, password: str = PASSWORD) -> tuple[dict, Path]:
    studies = write_study(tmp_path / "studies", "api-study", [
        {"survey_id": PARENTS, "instrument": "parent", "wave": "2018"},
        {"survey_id": ACTORS, "instrument": "field_actor", "wave": "2018"}])
    env = {"LIMESURVEY_URL": url, "LIMESURVEY_USERNAME": "admin", "LIMESURVEY_PASSWORD": password,
           "TOEGANG_STUDIES": str(studies), "TOEGANG_HOME": str(tmp_path / "home"),
           "TOEGANG_PSEUDONYM_KEY": "test-key", "DAGSTER_HOME": str(tmp_path / "dagster"), "TOEGANG_DEBUG": ""}
    return env, tmp_path / "home" / "api-study" / "raw.duckdb"


def _ingest(env: dict, *options: str):
    from typer.testing import CliRunner

    from pipelines.cli import app

    return CliRunner().invoke(app, [*options, "ingest", "--study", "api-study"], env=env)


def test_a_renamed_question_is_named_by_toegang_ingest_without_a_traceback(server, tmp_path):
    env, raw_file = _cli(tmp_path, server.url)
    survey = server.surveys[PARENTS]
    survey.instrument = replace(survey.instrument, questions=tuple(
        replace(q, code="diploma") if q.code == "opleiding" else q for q in survey.instrument.questions))
    result = _ingest(env)
    assert result.exit_code == 1, result.output
    assert "check survey_structure_matches_codebook failed (api_study/raw_responses, wave 2018)" in result.output
    assert f"survey {PARENTS}: question 'diploma' is on the server but not in the codebook" in result.output
    assert f"survey {PARENTS}: question 'opleiding' is in the codebook but not on the server" in result.output
    assert "next: " in result.output and "toegang ingest --study api-study" in result.output
    assert "Traceback" not in result.output and "Stack Trace" not in result.output
    with duckdb.connect(str(raw_file), read_only=True) as con:  # what was read stays: the check stops what follows
        assert con.execute("SELECT count(DISTINCT response_id) FROM responses WHERE survey_id = ?",
                           [PARENTS]).fetchall()[0][0] == len(survey.responses)


def test_exit_codes_of_toegang_ingest(server, tmp_path):
    env, raw_file = _cli(tmp_path, server.url, password="wrong-" + PASSWORD)
    refused = _ingest(env)
    assert refused.exit_code == 3, refused.output
    assert "Invalid user name or password" in refused.output and "Traceback" not in refused.output
    assert not raw_file.exists() or not duckdb.connect(str(raw_file), read_only=True).execute(
        "SELECT count(*) FROM responses").fetchall()[0][0]
    debug = _ingest(env, "--debug")  # the traceback on request, and the same exit code
    assert debug.exit_code == 3 and "Traceback" in debug.output and "Invalid user name or password" in debug.output
    assert _ingest({**env, "TOEGANG_STUDIES": str(tmp_path / "nowhere")}).exit_code == 1
    usage = _ingest(env, "--no-such-option")
    assert usage.exit_code == 2
    env["LIMESURVEY_PASSWORD"] = PASSWORD
    assert _ingest(env).exit_code == 0


def test_an_ingest_that_finds_nothing_new_records_its_load_without_a_run(server, tmp_path):
    env, raw_file = _cli(tmp_path, server.url)
    first = _ingest(env)
    assert first.exit_code == 0 and "raw layer loaded for wave(s) 2018" in first.output
    again = _ingest(env)
    assert again.exit_code == 0, again.output
    assert "nothing new or changed" in again.output and "no run was needed" in again.output
    with duckdb.connect(str(raw_file), read_only=True) as con:
        loads = con.execute("SELECT survey_id, responses_inserted FROM loads ORDER BY load_seq").fetchall()
    assert sorted(loads[:2]) == sorted([(PARENTS, len(server.surveys[PARENTS].responses)),
                                        (ACTORS, len(server.surveys[ACTORS].responses))])
    assert sorted(loads[2:]) == [(PARENTS, 0), (ACTORS, 0)]
    runs = dg.DagsterInstance.from_config(str(tmp_path / "dagster")).get_runs()
    assert len(runs) == 1  # the first load's run; the second needed none
    # New responses, and the next ingest is a run again.
    server.surveys[PARENTS].responses = [dict(r) for r in read_export(load_study(DEMO_STUDY).surveys[0].export).responses]
    third = _ingest(env)
    assert third.exit_code == 0 and "raw layer loaded" in third.output, third.output


def test_an_unreachable_server_prints_one_line_per_retry_and_exits_3(tmp_path):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env, _ = _cli(tmp_path, f"http://127.0.0.1:{port}/index.php/admin/remotecontrol")
    result = _ingest(env)  # the resource's defaults: 3 retries, backoff 1 s (0 + 2 + 4 s)
    assert result.exit_code == 3, result.output
    lines = result.output.splitlines()
    retries = [line for line in lines if "retry" in line and "Connection refused" in line]
    assert retries == [f"  LimeSurvey server 127.0.0.1:{port}: [Errno 111] Connection refused; retry {k} of 3 in "
                       f"{wait:.1f} s" for k, wait in ((1, 0), (2, 2), (3, 4))]
    assert lines[-1] == (f"error: LimeSurvey get_session_key: http://127.0.0.1:{port}/index.php/admin/remotecontrol "
                         "did not answer ([Errno 111] Connection refused) after 3 retries: is LIMESURVEY_URL right "
                         "and the server up?")
    assert len(lines) == 4 and "Traceback" not in result.output


def test_no_message_carries_the_userinfo_of_a_url():
    """requests rebuilds a URL (the host lower-cased), so replacing LIMESURVEY_URL's own text is not enough."""
    from pipelines.limesurvey import LimeSurveyConnection, ServerSettings

    connection = object.__new__(LimeSurveyConnection)
    connection._resource = ServerSettings(url="https://bob:s3cret@LimeSurvey.Example.org/rc", username="bob",
                                          password="s3cret")
    connection.endpoint = "https://limesurvey.example.org/rc"
    text = connection._describe(RuntimeError("401 for url: https://bob:s3cret@limesurvey.example.org/rc?x=1"))
    assert "s3cret" not in text and "bob:" not in text and "https://limesurvey.example.org/rc" in text
