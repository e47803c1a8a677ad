"""warehouse/homes.py and `toegang migrate-home`: a home of the old, shared layout (toegang.duckdb and raw.duckdb at
its top, inbox/<study>/, archive/<study>/, quarantine/<study>/, exports/<study>/) moves into <home>/<study>/ whole
and logged; a home holding several studies, a home in use and an existing target are refused, changing nothing;
an interruption before the switch leaves the old layout and one after it the new one, and running the command
again finishes; until a home is migrated, runs refuse it with the command to run."""

import json
import os
import shutil

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from tests.reliability.test_one_writer import Holder
from warehouse import homes
from warehouse.connection import connect
from warehouse.homes import HomeMigrationRefused, OldHomeLayout, migrate_home
from warehouse.paths import Locations

STUDY = "demo-brussels"


def _old_home(study_home, root):
    """The old layout, made from a study's home of the new one (the session's demo warehouse)."""
    root.mkdir(parents=True)
    for name in ("toegang.duckdb", "raw.duckdb"):
        shutil.copy(study_home / name, root / name)
    (root / "toegang.duckdb.before-restore-20260101T000000Z").write_bytes(b"an older warehouse")
    for folder, name, text in (("inbox", "results-survey421201.csv", "dropped"),
                               ("archive", "20260101T000000Z_results-survey421201.csv", "loaded"),
                               ("quarantine", "20260101T000000Z_notes.txt", "refused"),
                               ("quarantine", "20260101T000000Z_notes.txt.reason.txt", "why")):
        (root / folder / STUDY).mkdir(parents=True, exist_ok=True)
        (root / folder / STUDY / name).write_text(text, encoding="utf-8")
    shutil.copytree(study_home / "exports", root / "exports" / STUDY)
    return root


def _counts(path) -> dict:
    with duckdb.connect(str(path / "toegang.duckdb"), read_only=True) as con:
        con.execute(f"ATTACH '{path / 'raw.duckdb'}' AS raw (READ_ONLY)")
        tables = con.execute("SELECT database_name, schema_name, table_name FROM duckdb_tables() "
                             "ORDER BY ALL").fetchall()
        return {f"{d}.{s}.{t}": con.execute(f'SELECT count(*) FROM "{d}"."{s}"."{t}"').fetchall()[0][0]
                for d, s, t in tables}


