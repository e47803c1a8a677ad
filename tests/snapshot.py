"""The demo snapshot: every published and cleaned row of the bundled demo, kept as a refactoring guard.

``python -m tests.snapshot`` runs the demo study end to end into a temporary home and writes
``tests/fixtures/demo_snapshot/``: one Parquet file per table or view of the schemas ``clean``,
``indicators`` and ``weighted`` and the table ``meta.codebook``, a copy of the compiled ``.lss`` and codebook
files, and ``manifest.json`` (tables with their columns, key and row count; files with their sha256; the
commit the snapshot was built at). ``tests/test_demo_snapshot.py`` compares a fresh run with it.

Compared: the files byte for byte; the tables by set, columns (names, order, types), row count and every
value, rows matched on the table's primary key (or, for tables and views without one, the shortest prefix of
their non-float columns that is unique), numbers to 1e-12 relative at or above 1 in magnitude and 1e-12
absolute below it, everything else exactly, NULLs in the same places. ``instrument_version`` and
``margins_version`` are compared like any text column: exactly.

Left out, because they stamp a run rather than describe its result (two runs of the same code differ in
nothing else; checked on the demo run twice):

- ``run_id``: the Dagster run that wrote the row, new on every run;
- ``code_version``: the git commit of the checkout (``-modified`` when dirty), which a refactoring changes
  by definition.

A change that moves numbers on purpose rebuilds the snapshot in the same commit and says which rows moved
and why; ``compare`` between the old and new folders lists them.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import duckdb

from warehouse.paths import Locations
from warehouse.sql import quote_ident, sql_literal

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = Path(__file__).resolve().parent / "fixtures" / "demo_snapshot"
STUDY = "demo-brussels"
SCHEMAS = ("clean", "indicators", "weighted")
TABLES = ("meta.codebook",)
EXCLUDED = {
    "run_id": "the Dagster run that wrote the row: new on every run",
    "code_version": "the git commit of the checkout: changes with every commit, refactorings included",
}
RELATIVE = 1e-12  # for |value| >= 1
ABSOLUTE = 1e-12  # for |value| < 1
FILE_PATTERNS = ("*.lss", "codebook*")
MANIFEST = "manifest.json"
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")


@contextmanager
def _without_toegang_environment() -> Iterator[None]:
    """The demo as committed: its own pseudonym key and paths, whatever this shell exports."""
    saved = {name: os.environ.pop(name) for name in list(os.environ) if name.startswith("TOEGANG_")}
    try:
        yield
    finally:
        os.environ.update(saved)


def run_demo(root: Path) -> Locations:
    """Materialise the demo study into ``root`` (home, site, build) in an ephemeral Dagster instance."""
    import dagster as dg

    from pipelines.runner import run_study

    root = Path(root)
    with _without_toegang_environment():
        run = run_study(STUDY, home=str(root / "home"), site=str(root / "site"), build=str(root / "build"),
                        instance=dg.DagsterInstance.ephemeral(), log_level="WARNING")
    return run.locations


def _commit() -> str:
    """The commit of this checkout, ``-modified`` when tracked files differ from it."""
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("-modified" if dirty else "")


def _catalog(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(schema, name, kind) of every table and view the snapshot holds, in name order."""
    wanted = ", ".join(sql_literal(s) for s in SCHEMAS)
    named = ", ".join(sql_literal(t) for t in TABLES)
    return con.execute(f"""
        SELECT schema_name, name, kind FROM (
            SELECT schema_name, table_name AS name, 'table' AS kind, database_name FROM duckdb_tables()
            UNION ALL
            SELECT schema_name, view_name, 'view', database_name FROM duckdb_views() WHERE NOT internal)
        WHERE database_name = current_database()
          AND (schema_name IN ({wanted}) OR schema_name || '.' || name IN ({named}))
        ORDER BY schema_name, name""").fetchall()


