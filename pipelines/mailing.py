"""Invitations and reminders through LimeSurvey (``toegang invite``, ``toegang remind``), with a dry run.

The dry run reads the participants (``list_participants``) and picks those LimeSurvey's ``invite_participants`` or
``remind_participants`` would mail, by the rules of LimeSurvey 6.4.2's ``TokenDynamic::findUninvited``,
``remind_participants`` and ``emailTokens`` (shared/fixtures/limesurvey/README.md; the loopback server in
benchmarks/harness follows them): not completed, a token and an e-mail address, e-mail status OK, within its
validfrom/validuntil (emailTokens fails the others: they get no mail); for an invitation not sent yet; for a
reminder sent, fewer than ``max_reminders`` reminders, and the last contact (the last reminder, else the
invitation) before now minus ``min_days``. It names each by tid, language and a masked address only.

A real run names those participants in every call (LimeSurvey picks within them), so it mails no one the dry run
would not have named, whatever the server's clock says; it makes no call when nobody is due. It calls until
LimeSurvey says none are left, every one named was tried, or a call sent nothing (failed sends stay pending: they
would be offered again forever). LimeSurvey sends at most its ``maxemails`` per call. The calls are writes: never
retried (a retried call could mail the same people twice). Every run, dry or not, is logged in counts only:
``meta.mailings`` and one log line.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from instruments.model import InstrumentError
from instruments.study import Study
from pipelines.limesurvey import LimeSurveyConnection, LimeSurveyError, Sending, ServerSource
from warehouse.connection import connect
from warehouse.mailings import MailingRecord, record_mailing
from warehouse.paths import Locations
from warehouse.raw import utc_now

logger = logging.getLogger(__name__)
KINDS = ("invite", "remind")
STAMP = "%Y-%m-%d %H:%M"  # how LimeSurvey writes sent and remindersent, and compares them (as text)
NOT_YET = ("N", "")  # sent, remindersent or completed that has not happened
# What a participants status means for the operator (the status stays in the message, the hint follows it).
HINTS = {"Error: No survey participants table": "deploy the survey with participants (toegang instruments deploy "
                                                "--participants FILE) or add a participants table in LimeSurvey",
         "Error: Invalid survey ID": "is the study file's survey id the one deployed?"}
_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")


@dataclass(frozen=True)
class Candidate:
    """One participant a mailing reaches, as it may be shown: tid, language, masked address, what they get."""

    tid: int
    language: str
    address: str  # masked: first character of the name and of the domain, the domain's last label
    reminder: int | None  # the reminder's number; None for an invitation

    def line(self) -> str:
        what = "invitation" if self.reminder is None else f"reminder {self.reminder}"
        return f"tid {self.tid}  {self.language or '-'}  {self.address}  {what}"


def mask_address(address: str | None) -> str:
    """``a***@e***.org``: the first character of the name and of the domain, and the domain's last label (a
    personal domain would name its owner): enough to tell a batch's languages and countries apart, too little to
    reach or recognise anyone."""
    text = (address or "").strip()
    if not text:
        return "-"
    local, at, domain = text.rpartition("@")
    if not (at and local):
        return f"{text[:1]}***"
    rest, dot, last = domain.rpartition(".")
    return f"{local[:1]}***@{rest[:1]}***.{last}" if dot and rest else f"{local[:1]}***@{domain[:1]}***"


def _text(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value)


def _valid(row: Mapping[str, Any], now: datetime) -> bool:
    """Within validfrom and validuntil at ``now``, as emailTokens tests before it mails (an unreadable date: not
    valid, so not mailed; LimeSurvey's own rules only store readable ones)."""
    try:
        start, end = (datetime.fromisoformat(_text(row, key)) if _text(row, key).strip() else None
                      for key in ("validfrom", "validuntil"))
    except ValueError:
        return False
    return (start is None or start <= now) and (end is None or end >= now)


def candidates(rows: Sequence[Mapping[str, Any]], kind: str, *, now: datetime, tids: Sequence[int] | None = None,
               min_days: int | None = None, max_reminders: int | None = None) -> list[Candidate]:
    """The participants (``list_participants`` rows with ``PARTICIPANT_STATUS``) ``kind`` would mail now, in tid
    order, as LimeSurvey picks and mails them. Dates are compared as text, as LimeSurvey's SQL does ("N" sorts after
    any date); ``now`` is the server's clock, for ``min_days`` and validfrom/validuntil."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    invite = kind == "invite"
    before = (now - timedelta(days=min_days)).strftime(STAMP) if min_days is not None and not invite else None
    chosen = {int(t) for t in tids or ()}
    due = []
    for row in sorted(rows, key=lambda r: int(r["tid"])):
        email = _text(row.get("participant_info") or {}, "email")
        sent, reminded = _text(row, "sent"), _text(row, "remindersent")
        count = int(row.get("remindercount") or 0)
        if _text(row, "completed") not in NOT_YET or not _text(row, "token") or not email:
            continue
        if _text(row, "emailstatus") != "OK" or invite != (sent in NOT_YET):
            continue
        if not invite and max_reminders is not None and count >= max_reminders:
            continue
        if before is not None and not ((reminded == "N" and sent < before) or reminded < before):
            continue
        if chosen and int(row["tid"]) not in chosen:
            continue
        if not _valid(row, now):
            continue
        due.append(Candidate(int(row["tid"]), _text(row, "language"), mask_address(email),
                             None if invite else count + 1))
    return due


def reason(text: str) -> str:
    """LimeSurvey's reason for a failed send without any address in it (a mail server may name the recipient)."""
    return _ADDRESS.sub("<address>", text).strip() or "failed"


@dataclass
class Outcome:
    """What the calls of a real run did."""

    sent: dict[int, str | None] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)
    calls: int = 0
    error: LimeSurveyError | None = None  # a call after the first failed: what was done before stays counted


