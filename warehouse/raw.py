"""The append-only raw layer: every version of every response, with the load it came in.

Nothing here updates or deletes. A re-delivered response identical to its latest stored version is
skipped; an edited one (same id, other content) is stored as a new version beside the old one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from instruments.limesurvey_export import ExportError, read_export
from warehouse.connection import transaction
from warehouse.sql import quote_ident, sql_literal


@dataclass(frozen=True)
class Batch:
    """Responses of one survey as received from one source (a file or the LimeSurvey API)."""

    source: str  # "file" or "limesurvey"
    study_id: str
    survey_id: int
    wave: str
    instrument: str
    instrument_version: str
    origin: str
    responses: Sequence[dict[str, str]]
    origin_sha256: str | None = None
    fetched_at: datetime | None = None
    structure: dict | None = None  # the survey's structure as the server reported it (API loads)
    csv_path: Path | None = None  # a LimeSurvey CSV export, read by DuckDB instead of ``responses``


@dataclass(frozen=True)
class LoadResult:
    load_id: str
    received: int
    inserted: int


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@contextmanager
def _incoming(con: duckdb.DuckDBPyConnection, batch: Batch) -> Iterator[tuple[list[str], int]]:
    """The batch as view ``incoming_rows`` (every column text, "" for NULL); yields its columns and size.

    A CSV export is read by DuckDB itself, in bounded memory however large; if DuckDB cannot read it,
    the Python reader runs instead, which either reads it or names the line that is wrong.
    """
    responses: Sequence[dict[str, str]] | None = None if batch.csv_path else batch.responses
    if batch.csv_path is not None:
        try:
            con.execute(
                "CREATE OR REPLACE TEMP VIEW incoming_rows AS SELECT * FROM read_csv("
                f"{sql_literal(str(batch.csv_path))}, delim=';', quote='\"', escape='\"', header=true, "
                "all_varchar=true, strict_mode=true, auto_detect=true)"
            )
            columns = [row[0] for row in con.execute("DESCRIBE incoming_rows").fetchall()]
        except duckdb.Error:
            con.execute("DROP VIEW IF EXISTS incoming_rows")
            responses = read_export(batch.csv_path).responses  # raises ExportError naming the line
    if responses is not None:
        columns = list(responses[0]) if responses else ["id"]
        frame = pd.DataFrame(list(responses), columns=columns, dtype="string")
        con.register("incoming_rows", frame)
    try:
        _check_ids(con, batch, columns)
        yield columns, con.execute("SELECT count(*) FROM incoming_rows").fetchall()[0][0]
    finally:
        if responses is not None:
            con.unregister("incoming_rows")
        else:
            con.execute("DROP VIEW IF EXISTS incoming_rows")


def _check_ids(con: duckdb.DuckDBPyConnection, batch: Batch, columns: list[str]) -> None:
    if "id" not in columns:
        raise ExportError(batch.origin, "no 'id' column; expected LimeSurvey code headings such as id;submitdate;...")
    bad, duplicate = con.execute(
        """SELECT count(*) FILTER (WHERE TRY_CAST(id AS BIGINT) IS NULL OR TRY_CAST(id AS BIGINT) < 1),
                  count(*) - count(DISTINCT id)
           FROM incoming_rows"""
    ).fetchall()[0]
    if bad:
        raise ExportError(batch.origin, f"{bad} response ids are not positive whole numbers")
    if duplicate:
        raise ExportError(batch.origin, f"{duplicate} response ids appear more than once")


def _payload_sql(columns: list[str]) -> tuple[str, dict[str, str]]:
    """A JSON object of every column, keys sorted: the same response gives the same text (and hash)
    from a CSV export, a JSON export or the API, whatever the column order."""
    keys = sorted(columns)
    params = {f"k{i}": key for i, key in enumerate(keys)}
    pairs = ", ".join(f"$k{i}, coalesce(i.{quote_ident(key)}, '')" for i, key in enumerate(keys))
    return f"json_object({pairs})", params


def append(con: duckdb.DuckDBPyConnection, batch: Batch) -> LoadResult:
    """Store a batch in one transaction: either every new version and the load row, or nothing."""
    load_id = str(uuid.uuid4())
    loaded_at = _now()
    fetched_at = batch.fetched_at or loaded_at
    with _incoming(con, batch) as (columns, received):
        payload, keys = _payload_sql(columns)
        with transaction(con):
            load_seq = con.execute("SELECT coalesce(max(load_seq), 0) + 1 FROM raw.loads").fetchall()[0][0]
            inserted = con.execute(
                f"""
                INSERT INTO raw.responses
                WITH b AS (
                    SELECT CAST(i.id AS BIGINT) AS response_id, sha256(p.payload) AS content_sha256, p.payload
                    FROM incoming_rows AS i, LATERAL (SELECT CAST({payload} AS VARCHAR) AS payload) AS p
                )
                SELECT $study_id, $survey_id, b.response_id, $load_seq, $load_id, $source, $wave,
                       $instrument, $instrument_version, b.content_sha256, b.payload::JSON,
                       $fetched_at, $loaded_at
                FROM b
                LEFT JOIN (
                    SELECT response_id, arg_max(content_sha256, load_seq) AS latest_sha256
                    FROM raw.responses
                    WHERE study_id = $study_id AND survey_id = $survey_id
                    GROUP BY response_id
                ) AS stored USING (response_id)
                WHERE stored.latest_sha256 IS DISTINCT FROM b.content_sha256
                """,
                {
                    **keys,
                    "study_id": batch.study_id,
                    "survey_id": batch.survey_id,
                    "load_seq": load_seq,
                    "load_id": load_id,
                    "source": batch.source,
                    "wave": batch.wave,
                    "instrument": batch.instrument,
                    "instrument_version": batch.instrument_version,
                    "fetched_at": fetched_at,
                    "loaded_at": loaded_at,
                },
            ).fetchall()[0][0]
            if batch.structure is not None:
                con.execute(
                    "INSERT INTO raw.survey_structures VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [batch.study_id, batch.survey_id, load_seq, load_id, batch.wave, batch.instrument, fetched_at,
                     json.dumps(batch.structure, ensure_ascii=False)],
                )
            con.execute(
                "INSERT INTO raw.loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [load_seq, load_id, batch.source, batch.study_id, batch.survey_id, batch.wave,
                 batch.instrument, batch.instrument_version, batch.origin, batch.origin_sha256,
                 fetched_at, loaded_at, received, inserted],
            )
    return LoadResult(load_id, int(received), int(inserted))


def latest_versions_sql() -> str:
    """SQL for the latest stored version of each response (parameters: $study_id, $wave, $instrument)."""
    return """
        SELECT *
        FROM raw.responses
        WHERE study_id = $study_id AND wave = $wave AND instrument = $instrument
        QUALIFY row_number() OVER (PARTITION BY survey_id, response_id ORDER BY load_seq DESC) = 1
    """


@dataclass(frozen=True)
class StoredState:
    """What the raw layer already holds of one survey: the basis of an incremental load."""

    max_response_id: int
    incomplete_ids: tuple[int, ...]  # latest version still without a submit date
    response_ids: frozenset[int]


def stored_state(con: duckdb.DuckDBPyConnection, study_id: str, survey_id: int) -> StoredState:
    rows = con.execute(
        """
        SELECT response_id, arg_max(payload ->> '$.submitdate', load_seq) AS submitdate
        FROM raw.responses WHERE study_id = ? AND survey_id = ?
        GROUP BY response_id ORDER BY response_id
        """,
        [study_id, survey_id],
    ).fetchall()
    ids = [r[0] for r in rows]
    return StoredState(max(ids, default=0), tuple(r[0] for r in rows if not r[1]), frozenset(ids))


def latest_structure(con: duckdb.DuckDBPyConnection, study_id: str, survey_id: int) -> dict | None:
    rows = con.execute(
        "SELECT structure FROM raw.survey_structures WHERE study_id = ? AND survey_id = ? "
        "ORDER BY load_seq DESC LIMIT 1",
        [study_id, survey_id],
    ).fetchall()
    return json.loads(rows[0][0]) if rows else None
