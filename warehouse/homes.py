"""Homes side by side: ``TOEGANG_HOME/<study>/`` per study, and ``toegang migrate-home`` from the layout before.

Before, one home held one warehouse for every study: ``toegang.duckdb`` and ``raw.duckdb`` at its top, with
``inbox/<study>/``, ``archive/<study>/``, ``quarantine/<study>/`` and ``exports/<study>/``. ``migrate_home``
moves such a home into ``<home>/<study>/`` once it has checked that the warehouse holds exactly one study
(DuckDB files cannot be split by moving them) and that the study's new home does not exist.

How a kill is survived: the DuckDB files are checkpointed (no write-ahead log left) and closed, then every
file is hard-linked (copied where the file system has no hard links) into a staging folder beside them,
``<home>/.migrate-home-<study>/``, together with the migration's record (``migrated-home.json``). Nothing of
the old layout has changed so far: a kill leaves it whole, and the next attempt deletes the staging folder
and starts again. One ``rename`` of the staging folder to ``<home>/<study>/`` then switches layouts at once;
only after it are the old names removed. A kill during that removal leaves the new layout whole (the old names
are links to the same files, or copies, and are no longer used: ``connect`` only refuses a home whose study
has no warehouse of its own yet); running ``toegang migrate-home`` again finishes the removal from the record.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from warehouse.paths import RAW_FILE, WAREHOUSE_FILE, checked_study_id
from warehouse.sql import quote_ident, sql_literal

# The folders of the old layout that held one subfolder per study.
STUDY_FOLDERS = ("inbox", "archive", "quarantine", "exports")
RECORD = "migrated-home.json"
STAGING_PREFIX = ".migrate-home-"


class HomeMigrationRefused(RuntimeError):
    """A home that cannot be migrated as it is; nothing was changed and the message says why."""


class OldHomeLayout(RuntimeError):
    """A home of the layout before studies had their own; ``toegang migrate-home`` moves it."""


@dataclass(frozen=True)
class HomeMigration:
    study_id: str
    home: Path  # the study's new home
    moved: list[tuple[str, str]]  # (old path, new path), relative to the home folder
    resumed: bool = False  # an earlier migration, killed while removing the old names, was finished


def old_warehouse(root: Path) -> Path | None:
    """The warehouse of the old layout in the folder of homes ``root``, if there is one."""
    for name in (WAREHOUSE_FILE, RAW_FILE):
        if (root / name).exists():
            return root / name
    return None


def check_layout(study_home: Path) -> None:
    """Refuse to start a study's home beside a warehouse of the old layout: its data would be left behind."""
    if (study_home / WAREHOUSE_FILE).exists():
        return
    root = study_home.parent
    old = old_warehouse(root)
    if old is not None:
        raise OldHomeLayout(
            f"{root} holds a warehouse of the layout before each study had its own home ({old.name}); "
            f"move it into {root}/<study>/ with `toegang migrate-home --home {root}`")


def _studies_in_warehouse(root: Path) -> set[str]:
    """Every study id in any table with a ``study_id`` column of the old warehouse and raw layer. The files are
    opened for writing, which proves no other process uses them, and checkpointed, so that no write-ahead log
    is left beside them; then closed."""
    warehouse, raw = root / WAREHOUSE_FILE, root / RAW_FILE
    found: set[str] = set()
    try:
        con = duckdb.connect(str(warehouse)) if warehouse.exists() else duckdb.connect()
    except duckdb.IOException as exc:
        raise HomeMigrationRefused(f"{warehouse} is in use ({exc}); stop its runs and try again") from None
    try:
        catalogs = [con.execute("SELECT current_database()").fetchall()[0][0]] if warehouse.exists() else []
        if raw.exists():
            try:
                con.execute(f"ATTACH {sql_literal(str(raw))} AS raw")
            except duckdb.IOException as exc:
                raise HomeMigrationRefused(f"{raw} is in use ({exc}); stop its runs and try again") from None
            catalogs.append("raw")
        for catalog in catalogs:
            tables = con.execute(
                "SELECT DISTINCT schema_name, table_name FROM duckdb_columns() WHERE database_name = ? "
                "AND column_name = 'study_id' AND table_name IN (SELECT table_name FROM duckdb_tables() "
                "WHERE database_name = ?) ORDER BY ALL", [catalog, catalog]).fetchall()
            for schema, table in tables:
                name = f"{quote_ident(catalog)}.{quote_ident(schema)}.{quote_ident(table)}"
                found |= {row[0] for row in con.execute(f"SELECT DISTINCT study_id FROM {name}").fetchall()}
            con.execute(f"CHECKPOINT {quote_ident(catalog)}")
    finally:
        con.close()
    for path in (warehouse, raw):
        if Path(f"{path}.wal").exists():
            raise HomeMigrationRefused(f"{path}.wal is still there after a checkpoint: another process wrote "
                                       "the warehouse meanwhile; stop its runs and try again")
    return found


def _studies_in_folders(root: Path) -> dict[str, list[Path]]:
    """Study id -> its non-empty subfolders of inbox/, archive/, quarantine/ and exports/."""
    found: dict[str, list[Path]] = {}
    for name in STUDY_FOLDERS:
        folder = root / name
        if not folder.is_dir():
            continue
        for sub in sorted(folder.iterdir()):
            if sub.is_dir() and any(p.is_file() for p in sub.rglob("*")):
                found.setdefault(sub.name, []).append(sub)
    return found


