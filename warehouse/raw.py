"""The append-only raw layer: every version of every response, with the load it came in.

Nothing here updates or deletes. A re-delivered response identical to its latest stored version is
skipped; an edited one (same id, other content) is stored as a new version beside the old one.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb
import pandas as pd

from warehouse.connection import registered, transaction


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


@dataclass(frozen=True)
class LoadResult:
    load_id: str
    received: int
    inserted: int


def content_hash(response: dict[str, str]) -> str:
    """Hash of a response's content, independent of column order and of the export format."""
    canonical = json.dumps(response, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def append(con: duckdb.DuckDBPyConnection, batch: Batch) -> LoadResult:
    """Store a batch in one transaction: either every new version and the load row, or nothing."""
    load_id = str(uuid.uuid4())
    loaded_at = _now()
    fetched_at = batch.fetched_at or loaded_at
    frame = pd.DataFrame(
        {
            "response_id": pd.array([int(r["id"]) for r in batch.responses], dtype="int64"),
            "content_sha256": [content_hash(r) for r in batch.responses],
            "payload": [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in batch.responses],
        }
    )
    with registered(con, "incoming_batch", frame), transaction(con):
        load_seq = con.execute("SELECT coalesce(max(load_seq), 0) + 1 FROM raw.loads").fetchall()[0][0]
        inserted = con.execute(
            """
            INSERT INTO raw.responses
            SELECT $study_id, $survey_id, b.response_id, $load_seq, $load_id, $source, $wave,
                   $instrument, $instrument_version, b.content_sha256, b.payload::JSON,
                   $fetched_at, $loaded_at
            FROM incoming_batch AS b
            LEFT JOIN (
                SELECT response_id, arg_max(content_sha256, load_seq) AS latest_sha256
                FROM raw.responses
                WHERE study_id = $study_id AND survey_id = $survey_id
                GROUP BY response_id
            ) AS stored USING (response_id)
            WHERE stored.latest_sha256 IS DISTINCT FROM b.content_sha256
            """,
            {
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
             fetched_at, loaded_at, len(frame), inserted],
        )
    return LoadResult(load_id, len(frame), int(inserted))


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