def _key(con: duckdb.DuckDBPyConnection, schema: str, name: str, columns: list[tuple[str, str]],
         rows: int) -> list[str] | None:
    """The columns that identify a row: the primary key, else the shortest unique prefix of the non-float
    columns (clean tables are made by CREATE TABLE AS and declare none), else None (rows by position)."""
    declared = con.execute("""SELECT constraint_column_names FROM duckdb_constraints()
                              WHERE database_name = current_database() AND schema_name = ? AND table_name = ?
                                AND constraint_type = 'PRIMARY KEY'""", [schema, name]).fetchall()
    names = {c for c, _ in columns}
    if declared and set(declared[0][0]) <= names:
        return list(declared[0][0])
    table = f"{quote_ident(schema)}.{quote_ident(name)}"
    prefix: list[str] = []
    for column, data_type in columns:
        if data_type.startswith(FLOAT_TYPES):
            continue
        prefix.append(column)
        listed = ", ".join(quote_ident(c) for c in prefix)
        if con.execute(f"SELECT count(*) FROM (SELECT DISTINCT {listed} FROM {table})").fetchall()[0][0] == rows:
            return prefix
    return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_snapshot(locations: Locations, out: Path = SNAPSHOT) -> dict:
    """Write the snapshot of a finished demo run at ``locations`` into ``out`` (replaced whole)."""
    out = Path(out)
    commit = _commit()  # before the old snapshot is removed: its removal is no change of the code
    if out.exists():
        if any(out.iterdir()) and not (out / MANIFEST).exists():
            raise FileExistsError(f"{out} holds files but no {MANIFEST}: not a snapshot folder, left alone")
        shutil.rmtree(out)
    (out / "tables").mkdir(parents=True)
    (out / "files").mkdir()
    manifest: dict = {"study": STUDY, "commit": commit, "excluded_columns": EXCLUDED,
                      "tolerance": {"relative_at_or_above_1": RELATIVE, "absolute_below_1": ABSOLUTE},
                      "tables": {}, "files": {}}
    with duckdb.connect(str(locations.warehouse), read_only=True) as con:
        if locations.raw.exists():  # views may read the raw layer, as in the pipeline's own connection
            con.execute(f"ATTACH {sql_literal(str(locations.raw))} AS raw (READ_ONLY)")
        for schema, name, kind in _catalog(con):
            columns = [(c, t) for c, t in con.execute(
                """SELECT column_name, data_type FROM duckdb_columns()
                   WHERE database_name = current_database() AND schema_name = ? AND table_name = ?
                   ORDER BY column_index""", [schema, name]).fetchall() if c not in EXCLUDED]
            table = f"{quote_ident(schema)}.{quote_ident(name)}"
            listed = ", ".join(quote_ident(c) for c, _ in columns)
            rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            target = out / "tables" / f"{schema}.{name}.parquet"
            # Sorted on every kept column, so the file and the comparison depend on no insertion order.
            con.execute(f"COPY (SELECT {listed} FROM {table} ORDER BY ALL) TO {sql_literal(str(target))} "
                        "(FORMAT parquet, COMPRESSION zstd)")
            manifest["tables"][f"{schema}.{name}"] = {
                "kind": kind, "columns": dict(columns),
                "key": _key(con, schema, name, columns, rows), "rows": rows,
                "parquet": target.relative_to(out).as_posix()}
    build = locations.build / STUDY
    for path in sorted({p for pattern in FILE_PATTERNS for p in build.glob(pattern) if p.is_file()}):
        shutil.copyfile(path, out / "files" / path.name)
        manifest["files"][path.name] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def compare(fresh: Locations | Path, snapshot: Path = SNAPSHOT, limit: int = 10) -> list[str]:
    """Every difference between ``fresh`` (a finished demo run's locations, or a snapshot folder) and
    ``snapshot``, one line each naming table, column, row key and both values; empty when they agree.
    At most ``limit`` rows are named per table and column (the rest are counted)."""
    if isinstance(fresh, Locations):
        with tempfile.TemporaryDirectory(prefix="toegang-snapshot-") as folder:
            write_snapshot(fresh, Path(folder) / "fresh")
            return compare(Path(folder) / "fresh", snapshot, limit)
    old, new = _manifest(Path(snapshot)), _manifest(Path(fresh))
    return (_compare_files(Path(snapshot), old, Path(fresh), new)
            + _compare_tables(Path(snapshot), old, Path(fresh), new, limit))


def _manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def _compare_files(old_dir: Path, old: dict, new_dir: Path, new: dict) -> list[str]:
    found = [f"file {name}: in the snapshot, not made now" for name in sorted(old["files"].keys() - new["files"])]
    found += [f"file {name}: made now, not in the snapshot" for name in sorted(new["files"].keys() - old["files"])]
    for name in sorted(old["files"].keys() & new["files"]):
        before = (old_dir / "files" / name).read_bytes()
        after = (new_dir / "files" / name).read_bytes()
        if before != after:
            at = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b), min(len(before), len(after)))
            line, start = before[:at].count(b"\n") + 1, max(0, at - 20)
            found.append(f"file {name}: differs from byte {at} (line {line}; {len(before)} bytes in the snapshot, "
                         f"{len(after)} now): {before[start:at + 20]!r} in the snapshot, "
                         f"{after[start:at + 20]!r} now")
    return found


def _read(folder: Path, entry: dict) -> tuple[list[str], list[tuple]]:
    with duckdb.connect() as con:
        cursor = con.execute("SELECT * FROM read_parquet(?)", [str(folder / entry["parquet"])])
        rows = cursor.fetchall()
        return [d[0] for d in cursor.description], rows


def _compare_tables(old_dir: Path, old: dict, new_dir: Path, new: dict, limit: int) -> list[str]:
    found = [f"table {name}: in the snapshot, not in the warehouse now"
             for name in sorted(old["tables"].keys() - new["tables"])]
    found += [f"table {name}: in the warehouse now, not in the snapshot"
              for name in sorted(new["tables"].keys() - old["tables"])]
    for name in sorted(old["tables"].keys() & new["tables"]):
        found += _compare_table(name, old_dir, old["tables"][name], new_dir, new["tables"][name], limit)
    return found


