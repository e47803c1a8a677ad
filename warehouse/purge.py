"""Erasure: the one operation that removes data from the append-only raw layer, always explicit and logged.

Three kinds, as DOMAIN.md s. 5 asks:
- ``respondents``: an erasure request or a withdrawal. Every version of every response of the named
  respondents (pseudonyms, tokens or response ids) leaves the raw layer and every warehouse table.
- ``tokens``: retention at the close of a wave's fieldwork. Tokens, IP addresses and referrer URLs of the
  wave's responses are blanked in the raw layer; pseudonyms, computed at load time, stay, so analyses and
  panels are unaffected. Stop ingesting the wave first: a later load would bring the tokens back as an edit.
- ``non_consenting``: responses whose latest version has no explicit consent leave the raw layer.

Each purge writes a row to ``raw.purges`` (what, why, who, how many, and the pseudonyms it touched, never a
token). DuckDB keeps deleted rows in free blocks of its file until they are overwritten, so after a purge
both database files are copied to fresh files (``compact``) and swapped in.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb

from warehouse import raw
from warehouse.clean import CONSENT_QUESTION
from warehouse.connection import transaction
from warehouse.paths import Locations
from warehouse.pseudonyms import pseudonym
from warehouse.sql import quote_ident, sql_literal

# Columns of a LimeSurvey export that identify a person or a device rather than an answer.
CONTACT_COLUMNS = ("token", "ipaddr", "refurl")


class PurgeError(RuntimeError):
    """A purge request that cannot be carried out as asked; nothing was changed."""


@dataclass(frozen=True)
class PurgeResult:
    purge_id: str
    kind: str
    responses: int  # distinct responses touched
    versions: int  # raw versions deleted or blanked
    warehouse_rows: int  # rows deleted from warehouse tables


def _surveys(con: duckdb.DuckDBPyConnection, study_id: str, wave: str | None = None) -> list[int]:
    sql = "SELECT DISTINCT survey_id FROM raw.responses WHERE study_id = ?"
    params: list[object] = [study_id]
    if wave is not None:
        sql += " AND wave = ?"
        params.append(wave)
    return [row[0] for row in con.execute(sql + " ORDER BY survey_id", params).fetchall()]


def _warehouse_tables(con: duckdb.DuckDBPyConnection, *columns: str, without: str | None = None) -> list[str]:
    """Every base table of the warehouse (not the raw layer) with a ``study_id`` and each of ``columns``, and
    without the column ``without``."""
    has = ("EXISTS (SELECT 1 FROM duckdb_columns() AS c WHERE c.database_name = t.database_name "
           "AND c.schema_name = t.schema_name AND c.table_name = t.table_name AND c.column_name = ?)")
    wanted = [has] * (1 + len(columns)) + ([f"NOT {has}"] if without else [])
    rows = con.execute(f"SELECT t.schema_name, t.table_name FROM duckdb_tables() AS t "
                       f"WHERE t.database_name = current_database() AND {' AND '.join(wanted)} ORDER BY ALL",
                       ["study_id", *columns, *([without] if without else [])]).fetchall()
    return [f"{quote_ident(schema)}.{quote_ident(table)}" for schema, table in rows]


def _erase_responses(con: duckdb.DuckDBPyConnection, study_id: str, subjects: list[str]) -> int:
    """Delete the rows of the respondents' responses from the warehouse tables keyed by response without a
    pseudonym (replicate weights: a row per respondent and replicate, too many to repeat it on); returns the
    rows deleted. Their responses are those the raw layer and the warehouse's own tables name."""
    tables = _warehouse_tables(con, "survey_id", "response_id", without="respondent_id")
    if not tables:
        return 0
    named = ["SELECT survey_id, response_id FROM raw.responses WHERE study_id = $study_id "
             "AND list_contains($subjects, respondent_id)"]
    named += [f"SELECT survey_id, response_id FROM {table} WHERE study_id = $study_id "
              "AND list_contains($subjects, respondent_id)"
              for table in _warehouse_tables(con, "survey_id", "response_id", "respondent_id")]
    keys = con.execute(" UNION ".join(named), {"study_id": study_id, "subjects": subjects}).fetchall()
    if not keys:
        return 0
    pairs = {"study_id": study_id, "surveys": [s for s, _ in keys], "responses": [r for _, r in keys]}
    return sum(
        con.execute(f"DELETE FROM {table} AS t USING (SELECT unnest($surveys) AS survey_id, "
                    "unnest($responses) AS response_id) AS k WHERE t.study_id = $study_id "
                    "AND t.survey_id = k.survey_id AND t.response_id = k.response_id", pairs).fetchall()[0][0]
        for table in tables)


