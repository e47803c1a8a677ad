"""The append-only raw layer: every version of every response, with the load it came in.

Per survey, ``raw."answers_<study>_<survey>"`` holds the exported values as text, one column per export
column (DuckDB stores them columnar and compressed); ``raw.responses`` holds one row per version: its
load, content hash and the respondent's keyed pseudonym. Nothing here updates or deletes (only an
explicit, logged purge does: warehouse/purge.py). A re-delivered response identical to its latest stored version is
skipped; an edited one (same id, other content) is stored as a new version beside the old one.
"""

from __future__ import annotations

import hashlib
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
from warehouse import pseudonyms
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


def utc_now() -> datetime:
    """Now in UTC without a zone, as the warehouse stores its times (``loaded_at``, ``mailed_at``)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


@contextmanager
def _incoming(con: duckdb.DuckDBPyConnection, batch: Batch) -> Iterator[tuple[str, list[str], int]]:
    """The batch as a temporary relation (every column text); yields its quoted name, columns and size.

    The relation is this batch's alone (a fresh name) and is removed on every path out, whatever is raised
    where, so one refused file never breaks the next load on a long-lived connection.
    A CSV export is read by DuckDB itself, streaming in bounded memory however large: one pass checks the
    ids (and so every line's shape), the load is a second. If DuckDB cannot read the file, the Python
    reader runs instead, which either reads it or names the line that is wrong.
    """
    name = f"incoming_{uuid.uuid4().hex}"
    relation = quote_ident(name)
    created: str | None = None  # "view" or "frame" while the relation exists
    try:
        responses: Sequence[dict[str, str]] | None = None if batch.csv_path else batch.responses
        if batch.csv_path is not None:
            try:
                con.execute(
                    f"CREATE TEMP VIEW {relation} AS SELECT * FROM read_csv("
                    f"{sql_literal(str(batch.csv_path))}, delim=';', quote='\"', escape='\"', header=true, "
                    "all_varchar=true, strict_mode=true, auto_detect=true)"  # a view takes no parameters
                )
                created = "view"
                columns = [row[0] for row in con.execute(f"DESCRIBE {relation}").fetchall()]
                received = _check_ids(con, batch, relation, columns)
            except duckdb.Error:
                _drop_incoming(con, name, created)
                created = None
                responses = read_export(batch.csv_path).responses  # raises ExportError naming the line
        if responses is not None:
            columns = list(responses[0]) if responses else ["id"]
            con.register(name, pd.DataFrame(list(responses), columns=columns, dtype="string"))
            created = "frame"
            received = _check_ids(con, batch, relation, columns)
        yield relation, columns, received
    finally:
        _drop_incoming(con, name, created)


def _drop_incoming(con: duckdb.DuckDBPyConnection, name: str, created: str | None) -> None:
    if created == "view":
        con.execute(f"DROP VIEW IF EXISTS {quote_ident(name)}")
    elif created == "frame":
        con.unregister(name)


def _check_ids(con: duckdb.DuckDBPyConnection, batch: Batch, relation: str, columns: list[str]) -> int:
    """Refuse a batch whose ids are missing, not positive whole numbers, or repeated; return its size."""
    if "id" not in columns:
        raise ExportError(batch.origin, "no 'id' column; expected LimeSurvey code headings such as id;submitdate;...")
    # ASCII digits only, compared as numbers: DuckDB's cast would also take "1.5" (as 2), "1e3" or "0x10", and
    # "007" and "7" are one response.
    size, bad, duplicate = con.execute(
        f"""SELECT count(*),
                  count(*) FILTER (WHERE NOT coalesce(regexp_full_match(id, '[0-9]+'), FALSE)
                                   OR TRY_CAST(id AS BIGINT) IS NULL OR TRY_CAST(id AS BIGINT) < 1),
                  count(*) - count(DISTINCT TRY_CAST(id AS BIGINT))
           FROM {relation}"""
    ).fetchall()[0]
    if bad:
        raise ExportError(batch.origin, f"{bad} response ids are not positive whole numbers")
    if duplicate:
        raise ExportError(batch.origin, f"{duplicate} response ids appear more than once")
    return int(size)


def answers_table(study_id: str, survey_id: int) -> str:
    """The survey's own table of exported values: one text column per export column, one row per version."""
    return f"raw.{quote_ident(f'answers_{study_id}_{int(survey_id)}')}"


def _content_sha256_sql(columns: list[str]) -> str:
    """SHA-256 of the column names (sorted) and their values in that order, NULL read as "": the same
    response gives the same hash from a CSV export, a JSON export or the API, whatever the column order.
    Joined with the unit separator, which exports do not contain (4x faster than hashing a JSON object)."""
    keys = sorted(columns)
    values = ", ".join(f"coalesce(i.{quote_ident(key)}, '')" for key in keys)
    return f"sha256(concat_ws(chr(31), {sql_literal(chr(31).join(keys))}, {values}))"


def _hmac_sql(key: bytes, message: str) -> tuple[str, dict[str, bytes]]:
    """HMAC-SHA256 (RFC 2104) of the SQL text expression ``message``, in SQL: the pseudonym of every response
    of a load is computed by DuckDB. Equal to ``warehouse.pseudonyms.pseudonym`` (tested)."""
    block = hashlib.sha256(key).digest() if len(key) > 64 else key
    block = block.ljust(64, b"\0")
    params = {"hmac_inner": bytes(b ^ 0x36 for b in block), "hmac_outer": bytes(b ^ 0x5C for b in block)}
    return f"sha256($hmac_outer || unhex(sha256($hmac_inner || encode({message}))))", params


def _respondent_sql(key: bytes, study_id: str, has_token: bool) -> tuple[str, dict[str, object]]:
    """SQL for ``respondent_id`` of answers row ``a`` (see warehouse/pseudonyms.py for the message)."""
    if not key:
        raise ValueError("the pseudonym key is empty")
    by_response = "concat($study_id, $sep, 'response', $sep, $survey_id, $sep, a.response_id)"
    message = by_response
    if has_token:
        message = (f"CASE WHEN coalesce(a.token, '') <> '' THEN concat($study_id, $sep, 'token', $sep, a.token) "
                   f"ELSE {by_response} END")
    digest, params = _hmac_sql(key, message)
    return f"left({digest}, {pseudonyms.LENGTH})", {**params, "sep": pseudonyms.SEPARATOR}


def _ensure_answers_table(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> None:
    """Create the survey's table, or widen it when an export brings columns it has not seen (a changed
    questionnaire): earlier versions read NULL there, meaning "not in that export"."""
    con.execute(f"""CREATE TABLE IF NOT EXISTS {table} (
        response_id BIGINT NOT NULL, load_seq BIGINT NOT NULL, content_sha256 VARCHAR NOT NULL)""")
    existing = answer_columns(con, table)
    for column in columns:
        if column not in existing:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {quote_ident(column)} VARCHAR")


def _new_versions_sql(incoming: str, columns: list[str], values: str) -> str:
    """The incoming responses that are new or differ from their latest stored version (parameters: $study_id,
    $survey_id): what a load appends."""
    return f"""
        WITH b AS (
            SELECT CAST(i.id AS BIGINT) AS response_id, {_content_sha256_sql(columns)} AS content_sha256, {values}
            FROM {incoming} AS i
        )
        SELECT b.*
        FROM b
        LEFT JOIN (
            SELECT response_id, arg_max(content_sha256, load_seq) AS latest_sha256
            FROM raw.responses
            WHERE study_id = $study_id AND survey_id = $survey_id
            GROUP BY response_id
        ) AS stored USING (response_id)
        WHERE stored.latest_sha256 IS DISTINCT FROM b.content_sha256"""


def count_new(con: duckdb.DuckDBPyConnection, batch: Batch) -> tuple[int, int]:
    """How many responses the batch holds, and how many of them ``append`` would store as new versions (new, or
    changed since their latest stored version); writes nothing."""
    with _incoming(con, batch) as (incoming, columns, received):
        new = con.execute(f"SELECT count(*) FROM ({_new_versions_sql(incoming, columns, 'NULL AS _')})",
                          {"study_id": batch.study_id, "survey_id": batch.survey_id}).fetchall()[0][0]
    return int(received), int(new)


def append(con: duckdb.DuckDBPyConnection, batch: Batch, *, pseudonym_key: bytes) -> LoadResult:
    """Store a batch in one transaction: either every new version and the load row, or nothing.

    The values go to the survey's answers table (``answers_table``), the version's metadata to
    ``raw.responses``, with the respondent's keyed pseudonym computed here, so nothing downstream needs
    the token.
    """
    load_id = str(uuid.uuid4())
    loaded_at = utc_now()
    fetched_at = batch.fetched_at or loaded_at
    table = answers_table(batch.study_id, batch.survey_id)
    with _incoming(con, batch) as (incoming, columns, received):
        values = ", ".join(f"coalesce(i.{quote_ident(c)}, '') AS {quote_ident(c)}" for c in columns)
        respondent, hmac_params = _respondent_sql(pseudonym_key, batch.study_id, "token" in columns)
        completed = "coalesce(a.submitdate, '') <> ''" if "submitdate" in columns else "FALSE"
        with transaction(con):
            load_seq = con.execute("SELECT coalesce(max(load_seq), 0) + 1 FROM raw.loads").fetchall()[0][0]
            _ensure_answers_table(con, table, columns)
            inserted = con.execute(
                f"""
                INSERT INTO {table} BY NAME
                SELECT $load_seq AS load_seq, b.* FROM ({_new_versions_sql(incoming, columns, values)}) AS b
                """,
                {"study_id": batch.study_id, "survey_id": batch.survey_id, "load_seq": load_seq},
            ).fetchall()[0][0]
            con.execute(
                f"""
                INSERT INTO raw.responses
                SELECT $study_id, $survey_id, a.response_id, $load_seq, $load_id, $source, $wave,
                       $instrument, $instrument_version, a.content_sha256, {completed}, {respondent},
                       $fetched_at, $loaded_at
                FROM {table} AS a WHERE a.load_seq = $load_seq
                """,
                {
                    **hmac_params,
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
            ).fetchall()
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


def answer_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()}


def latest_answers_sql(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, instrument: str,
                       columns: Sequence[str], prefix: str = "") -> str:
    """SQL for the latest version of each response of the (study, wave, instrument), with the export
    ``columns`` as text (NULL where a survey's exports never had the column), named ``prefix + column``."""
    surveys = [row[0] for row in con.execute(
        "SELECT DISTINCT survey_id FROM raw.responses WHERE study_id = ? AND wave = ? AND instrument = ? "
        "ORDER BY survey_id", [study_id, wave, instrument]).fetchall()]
    selects = []
    for survey_id in surveys:
        table = answers_table(study_id, survey_id)
        present = answer_columns(con, table)
        values = ", ".join(
            f"{'a.' + quote_ident(c) if c in present else 'CAST(NULL AS VARCHAR)'} AS {quote_ident(prefix + c)}"
            for c in columns)
        selects.append(f"SELECT latest.*, {values} FROM latest JOIN {table} AS a USING (response_id, load_seq) "
                       f"WHERE latest.survey_id = {int(survey_id)}")
    if not selects:  # nothing loaded yet: the right columns, no rows
        values = ", ".join(f"CAST(NULL AS VARCHAR) AS {quote_ident(prefix + c)}" for c in columns)
        selects.append(f"SELECT latest.*, {values} FROM latest WHERE FALSE")
    # Values inlined as escaped literals: this SQL also defines views, which take no parameters.
    latest = (latest_versions_sql().replace("$study_id", sql_literal(study_id))
              .replace("$wave", sql_literal(wave)).replace("$instrument", sql_literal(instrument)))
    return f"WITH latest AS ({latest}) " + " UNION ALL ".join(selects)


def versions_sql(study_id: str, survey_id: int) -> str:
    """SQL for every stored version of a survey's responses: metadata and exported values side by side."""
    return (f"SELECT r.*, a.* EXCLUDE (response_id, load_seq, content_sha256) FROM raw.responses AS r "
            f"JOIN {answers_table(study_id, survey_id)} AS a USING (response_id, load_seq) "
            f"WHERE r.study_id = {sql_literal(study_id)} AND r.survey_id = {int(survey_id)}")


@dataclass(frozen=True)
class StoredState:
    """What the raw layer already holds of one survey: the basis of an incremental load."""

    max_response_id: int
    incomplete_ids: tuple[int, ...]  # latest version still without a submit date
    response_ids: frozenset[int]


def stored_state(con: duckdb.DuckDBPyConnection, study_id: str, survey_id: int) -> StoredState:
    rows = con.execute(
        """
        SELECT response_id, arg_max(completed, load_seq) AS completed
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
