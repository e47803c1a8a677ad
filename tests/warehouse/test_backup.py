"""warehouse/backup.py and `toegang backup`/`toegang restore --study`: a study's warehouse round-trips exactly
(every table's rows and column types, constraints, views, schema versions, in both files) into the study's home;
a damaged or altered backup, a backup of another study and an existing warehouse are refused; a replaced
warehouse is kept beside the restored one."""

import json

import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from warehouse.backup import BackupError, backup, restore
from warehouse.connection import connect
from warehouse.paths import Locations
from warehouse.migrations import latest_versions


def _state(locations: Locations) -> dict:
    """Everything a warehouse holds, per file: rows, columns and types, constraints, views."""
    state = {}
    with connect(locations, read_only=True) as con:
        for catalog in (con.execute("SELECT current_database()").fetchall()[0][0], "raw"):
            part = "raw" if catalog == "raw" else "warehouse"
            tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? "
                                 "ORDER BY ALL", [catalog]).fetchall()
            for schema, table in tables:
                name = f'"{catalog}"."{schema}"."{table}"'
                state[f"{part}.{schema}.{table}"] = {
                    "rows": con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall(),
                    "columns": con.execute("SELECT column_name, data_type, is_nullable FROM duckdb_columns() "
                                           "WHERE database_name = ? AND schema_name = ? AND table_name = ? "
                                           "ORDER BY column_index", [catalog, schema, table]).fetchall(),
                    "constraints": con.execute("SELECT constraint_type, constraint_text FROM duckdb_constraints() "
                                               "WHERE database_name = ? AND schema_name = ? AND table_name = ? "
                                               "ORDER BY ALL", [catalog, schema, table]).fetchall(),
                }
            state[f"{part} views"] = con.execute("SELECT schema_name, view_name, sql FROM duckdb_views() "
                                                 "WHERE database_name = ? AND NOT internal ORDER BY ALL",
                                                 [catalog]).fetchall()
    return state


STUDY = "demo-brussels"


def test_backup_and_restore_round_trip_a_warehouse_exactly(warehouse, tmp_path):
    _, locations = warehouse
    before = _state(locations)
    assert len(before["warehouse.clean.parent_responses"]["rows"]) > 100  # a real warehouse, not an empty one
    assert locations.home.name == STUDY  # the study's home: <TOEGANG_HOME>/<study>/
    result = CliRunner().invoke(app, ["backup", str(tmp_path / "copy"), "--study", STUDY,
                                      "--home", str(locations.home.parent)])
    assert result.exit_code == 0, result.output
    assert f"backup of study {STUDY} written" in result.output
    manifest = json.loads((tmp_path / "copy" / "manifest.json").read_text())
    assert manifest["rows"]["raw"]["main.responses"] == 214 + 28
    assert manifest["schema_versions"] == latest_versions() and manifest["study_id"] == STUDY
    restored = Locations.of_study(STUDY, home=tmp_path / "restored")
    other = CliRunner().invoke(app, ["restore", str(tmp_path / "copy"), "--study", "support-models",
                                     "--home", str(tmp_path / "restored")])
    assert other.exit_code == 1 and "is a backup of study 'demo-brussels', not 'support-models'" in other.output
    result = CliRunner().invoke(app, ["restore", str(tmp_path / "copy"), "--home", str(tmp_path / "restored")],
                                env={"TOEGANG_STUDY": STUDY})
    assert result.exit_code == 0, result.output
    assert f"into {restored.home.resolve()}" in result.output
    after = _state(restored)
    assert after.keys() == before.keys()
    for name in before:
        assert after[name] == before[name], name
    with connect(restored) as con:  # and the restored warehouse takes writes again
        con.execute("INSERT INTO meta.run_failures VALUES ('r', 'j', NULL, now()::TIMESTAMP, 'm')")


def test_a_changed_or_incomplete_backup_is_refused(warehouse, tmp_path):
    _, locations = warehouse
    backup(locations, tmp_path / "copy")
    load = tmp_path / "copy" / "warehouse" / "load.sql"
    load.write_text(load.read_text() + "\nCOPY (SELECT 1) TO '/tmp/owned.csv';\n")
    with pytest.raises(BackupError, match="warehouse/load.sql was changed or damaged"):
        restore(tmp_path / "copy", Locations(tmp_path / "r1", tmp_path / "s", tmp_path / "b"))
    next((tmp_path / "copy" / "raw").glob("*.parquet")).unlink()
    with pytest.raises(BackupError, match="files differ from the manifest"):
        restore(tmp_path / "copy", Locations(tmp_path / "r2", tmp_path / "s", tmp_path / "b"))
    assert not (tmp_path / "r1" / "toegang.duckdb").exists() and not (tmp_path / "r2" / "toegang.duckdb").exists()
    with pytest.raises(BackupError, match="not a Toegang backup"):
        restore(tmp_path, Locations(tmp_path / "r3", tmp_path / "s", tmp_path / "b"))


def test_restore_never_overwrites_unless_asked_and_then_keeps_the_old_files(warehouse, tmp_path):
    _, locations = warehouse
    backup(locations, tmp_path / "copy")
    target = Locations.of_study(STUDY, home=tmp_path / "home")
    with connect(target) as con:
        con.execute("INSERT INTO meta.run_failures VALUES ('kept', 'j', NULL, now()::TIMESTAMP, 'm')")
    home = str(tmp_path / "home")
    result = CliRunner().invoke(app, ["restore", str(tmp_path / "copy"), "--home", home])
    assert result.exit_code == 1 and "exists; restore into an empty home or pass --replace" in result.output
    result = CliRunner().invoke(app, ["restore", str(tmp_path / "copy"), "--home", home, "--replace"])
    assert result.exit_code == 0, result.output
    assert _state(target) == _state(locations)
    kept = sorted(p.name for p in target.home.glob("*.before-restore-*"))
    assert [name.split(".before-restore-")[0] for name in kept] == ["raw.duckdb", "toegang.duckdb"]


def test_backup_refuses_a_folder_in_use(warehouse, tmp_path):
    _, locations = warehouse
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(BackupError, match="exists and is not an empty folder"):
        backup(locations, tmp_path / "busy")
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["notes.txt"]
