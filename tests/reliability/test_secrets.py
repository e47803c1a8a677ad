"""Secrets and personal data: after a full run against the LimeSurvey test server, the LimeSurvey password
and the pseudonym key appear nowhere (not even in the raw layer), and the respondents' tokens, IP addresses
and e-mail addresses appear nowhere outside the raw layer: not in a log line, the Dagster instance, the
warehouse (every table and the file's bytes), the site, the build folder or a backup of the warehouse."""

import logging
from pathlib import Path

import dagster as dg
import pytest

from instruments.limesurvey_export import META_COLUMNS, read_export
from instruments.study import DEMO_STUDY, load_study
from pipelines.runner import run_study, write_dagster_yaml
from tests.conftest import write_study
from tests.limesurvey_server import LimeSurveyTestServer
from warehouse.backup import backup
from warehouse.connection import connect

pytestmark = pytest.mark.e2e
PASSWORD = "Pw-7c1e9b0f-not-in-any-file"
PSEUDONYM_KEY = "pseudonym-key-5d2a-not-in-any-file"


def _personal(responses: list[dict], instrument, survey_id: int) -> tuple[list[dict], dict[str, set[str]]]:
    """The responses with a distinct token, IP address and e-mail address each, the latter two also in
    every free-text answer; and the values planted, by kind."""
    free = [c.name for c in instrument.columns() if c.free_text]
    planted: dict[str, set[str]] = {"token": set(), "ip": set(), "email": set()}
    out = []
    for n, response in enumerate(responses, start=1):
        token, ip = f"TKN{survey_id}x{n:05d}q", f"10.{survey_id % 200}.{n // 250}.{n % 250 + 1}"
        email = f"parent.{survey_id}.{n}@example-mail.be"
        row = {**response, "token": token, "ipaddr": ip}
        for column in free:
            row[column] = f"mail me at {email} (from {ip})"
        planted["token"].add(token)
        planted["ip"].add(ip)
        planted["email"].add(email)
        out.append(row)
    return out, planted


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("secrets")
    demo = load_study(DEMO_STUDY)
    server = LimeSurveyTestServer(password=PASSWORD).start()
    planted: dict[str, set[str]] = {"token": set(), "ip": set(), "email": set()}
    for survey in demo.surveys_in("2018"):
        instrument = demo.instrument(survey.instrument, "2018")
        responses, values = _personal([dict(r) for r in read_export(survey.export).responses], instrument,
                                      survey.survey_id)
        stored = server.add_survey(survey.survey_id, instrument, responses)
        # A survey that records IP addresses exports an ipaddr column after the meta columns.
        stored.columns = lambda instrument=instrument: [*META_COLUMNS, "ipaddr",
                                                        *(c.name for c in instrument.columns())]
        for kind in planted:
            planted[kind] |= values[kind]
    studies = write_study(root / "studies", "secret-study", [
        {"survey_id": s.survey_id, "instrument": s.instrument, "wave": "2018",
         **({"margins": str(s.margins)} if s.margins else {})} for s in demo.surveys_in("2018")])
    mp = pytest.MonkeyPatch()
    for name, value in (("LIMESURVEY_URL", server.url), ("LIMESURVEY_USERNAME", "admin"),
                        ("LIMESURVEY_PASSWORD", PASSWORD), ("TOEGANG_PSEUDONYM_KEY", PSEUDONYM_KEY)):
        mp.setenv(name, value)
    handler = _Collect()
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.DEBUG)
    dagster_home = root / "dagster"
    write_dagster_yaml(dagster_home)
    try:
        done = run_study("secret-study", home=str(root / "home"), site=str(root / "site"),
                         build=str(root / "build"), studies_dir=str(studies), log_level="DEBUG",
                         instance=dg.DagsterInstance.from_config(str(dagster_home)))
        backup(done.locations, root / "backup")
    finally:
        logging.getLogger().removeHandler(handler)
        mp.undo()
        server.stop()
    return root, done.locations, planted, handler.lines


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


def _found(text: str, values: set[str]) -> list[str]:
    return sorted(v for v in values if v in text)


