"""Open the warehouse: the analytic DuckDB file with the raw layer attached as ``raw``."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd

from warehouse.homes import check_layout
from warehouse.paths import Locations
from warehouse.schema import create_schema
from warehouse.sql import sql_literal

T = TypeVar("T")
LOG = logging.getLogger("toegang.warehouse")
LOCK_WAIT_VARIABLE = "TOEGANG_LOCK_WAIT"
DEFAULT_LOCK_WAIT_SECONDS = 300.0


class WarehouseLocked(RuntimeError):
    """Another process holds the warehouse (DuckDB allows one process per file) for longer than we wait."""

    def __init__(self, path: Path, waited: float, detail: str):
        holder = re.search(r"PID (\d+)", detail)
        who = f"process {holder.group(1)}" if holder else "another process"
        super().__init__(f"the warehouse {path} is in use by {who}; gave up after waiting {waited:g} s "
                         f"(set {LOCK_WAIT_VARIABLE} to wait longer, 0 to refuse at once)")
        self.path, self.waited = path, waited


class LockWaitSettingError(ValueError):
    pass


def lock_wait_seconds(environ: dict[str, str] | None = None) -> float:
    """How long to wait for another process's lock: ``TOEGANG_LOCK_WAIT`` seconds (default 300)."""
    raw = (os.environ if environ is None else environ).get(LOCK_WAIT_VARIABLE, "")
    try:
        wait = float(raw) if raw.strip() else DEFAULT_LOCK_WAIT_SECONDS
    except ValueError:
        wait = float("nan")
    if wait != wait or wait == float("inf"):  # NaN or infinite: not a bounded wait
        raise LockWaitSettingError(f"{LOCK_WAIT_VARIABLE}={raw!r} is not a number of seconds")
    return max(0.0, wait)


def _is_lock_error(exc: duckdb.Error) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _waiting(path: Path, deadline: float, wait: float, action: Callable[[], T]) -> T:
    """``action()``, retried with backoff while another process holds the lock on ``path``; the wait is logged
    once (``toegang.warehouse``, a warning), naming the file."""
    delay = 0.05
    logged = False
    while True:
        try:
            return action()
        except duckdb.Error as exc:
            remaining = deadline - time.monotonic()
            if not _is_lock_error(exc):
                raise
            if remaining <= 0:
                raise WarehouseLocked(path, wait, str(exc)) from None
            if not logged:
                holder = re.search(r"PID (\d+)", str(exc))
                LOG.warning("waiting for the warehouse %s, in use by %s (at most %g s, %s)", path,
                            f"process {holder.group(1)}" if holder else "another process", wait, LOCK_WAIT_VARIABLE)
                logged = True
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 1.0)


@contextmanager
def connect(locations: Locations, read_only: bool = False,
            lock_wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to ``toegang.duckdb`` with ``raw.duckdb`` attached as catalog ``raw``.

    DuckDB allows one process per file (a writer excludes every other process). While another process
    holds it, wait up to ``lock_wait`` seconds (default ``TOEGANG_LOCK_WAIT``), then raise
    ``WarehouseLocked``. Each study has its own files (``Locations.of_study``), so studies never wait on each
    other; a study home beside a warehouse of the old, shared layout is refused (``OldHomeLayout``).
    """
    check_layout(locations.home)
    wait = lock_wait_seconds() if lock_wait is None else lock_wait
    deadline = time.monotonic() + wait
    if not read_only:
        locations.ensure()
    con = _waiting(locations.warehouse, deadline, wait,
                   lambda: duckdb.connect(str(locations.warehouse), read_only=read_only))
    try:
        mode = " (READ_ONLY)" if read_only else ""
        _waiting(locations.raw, deadline, wait,  # ATTACH takes no parameters
                 lambda: con.execute(f"ATTACH {sql_literal(str(locations.raw))} AS raw{mode}"))
        if not read_only:
            create_schema(con)
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All statements inside commit together or not at all."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> Iterator[str]:
    """Make ``frame`` queryable as view ``name`` for the duration of the block."""
    con.register(name, frame)
    try:
        yield name
    finally:
        con.unregister(name)
