"""A full run against the LimeSurvey test server with secrets and personal data planted, and the scans
that look for them where they must not be. Used by test_secrets.py and by the reliability run.

Planted: the LimeSurvey password and the pseudonym key (environment only); per response a distinct
token, IP address (an ``ipaddr`` column, as LimeSurvey exports when it records them) and e-mail address,
the latter two also in every free-text answer. The parents' survey has those respondents as participants (their
tokens, e-mail addresses and planted names) and a fieldwork plan, so the run's fieldwork monitor reads them from
the server. The raw layer may hold tokens and addresses; nothing else may.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "Pw-7c1e9b0f-not-in-any-file"
PSEUDONYM_KEY = "pseudonym-key-5d2a-not-in-any-file"


@dataclass
class PlantedRun:
    root: Path
    locations: object  # warehouse.paths.Locations
    planted: dict[str, set[str]]  # token / ip / email -> values
    log_lines: list[str]

    @property
    def secrets(self) -> set[str]:
        return {PASSWORD, PSEUDONYM_KEY}

    @property
    def personal(self) -> set[str]:
        return set().union(*self.planted.values())


def _personal(responses: list[dict], instrument, survey_id: int) -> tuple[list[dict], dict[str, set[str]]]:
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


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


def planted_run(root: Path) -> PlantedRun:
    """Wave 2018 of the demo study from the test server, credentials from the environment, every log
    record collected at DEBUG, then a backup of the warehouse."""
    import dagster as dg

    from instruments.limesurvey_export import META_COLUMNS, read_export
    from instruments.study import DEMO_STUDY, load_study
    from pipelines.runner import run_study, write_dagster_yaml
    from benchmarks.harness.studies import write_study
    from benchmarks.harness.limesurvey_server import LimeSurveyTestServer
    from warehouse.backup import backup

    demo = load_study(DEMO_STUDY)
    server = LimeSurveyTestServer(password=PASSWORD).start()
    planted: dict[str, set[str]] = {"token": set(), "ip": set(), "email": set()}
    for survey in demo.surveys_in("2018"):
        instrument = demo.instrument(survey.instrument, "2018")
        responses, values = _personal([dict(r) for r in read_export(survey.export).responses], instrument,
                                      survey.survey_id)
        stored = server.add_survey(survey.survey_id, instrument, responses)
        stored.columns = lambda instrument=instrument: [*META_COLUMNS, "ipaddr",
                                                        *(c.name for c in instrument.columns())]
        for kind in values:
            planted[kind] |= values[kind]
        if survey.instrument == "parent":
            server.add_participant_table(survey.survey_id)
            names = [f"Plantedname{survey.survey_id}x{n}" for n in range(1, len(responses) + 1)]
            server.rpc_add_participants(None, survey.survey_id, [
                {"token": r["token"], "email": email, "firstname": name, "lastname": "Fieldwork"}
                for r, email, name in zip(responses, sorted(values["email"], key=_number), names)], False)
            planted["name"] = set(names)
    studies = write_study(root / "studies", "secret-study", [
        {"survey_id": s.survey_id, "instrument": s.instrument, "wave": "2018",
         **({"margins": str(s.margins)} if s.margins else {})} for s in demo.surveys_in("2018")],
        fieldwork=[{"wave": "2018", "instrument": "parent", "window": {"start": "2018-01-01", "end": "2018-12-31"},
                    "targets": {"total": 300, "neighbourhood": {"W01": 80}}}])
    environment = {"LIMESURVEY_URL": server.url, "LIMESURVEY_USERNAME": "admin", "LIMESURVEY_PASSWORD": PASSWORD,
                   "TOEGANG_PSEUDONYM_KEY": PSEUDONYM_KEY}
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    handler, root_logger = _Collect(), logging.getLogger()
    level = root_logger.level
    root_logger.addHandler(handler)
    root_logger.setLevel(logging.DEBUG)
    write_dagster_yaml(root / "dagster")
    try:
        done = run_study("secret-study", home=str(root / "home"), site=str(root / "site"), build=str(root / "build"),
                         studies_dir=str(studies), log_level="DEBUG",
                         instance=dg.DagsterInstance.from_config(str(root / "dagster")))
        backup(done.locations, root / "backup")
    finally:
        root_logger.removeHandler(handler)
        root_logger.setLevel(level)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        server.stop()
    return PlantedRun(root, done.locations, planted, handler.lines)


def _number(email: str) -> int:
    """The respondent's number in a planted address (``parent.<survey>.<n>@...``), to pair it with its token."""
    return int(email.split("@")[0].rsplit(".", 1)[1])


