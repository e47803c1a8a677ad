"""Open the warehouse: the analytic DuckDB file with the raw layer attached as ``raw``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd

from warehouse.paths import Locations
from warehouse.schema import create_schema
from warehouse.sql import sql_literal


@contextmanager
def connect(locations: Locations, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to ``toegang.duckdb`` with ``raw.duckdb`` attached as catalog ``raw``.

    DuckDB allows one writing process per file; a second writer gets ``duckdb.IOException``.
    """
    if not read_only:
        locations.ensure()
    con = duckdb.connect(str(locations.warehouse), read_only=read_only)
    try:
        mode = " (READ_ONLY)" if read_only else ""
        con.execute(f"ATTACH {sql_literal(str(locations.raw))} AS raw{mode}")  # ATTACH takes no parameters
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