def _compare_table(name: str, old_dir: Path, old: dict, new_dir: Path, new: dict, limit: int) -> list[str]:
    found = []
    old_types, new_types = old["columns"], new["columns"]
    found += [f"table {name}: column {c} ({old_types[c]}) in the snapshot, not now"
              for c in old_types if c not in new_types]
    found += [f"table {name}: column {c} ({new_types[c]}) now, not in the snapshot"
              for c in new_types if c not in old_types]
    common = [c for c in old_types if c in new_types]
    found += [f"table {name}: column {c} is {old_types[c]} in the snapshot, {new_types[c]} now"
              for c in common if old_types[c] != new_types[c]]
    if [c for c in new_types if c in old_types] != common:
        found.append(f"table {name}: columns in another order: {common} in the snapshot, "
                     f"{[c for c in new_types if c in old_types]} now")
    if old["rows"] != new["rows"]:
        found.append(f"table {name}: {old['rows']} rows in the snapshot, {new['rows']} now")
    if (old_dir / old["parquet"]).read_bytes() == (new_dir / new["parquet"]).read_bytes():
        return found  # the same bytes hold the same values: only the recorded types can differ
    old_columns, old_rows = _read(old_dir, old)
    new_columns, new_rows = _read(new_dir, new)
    key = old["key"] if old["key"] and set(old["key"]) <= set(common) else None
    before, problems = _index(name, old_columns, old_rows, key, "in the snapshot")
    after, more = _index(name, new_columns, new_rows, key, "now")
    found += problems + more
    missing = [k for k in before if k not in after]
    extra = [k for k in after if k not in before]
    for keys, where in ((missing, "in the snapshot, not now"), (extra, "now, not in the snapshot")):
        found += [f"table {name}: row {_label(key, k)} {where}" for k in keys[:limit]]
        if len(keys) > limit:
            found.append(f"table {name}: and {len(keys) - limit} more rows {where}")
    shared = [k for k in before if k in after]
    old_at = {c: i for i, c in enumerate(old_columns)}
    new_at = {c: i for i, c in enumerate(new_columns)}
    for column in common:
        if key and column in key:
            continue
        moved = [(k, before[k][old_at[column]], after[k][new_at[column]]) for k in shared
                 if not _same(before[k][old_at[column]], after[k][new_at[column]])]
        for k, a, b in moved[:limit]:
            found.append(f"table {name}: column {column} at {_label(key, k)}: {_show(a)} in the snapshot, "
                         f"{_show(b)} now{_gap(a, b)}")
        if len(moved) > limit:
            found.append(f"table {name}: column {column}: and {len(moved) - limit} more rows differ")
    return found


def _index(name: str, columns: list[str], rows: list[tuple], key: list[str] | None,
           where: str) -> tuple[dict, list[str]]:
    """Rows by key (by position in the sorted file when the table has no key)."""
    if key is None:
        return {(i,): row for i, row in enumerate(rows)}, []
    at = [columns.index(c) for c in key]
    indexed: dict = {}
    repeated = []
    for row in rows:
        k = tuple(row[i] for i in at)
        if k in indexed:
            repeated.append(k)
        else:
            indexed[k] = row
    return indexed, [f"table {name}: key {_label(key, k)} is not unique {where}" for k in repeated[:10]]


def _label(key: list[str] | None, values: tuple) -> str:
    if key is None:
        return f"(row {values[0]} in sorted order)"
    return "(" + ", ".join(f"{c}={v!r}" for c, v in zip(key, values)) + ")"


def _number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _same(a, b) -> bool:
    """Equal, numbers to 1e-12 relative at or above 1 in magnitude and 1e-12 absolute below it."""
    if a is None or b is None:
        return a is None and b is None
    if _number(a) and _number(b):
        a, b = float(a), float(b)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        if math.isinf(a) or math.isinf(b):
            return a == b
        return abs(a - b) <= (RELATIVE * abs(a) if abs(a) >= 1 else ABSOLUTE)
    return type(a) is type(b) and a == b


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _gap(a, b) -> str:
    if _number(a) and _number(b) and not (math.isnan(float(a)) or math.isnan(float(b))):
        difference = abs(float(a) - float(b))
        relative = f", relative {difference / abs(float(a)):.3g}" if float(a) else ""
        return f" (difference {difference:.3g}{relative})"
    return ""


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="toegang-demo-") as folder:
        manifest = write_snapshot(run_demo(Path(folder)), SNAPSHOT)
    size = sum(p.stat().st_size for p in SNAPSHOT.rglob("*") if p.is_file())
    for name, entry in manifest["tables"].items():
        print(f"{name}: {entry['rows']} rows, {len(entry['columns'])} columns, key {entry['key']}")
    print(f"{len(manifest['files'])} files; {size / 1e6:.2f} MB in {SNAPSHOT} at commit {manifest['commit']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
