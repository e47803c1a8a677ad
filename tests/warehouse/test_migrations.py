"""warehouse/migrations.py: each file records its schema version; pending migrations run in order, each
with its version row in one transaction; a failed one is rolled back; a newer file is refused; a file from
before versioning counts as the baseline."""

import duckdb
import pytest

from warehouse.connection import connect
from warehouse.migrations import MIGRATIONS, RAW, WAREHOUSE, Migration, SchemaTooNew, stored_versions, upgrade
from warehouse.schema import _create


W_NEXT, R_NEXT = len(MIGRATIONS[WAREHOUSE]) + 1, len(MIGRATIONS[RAW]) + 1  # the next version of each file


def _versions(con, table):
    return con.execute(f"SELECT version, description FROM {table} ORDER BY version").fetchall()


def test_a_new_warehouse_is_stamped_with_the_latest_versions(con):
    assert stored_versions(con) == {WAREHOUSE: len(MIGRATIONS[WAREHOUSE]), RAW: len(MIGRATIONS[RAW])}
    assert _versions(con, "meta.schema_version")[0] == (1, MIGRATIONS[WAREHOUSE][0].description)
    assert _versions(con, "raw.schema_version")[0] == (1, MIGRATIONS[RAW][0].description)


def _add_column(con):
    con.execute("ALTER TABLE meta.run_failures ADD COLUMN attempt INTEGER DEFAULT 1")


def _note_on_loads(con):
    con.execute("ALTER TABLE raw.loads ADD COLUMN note VARCHAR")


def test_pending_migrations_run_in_order_once(locations):
    with connect(locations) as con:
        con.execute("INSERT INTO meta.run_failures VALUES ('r1', 'job', NULL, now()::TIMESTAMP, 'boom')")
    newer = {WAREHOUSE: (*MIGRATIONS[WAREHOUSE], Migration(W_NEXT, "run failures count attempts", _add_column)),
             RAW: (*MIGRATIONS[RAW], Migration(R_NEXT, "loads carry a note", _note_on_loads))}
    with connect(locations) as con:
        applied = upgrade(con, _create, newer)
        assert applied == [f"warehouse {W_NEXT}: run failures count attempts", f"raw {R_NEXT}: loads carry a note"]
        assert stored_versions(con) == {WAREHOUSE: W_NEXT, RAW: R_NEXT}
        assert con.execute("SELECT run_id, attempt FROM meta.run_failures").fetchall() == [("r1", 1)]
        assert upgrade(con, _create, newer) == []  # already there: nothing runs twice


def test_a_failing_migration_is_rolled_back_and_named(locations):
    def half_then_fail(con):
        _add_column(con)
        con.execute("SELECT * FROM no_such_table")

    broken = {WAREHOUSE: (*MIGRATIONS[WAREHOUSE], Migration(W_NEXT, "half a change", half_then_fail)),
              RAW: MIGRATIONS[RAW]}
    with connect(locations) as con:
        with pytest.raises(RuntimeError, match=f"warehouse migration {W_NEXT} \\(half a change\\) failed and was rolled back"):
            upgrade(con, _create, broken)
        assert stored_versions(con)[WAREHOUSE] == W_NEXT - 1
        columns = [r[0] for r in con.execute("DESCRIBE meta.run_failures").fetchall()]
        assert "attempt" not in columns


def test_a_warehouse_from_a_newer_toegang_is_refused(locations):
    with connect(locations) as con:
        con.execute("INSERT INTO meta.schema_version (version, description) VALUES (99, 'from the future')")
    with pytest.raises(SchemaTooNew, match="schema version 99, newer than this Toegang knows"):
        with connect(locations):
            pass


def test_a_warehouse_from_before_versioning_counts_as_the_baseline(locations):
    locations.ensure()
    with duckdb.connect(str(locations.warehouse)) as con:  # the layout as the previous code left it
        con.execute(f"ATTACH '{locations.raw}' AS raw")
        _create(con)
    newer = {WAREHOUSE: (*MIGRATIONS[WAREHOUSE], Migration(W_NEXT, "run failures count attempts", _add_column)),
             RAW: MIGRATIONS[RAW]}
    with duckdb.connect(str(locations.warehouse)) as con:
        con.execute(f"ATTACH '{locations.raw}' AS raw")
        assert stored_versions(con) == {WAREHOUSE: 1, RAW: 1}  # tables, no version table: the baseline
    with connect(locations) as con:  # connecting runs every migration since the baseline, in order
        assert [v for v, _ in _versions(con, "meta.schema_version")] == list(range(1, W_NEXT))
        assert [v for v, _ in _versions(con, "raw.schema_version")] == list(range(1, R_NEXT))
        assert upgrade(con, _create, newer) == [f"warehouse {W_NEXT}: run failures count attempts"]


@pytest.mark.parametrize("versions", [(2,), (1, 3), (1, 1)])
def test_migrations_must_be_numbered_in_order(con, versions):
    bad = {WAREHOUSE: tuple(Migration(v, "x", lambda c: None) for v in versions), RAW: MIGRATIONS[RAW]}
    with pytest.raises(ValueError, match="numbered 1, 2, 3"):
        upgrade(con, _create, bad)