def send_all(api: LimeSurveyConnection, kind: str, survey_id: int, due: Sequence[int], *,
             min_days: int | None = None, max_reminders: int | None = None) -> Outcome:
    """Call ``kind`` until LimeSurvey says none are left, every ``due`` participant was tried, or a call sent none
    (its failed sends stay pending, and would be offered again forever). Every call names the ``due``
    participants not tried yet, so LimeSurvey mails no one else (its clock may make more due than ours did) and
    nobody twice in one run (a reminder without ``min_days`` leaves its participant due); with nobody due no call
    is made (an empty list, which LimeSurvey reads as everyone, is never sent)."""
    done = Outcome()
    chosen = list(due)
    while chosen:
        try:
            reply: Sending = api.send(kind, survey_id, chosen, min_days=min_days, max_reminders=max_reminders)
        except LimeSurveyError as exc:
            if not done.calls:
                raise
            done.error = exc
            return done
        done.calls += 1
        done.sent.update(reply.sent)
        done.failed.update(reply.failed)
        if reply.left <= 0 or not reply.sent:
            return done
        chosen = [t for t in due if t not in done.sent and t not in done.failed]
    return done


@dataclass(frozen=True)
class Mailing:
    """A run of ``toegang invite`` or ``toegang remind``: who was due (masked) and the counts logged."""

    record: MailingRecord
    due: list[Candidate]

    def lines(self) -> Iterator[str]:
        """The run in words: a dry run one line per participant, then a count; a real run its counts, the failures
        grouped by reason."""
        r = self.record
        noun = "invitation" if r.kind == "invite" else "reminder"
        if r.dry_run:
            yield from (c.line() for c in self.due)
            article = "an" if noun == "invitation" else "a"
            yield (f"survey {r.survey_id}, dry run: {r.candidates} participant{'s' * (r.candidates != 1)} would "
                   f"receive {article} {noun}; nothing was sent")
            return
        yield (f"survey {r.survey_id}: {r.sent} {noun}{'s' * (r.sent != 1)} sent, {r.failed} failed, "
               f"{r.left_to_send} left to send ({r.calls} call{'s' * (r.calls != 1)})")
        yield from (f"  {count} failed: {text}" for text, count in r.reasons.items())
        if r.failed or r.left_to_send:
            yield (f"  those failed and left stay pending: toegang {r.kind} again tries them (after fixing what "
                   "failed)")


def _participants(api: LimeSurveyConnection, survey_id: int) -> list[dict[str, Any]]:
    try:
        return api.participants(survey_id)
    except LimeSurveyError as exc:
        hint = HINTS.get(exc.reason)
        if hint is None:
            raise
        raise LimeSurveyError(exc.call, survey_id, f"{exc.reason} ({hint})", server_side=exc.server_side) from None


def mail(study: Study, survey_id: int, kind: str, *, locations: Locations, server: ServerSource, dry_run: bool,
         tids: Sequence[int] | None = None, min_days: int | None = None, max_reminders: int | None = None,
         now: datetime | None = None) -> Mailing:
    """Invite or remind the survey's due participants (or say who they are, ``dry_run``) and log the run in
    ``meta.mailings`` (``mailed_at`` in UTC without zone, as the warehouse stores times). ``now`` is the server's
    clock for ``min_days`` and the validity window (default: this machine's). The warehouse is opened first: a
    mailing that could not be logged is not sent."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not any(s.survey_id == survey_id for s in study.surveys):
        raise InstrumentError(f"study {study.study_id!r} has no survey {survey_id}")
    started = utc_now()
    filters = {"min_days": min_days, "max_reminders": max_reminders} if kind == "remind" else {}
    with connect(locations) as con:
        with server.open() as api:
            due = candidates(_participants(api, survey_id), kind, now=now or datetime.now(), tids=tids, **filters)
            done = Outcome() if dry_run else send_all(api, kind, survey_id, [c.tid for c in due], **filters)
        tried = done.sent.keys() | done.failed.keys()
        record = MailingRecord(
            study.study_id, survey_id, kind, dry_run, started, candidates=len(due), sent=len(done.sent),
            failed=len(done.failed), left_to_send=sum(1 for c in due if c.tid not in tried), calls=done.calls,
            reasons=dict(Counter(reason(text) for text in done.failed.values()).most_common()),
            chosen=len(tids) if tids else None, **filters)
        record_mailing(con, record)
    logger.info("mailing logged in meta.mailings: study %s, survey %s, %s%s: %d candidates, %d sent, %d failed, "
                "%d left to send", study.study_id, survey_id, kind, " (dry run)" if dry_run else "", record.candidates,
                record.sent, record.failed, record.left_to_send)
    if done.error is not None:
        exc = done.error
        raise LimeSurveyError(exc.call, survey_id, f"{exc.reason} (after {done.calls} call(s) had sent {record.sent} "
                              f"and failed {record.failed}, logged in meta.mailings)", server_side=exc.server_side)
    return Mailing(record, due)
