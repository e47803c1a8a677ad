"""The log of invitations and reminders sent through LimeSurvey (``meta.mailings``): counts only, never who."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from warehouse.connection import transaction


@dataclass(frozen=True)
class MailingRecord:
    """One ``toegang invite`` or ``toegang remind``: what it was asked and how many it reached."""

    study_id: str
    survey_id: int
    kind: str  # invite or remind
    dry_run: bool
    mailed_at: datetime  # when the command started, UTC without zone (warehouse.raw.utc_now), as loaded_at
    candidates: int
    sent: int = 0
    failed: int = 0
    left_to_send: int = 0
    calls: int = 0
    reasons: Mapping[str, int] = field(default_factory=dict)  # failed sends per reason (no address in it)
    min_days: int | None = None
    max_reminders: int | None = None
    chosen: int | None = None


def record_mailing(con: duckdb.DuckDBPyConnection, mailing: MailingRecord) -> str:
    """Append one row, in one transaction; return its id."""
    mailing_id = str(uuid.uuid4())
    with transaction(con):
        con.execute(
            "INSERT INTO meta.mailings (mailing_id, study_id, survey_id, kind, dry_run, mailed_at, min_days, "
            "max_reminders, chosen, candidates, sent, failed, left_to_send, calls, reasons) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [mailing_id, mailing.study_id, mailing.survey_id, mailing.kind, mailing.dry_run, mailing.mailed_at,
             mailing.min_days, mailing.max_reminders, mailing.chosen, mailing.candidates, mailing.sent, mailing.failed,
             mailing.left_to_send, mailing.calls, json.dumps(dict(mailing.reasons), ensure_ascii=False)])
    return mailing_id