def _log(con: duckdb.DuckDBPyConnection, result: PurgeResult, study_id: str, wave: str | None, reason: str,
         operator: str, respondents: list[str]) -> None:
    con.execute(
        "INSERT INTO raw.purges VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [result.purge_id, datetime.now(timezone.utc).replace(tzinfo=None), study_id, wave, result.kind, reason,
         operator, result.responses, result.versions, result.warehouse_rows, sorted(set(respondents))],
    )


def _wave_surveys(con: duckdb.DuckDBPyConnection, study_id: str, wave: str) -> list[int]:
    surveys = _surveys(con, study_id, wave)
    if not surveys:
        raise PurgeError(f"study {study_id!r} has no responses in wave {wave!r}")
    return surveys


def _check_request(reason: str, operator: str) -> None:
    if not reason.strip():
        raise PurgeError("a purge needs a reason (the erasure request, the withdrawal, the retention rule)")
    if not operator.strip():
        raise PurgeError("a purge needs the name of the person who carries it out")


def erase_respondents(con: duckdb.DuckDBPyConnection, study_id: str, *, key: bytes, reason: str, operator: str,
                      respondent_ids: Iterable[str] = (), tokens: Iterable[str] = (),
                      responses: Iterable[tuple[int, int]] = ()) -> PurgeResult:
    """Delete every version of every response of the named respondents, from the raw layer and the warehouse.

    ``tokens`` are turned into pseudonyms with ``key`` and never stored; ``responses`` are (survey id,
    response id) pairs, whose respondents are erased whole (every wave, every response)."""
    _check_request(reason, operator)
    wanted = set(respondent_ids) | {pseudonym(key, study_id, token, 0, 0) for token in tokens if token}
    pairs = [(int(s), int(r)) for s, r in responses]
    if pairs:
        found = con.execute(
            "SELECT DISTINCT r.respondent_id FROM raw.responses AS r "
            "JOIN (SELECT unnest(?) AS survey_id, unnest(?) AS response_id) AS p USING (survey_id, response_id) "
            "WHERE r.study_id = ?",
            [[s for s, _ in pairs], [r for _, r in pairs], study_id],
        ).fetchall()
        wanted |= {row[0] for row in found}
    if not wanted:
        raise PurgeError("name at least one respondent, token or response to erase")
    subjects = sorted(wanted)
    known = {row[0] for row in con.execute(
        "SELECT DISTINCT respondent_id FROM raw.responses WHERE study_id = ? AND list_contains(?, respondent_id)",
        [study_id, subjects]).fetchall()}
    if not known:
        raise PurgeError(f"none of the {len(subjects)} respondents named has a response in study {study_id!r}")
    purge_id = str(uuid.uuid4())
    # DuckDB writes one attached file per transaction: the warehouse first, then the raw layer with the log
    # row. Should the second fail, the raw layer still holds the respondents and the purge can be run again.
    with transaction(con):
        deleted = _erase_responses(con, study_id, subjects)  # first, while the weights name their responses
        deleted += sum(
            con.execute(f"DELETE FROM {table} WHERE study_id = ? AND list_contains(?, respondent_id)",
                        [study_id, subjects]).fetchall()[0][0]
            for table in _warehouse_tables(con, "respondent_id"))
    with transaction(con):
        touched = con.execute(
            "SELECT count(DISTINCT (survey_id, response_id)), count(*) FROM raw.responses "
            "WHERE study_id = ? AND list_contains(?, respondent_id)", [study_id, subjects]).fetchall()[0]
        for survey_id in _surveys(con, study_id):
            table = raw.answers_table(study_id, survey_id)
            con.execute(
                f"DELETE FROM {table} AS a USING raw.responses AS r WHERE r.response_id = a.response_id "
                "AND r.load_seq = a.load_seq AND r.study_id = ? AND r.survey_id = ? "
                "AND list_contains(?, r.respondent_id)",
                [study_id, survey_id, subjects])
        con.execute("DELETE FROM raw.responses WHERE study_id = ? AND list_contains(?, respondent_id)",
                    [study_id, subjects])
        result = PurgeResult(purge_id, "respondents", int(touched[0]), int(touched[1]), int(deleted))
        _log(con, result, study_id, None, reason, operator, subjects)
    return result


