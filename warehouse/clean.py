"""Clean tables: one typed row per consenting response (latest version), tokens replaced by pseudonyms.

Table ``clean.<instrument>_responses``, one per instrument, written one (study, wave) at a time.
Columns come from the instrument definition: ``kent[S01]`` becomes ``kent_S01``. Answer codes are kept
as text (labels live in the codebook); multiple-choice items become booleans; numbers become DOUBLE.
Free text (S, T, "other") stays in the raw layer until a person has reviewed it.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from instruments.model import Column, Instrument
from warehouse.connection import registered, transaction
from warehouse.pseudonyms import pseudonym
from warehouse.sql import quote_ident
from warehouse.raw import latest_versions_sql

CONSENT_QUESTION = "consent"


class CleanError(RuntimeError):
    """The raw responses of a survey cannot be turned into the clean table."""


def json_path(column: str) -> str:
    """A JSON path that selects one key literally, whatever characters it holds."""
    return '$."' + column.replace("\\", "\\\\").replace('"', '\\"') + '"'


def clean_column_name(column: Column) -> str:
    # LimeSurvey codes hold only letters and digits, so "_" cannot collide with a question code.
    return column.name.replace("[", "_").replace("]", "")


def table_name(instrument: Instrument) -> str:
    return f"clean.{quote_ident(instrument.name + '_responses')}"


def _typed(column: Column, value: str) -> str:
    qtype = column.question.type
    if qtype == "Y":
        return f"CASE {value} WHEN 'Y' THEN TRUE WHEN 'N' THEN FALSE END"
    if qtype == "M":
        # An unticked box is "" in the export; it means "no" only if the respondent saw the page.
        return f"CASE WHEN {value} = 'Y' THEN TRUE WHEN complete OR last_page >= {column.question.group} THEN FALSE END"
    if qtype == "N":
        return f"CAST(NULLIF({value}, '') AS DOUBLE)"
    if qtype == "D":
        return f"CAST(CAST(NULLIF({value}, '') AS TIMESTAMP) AS DATE)"
    return f"NULLIF({value}, '')"


def _select_sql(instrument: Instrument) -> tuple[str, dict[str, object]]:
    # One JSON parse per response: every value is extracted at once into the list ``v`` (one
    # ``->>`` per column parses the payload once per column, about ten times slower).
    paths: list[str] = []

    def field(name: str) -> str:
        if json_path(name) not in paths:
            paths.append(json_path(name))
        return f"v[{paths.index(json_path(name)) + 1}]"

    meta = {name: field(name) for name in ("submitdate", "lastpage", "startlanguage", CONSENT_QUESTION)}
    typed = []
    for column in instrument.columns():
        if not column.free_text:
            expression = _typed(column, field(column.name))
            typed.append(f"{expression} AS {quote_ident(clean_column_name(column))}")
    sql = f"""
        WITH latest AS ({latest_versions_sql()}),
        extracted AS (
            SELECT latest.*, json_extract_string(payload, $paths) AS v FROM latest
        ),
        responses AS (
            SELECT extracted.*,
                   {meta['submitdate']} <> '' AS complete,
                   TRY_CAST(NULLIF({meta['lastpage']}, '') AS INTEGER) AS last_page
            FROM extracted
            WHERE {meta[CONSENT_QUESTION]} = 'Y'
        )
        SELECT study_id, wave, survey_id, response_id, p.respondent_id, instrument_version,
               complete,
               CAST(NULLIF({meta['submitdate']}, '') AS TIMESTAMP) AS submitted_at,
               NULLIF({meta['startlanguage']}, '') AS start_language,
               last_page,
               {", ".join(typed)}
        FROM responses
        JOIN respondent_pseudonyms AS p USING (survey_id, response_id)
        ORDER BY survey_id, response_id
    """
    return sql, {"paths": paths}


def _pseudonyms(con: duckdb.DuckDBPyConnection, key: bytes, study_id: str, wave: str,
                instrument: Instrument) -> pd.DataFrame:
    rows = con.execute(
        f"""SELECT survey_id, response_id, coalesce(payload ->> '$."token"', '')
            FROM ({latest_versions_sql()})""",
        {"study_id": study_id, "wave": wave, "instrument": instrument.name},
    ).fetchall()
    return pd.DataFrame(
        {
            "survey_id": pd.array([r[0] for r in rows], dtype="int64"),
            "response_id": pd.array([r[1] for r in rows], dtype="int64"),
            "respondent_id": [pseudonym(key, study_id, r[2], r[0], r[1]) for r in rows],
        }
    )


def _add_new_columns(con: duckdb.DuckDBPyConnection, table: str, select: str, params: dict) -> None:
    """A wave may add questions (a new service): widen the table; earlier waves get NULL there."""
    wanted = con.execute(f"DESCRIBE SELECT * FROM ({select})", params).fetchall()
    existing = {row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()}
    for name, column_type, *_ in wanted:
        if name not in existing:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {quote_ident(name)} {column_type}")


def build_clean(con: duckdb.DuckDBPyConnection, *, study_id: str, wave: str, instrument: Instrument,
                key: bytes) -> int:
    """Replace the (study, wave) rows of the instrument's clean table; return the number of rows."""
    select, params = _select_sql(instrument)
    params |= {"study_id": study_id, "wave": wave, "instrument": instrument.name}
    table = table_name(instrument)
    pseudonyms = _pseudonyms(con, key, study_id, wave, instrument)
    try:
        with registered(con, "respondent_pseudonyms", pseudonyms):
            con.execute(f"CREATE TABLE IF NOT EXISTS {table} AS SELECT * FROM ({select}) WHERE FALSE", params)
            _add_new_columns(con, table, select, params)
            with transaction(con):
                con.execute(f"DELETE FROM {table} WHERE study_id = ? AND wave = ?", [study_id, wave])
                con.execute(f"INSERT INTO {table} BY NAME {select}", params)
                count = con.execute(
                    f"SELECT count(*) FROM {table} WHERE study_id = ? AND wave = ?", [study_id, wave]
                ).fetchall()[0][0]
    except duckdb.Error as exc:
        raise CleanError(f"cannot build {table} for study {study_id!r}, wave {wave!r}: {exc}") from exc
    return int(count)
