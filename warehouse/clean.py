"""Clean tables: one typed row per consenting response (latest version), tokens replaced by pseudonyms.

Table ``clean.<instrument>_responses``, one per instrument, written one (study, wave) at a time, and
``clean.<instrument>_missing``: the same rows and columns, each cell saying why the value is missing
(``not_shown`` by a condition or an unreached page, ``skipped``, ``dont_know``, ``not_applicable``) or
NULL where there is a value.
LimeSurvey exports "not shown" and "skipped" alike as empty; the instrument's conditions, evaluated
on each response, tell them apart.
Columns come from the instrument definition: ``kent[S01]`` becomes ``kent_S01``. Answer codes are kept
as text (labels live in the codebook); multiple-choice items become booleans; numbers become DOUBLE.
Free text (S, T, "other") stays in the raw layer until a person has reviewed it.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from instruments.model import Column, Instrument
from instruments.vocabulary import SURVEY_LANGUAGE
from warehouse.connection import transaction
from warehouse.raw import latest_answers_sql
from warehouse.sql import quote_ident
from warehouse.tables import qualified, read_coded

CONSENT_QUESTION = "consent"


class CleanError(RuntimeError):
    """The raw responses of a survey cannot be turned into the clean table."""


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


def _shown(instrument: Instrument, column: Column, field) -> str:
    """SQL: the respondent saw this column: its page was submitted and every condition on it held."""
    reached = f"(complete OR last_page >= {column.question.group})"
    return " AND ".join([reached, *(c.sql(field) for c in instrument.conditions(column))])


def _missing_kind(instrument: Instrument, column: Column, field) -> str:
    """SQL: why the value is missing (NULL when it is not): not shown, skipped, don't know, not applicable."""
    value = field(column.name)
    codes = {kind: [a.code for a in column.question.answers if a.missing == kind]
             for kind in ("dont_know", "not_applicable")}
    branches = [f"WHEN NOT ({_shown(instrument, column, field)}) THEN 'not_shown'"]
    if column.question.type != "M":  # an unticked box on a page the respondent saw is a "no"
        branches.append(f"WHEN coalesce({value}, '') = '' THEN 'skipped'")
    for kind, kind_codes in codes.items():
        if kind_codes:
            listed = ", ".join("'" + c + "'" for c in kind_codes)
            branches.append(f"WHEN {value} IN ({listed}) THEN '{kind}'")
    return "CASE " + " ".join(branches) + " END"


def _select_sql(con: duckdb.DuckDBPyConnection, study_id: str, wave: str,
                instrument: Instrument) -> tuple[str, str]:
    """The clean rows, and beside them why each missing value is missing (same rows and columns), both
    from the latest consenting versions. Export columns are read as ``"@<column>"``: a question code
    cannot start with "@", so they never meet the metadata columns. Each reads the raw layer itself: the
    two queries together cost less than materialising the text of every answer once (and its memory)."""
    needed: list[str] = []

    def field(name: str) -> str:
        if name not in needed:
            needed.append(name)
        return quote_ident("@" + name)

    # interviewtime: LimeSurvey's own timing (seconds), in exports made with timings of a survey that saves them.
    meta = {name: field(name) for name in ("submitdate", "lastpage", "startlanguage", "startdate", "datestamp",
                                           "interviewtime", CONSENT_QUESTION)}
    typed, kinds = [], []
    for column in instrument.columns():
        if not column.free_text:
            name = quote_ident(column.variable)  # kent[S01] -> kent_S01, as ExpressionScript names it
            typed.append(f"{_typed(column, field(column.name))} AS {name}")
            kinds.append(f"{_missing_kind(instrument, column, field)} AS {name}")
    # One row per respondent per wave: a respondent who answered twice (the same token) keeps the latest
    # complete response here; the others stay in the raw layer, and the kept one is flagged a duplicate.
    source = f"""
        SELECT *, count(*) OVER (PARTITION BY respondent_id) AS responses_by_respondent
        FROM (
            SELECT latest.*,
                   coalesce({meta['submitdate']}, '') <> '' AS complete,
                   NULLIF({meta['submitdate']}, '') AS submitdate_value,
                   TRY_CAST(NULLIF({meta['lastpage']}, '') AS INTEGER) AS last_page
            FROM ({latest_answers_sql(con, study_id, wave, instrument.name, needed, prefix="@")}) AS latest
            WHERE {meta[CONSENT_QUESTION]} = 'Y'
        )
        QUALIFY row_number() OVER (PARTITION BY respondent_id
            ORDER BY complete DESC, submitdate_value DESC NULLS LAST, response_id DESC, survey_id DESC) = 1"""
    keys = "study_id, wave, survey_id, response_id, respondent_id"
    sql = f"""
        SELECT {keys}, instrument_version, responses_by_respondent, complete,
               CAST(NULLIF({meta['submitdate']}, '') AS TIMESTAMP) AS submitted_at,
               NULLIF({meta['startlanguage']}, '') AS {SURVEY_LANGUAGE},
               TRY_CAST(NULLIF({meta['startdate']}, '') AS TIMESTAMP) AS started_at,
               TRY_CAST(NULLIF({meta['datestamp']}, '') AS TIMESTAMP) AS last_action_at,
               TRY_CAST(NULLIF({meta['interviewtime']}, '') AS DOUBLE) AS interview_seconds,
               last_page,
               {", ".join(typed)}
        FROM ({source}) AS clean_source
    """
    missing = f"SELECT {keys}, {', '.join(kinds)} FROM ({source}) AS clean_source"
    return sql, missing


