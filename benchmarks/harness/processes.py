"""`toegang` commands in their own processes, the tables a run leaves (to compare runs), and the overlapping-runs
scenario shared by tests/reliability/test_one_writer.py and `make reliability`."""

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.connection import connect
from warehouse.paths import Locations
from warehouse.tables import qualified

ROOT = Path(__file__).resolve().parents[2]
WAITING = "waiting for the warehouse"  # warehouse/connection.py logs this once when it has to wait for a lock


def toegang_process(root: Path, name: str, *args: str, **env: str) -> subprocess.Popen:
    """``toegang ARGS`` in its own process, with its own Dagster instance (``root/dagster-<name>``: what is under
    test is the warehouse lock, not SQLite's) and TOEGANG_LOCK_WAIT 600 unless ``env`` says otherwise."""
    env = {**os.environ, "DAGSTER_HOME": str(root / f"dagster-{name}"), "TOEGANG_LOCK_WAIT": "600", **env}
    return subprocess.Popen([sys.executable, "-m", "pipelines.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def tables_of(locations: Locations) -> dict[str, list]:
    """Every derived table's rows (not the run id each run stamps), and each stored response version (not its
    load's id or time)."""
    with connect(locations, read_only=True) as con:
        names = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'toegang' "
                            "AND schema_name <> 'meta' ORDER BY ALL").fetchall()
        tables = {}
        for s, t in names:
            columns = {r[0] for r in con.execute(f"DESCRIBE {qualified(s, t)}").fetchall()}
            chosen = "* EXCLUDE (run_id)" if "run_id" in columns else "*"
            tables[f"{s}.{t}"] = con.execute(f"SELECT {chosen} FROM {qualified(s, t)} ORDER BY ALL").fetchall()
        tables["meta.codebook"] = con.execute("SELECT * FROM meta.codebook ORDER BY ALL").fetchall()
        tables["raw versions"] = con.execute("SELECT survey_id, response_id, count(*) FROM raw.responses "
                                             "GROUP BY ALL ORDER BY ALL").fetchall()
    return tables


def run_intervals(dagster_home: Path) -> list[tuple[float, float]]:
    """(start, end) of every finished run recorded in a process's Dagster instance, in seconds since the epoch."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        return sorted((r.start_time, r.end_time) for r in instance.get_run_records()
                      if r.start_time is not None and r.end_time is not None)


@dataclass
class Overlap:
    """What the overlapping-runs scenario left: per process its exit code, output and runs; the two homes."""

    codes: dict[str, int]
    outputs: dict[str, str]
    runs: dict[str, list[tuple[float, float]]]
    demo: Locations  # the demo's home, written by processes a and b
    second: Locations  # the second study's, written by process c, beside it
    second_responses: int  # the generated responses of the second study
    notes: list[str] = field(default_factory=list)

    def waits(self, name: str) -> list[str]:
        return [line for line in self.outputs[name].splitlines() if WAITING in line]

    def overlap_seconds(self) -> float:
        """How long the second study's runs went on while a run of the demo did."""
        return sum(max(0.0, min(e1, e2) - max(s1, s2)) for s1, e1 in self.runs["c"]
                   for s2, e2 in self.runs["a"] + self.runs["b"])


def overlapping_runs(folder: Path, timeout: float = 1800) -> Overlap:
    """Three `toegang run` processes at once on one TOEGANG_HOME: a and b the demo's wave 2018 (one study, one
    writer: they take turns on its files, waiting up to 600 s), c a second study (benchmarks/harness/studies.py)
    with TOEGANG_LOCK_WAIT=0, so that any wait for a lock would end it at once."""
    from benchmarks.harness.studies import SECOND_STUDY, second_study
    from instruments.study import DEMO_STUDY

    studies = second_study(folder / "studies")
    home = folder / "home"
    demo = ("run", "--wave", "2018", "--home", str(home))
    processes = {name: toegang_process(folder, name, *demo, "--site", str(folder / f"site-{name}"),
                                       "--build", str(folder / f"build-{name}")) for name in ("a", "b")}
    processes["c"] = toegang_process(folder, "c", "run", "--study", SECOND_STUDY, "--home", str(home), "--site",
                                     str(folder / "site-c"), "--build", str(folder / "build-c"),
                                     TOEGANG_STUDIES=str(studies), TOEGANG_LOCK_WAIT="0")
    outputs = {name: process.communicate(timeout=timeout)[0] for name, process in processes.items()}
    from instruments.limesurvey_export import read_export
    from instruments.study import load_study

    second = load_study(SECOND_STUDY, studies)
    return Overlap(
        codes={name: process.returncode for name, process in processes.items()}, outputs=outputs,
        runs={name: run_intervals(folder / f"dagster-{name}") for name in processes},
        demo=Locations.of_study(DEMO_STUDY, home=home), second=Locations.of_study(SECOND_STUDY, home=home),
        second_responses=sum(len(read_export(s.export).responses) for s in second.surveys))
