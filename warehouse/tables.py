"""Write derived tables one (study, wave) at a time: delete that slice, insert the new one, atomically.

A rerun therefore replaces its own rows and leaves every other study and wave untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

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
    return replace_waves(con, {(schema, table): frame}, study_id=study_id, wave=wave)[(schema, table)]


def replace_waves(con: duckdb.DuckDBPyConnection, frames: dict[tuple[str, str], pd.DataFrame], *,
                  study_id: str, wave: str) -> dict[tuple[str, str], int]:
    """``replace_wave`` for several tables (schema, table) -> frame in one transaction: a stage's tables
    change together or not at all. Returns the row count per table."""
    with replacing_waves(con, frames, study_id=study_id, wave=wave) as counts:
        return counts


@contextmanager
def replacing_waves(con: duckdb.DuckDBPyConnection, frames: dict[tuple[str, str], pd.DataFrame], *,
                    study_id: str, wave: str) -> Iterator[dict[tuple[str, str], int]]:
    """``replace_waves`` with the transaction left open for the block: what the caller writes there (a table
    filled by SQL rather than from a frame) commits with the frames or not at all."""
    slices = {}
    for key, frame in frames.items():
        slice_ = frame.assign(study_id=study_id, wave=wave)
        slices[key] = slice_[["study_id", "wave", *[c for c in frame.columns if c not in ("study_id", "wave")]]]
    with ExitStack() as stack:
        names = {key: stack.enter_context(registered(con, f"incoming_slice_{i}", slice_))
                 for i, (key, slice_) in enumerate(slices.items())}
        with transaction(con):
            for (schema, table), name in names.items():
                target = qualified(schema, table)
                con.execute(f"DELETE FROM {target} WHERE study_id = ? AND wave = ?", [study_id, wave])
                con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM {name}")
            yield {key: len(slice_) for key, slice_ in slices.items()}


def read_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, *, study_id: str,
               wave: str | None = None) -> pd.DataFrame:
    target = qualified(schema, table)
    if wave is None:
        return con.execute(f"SELECT * FROM {target} WHERE study_id = ?", [study_id]).df()
    return con.execute(f"SELECT * FROM {target} WHERE study_id = ? AND wave = ?", [study_id, wave]).df()


def read_coded(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object], *,
               order_by: list[str], max_categories: int = 255) -> pd.DataFrame:
    """The rows of query ``sql`` as a DataFrame, ordered by ``order_by``, whose text columns of at most
    ``max_categories`` distinct values are categoricals (answer codes; in a small wave, identifiers too).

    DuckDB turns each such column into small integer codes of its sorted distinct values, and pandas wraps
    the codes: a million answer codes take a million bytes instead of a million Python strings (about 50
    bytes each). The query runs several times (types, counts, values, rows), in one transaction so that all
    see the same snapshot.
    """
    if not 0 < max_categories < 2**15:
        raise ValueError(f"max_categories must be between 1 and {2**15 - 1} (codes are SMALLINT)")
    with transaction(con):
        described = con.execute(f"DESCRIBE SELECT * FROM ({sql})", params).fetchall()
        text = [name for name, column_type, *_ in described if column_type == "VARCHAR"]
        categories: dict[str, list[str]] = {}
        if text:
            counts = con.execute(f"SELECT {', '.join(f'count(DISTINCT {quote_ident(c)})' for c in text)} "
                                 f"FROM ({sql})", params).fetchall()[0]
            few = [c for c, count in zip(text, counts) if count <= max_categories]
            if few:
                lists = ", ".join(f"list_sort(list(DISTINCT {quote_ident(c)}) FILTER "
                                  f"(WHERE {quote_ident(c)} IS NOT NULL))" for c in few)
                found = con.execute(f"SELECT {lists} FROM ({sql})", params).fetchall()[0]
                categories = {column: values or [] for column, values in zip(few, found)}
        selects, coded = [], dict(params)
        for position, (name, *_) in enumerate(described):
            column = f"source.{quote_ident(name)}"
            if name in categories:
                parameter = f"read_coded_categories_{position}"
                coded[parameter] = categories[name]
                selects.append(f"CAST(coalesce(list_position(${parameter}, {column}), 0) - 1 AS SMALLINT) "
                               f"AS {quote_ident(name)}")
            else:
                selects.append(column)
        order = ", ".join(f"source.{quote_ident(c)}" for c in order_by)  # the values, not their codes
        frame = con.execute(f"SELECT {', '.join(selects)} FROM ({sql}) AS source ORDER BY {order}", coded).df()
    for name, values in categories.items():
        codes = frame[name].to_numpy()
        frame[name] = pd.Categorical.from_codes(codes, categories=values)
    return frame