def test_a_json_raw_layer_with_responses_is_refused_and_an_empty_one_is_converted(tmp_path):
    import duckdb

    from warehouse.connection import connect
    from warehouse.migrations import MigrationRefused
    from warehouse.paths import Locations

    def old_raw(home, rows):
        home.mkdir(parents=True)
        with duckdb.connect(str(home / "raw.duckdb")) as con:  # the layout before versioning (version 1)
            con.execute("CREATE TABLE responses (study_id VARCHAR, survey_id BIGINT, response_id BIGINT, "
                        "load_seq BIGINT, payload JSON)")
            for i in range(rows):
                con.execute("INSERT INTO responses VALUES ('s', 1, ?, 1, '{}')", [i + 1])
        return Locations(home=home, site=tmp_path / "site", build=tmp_path / "build")

    with pytest.raises(MigrationRefused, match="ingest them again into a new TOEGANG_HOME"):
        with connect(old_raw(tmp_path / "full", 2)):
            pass
    with duckdb.connect(str(tmp_path / "full" / "raw.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM responses").fetchall()[0][0] == 2  # nothing changed
    with connect(old_raw(tmp_path / "empty", 0)) as con:
        columns = {r[0] for r in con.execute("DESCRIBE raw.responses").fetchall()}
        assert {"respondent_id", "completed"} <= columns and "payload" not in columns


def test_warehouse_3_adds_the_interval_columns_to_a_version_2_warehouse(locations):
    new_columns = ("df", "n_eff_kg", "nchs_flag")
    with connect(locations) as con:  # made as Toegang at warehouse version 2 left it: without the columns
        con.execute("INSERT INTO indicators.indicators (study_id, wave, indicator, measure, instrument, breakdown, "
                    "domain, unit, ci_method, weighted, suppressed, run_id, instrument_version, code_version) "
                    "VALUES ('s', '2018', 'x', 'x', 'parent', 'all', 'all', 'proportion', 'logit', true, false, "
                    "'r', 'v', 'c')")
        for column in new_columns:
            con.execute(f"ALTER TABLE indicators.indicators DROP COLUMN {column}")
        con.execute("DELETE FROM meta.schema_version WHERE version = 3")
    with connect(locations) as con:
        assert stored_versions(con)[WAREHOUSE] == len(MIGRATIONS[WAREHOUSE]) >= 3
        rows = con.execute("SELECT indicator, df, n_eff_kg, nchs_flag FROM indicators.indicators").fetchall()
    assert rows == [("x", None, None, None)]  # the old row is kept; a rerun fills its wave


def test_warehouse_6_adds_the_run_history_to_a_version_5_warehouse(locations):
    with connect(locations) as con:  # made as Toegang at warehouse version 5 left it: no run history
        con.execute("INSERT INTO indicators.indicators (study_id, wave, indicator, measure, instrument, breakdown, "
                    "domain, unit, ci_method, weighted, suppressed, run_id, instrument_version, code_version) "
                    "VALUES ('s', '2018', 'x', 'x', 'parent', 'all', 'all', 'proportion', 'beta', true, false, "
                    "'r', 'v', 'c')")
        con.execute("DROP TABLE meta.indicator_runs")
        con.execute("DROP TABLE meta.indicator_history")
        con.execute("DROP TABLE meta.mailings")  # warehouse 7
        con.execute("DELETE FROM meta.schema_version WHERE version >= 6")
        assert stored_versions(con)[WAREHOUSE] == 5
    with connect(locations) as con:
        assert stored_versions(con)[WAREHOUSE] == len(MIGRATIONS[WAREHOUSE]) >= 6
        assert con.execute("SELECT count(*) FROM meta.indicator_runs").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM meta.indicator_history").fetchall() == [(0,)]
        assert con.execute("SELECT indicator FROM indicators.indicators").fetchall() == [("x",)]


def test_warehouse_7_adds_the_mailing_log_to_a_version_6_warehouse(locations):
    with connect(locations) as con:  # as Toegang at warehouse version 6 left it: no mailing log
        con.execute("DROP TABLE meta.mailings")
        con.execute("DELETE FROM meta.schema_version WHERE version >= 7")
        assert stored_versions(con)[WAREHOUSE] == 6
    with connect(locations) as con:
        assert stored_versions(con)[WAREHOUSE] == len(MIGRATIONS[WAREHOUSE]) >= 7
        assert con.execute("SELECT count(*) FROM meta.mailings").fetchall() == [(0,)]


def test_warehouse_8_adds_the_pair_differences_to_a_version_7_warehouse(locations):
    with connect(locations) as con:  # as Toegang at warehouse version 7 left it: no tested pairs
        con.execute("DROP TABLE indicators.pair_differences")
        con.execute("DELETE FROM meta.schema_version WHERE version = 8")
        assert stored_versions(con)[WAREHOUSE] == 7
    with connect(locations) as con:
        assert stored_versions(con)[WAREHOUSE] == len(MIGRATIONS[WAREHOUSE]) >= 8
        assert con.execute("SELECT count(*) FROM indicators.pair_differences").fetchall() == [(0,)]