def blank_contact_data(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, *, reason: str,
                       operator: str) -> PurgeResult:
    """Retention: blank tokens, IP addresses and referrer URLs of every version of the wave's responses."""
    _check_request(reason, operator)
    surveys = _wave_surveys(con, study_id, wave)
    purge_id = str(uuid.uuid4())
    versions = responses = 0
    with transaction(con):
        for survey_id in surveys:
            table = raw.answers_table(study_id, survey_id)
            columns = [c for c in CONTACT_COLUMNS if c in raw.answer_columns(con, table)]
            if not columns:
                continue
            blank = ", ".join(f"{quote_ident(c)} = ''" for c in columns)
            holding = " OR ".join(f"coalesce({quote_ident(c)}, '') <> ''" for c in columns)
            count, distinct = con.execute(
                f"SELECT count(*), count(DISTINCT response_id) FROM {table} WHERE {holding}").fetchall()[0]
            con.execute(f"UPDATE {table} SET {blank} WHERE {holding}")
            versions, responses = versions + count, responses + distinct
        result = PurgeResult(purge_id, "tokens", int(responses), int(versions), 0)
        _log(con, result, study_id, wave, reason, operator, [])
    return result


def erase_non_consenting(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, *, reason: str,
                         operator: str) -> PurgeResult:
    """Delete every version of the wave's responses whose latest version lacks an explicit consent ("Y")."""
    _check_request(reason, operator)
    surveys = _wave_surveys(con, study_id, wave)
    purge_id = str(uuid.uuid4())
    versions = responses = 0
    with transaction(con):
        for survey_id in surveys:
            table = raw.answers_table(study_id, survey_id)
            has_consent = CONSENT_QUESTION in raw.answer_columns(con, table)
            consent = f"a.{quote_ident(CONSENT_QUESTION)}" if has_consent else "CAST(NULL AS VARCHAR)"
            latest = f"""
                SELECT r.response_id FROM raw.responses AS r JOIN {table} AS a USING (response_id, load_seq)
                WHERE r.study_id = $study_id AND r.survey_id = $survey_id
                QUALIFY row_number() OVER (PARTITION BY r.response_id ORDER BY r.load_seq DESC) = 1
                    AND coalesce({consent}, '') <> 'Y'"""
            params = {"study_id": study_id, "survey_id": survey_id}
            ids = [row[0] for row in con.execute(latest, params).fetchall()]
            if not ids:
                continue
            versions += con.execute(f"DELETE FROM {table} WHERE list_contains($ids, response_id)",
                                    {"ids": ids}).fetchall()[0][0]
            con.execute("DELETE FROM raw.responses WHERE study_id = $study_id AND survey_id = $survey_id "
                        "AND list_contains($ids, response_id)", {**params, "ids": ids})
            responses += len(ids)
        result = PurgeResult(purge_id, "non_consenting", responses, int(versions), 0)
        _log(con, result, study_id, wave, reason, operator, [])
    return result


def compact(path: os.PathLike | str) -> None:
    """Rewrite a DuckDB file into a fresh one and swap it in, so deleted values leave the disk."""
    path = os.fspath(path)
    if os.path.exists(path + ".wal"):
        raise PurgeError(f"{path} is open in another process or was not closed cleanly; compact it later")
    fresh = path + ".compacting"
    if os.path.exists(fresh):
        os.remove(fresh)
    with duckdb.connect() as con:
        con.execute(f"ATTACH {sql_literal(path)} AS old (READ_ONLY)")
        con.execute(f"ATTACH {sql_literal(fresh)} AS fresh")
        con.execute("COPY FROM DATABASE old TO fresh")
    os.replace(fresh, path)


def compact_all(locations: Locations) -> None:
    for path in (locations.raw, locations.warehouse):
        if path.exists():
            compact(path)
