"""One writer at a time per study, studies side by side: a process that finds a study's warehouse locked waits
(TOEGANG_LOCK_WAIT, logging that it waits) or stops with a clear message; two overlapping runs of the same wave
complete in turn and leave what one run leaves, while a run of a second study in the same TOEGANG_HOME goes on at
the same time without waiting for a lock; Dagster runs that write a study's warehouse share the study's pool,
limited to one run, and each study has its own."""

import subprocess
import sys
import threading
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.runner import write_dagster_yaml
from warehouse.connection import WarehouseLocked, connect, lock_wait_seconds
from benchmarks.harness.processes import WAITING, overlapping_runs, tables_of

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE IF NOT EXISTS held (note VARCHAR)")
con.execute("INSERT INTO held VALUES ('written while holding the lock')")
print("holding", flush=True)
sys.stdin.readline()  # hold the lock until told to let go
con.close()
"""


class Holder:
    """Another process holding the warehouse file open for writing."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "holding"

    def release(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.write("go\n")
            self.process.stdin.flush()
            self.process.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


def test_a_locked_warehouse_is_refused_naming_file_holder_and_setting(locations):
    with Holder(locations.warehouse) as holder:
        with pytest.raises(WarehouseLocked) as error:
            with connect(locations, lock_wait=0):
                pass
    message = str(error.value)
    assert str(locations.warehouse) in message and f"process {holder.process.pid}" in message
    assert "TOEGANG_LOCK_WAIT" in message


def test_a_waiting_connection_gets_the_warehouse_once_the_other_process_lets_go(locations, caplog):
    with Holder(locations.warehouse) as holder:
        threading.Timer(0.5, holder.release).start()
        with connect(locations, lock_wait=120) as con:  # waits, then sees what the holder committed
            assert con.execute("SELECT note FROM held").fetchall() == [("written while holding the lock",)]
    waits = [r.getMessage() for r in caplog.records if WAITING in r.getMessage()]
    assert waits == [f"{WAITING} {locations.warehouse}, in use by process {holder.process.pid} (at most 120 s, "
                     "TOEGANG_LOCK_WAIT)"]


def test_lock_wait_setting():
    assert lock_wait_seconds({}) == 300 and lock_wait_seconds({"TOEGANG_LOCK_WAIT": "2.5"}) == 2.5
    assert lock_wait_seconds({"TOEGANG_LOCK_WAIT": "-1"}) == 0
    for bad in ("soon", "inf", "nan"):
        with pytest.raises(ValueError, match="TOEGANG_LOCK_WAIT"):
            lock_wait_seconds({"TOEGANG_LOCK_WAIT": bad})


def test_the_cli_names_a_wrong_lock_wait_setting(tmp_path):
    result = CliRunner().invoke(app, ["ingest", "--home", str(tmp_path / "home")],
                                env={"TOEGANG_LOCK_WAIT": "a while", "DAGSTER_HOME": str(tmp_path / "dagster")})
    assert result.exit_code == 1 and "error: TOEGANG_LOCK_WAIT='a while' is not a number of seconds" in result.output


def test_the_cli_stops_with_a_clear_message_when_the_warehouse_stays_locked(tmp_path):
    home = tmp_path / "home"
    warehouse = home / "demo-brussels" / "toegang.duckdb"
    with Holder(warehouse) as holder:
        result = CliRunner().invoke(app, ["ingest", "--home", str(home)],
                                    env={"TOEGANG_LOCK_WAIT": "0", "DAGSTER_HOME": str(tmp_path / "dagster")})
    assert result.exit_code == 1
    assert f"error: the warehouse {warehouse} is in use by process {holder.process.pid}" in result.output
    assert "Traceback" not in result.output


@pytest.mark.e2e
def test_overlapping_runs_take_turns_within_a_study_and_never_wait_across_studies(tmp_path, demo_2018):
    """Three `toegang run` processes at once in one TOEGANG_HOME (benchmarks/harness/processes.py): two of the
    demo's wave 2018, which take turns on the demo's files, and one of a second study with TOEGANG_LOCK_WAIT=0,
    which runs while the demo's do, never waiting for a lock (any wait would end it at once). The reference: the
    same wave run once, alone (the session's ``demo_2018``)."""
    _, alone = demo_2018
    done = overlapping_runs(tmp_path / "overlap")
    assert done.codes == {"a": 0, "b": 0, "c": 0}, done.outputs
    assert all("Study demo-brussels, waves 2018: done." in done.outputs[name] for name in "ab")
    assert "Study support-models, waves 2025: done." in done.outputs["c"]
    # Neither study waited for the other: the second never waited at all, the demo's runs only for each other.
    assert not done.waits("c")
    assert all(str(done.demo.home) in line for line in done.waits("a") + done.waits("b"))
    assert done.overlap_seconds() > 0, done.runs  # the second study ran while a demo run did
    overlapping, reference = tables_of(done.demo), tables_of(alone)
    assert overlapping.keys() == reference.keys()
    for name in reference:
        assert overlapping[name] == reference[name], name
    assert sum(n for _, _, n in reference["raw versions"]) == 277 + 31
    with duckdb.connect(str(done.demo.raw), read_only=True) as con:  # both runs loaded; the second added nothing
        loads = con.execute("SELECT survey_id, list(responses_inserted ORDER BY load_seq) FROM loads "
                            "GROUP BY ALL ORDER BY ALL").fetchall()
    assert loads == [(418201, [277, 0]), (418202, [31, 0])]
    second = tables_of(done.second)  # the second study's warehouse is whole: every response, its indicators
    assert sum(n for _, _, n in second["raw versions"]) == done.second_responses
    assert second["indicators.indicators"] and second["weighted.client_weights"]
    with duckdb.connect(str(done.second.warehouse), read_only=True) as con:
        assert con.execute("SELECT DISTINCT study_id FROM indicators.indicators").fetchall() == [("support-models",)]
    with duckdb.connect(str(done.demo.warehouse), read_only=True) as con:
        assert con.execute("SELECT DISTINCT study_id FROM indicators.indicators").fetchall() == [("demo-brussels",)]


def test_runs_writing_a_study_share_its_pool_limited_to_one_run(tmp_path):
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    # The demo's assets (the bundled folder holds other studies beside it, each with its own pool).
    pools = {key.path[-1]: graph.get(key).pools for key in graph.get_all_asset_keys() if key.path[0] == "demo_brussels"}
    writers = {"raw_responses", "fieldwork_monitor", "codebook", "clean_parent_responses", "clean_field_actor_responses",
               "quality_flags", "quality_report", "raking_weights", "indicators", "wave_differences", "exports",
               "dashboard_site"}
    assert {name for name, p in pools.items() if p == {"toegang_demo_brussels"}} == writers
    assert pools["instrument_files"] == set()  # writes build/ only
    write_dagster_yaml(tmp_path)
    instance = dg.DagsterInstance.from_config(str(tmp_path))
    config = instance.get_concurrency_config().pool_config
    # One run at a time per pool, that is per study; pools of other studies (test_definitions.py) are other pools.
    assert (config.pool_granularity.value, config.default_pool_limit) == ("run", 1)
    assert instance.run_monitoring_enabled
