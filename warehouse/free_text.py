"""Free-text answers and their review (DOMAIN.md section 5): open answers stay in the raw layer; a reviewer
exports the ones not yet reviewed, redacts them, and imports the review. Only reviewed, redacted text whose
answer has not changed since can ever be quoted (``quotable``)."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb
import pandas as pd

from warehouse.connection import registered, transaction
from warehouse.raw import latest_answers_sql

REVIEW_COLUMNS = ["survey_id", "response_id", "column_name", "text_sha256", "respondent_id", "text", "status",
                  "redacted_text"]
STATUSES = ("quotable", "not_quotable")


class ReviewError(ValueError):
    """A review file that cannot be taken: the message names the row and the problem."""


def answers(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, instrument: str,
            columns: list[str]) -> pd.DataFrame:
    """The non-empty free-text answers (latest versions) of the wave: one row per response and column."""
    if not columns:
        return pd.DataFrame(columns=["survey_id", "response_id", "respondent_id", "column_name", "text",
                                     "text_sha256"])
    wide = con.execute(latest_answers_sql(con, study_id, wave, instrument, columns, prefix="@")).df()
    parts = []
    for column in columns:
        text = wide["@" + column]
        present = text.notna() & (text.astype(str).str.strip() != "")
        parts.append(wide.loc[present, ["survey_id", "response_id", "respondent_id"]].assign(
            column_name=column, text=text[present].astype(str)))
    frame = pd.concat(parts, ignore_index=True)
    if frame.empty:
        return frame.assign(text_sha256=pd.Series(dtype=str))
    with registered(con, "free_text_answers", frame[["text"]]):
        hashes = con.execute("SELECT sha256(text) FROM free_text_answers").fetchall()
    return frame.assign(text_sha256=[h[0] for h in hashes])


def _latest_reviews(con: duckdb.DuckDBPyConnection, study_id: str) -> pd.DataFrame:
    return con.execute(
        """SELECT * FROM raw.free_text_reviews WHERE study_id = ?
           QUALIFY row_number() OVER (PARTITION BY survey_id, response_id, column_name, text_sha256
                                      ORDER BY reviewed_at DESC) = 1""", [study_id]).df()


def pending(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, instrument: str,
            columns: list[str]) -> pd.DataFrame:
    """Answers without a review of their current text: the reviewer's worksheet (``status`` and
    ``redacted_text`` to fill in). It holds raw text: restricted, like the raw layer."""
    frame = answers(con, study_id, wave, instrument, columns)
    reviews = _latest_reviews(con, study_id)
    done = set(zip(reviews["survey_id"], reviews["response_id"], reviews["column_name"], reviews["text_sha256"]))
    keep = [(s, r, c, h) not in done for s, r, c, h in
            zip(frame["survey_id"], frame["response_id"], frame["column_name"], frame["text_sha256"])]
    return frame[keep].assign(status="", redacted_text="")[REVIEW_COLUMNS].reset_index(drop=True)


def record_reviews(con: duckdb.DuckDBPyConnection, study_id: str, sheet: pd.DataFrame, reviewer: str,
                   origin: str = "review sheet") -> int:
    """Store a filled-in worksheet; rows with an empty status are left for later. All or nothing."""
    if not reviewer.strip():
        raise ReviewError(f"{origin}: name the reviewer")
    missing = [c for c in ("survey_id", "response_id", "column_name", "text_sha256", "status", "redacted_text")
               if c not in sheet.columns]
    if missing:
        raise ReviewError(f"{origin}: missing column(s) {', '.join(missing)}")
    sheet = sheet.fillna({"status": "", "redacted_text": ""})
    filled = sheet[sheet["status"].astype(str).str.strip() != ""]
    for line, row in filled.iterrows():
        if row["status"] not in STATUSES:
            raise ReviewError(f"{origin}, row {line + 2}: status {row['status']!r} is not one of {', '.join(STATUSES)}")
        if row["status"] == "quotable" and not str(row["redacted_text"]).strip():
            raise ReviewError(f"{origin}, row {line + 2}: a quotable answer needs its redacted text")
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = filled.assign(study_id=study_id, reviewer=reviewer, reviewed_at=now,
                         redacted_text=filled["redacted_text"].where(filled["status"] == "quotable"))
    rows = rows[["study_id", "survey_id", "response_id", "column_name", "text_sha256", "status", "redacted_text",
                 "reviewer", "reviewed_at"]].astype({"survey_id": "int64", "response_id": "int64"})
    with registered(con, "incoming_reviews", rows), transaction(con):
        con.execute("INSERT INTO raw.free_text_reviews BY NAME SELECT * FROM incoming_reviews")
    return len(rows)


def quotable(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, instrument: str,
             columns: list[str]) -> pd.DataFrame:
    """Reviewed, redacted answers that may be quoted: pseudonym, column and redacted text only."""
    frame = answers(con, study_id, wave, instrument, columns)
    reviews = _latest_reviews(con, study_id)
    reviews = reviews[reviews["status"] == "quotable"]
    merged = frame.merge(reviews[["survey_id", "response_id", "column_name", "text_sha256", "redacted_text"]],
                         on=["survey_id", "response_id", "column_name", "text_sha256"])
    return merged[["respondent_id", "column_name", "redacted_text"]].reset_index(drop=True)
