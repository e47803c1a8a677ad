"""Writing published files: a folder swapped in whole, and Parquet. The site and the exports both publish
this way, so a reader (or a crash) sees the old version or the new one, never half of one."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd


def write_parquet(path: Path, frame: pd.DataFrame) -> None:
    with duckdb.connect() as con:
        con.from_df(frame).write_parquet(str(path))


def replace_folder(target: Path, write: Callable[[Path], object]) -> list[Path]:
    """Call ``write`` on a temporary sibling folder, then swap it in whole as ``target`` (``swap_in``:
    ``target`` becomes a link to the new version); return every file now in ``target``. If ``write`` fails,
    the temporary folder goes and ``target`` is as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        write(staging)
        staging.chmod(0o755)
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(p for p in target.rglob("*") if p.is_file())


def swap_in(staging: Path, site: Path) -> None:
    """Publish ``staging`` as ``site``: ``site`` is a symbolic link to the folder of the current version, and
    a new version replaces the link in one atomic ``os.replace``. A reader (or a crash) sees the old site or
    the new one, never none and never half of one. A site folder from before this layout is moved aside once,
    and moved back if the link cannot be made."""
    link = site.with_name(f".{site.name}-link-{staging.name}")
    link.symlink_to(staging.name)  # relative: the site folder and its versions move together
    try:
        if site.is_symlink() or not site.exists():
            previous = site.parent / os.readlink(site) if site.is_symlink() else None
            os.replace(link, site)
            if previous is not None and previous.resolve() != staging.resolve():
                shutil.rmtree(previous, ignore_errors=True)
            return
        old = site.with_name(f".{site.name}-old-{staging.name}")
        site.rename(old)
        try:
            os.replace(link, site)
        except BaseException:
            old.rename(site)
            raise
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if link.is_symlink():
            link.unlink()