def _link(source: Path, target: Path) -> str:
    """Hard-link a file (a copy where the file system cannot); returns how."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
        return "link"
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
    shutil.copy2(source, target)
    return "copy"


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _plan(root: Path, study_id: str) -> list[tuple[Path, Path]]:
    """(old path, path inside the study's home) of every file that moves."""
    moves = []
    for path in sorted(root.iterdir()):
        if path.is_file() and (path.name in (WAREHOUSE_FILE, RAW_FILE)
                               or path.name.startswith((f"{WAREHOUSE_FILE}.before-restore-",
                                                        f"{RAW_FILE}.before-restore-"))):
            moves.append((path, Path(path.name)))
    for name in STUDY_FOLDERS:
        folder = root / name / study_id
        if folder.is_dir():
            moves += [(p, Path(name) / p.relative_to(folder)) for p in sorted(folder.rglob("*")) if p.is_file()]
    return moves


def _remove_old(root: Path, record: dict, log: Callable[[str], None]) -> None:
    """Remove the old names a migration recorded (the new layout is in place), then the emptied folders."""
    inside = root.resolve()
    for old, _ in record["moved"]:
        path = root / old
        if not path.resolve().is_relative_to(inside) or path.name == RECORD:
            continue  # the record is ours, but a path outside the home is never removed
        if path.is_file() or path.is_symlink():
            path.unlink()
    for name in STUDY_FOLDERS:
        for folder in (root / name / record["study_id"], root / name):
            if folder.is_dir():
                for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
                    if not any(sub.iterdir()):
                        sub.rmdir()
                if not any(folder.iterdir()):
                    folder.rmdir()
    log(f"old layout removed from {root}")


def migrate_home(root: Path | str, study_id: str | None = None, *,
                 log: Callable[[str], None] = lambda line: None) -> HomeMigration:
    """Move the old single-study home ``root`` into ``root/<study>/``; ``study_id`` names the study when the
    warehouse holds no responses yet, and must be the one it holds otherwise. Refused (nothing changed) when
    the warehouse holds several studies, another process uses it, or the study's new home exists."""
    root = Path(root)
    if study_id is not None:
        checked_study_id(study_id)
    for record_path in sorted(root.glob(f"*/{RECORD}")):  # a migration killed while removing the old names
        if record_path.parent.name.startswith(STAGING_PREFIX):
            continue  # not switched: the old layout is the one in use, and the staging folder goes below
        record = json.loads(record_path.read_text(encoding="utf-8"))
        left = [old for old, _ in record["moved"] if (root / old).exists()]
        if record.get("study_id") == record_path.parent.name and left:
            log(f"finishing the migration of {record['study_id']} recorded in {record_path}")
            _remove_old(root, record, log)
            return HomeMigration(record["study_id"], record_path.parent,
                                 [tuple(m) for m in record["moved"]], resumed=True)
    if old_warehouse(root) is None:
        raise HomeMigrationRefused(f"{root} holds no warehouse of the old layout ({WAREHOUSE_FILE}, {RAW_FILE} "
                                   "at its top): nothing to migrate")
    for stale in root.glob(f"{STAGING_PREFIX}*"):  # a migration killed before its switch: links only
        log(f"removing {stale.name}, left by an interrupted migration (the old layout was never changed)")
        shutil.rmtree(stale)
    in_warehouse = _studies_in_warehouse(root)
    in_folders = _studies_in_folders(root)
    studies = in_warehouse | set(in_folders)
    if len(studies) > 1 or (study_id is not None and studies - {study_id}):
        raise HomeMigrationRefused(
            f"{root} holds {len(studies)} studies ({', '.join(sorted(studies))}); a home holds one study, and a "
            "DuckDB file cannot be split by moving it. Ingest each study into its own home (toegang run --study "
            "S reads the same export files or LimeSurvey) and retire this one")
    if not studies and study_id is None:
        raise HomeMigrationRefused(f"{root} holds no responses of any study: say whose home it is with --study")
    study_id = study_id or studies.pop()
    checked_study_id(study_id)
    target = root / study_id
    if target.exists():
        raise HomeMigrationRefused(f"{target} exists: study {study_id} already has a home of the new layout; move "
                                   "it away (or remove it) and try again")
    staging = root / f"{STAGING_PREFIX}{study_id}"
    staging.mkdir()
    moved, how = [], set()
    for old, new in _plan(root, study_id):
        how.add(_link(old, staging / new))
        moved.append((str(old.relative_to(root)), str(Path(study_id) / new)))
        log(f"{old.relative_to(root)} -> {Path(study_id) / new}")
    record = {"study_id": study_id, "from": str(root.resolve()),
              "migrated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "files": "hard links" if how <= {"link"} else "copies", "moved": moved}
    with (staging / RECORD).open("w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    _fsync_folder(staging)
    os.rename(staging, target)  # the switch: before it the old layout, after it the new one
    _fsync_folder(root)
    log(f"study {study_id} now lives in {target} (record: {target / RECORD})")
    _remove_old(root, record, log)
    return HomeMigration(study_id, target, moved)