def _add_new_columns(con: duckdb.DuckDBPyConnection, table: str, select: str, params: dict) -> None:
    """A wave may add questions (a new service): widen the table; earlier waves get NULL there."""
    wanted = con.execute(f"DESCRIBE SELECT * FROM ({select})", params).fetchall()
    existing = {row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()}
    for name, column_type, *_ in wanted:
        if name not in existing:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {quote_ident(name)} {column_type}")


def build_clean(con: duckdb.DuckDBPyConnection, *, study_id: str, wave: str, instrument: Instrument) -> int:
    """Replace the (study, wave) rows of the instrument's clean table; return the number of rows."""
    table = table_name(instrument)
    missing_table = f"clean.{quote_ident(instrument.name + '_missing')}"
    try:
        select, missing = _select_sql(con, study_id, wave, instrument)
        # The tables are created or widened in the same transaction as the rows: a wave that fails (or is
        # killed) half way leaves no new column behind on the other waves' rows.
        with transaction(con):
            con.execute(f"CREATE TABLE IF NOT EXISTS {table} AS SELECT * FROM ({select}) WHERE FALSE")
            _add_new_columns(con, table, select, {})
            con.execute(f"CREATE TABLE IF NOT EXISTS {missing_table} AS SELECT * FROM ({missing}) WHERE FALSE")
            _add_new_columns(con, missing_table, missing, {})
            con.execute(f"DELETE FROM {table} WHERE study_id = ? AND wave = ?", [study_id, wave])
            con.execute(f"INSERT INTO {table} BY NAME {select}")
            con.execute(f"DELETE FROM {missing_table} WHERE study_id = ? AND wave = ?", [study_id, wave])
            con.execute(f"INSERT INTO {missing_table} BY NAME {missing}")
            count = con.execute(
                f"SELECT count(*) FROM {table} WHERE study_id = ? AND wave = ?", [study_id, wave]
            ).fetchall()[0][0]
    except duckdb.Error as exc:
        raise CleanError(f"cannot build {table} for study {study_id!r}, wave {wave!r}: {exc}") from exc
    return int(count)


def read_respondents(con: duckdb.DuckDBPyConnection, instrument: str, study_id: str, wave: str, columns: list[str],
                     *, join: tuple[str, str] | None = None, join_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """The wave's clean respondents of ``instrument`` with their ``survey_id``, ``response_id`` and those of
    ``columns`` the table has, text answers as categoricals, in (survey, response) order. With ``join`` (a
    (schema, table) keyed by study, wave, survey and response, e.g. ``warehouse.weighted``'s weights), only the
    respondents it holds, with its ``join_columns``. A million respondents' whole questionnaires would not fit
    in memory as text: callers name the columns they read."""
    table = qualified("clean", f"{instrument}_responses")
    present = {row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()}
    wanted = dict.fromkeys(["survey_id", "response_id", *(c for c in columns if c in present)])
    select = ", ".join([*(f"p.{quote_ident(c)}" for c in wanted), *(f"j.{quote_ident(c)}" for c in join_columns)])
    source = f"{table} AS p"
    if join is not None:
        source += f" JOIN {qualified(*join)} AS j USING (study_id, wave, survey_id, response_id)"
    return read_coded(con, f"SELECT {select} FROM {source} WHERE p.study_id = $study_id AND p.wave = $wave",
                      {"study_id": study_id, "wave": wave}, order_by=["survey_id", "response_id"])
