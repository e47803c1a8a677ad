"""Fieldwork progress from the raw layer: the responses loaded so far of a wave's instrument, counted per day and per
category of each target column, in DuckDB. Counts only: no token, address or answer leaves the query.

A response counts as complete once submitted with consent given (when the instrument asks for it); a partial
one is started and not submitted. Complete responses count on the day they were submitted, partial ones on the
day of their last action.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

from instruments.model import Instrument
from warehouse.clean import CONSENT_QUESTION
from warehouse.raw import latest_answers_sql
from warehouse.sql import quote_ident, sql_literal

TOTAL = ""  # the target of the row that counts every response
COLUMNS = ["target", "category", "day", "complete", "partial", "declined"]


def progress_counts(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, instrument: Instrument,
                    targets: Mapping[str, str]) -> pd.DataFrame:
    """Responses per (target, category, day): ``complete``, ``partial``, and ``declined`` (submitted without
    consent). ``targets``: target name -> export column holding its categories; the total's rows have target
    ``TOTAL`` and category ``""``. A response without an answer in a target column counts under category ""."""
    has_consent = any(c.name == CONSENT_QUESTION for c in instrument.columns())
    needed = ["submitdate", "startdate", "datestamp", *([CONSENT_QUESTION] if has_consent else []),
              *dict.fromkeys(targets.values())]
    field = {name: quote_ident("@" + name) for name in needed}
    consent = f"coalesce({field[CONSENT_QUESTION]}, '') = 'Y'" if has_consent else "TRUE"
    categories = ", ".join(f"coalesce({field[column]}, '') AS {quote_ident('#' + name)}"
                           for name, column in targets.items())
    per_response = f"""
        SELECT coalesce({field['submitdate']}, '') <> '' AS submitted, {consent} AS consented,
               CAST(CASE WHEN coalesce({field['submitdate']}, '') <> ''
                         THEN TRY_CAST({field['submitdate']} AS TIMESTAMP)
                         ELSE coalesce(TRY_CAST(NULLIF({field['datestamp']}, '') AS TIMESTAMP),
                                       TRY_CAST(NULLIF({field['startdate']}, '') AS TIMESTAMP)) END AS DATE) AS day
               {', ' + categories if categories else ''}
        FROM ({latest_answers_sql(con, study_id, wave, instrument.name, needed, prefix="@")}) AS latest"""
    sums = ("count(*) FILTER (WHERE submitted AND consented) AS complete, count(*) FILTER (WHERE NOT submitted) "
            "AS partial, count(*) FILTER (WHERE submitted AND NOT consented) AS declined")
    selects = [f"SELECT {sql_literal(TOTAL)} AS target, '' AS category, day, {sums} FROM r GROUP BY day"]
    selects += [f"SELECT {sql_literal(name)} AS target, {quote_ident('#' + name)} AS category, day, {sums} "
                f"FROM r GROUP BY ALL" for name in targets]
    sql = f"WITH r AS ({per_response}) " + " UNION ALL ".join(selects) + " ORDER BY target, category, day"
    frame = con.execute(sql).df()
    return frame[COLUMNS].astype({"complete": "int64", "partial": "int64", "declined": "int64"})


def last_load(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, instrument: str):
    """When the wave's instrument was last loaded (UTC, no zone), or None."""
    return con.execute("SELECT max(loaded_at) FROM raw.loads WHERE study_id = ? AND wave = ? AND instrument = ?",
                       [study_id, wave, instrument]).fetchall()[0][0]