def _listing(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.fixture
def old_home(warehouse, tmp_path):
    _, locations = warehouse
    return _old_home(locations.home, tmp_path / "home")


def test_an_old_home_is_refused_until_migrated_then_moves_whole_and_logged(warehouse, old_home, tmp_path):
    _, locations = warehouse
    before = _counts(old_home)
    old_exports = old_home / "exports" / STUDY
    exports = sorted(str(p.relative_to(old_exports)) for p in old_exports.rglob("*"))
    with pytest.raises(OldHomeLayout, match=f"toegang migrate-home --home {old_home}"):
        with connect(Locations.of_study(STUDY, home=old_home)):
            pass
    refused = CliRunner().invoke(app, ["ingest", "--home", str(old_home)],
                                 env={"DAGSTER_HOME": str(tmp_path / "dagster")})
    assert refused.exit_code == 1 and "toegang migrate-home" in refused.output and "Traceback" not in refused.output
    assert not (old_home / STUDY).exists()  # the run did not start a new home beside the old one

    result = CliRunner().invoke(app, ["migrate-home", "--home", str(old_home)])
    assert result.exit_code == 0, result.output
    new = old_home / STUDY
    moved = len(list((new / "exports").rglob("*.*"))) + 7  # the files, the backups and the inbox's, besides the exports
    assert f"study {STUDY}: {moved} files moved into {new.resolve()}" in result.output
    assert "toegang.duckdb -> demo-brussels/toegang.duckdb" in result.output
    assert [p.name for p in old_home.iterdir()] == [STUDY]  # nothing of the old layout is left
    assert (new / "inbox" / "results-survey421201.csv").read_text() == "dropped"
    assert (new / "archive" / "20260101T000000Z_results-survey421201.csv").read_text() == "loaded"
    assert (new / "quarantine" / "20260101T000000Z_notes.txt.reason.txt").read_text() == "why"
    assert (new / "toegang.duckdb.before-restore-20260101T000000Z").read_bytes() == b"an older warehouse"
    assert sorted(str(p.relative_to(new / "exports")) for p in (new / "exports").rglob("*")) == exports
    record = json.loads((new / "migrated-home.json").read_text(encoding="utf-8"))
    assert record["study_id"] == STUDY and ["raw.duckdb", "demo-brussels/raw.duckdb"] in record["moved"]
    assert len(record["moved"]) == moved and record["files"] == "hard links"
    assert _counts(new) == before
    with connect(Locations.of_study(STUDY, home=old_home)) as con:  # the new layout takes writes
        con.execute("INSERT INTO meta.run_failures VALUES ('after', 'j', NULL, now()::TIMESTAMP, 'm')")
    again = CliRunner().invoke(app, ["migrate-home", "--home", str(old_home)])
    assert again.exit_code == 1 and "holds no warehouse of the old layout" in again.output


def test_a_home_of_several_studies_in_use_or_with_a_target_is_refused_unchanged(old_home, tmp_path):
    listing = _listing(old_home)
    (old_home / "inbox" / "other-study").mkdir()
    (old_home / "inbox" / "other-study" / "results-survey1.csv").write_text("x")
    with pytest.raises(HomeMigrationRefused, match=r"holds 2 studies \(demo-brussels, other-study\)"):
        migrate_home(old_home)
    shutil.rmtree(old_home / "inbox" / "other-study")
    with duckdb.connect(str(old_home / "raw.duckdb")) as con:
        con.execute("INSERT INTO purges VALUES ('p', now()::TIMESTAMP, 'other-study', NULL, 'respondents', 'r', 'o', "
                    "0, 0, 0, [])")
    with pytest.raises(HomeMigrationRefused, match="a DuckDB file cannot be split by moving it"):
        migrate_home(old_home)
    with duckdb.connect(str(old_home / "raw.duckdb")) as con:
        con.execute("DELETE FROM purges WHERE study_id = 'other-study'")
    with pytest.raises(HomeMigrationRefused, match="holds 1 studies .* a home holds one study"):
        migrate_home(old_home, "another-study")  # --study must be the one the home holds
    with Holder(old_home / "toegang.duckdb"):
        result = CliRunner().invoke(app, ["migrate-home", "--home", str(old_home)])
    assert result.exit_code == 1 and "is in use" in result.output and "stop its runs" in result.output
    (old_home / STUDY).mkdir()
    with pytest.raises(HomeMigrationRefused, match=f"{old_home / STUDY} exists"):
        migrate_home(old_home)
    (old_home / STUDY).rmdir()
    assert _listing(old_home) == listing


def test_an_empty_old_home_needs_the_study_named(tmp_path):
    root = tmp_path / "home"
    root.mkdir()
    duckdb.connect(str(root / "toegang.duckdb")).close()
    with pytest.raises(HomeMigrationRefused, match="holds no responses of any study: say whose home it is"):
        migrate_home(root)
    assert migrate_home(root, "support-models").home == root / "support-models"
    assert (root / "support-models" / "toegang.duckdb").is_file()


def test_an_interruption_before_the_switch_leaves_the_old_layout_and_after_it_the_new(old_home, monkeypatch):
    listing, before = _listing(old_home), _counts(old_home)
    real_rename = os.rename

    def killed(source, target):  # the moment of the switch: everything is linked into the staging folder
        raise KeyboardInterrupt

    monkeypatch.setattr(homes.os, "rename", killed)
    with pytest.raises(KeyboardInterrupt):
        migrate_home(old_home)
    monkeypatch.setattr(homes.os, "rename", real_rename)
    assert [p for p in _listing(old_home) if not p.startswith(".migrate-home-")] == listing  # old layout whole
    assert _counts(old_home) == before

    real_remove = homes._remove_old

    def killed_while_removing(root, record, log):
        (root / "toegang.duckdb").unlink()  # one old name gone, the others still there
        raise KeyboardInterrupt

    monkeypatch.setattr(homes, "_remove_old", killed_while_removing)
    with pytest.raises(KeyboardInterrupt):
        migrate_home(old_home)  # removes the staging folder left above, then starts again
    monkeypatch.setattr(homes, "_remove_old", real_remove)
    assert not list(old_home.glob(".migrate-home-*")) and (old_home / "raw.duckdb").exists()
    assert _counts(old_home / STUDY) == before  # the new layout is whole and in use
    with connect(Locations.of_study(STUDY, home=old_home)) as con:
        con.execute("INSERT INTO meta.run_failures VALUES ('between', 'j', NULL, now()::TIMESTAMP, 'm')")
    result = CliRunner().invoke(app, ["migrate-home", "--home", str(old_home)])
    assert result.exit_code == 0 and f"finished the migration of study {STUDY}" in result.output
    assert [p.name for p in old_home.iterdir()] == [STUDY]