@functools.lru_cache(maxsize=8)
def _any_of(values: frozenset[str]) -> re.Pattern:
    return re.compile("|".join(re.escape(v) for v in sorted(values)))


def _hits(text: str, values: set[str]) -> set[str]:
    # One pass of a regex of every value finds whether any is there at all (most texts hold none); only then is
    # each value looked for on its own, overlapping ones included.
    if not values or not _any_of(frozenset(values)).search(text):
        return set()
    return {v for v in values if v in text}


def _re2_literal(value: str) -> str:
    """``value`` as a literal in a DuckDB (RE2) regular expression: ASCII punctuation escaped."""
    return "".join(f"\\{c}" if c.isascii() and not c.isalnum() and c.isprintable() and c != " " else c
                   for c in value)


def scan_text(label: str, text: str, values: set[str]) -> list[str]:
    return [f"{label}: {v}" for v in sorted(_hits(text, values))]


def scan_folder(label: str, folder: Path, values: set[str]) -> list[str]:
    """Every file's bytes, read as text."""
    findings = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", "replace")
        findings += scan_text(f"{label}/{path.relative_to(folder)}", text, values)
    return findings


def scan_catalog(con, catalog: str, values: set[str]) -> list[str]:
    """Every row of every table and view of a DuckDB catalog, each row cast to text."""
    from warehouse.sql import quote_ident, sql_literal

    con.execute("CREATE OR REPLACE TEMP TABLE needles AS SELECT unnest(?::VARCHAR[]) AS needle", [sorted(values)])
    # Rows where no value can be are left out by one regex of them all before each row meets each value.
    any_of = sql_literal("|".join(_re2_literal(v) for v in sorted(values)))
    relations = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? "
                            "UNION ALL SELECT schema_name, view_name FROM duckdb_views() "
                            "WHERE database_name = ? AND NOT internal", [catalog, catalog]).fetchall()
    findings = []
    for schema, table in relations:
        name = ".".join(quote_ident(part) for part in (catalog, schema, table))
        hits = con.execute(f"SELECT DISTINCT n.needle FROM (SELECT CAST(t AS VARCHAR) AS row FROM {name} AS t "
                           f"WHERE regexp_matches(CAST(t AS VARCHAR), {any_of})) AS r, needles AS n "
                           "WHERE contains(r.row, n.needle) ORDER BY 1").fetchall()
        findings += [f"{catalog}.{schema}.{table}: {h[0]}" for h in hits]
    return findings


def scan_everything(run: PlantedRun) -> dict[str, list[str]]:
    """Findings per place; every list empty when the promise holds."""
    from warehouse.connection import connect

    outside_raw = run.secrets | run.personal
    loc = run.locations
    with connect(loc, read_only=True) as con:
        catalog = con.execute("SELECT current_database()").fetchall()[0][0]
        warehouse_rows = scan_catalog(con, catalog, outside_raw)
        raw_rows = scan_catalog(con, "raw", run.secrets)
    return {
        "logs": scan_text("log", "\n".join(run.log_lines), outside_raw),
        "dagster instance": scan_folder("dagster", run.root / "dagster", outside_raw),
        "warehouse tables": warehouse_rows,
        "warehouse file": scan_text(loc.warehouse.name, loc.warehouse.read_bytes().decode("utf-8", "replace"),
                                    outside_raw),
        "raw layer (secrets only)": raw_rows + scan_text(loc.raw.name, loc.raw.read_bytes().decode("utf-8", "replace"),
                                                         run.secrets),
        "site": scan_folder("site", loc.site, outside_raw),
        "build": scan_folder("build", loc.build, outside_raw),
        "fieldwork monitor": scan_folder("fieldwork", loc.home / "fieldwork", outside_raw),
        "warehouse backup": scan_folder("backup/warehouse", run.root / "backup" / "warehouse", outside_raw),
        "raw backup (secrets only)": scan_folder("backup/raw", run.root / "backup" / "raw", run.secrets),
    }
