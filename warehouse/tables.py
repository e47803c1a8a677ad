"""Write derived tables one (study, wave) at a time: delete that slice, insert the new one, atomically.

A rerun therefore replaces its own rows and leaves every other study and wave untouched.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from warehouse.sql import quote_ident
from warehouse.connection import registered, transaction


def qualified(schema: str, table: str) -> str:
    return f"{quote_ident(schema)}.{quote_ident(table)}"


def replace_wave(con: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pd.DataFrame, *,
                 study_id: str, wave: str) -> int:
    """Replace the rows of (study_id, wave) in ``schema.table`` by ``frame``; return the row count.

    The table must exist (``warehouse.schema``): published tables have declared types and keys.
    """
    target = qualified(schema, table)
    slice_ = frame.assign(study_id=study_id, wave=wave)
    slice_ = slice_[["study_id", "wave", *[c for c in frame.columns if c not in ("study_id", "wave")]]]
    with registered(con, "incoming_slice", slice_), transaction(con):
        con.execute(f"DELETE FROM {target} WHERE study_id = ? AND wave = ?", [study_id, wave])
        con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM incoming_slice")
    return len(slice_)


def read_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, *, study_id: str,
               wave: str | None = None) -> pd.DataFrame:
    target = qualified(schema, table)
    if wave is None:
        return con.execute(f"SELECT * FROM {target} WHERE study_id = ?", [study_id]).df()
    return con.execute(f"SELECT * FROM {target} WHERE study_id = ? AND wave = ?", [study_id, wave]).df()
