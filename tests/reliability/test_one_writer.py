"""One writer at a time: a process that finds the warehouse locked waits (TOEGANG_LOCK_WAIT) or stops with a
clear message; two overlapping runs of the same wave both complete in turn and leave what one run leaves;
Dagster runs that write the warehouse share one pool limited to one run."""

import subprocess
import sys
import threading
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.runner import run_study, write_dagster_yaml
from warehouse.connection import WarehouseLocked, connect, lock_wait_seconds
from warehouse.paths import Locations
from benchmarks.harness.processes import tables_of, toegang_process

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


def test_a_waiting_connection_gets_the_warehouse_once_the_other_process_lets_go(locations):
    with Holder(locations.warehouse) as holder:
        threading.Timer(0.5, holder.release).start()
        with connect(locations, lock_wait=120) as con:  # waits, then sees what the holder committed
            assert con.execute("SELECT note FROM held").fetchall() == [("written while holding the lock",)]


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
    with Holder(home / "toegang.duckdb") as holder:
        result = CliRunner().invoke(app, ["ingest", "--home", str(home)],
                                    env={"TOEGANG_LOCK_WAIT": "0", "DAGSTER_HOME": str(tmp_path / "dagster")})
    assert result.exit_code == 1
    assert f"error: the warehouse {home / 'toegang.duckdb'} is in use by process {holder.process.pid}" in result.output
    assert "Traceback" not in result.output


@pytest.mark.e2e
def test_two_overlapping_runs_of_a_wave_complete_in_turn_and_equal_one_run(tmp_path):
    shared = Locations(tmp_path / "shared", tmp_path / "site", tmp_path / "build")
    runs = [toegang_process(tmp_path, name, "run", "--wave", "2018", "--home", str(shared.home),
                     "--site", str(tmp_path / f"site-{name}"), "--build", str(tmp_path / f"build-{name}"))
            for name in ("a", "b")]
    # Meanwhile, the reference: the same wave run once, alone.
    alone = run_study("demo-brussels", ["2018"], home=str(tmp_path / "alone"), site=str(tmp_path / "site-alone"),
                      build=str(tmp_path / "build-alone"), instance=dg.DagsterInstance.ephemeral())
    outputs = [run.communicate(timeout=900)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert all("Study demo-brussels, waves 2018: done." in out for out in outputs)
    overlapping, reference = tables_of(shared), tables_of(alone.locations)
    assert overlapping.keys() == reference.keys()
    for name in reference:
        assert overlapping[name] == reference[name], name
    assert sum(n for _, _, n in reference["raw versions"]) == 277 + 31
    with duckdb.connect(str(shared.raw), read_only=True) as con:  # both runs loaded; the second added nothing
        loads = con.execute("SELECT survey_id, list(responses_inserted ORDER BY load_seq) FROM loads "
                            "GROUP BY ALL ORDER BY ALL").fetchall()
    assert loads == [(418201, [277, 0]), (418202, [31, 0])]


def test_runs_writing_the_warehouse_share_one_pool_limited_to_one_run(tmp_path):
    from pipelines.definitions import defs
    from pipelines.resources.warehouse import WAREHOUSE_POOL

    graph = defs.resolve_asset_graph()
    pools = {key.to_user_string(): graph.get(key).pools for key in graph.get_all_asset_keys()}
    writers = {"raw_responses", "codebook", "clean_parent_responses", "clean_field_actor_responses",
               "quality_flags", "quality_report", "raking_weights", "indicators", "wave_differences", "exports",
               "dashboard_site"}
    assert {name for name, p in pools.items() if WAREHOUSE_POOL in p} == writers
    write_dagster_yaml(tmp_path)
    instance = dg.DagsterInstance.from_config(str(tmp_path))
    config = instance.get_concurrency_config().pool_config
    assert (config.pool_granularity.value, config.default_pool_limit) == ("run", 1)
    assert instance.run_monitoring_enabled
