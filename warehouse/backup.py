"""``toegang backup`` and ``toegang restore``: DuckDB's EXPORT/IMPORT DATABASE (Parquet, exact types) of
both files, with a manifest.

A backup folder holds ``warehouse/`` (shareable: no tokens) and ``raw/`` (the raw layer: holds tokens)
and ``manifest.json``: schema versions, the rows of every table and a SHA-256 of every file. It is written
to a temporary folder and renamed into place, so a backup is whole or absent. A restore checks every
file against the manifest (a damaged or altered backup is refused: IMPORT runs the backup's SQL), imports
into temporary files, checks the row counts, and only then moves them into place.

A home holds one study (``TOEGANG_HOME/<study>/``): the manifest names it, and a backup is restored into the
home of the same study only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from warehouse.connection import connect
from warehouse.homes import check_layout
from warehouse.migrations import RAW, WAREHOUSE, stored_versions
from warehouse.paths import Locations
from warehouse.sql import quote_ident, sql_literal

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message names the folder and the reason."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _row_counts(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, int]:
    names = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY ALL",
                        [catalog]).fetchall()
    return {f"{s}.{t}": con.execute(f"SELECT count(*) FROM {quote_ident(catalog)}.{quote_ident(s)}."
                                    f"{quote_ident(t)}").fetchall()[0][0] for s, t in names}


def backup(locations: Locations, destination: Path | str, study_id: str | None = None) -> dict:
    """Export the warehouse and the raw layer of a study's home to the new folder ``destination``; return the
    manifest (which names ``study_id``)."""
    destination = Path(destination)
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(f"{destination}: exists and is not an empty folder; choose a new one")
    if not locations.warehouse.exists():
        raise BackupError(f"{locations.warehouse}: no warehouse to back up")
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}-", dir=destination.parent))
    try:
        with connect(locations, read_only=True) as con:
            catalog = con.execute("SELECT current_database()").fetchall()[0][0]
            versions = stored_versions(con)
            rows = {WAREHOUSE: _row_counts(con, catalog), RAW: _row_counts(con, "raw")}
            for part, source in ((WAREHOUSE, catalog), (RAW, "raw")):
                con.execute(f"EXPORT DATABASE {quote_ident(source)} TO {sql_literal(str(staging / part))} "
                            "(FORMAT parquet)")
        manifest = {
            "format": FORMAT, "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "study_id": study_id,
            "schema_versions": versions, "rows": rows,
            "files": {str(p.relative_to(staging)): _sha256(p) for p in sorted(staging.rglob("*")) if p.is_file()},
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        if destination.exists():
            destination.rmdir()
        staging.rename(destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def read_manifest(source: Path) -> dict:
    """The manifest of a backup folder, after checking every file against it."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
        files, rows = manifest["files"], manifest["rows"]
        if manifest.get("format") != FORMAT or not isinstance(files, dict) or set(rows) != {WAREHOUSE, RAW}:
            raise ValueError("unknown format")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(f"{source}: not a Toegang backup (no readable {MANIFEST}: {exc})") from None
    present = {str(p.relative_to(source)) for p in source.rglob("*") if p.is_file()} - {MANIFEST}
    if present != set(files):
        extra, missing = sorted(present - set(files)), sorted(set(files) - present)
        raise BackupError(f"{source}: files differ from the manifest (extra: {', '.join(extra) or 'none'}; "
                          f"missing: {', '.join(missing) or 'none'})")
    for name, digest in files.items():
        if _sha256(source / name) != digest:
            raise BackupError(f"{source}: {name} was changed or damaged since the backup (checksum differs)")
    return manifest


def restore(source: Path | str, locations: Locations, *, replace: bool = False, study_id: str | None = None) -> dict:
    """Import a backup into ``locations`` (the home of ``study_id``). Refuses a backup of another study, and
    to overwrite a warehouse unless ``replace``; then the files that were there are kept beside it as
    ``*.before-restore-<time>``. Returns the manifest."""
    source = Path(source)
    manifest = read_manifest(source)
    backed_up = manifest.get("study_id")
    if backed_up and study_id and backed_up != study_id:
        raise BackupError(f"{source} is a backup of study {backed_up!r}, not {study_id!r}: restore it into the "
                          f"home of {backed_up} (--study {backed_up})")
    check_layout(locations.home)
    targets = {WAREHOUSE: locations.warehouse, RAW: locations.raw}
    existing = [p for p in targets.values() if p.exists()]
    if existing and not replace:
        raise BackupError(f"{existing[0]} exists; restore into an empty home or pass --replace "
                          "(the current files are then kept beside it)")
    locations.ensure()
    staged: dict[str, Path] = {}
    try:
        for part, target in targets.items():
            staged[part] = target.with_name(f".{target.name}.restoring")
            staged[part].unlink(missing_ok=True)
            with duckdb.connect(str(staged[part])) as con:
                con.execute(f"IMPORT DATABASE {sql_literal(str(source / part))}")
                catalog = con.execute("SELECT current_database()").fetchall()[0][0]
                counts = _row_counts(con, catalog)
            if counts != manifest["rows"][part]:
                raise BackupError(f"{source}: the {part} import holds other rows than the manifest lists")
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        for part, target in targets.items():
            if target.exists():
                target.rename(target.with_name(f"{target.name}.before-restore-{stamp}"))
            os.replace(staged[part], target)
    except duckdb.Error as exc:
        raise BackupError(f"{source}: import failed: {exc}") from None
    finally:
        for path in staged.values():
            path.unlink(missing_ok=True)
            path.with_name(path.name + ".wal").unlink(missing_ok=True)
    return manifest
