"""Schema versions and ordered migrations of the two DuckDB files.

Each file records its own version (``meta.schema_version`` in the warehouse, ``raw.schema_version`` in the
raw layer): they are backed up, shared and restored separately, and DuckDB lets one transaction write to
one file only, so a migration and its version row commit together in the file they change.

On every writing connection ``upgrade`` runs:
1. a file newer than this code knows is refused (``SchemaTooNew``): old code must not write a new layout;
2. a file with tables but no version table predates versioning: it is at the baseline, version 1;
3. the pending migrations of each file run in order, each in its own transaction with its version row;
4. the DDL of ``warehouse/schema.py`` (``CREATE ... IF NOT EXISTS``) adds tables that are new;
5. a file that was empty is stamped with the latest version (the DDL is the latest layout).

To change the layout: change the DDL (what a new file gets) and append a ``Migration`` that brings an
existing file from the previous version to the same layout. Migrations change existing tables; new tables
come from the DDL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import duckdb

from warehouse.sql import quote_ident

WAREHOUSE, RAW = "warehouse", "raw"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[duckdb.DuckDBPyConnection], None]


def _baseline(con: duckdb.DuckDBPyConnection) -> None:
    """Version 1 is the layout this module was introduced with: nothing to change."""


class MigrationRefused(RuntimeError):
    """A migration that cannot be done in place; the message says what to do instead."""


def _columnar_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Raw 2: exported values move from one JSON ``payload`` per version to per-survey answers tables, and each
    version carries its pseudonym. The pseudonym needs the key, which never reaches the warehouse, so a raw
    layer with responses cannot be converted here: it is refused, and nothing changes."""
    columns = {row[0] for row in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = 'raw' AND table_name = 'responses'").fetchall()}
    if "payload" not in columns:
        return
    if con.execute("SELECT count(*) FROM raw.responses").fetchall()[0][0]:
        raise MigrationRefused(
            "this raw layer stores responses as JSON (Toegang before the columnar raw layer); ingest them again "
            "into a new TOEGANG_HOME (the export files or LimeSurvey hold them), then retire this one")
    con.execute("DROP TABLE raw.responses")  # empty: the DDL creates the new layout


def _drop_awareness_table(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouse 2: ``indicators.awareness_by_neighbourhood`` is replaced by ``indicators.indicators``
    (``awareness_rate.<service>``, breakdown ``neighbourhood``); a rerun recomputes every wave."""
    con.execute("DROP TABLE IF EXISTS indicators.awareness_by_neighbourhood")


def _interval_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouse 3: indicator rows say the degrees of freedom of their interval, Korn-Graubard's effective size
    and the NCHS flag of a proportion; a rerun fills them (existing rows keep NULL: their intervals predate
    them)."""
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'indicators' "
                         "AND table_name = 'indicators' AND database_name = current_database()").fetchall()[0][0]
    if exists:
        for column, kind in (("df", "INTEGER"), ("n_eff_kg", "DOUBLE"), ("nchs_flag", "VARCHAR")):
            con.execute(f"ALTER TABLE indicators.indicators ADD COLUMN IF NOT EXISTS {column} {kind}")


def _weighting_design(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouse 4: each weighted wave records the design and trimming its weights were made under, so a stage
    never reads weights made under another; existing rows keep NULL (weighted before designs: none)."""
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'weighted' "
                         "AND table_name = 'weighting_diagnostics' AND database_name = current_database()"
                         ).fetchall()[0][0]
    if exists:
        con.execute("ALTER TABLE weighted.weighting_diagnostics ADD COLUMN IF NOT EXISTS design JSON")


def _count_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouse 5: an unweighted proportion's row carries its numerator, and whether it is published as that
    count alone; a rerun fills them (existing rows keep NULL)."""
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'indicators' "
                         "AND table_name = 'indicators' AND database_name = current_database()").fetchall()[0][0]
    if exists:
        for column, kind in (("numerator", "INTEGER"), ("as_count", "BOOLEAN")):
            con.execute(f"ALTER TABLE indicators.indicators ADD COLUMN IF NOT EXISTS {column} {kind}")


def _run_history(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouse 6: ``meta.indicator_runs`` and ``meta.indicator_history`` keep each wave's latest and previous
    indicator runs (warehouse/changes.py). New tables, so the DDL makes them; the version keeps code that would
    replace indicator rows without them away. A wave published before is recorded from its rows when it is next
    computed (``warehouse.changes.seed``)."""


def _mailings(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouse 7: ``meta.mailings`` logs each invitation and reminder run, in counts (pipelines/mailing.py). A new
    table, so the DDL makes it; the version keeps older code, which would not log its mailings, away."""


def _pair_differences(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouse 8: ``indicators.pair_differences`` holds each wave's tested pairs of categories, which the
    overview's key findings choose from. A new table, so the DDL makes it; the version keeps older code, which
    would replace a wave's indicator rows and leave its pairs stale, away."""


MIGRATIONS: Mapping[str, Sequence[Migration]] = {
    WAREHOUSE: (Migration(1, "baseline: clean, weighted, indicators and meta tables", _baseline),
                Migration(2, "indicators.indicators replaces indicators.awareness_by_neighbourhood",
                          _drop_awareness_table),
                Migration(3, "indicator rows carry df, n_eff_kg and nchs_flag", _interval_columns),
                Migration(4, "weighting diagnostics record the design the weights were made under",
                          _weighting_design),
                Migration(5, "indicator rows carry an unweighted proportion's numerator and whether it is shown as a "
                             "count", _count_columns),
                Migration(6, "meta.indicator_runs and meta.indicator_history keep each wave's latest and previous "
                             "indicator runs", _run_history),
                Migration(7, "meta.mailings logs each invitation and reminder run (counts only)", _mailings),
                Migration(8, "indicators.pair_differences: each wave's tested pairs of a compared breakdown's "
                             "categories", _pair_differences)),
    RAW: (Migration(1, "baseline: loads, responses and survey structures", _baseline),
          Migration(2, "columnar raw layer: per-survey answers tables, pseudonyms at load", _columnar_raw)),
}

# The schema of each file's version table (the warehouse's catalog is named after its file).
_VERSION_TABLE = {WAREHOUSE: (None, "meta"), RAW: ("raw", "main")}


class SchemaTooNew(RuntimeError):
    """A file written by a newer Toegang: this code does not know its layout and must not write to it."""


def _catalog(con: duckdb.DuckDBPyConnection, part: str) -> str:
    # The warehouse catalog is named after its file (toegang.duckdb -> toegang); tests may use other names.
    return con.execute("SELECT current_database()").fetchall()[0][0] if part == WAREHOUSE else "raw"


def _check_order(migrations: Sequence[Migration], part: str) -> None:
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"{part} migrations must be numbered 1, 2, 3... in order, not {versions}")


def stored_versions(con: duckdb.DuckDBPyConnection) -> dict[str, int | None]:
    """Each file's recorded version; 1 for a file with tables from before versioning; None when empty."""
    versions: dict[str, int | None] = {}
    for part in (WAREHOUSE, RAW):
        catalog, schema = _catalog(con, part), _VERSION_TABLE[part][1]
        tables = {row[0] for row in con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = ?",
            [catalog]).fetchall()}
        if f"{schema}.schema_version" in tables:
            table = f"{quote_ident(catalog)}.{quote_ident(schema)}.schema_version"
            # Empty only when a new file's first connection stopped before its stamp: still new.
            versions[part] = con.execute(f"SELECT max(version) FROM {table}").fetchall()[0][0]
        else:
            versions[part] = 1 if tables else None
    return versions


def latest_versions(migrations: Mapping[str, Sequence[Migration]] = MIGRATIONS) -> dict[str, int]:
    return {part: migrations[part][-1].version for part in (WAREHOUSE, RAW)}


def upgrade(con: duckdb.DuckDBPyConnection, create: Callable[[duckdb.DuckDBPyConnection], None],
            migrations: Mapping[str, Sequence[Migration]] = MIGRATIONS, where: str = "the warehouse") -> list[str]:
    """Bring both files to the latest version; return what was applied ("warehouse 2: ...")."""
    for part in (WAREHOUSE, RAW):
        _check_order(migrations[part], part)
    found, latest = stored_versions(con), latest_versions(migrations)
    for part in (WAREHOUSE, RAW):
        if found[part] is not None and found[part] > latest[part]:
            raise SchemaTooNew(f"{where}: the {part} file has schema version {found[part]}, newer than this "
                               f"Toegang knows ({latest[part]}); upgrade Toegang or restore an older backup")
    applied = []
    for part in (WAREHOUSE, RAW):
        catalog, schema = _catalog(con, part), _VERSION_TABLE[part][1]
        table = f"{quote_ident(catalog)}.{quote_ident(schema)}.schema_version"
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_ident(catalog)}.{quote_ident(schema)}")
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} (version INTEGER PRIMARY KEY, "
                    "description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp())")
        if found[part] is None:
            continue  # empty: the DDL below creates the latest layout, stamped after it
        recorded = {row[0] for row in con.execute(f"SELECT version FROM {table}").fetchall()}
        for migration in migrations[part]:
            if migration.version in recorded:
                continue
            con.execute("BEGIN TRANSACTION")
            try:
                migration.apply(con)
                con.execute(f"INSERT INTO {table} (version, description) VALUES (?, ?)",
                            [migration.version, migration.description])
            except BaseException as exc:
                con.execute("ROLLBACK")
                if isinstance(exc, duckdb.Error):
                    raise RuntimeError(f"{where}: {part} migration {migration.version} ({migration.description}) "
                                       f"failed and was rolled back: {exc}") from exc
                raise
            con.execute("COMMIT")
            applied.append(f"{part} {migration.version}: {migration.description}")
    create(con)
    for part in (WAREHOUSE, RAW):
        if found[part] is None:
            catalog, schema = _catalog(con, part), _VERSION_TABLE[part][1]
            table = f"{quote_ident(catalog)}.{quote_ident(schema)}.schema_version"
            con.executemany(f"INSERT INTO {table} (version, description) VALUES (?, ?) ON CONFLICT DO NOTHING",
                            [[m.version, m.description] for m in migrations[part]])
    return applied