def _files_text(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_bytes().decode("utf-8", "replace")
            for p in folder.rglob("*") if p.is_file()}


def test_the_run_really_carried_personal_data_into_the_raw_layer(full_run):
    _, locations, planted, _ = full_run
    email, token, ip = (sorted(planted[k])[0] for k in ("email", "token", "ip"))
    with connect(locations, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw.responses").fetchall()[0][0] == 277 + 31
        assert con.execute("SELECT count(*) FROM clean.parent_responses").fetchall()[0][0] > 200
        # The scan used below finds them where they are allowed: the raw layer.
        found = set()
        for schema, table in con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                                         "WHERE database_name = 'raw'").fetchall():
            for value in (email, token, ip):
                if con.execute(f'SELECT count(*) FROM raw."{schema}"."{table}" AS t '
                               "WHERE contains(CAST(t AS VARCHAR), ?)", [value]).fetchall()[0][0]:
                    found.add(value)
        assert found == {email, token, ip}
    assert len(planted["token"]) == len(planted["email"]) == 277 + 31


def test_no_secret_or_personal_data_in_the_logs(full_run):
    _, _, planted, lines = full_run  # every log record of the run, Dagster's included, at DEBUG
    text = "\n".join(lines)
    assert len(lines) > 20
    assert PASSWORD not in text and PSEUDONYM_KEY not in text
    for kind, values in planted.items():
        assert _found(text, values) == [], kind


def test_no_secret_or_personal_data_in_the_dagster_instance(full_run):
    root, _, planted, _ = full_run
    files = _files_text(root / "dagster")
    assert any(name.endswith(".db") for name in files)  # the run's event log is there
    for name, text in files.items():
        assert PASSWORD not in text and PSEUDONYM_KEY not in text, name
        for kind, values in planted.items():
            assert _found(text, values) == [], (name, kind)


def test_no_secret_or_personal_data_in_the_warehouse(full_run):
    _, locations, planted, _ = full_run
    everything = planted["token"] | planted["ip"] | planted["email"] | {PASSWORD, PSEUDONYM_KEY}
    with connect(locations, read_only=True) as con:
        con.execute("CREATE TEMP TABLE needles AS SELECT unnest(?::VARCHAR[]) AS needle", [sorted(everything)])
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'toegang' "
                             "UNION ALL SELECT schema_name, view_name FROM duckdb_views() "
                             "WHERE database_name = 'toegang' AND NOT internal").fetchall()
        assert len(tables) >= 8
        for schema, table in tables:
            hits = con.execute(f'SELECT DISTINCT n.needle FROM "{schema}"."{table}" AS t, needles AS n '
                               "WHERE contains(CAST(t AS VARCHAR), n.needle)").fetchall()
            assert hits == [], f"{schema}.{table}"
        # The raw layer may hold tokens and addresses, never the password or the key.
        for schema, table in con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                                         "WHERE database_name = 'raw'").fetchall():
            hits = con.execute(f'SELECT count(*) FROM raw."{schema}"."{table}" AS t WHERE '
                               "contains(CAST(t AS VARCHAR), ?) OR contains(CAST(t AS VARCHAR), ?)",
                               [PASSWORD, PSEUDONYM_KEY]).fetchall()[0][0]
            assert hits == 0, f"raw.{schema}.{table}"
    data = locations.warehouse.read_bytes().decode("utf-8", "replace")
    assert _found(data, everything) == []
    assert PASSWORD not in locations.raw.read_bytes().decode("utf-8", "replace")


def test_no_secret_or_personal_data_on_the_site_in_the_build_or_in_the_warehouse_backup(full_run):
    root, locations, planted, _ = full_run
    folders = {"site": locations.site, "build": locations.build, "backup": root / "backup" / "warehouse"}
    for label, folder in folders.items():
        files = _files_text(folder)
        assert files, label
        for name, text in files.items():
            assert PASSWORD not in text and PSEUDONYM_KEY not in text, (label, name)
            for kind, values in planted.items():
                assert _found(text, values) == [], (label, name, kind)
