"""A LimeSurvey RemoteControl 2 (JSON-RPC) connection through ``citric``, without Dagster (the stages use it;
``pipelines/resources/limesurvey.py`` wraps it as a resource).

Every call has a timeout; connection errors and HTTP 5xx are retried with exponential backoff; an
expired session key is renewed once; the key is always released. LimeSurvey reports most errors as a
status text inside ``result`` (``{"status": "Invalid session key"}``, see shared/fixtures/limesurvey):
each becomes a ``LimeSurveyError`` naming the call, the survey and the status. The password is never
logged, stored or put in a message.
"""

from __future__ import annotations

import binascii
import logging
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit, urlunsplit

import citric
import requests
from citric.exceptions import LimeSurveyApiError, LimeSurveyStatusError, ResponseMismatchError
from citric.exceptions import LimeSurveyError as CitricError
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from instruments.limesurvey_export import ExportError, parse_export

logger = logging.getLogger(__name__)
T = TypeVar("T")
# Statuses that mean "nothing to export" rather than a failure (recorded in fixtures 33 and 34).
NO_RESPONSES = "No Data, could not get max id."
EXPIRED_KEY = "Invalid session key"
NO_PARTICIPANTS = "No survey participants found."  # list_participants of an empty table (fixture 36)
NO_PARTICIPANT_TABLE = "Error: No survey participants table"  # an open-link survey (fixtures 156, 157)
NO_CANDIDATES = "Error: No candidate tokens"  # invite or remind with nobody to send to (fixtures 121, 130)
# What list_participants is asked for besides tid, token and participant_info (fixture 118), and the validity
# window emailTokens checks before it mails (token_helper.php).
PARTICIPANT_STATUS = ("sent", "remindersent", "remindercount", "completed", "usesleft", "emailstatus", "language",
                      "validfrom", "validuntil")
RESPONSE_COUNTS = ("completed_responses", "incomplete_responses")  # of get_summary
PARTICIPANT_PAGE = 1000  # participants per list_participants call
_LEFT_TO_SEND = re.compile(r"(\d+) left to send")  # the status of a send that ran (fixtures 119, 137)


# What a reply of the wrong shape raises inside citric or our code (data["id"] on a list, .get on a str).
_REPLY_SHAPE_ERRORS = (KeyError, TypeError, AttributeError, IndexError)


class LimeSurveyError(RuntimeError):
    """A LimeSurvey call that failed; the message names the call, the survey and the reason."""

    def __init__(self, call: str, survey_id: int | None, reason: str, *, server_side: bool = False):
        where = f" (survey {survey_id})" if survey_id is not None else ""
        super().__init__(f"LimeSurvey {call}{where}: {reason}")
        self.call, self.survey_id, self.reason = call, survey_id, reason
        # The server could not be reached (after the retries) or refused the credentials: not the data's fault.
        self.server_side = server_side


class _Retry(Retry):
    """urllib3's retry that says, in one line, why it retries and when."""

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        following = super().increment(method, url, response, error, _pool, _stacktrace)  # raises when spent
        reason = f"HTTP {response.status}" if response is not None else _error_reason(error)
        done = len(following.history)
        left = following.total if isinstance(following.total, int) else 0
        logger.warning("LimeSurvey server %s: %s; retry %d of %d in %.1f s",
                       f"{_pool.host}:{_pool.port}" if _pool is not None else "", reason, done, done + left,
                       following.get_backoff_time())
        return following


def _error_reason(error: BaseException | None) -> str:
    """The last clause of a connection error (``[Errno 111] Connection refused``), not its repr chain."""
    text = str(error or "no reply")
    return text.rsplit(": ", 1)[-1][:120]


def redact_url(url: str) -> str:
    """The endpoint without any user:password@ part, for messages and the load log."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class _TimeoutSession(requests.Session):
    def __init__(self, timeout: float):
        super().__init__()
        self._timeout = timeout

    def request(self, method, url, **kwargs):  # type: ignore[override]
        kwargs.setdefault("timeout", self._timeout)
        return super().request(method, url, **kwargs)


class LimeSurveySettings(Protocol):
    """Where the server is and how to reach it (``pipelines.resources.limesurvey.LimeSurveyResource``)."""

    url: str
    username: str
    password: str
    timeout_seconds: float
    retries: int
    backoff_seconds: float


# How a server is reached unless configured otherwise (the resource's defaults too).
TIMEOUT_SECONDS, RETRIES, BACKOFF_SECONDS = 120.0, 3, 1.0
PAGE_SIZE = 5000  # response ids per export call: LimeSurvey builds each export whole in server memory
ENVIRONMENT = (("url", "LIMESURVEY_URL"), ("username", "LIMESURVEY_USERNAME"), ("password", "LIMESURVEY_PASSWORD"))


class ServerSource(Protocol):
    """What opens a connection: ``ServerSettings`` or the Dagster resource."""

    def open(self) -> AbstractContextManager[LimeSurveyConnection]: ...


@dataclass(frozen=True)
class ServerSettings:
    """A server and how to reach it, without Dagster (``toegang ingest`` asks it before any run)."""

    url: str
    username: str
    password: str = field(repr=False)
    timeout_seconds: float = TIMEOUT_SECONDS
    retries: int = RETRIES
    backoff_seconds: float = BACKOFF_SECONDS
    page_size: int = PAGE_SIZE

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ, **given) -> ServerSettings:
        """``given`` settings, every unset one of url, username and password from ``LIMESURVEY_*``."""
        values = {key: value for key, value in given.items() if value is not None}
        for name, variable in ENVIRONMENT:
            value = values.get(name) or environ.get(variable)
            if not value:
                raise LimeSurveyError("connect", None, f"{variable} is not set")
            values[name] = value
        return cls(**values)

    @contextmanager
    def open(self) -> Iterator[LimeSurveyConnection]:
        connection = LimeSurveyConnection(self)
        try:
            yield connection
        finally:
            connection.close()


class LimeSurveyConnection:
    """An open RC2 session. Methods return plain Python data."""

    def __init__(self, resource: LimeSurveySettings):
        self._resource = resource
        self.endpoint = redact_url(resource.url)
        self._client = self._login()

    def _http(self) -> requests.Session:
        r = self._resource
        retry = _Retry(total=r.retries, connect=r.retries, read=r.retries, status=r.retries,
                      status_forcelist=(500, 502, 503, 504), allowed_methods=frozenset({"POST"}),
                      backoff_factor=r.backoff_seconds, raise_on_status=False)
        session = _TimeoutSession(r.timeout_seconds)
        session.mount("http://", HTTPAdapter(max_retries=retry))
        session.mount("https://", HTTPAdapter(max_retries=retry))
        return session

    def _login(self) -> citric.Client:
        try:
            client = citric.Client(self._resource.url, self._resource.username, self._resource.password,
                                   requests_session=self._http())
        except LimeSurveyStatusError as exc:
            raise LimeSurveyError("get_session_key", None, f"{exc} (check LIMESURVEY_USERNAME and "
                                  "LIMESURVEY_PASSWORD)", server_side=True) from None
        except requests.RequestException as exc:
            raise LimeSurveyError("get_session_key", None, self._unreachable(exc), server_side=True) from None
        except (CitricError, LimeSurveyApiError, ResponseMismatchError, ValueError) as exc:
            raise LimeSurveyError("get_session_key", None, self._describe(exc)) from None
        except _REPLY_SHAPE_ERRORS as exc:
            raise LimeSurveyError("get_session_key", None, self._unexpected(exc)) from None
        key = client.session.key
        if not isinstance(key, str) or not key.strip() or len(key) > 256:
            raise LimeSurveyError("get_session_key", None, f"the server sent no session key but "
                                  f"{type(key).__name__} {str(key)[:40]!r}")
        return client

    def _unexpected(self, exc: BaseException) -> str:
        # JSON that is not the RC2 envelope or result the call expects (a list, a missing "id"...).
        return f"unexpected reply from {self.endpoint} ({type(exc).__name__}: {self._describe(exc)[:200]})"

    def _unreachable(self, exc: requests.RequestException) -> str:
        """A connection that failed after the retries, in one clause: what and where, not urllib3's repr chain."""
        text = self._describe(exc)
        errno = re.search(r"\[Errno -?\d+\][^'\")]*", text)
        if errno:
            reason = errno.group(0).strip()
        elif isinstance(exc, requests.Timeout):
            reason = f"no reply within {self._resource.timeout_seconds:g} s"
        else:
            reason = text[:200]
        return (f"{self.endpoint} did not answer ({reason}) after {self._resource.retries} retries: is "
                "LIMESURVEY_URL right and the server up?")

    def _describe(self, exc: BaseException) -> str:
        text = str(exc) or type(exc).__name__
        password = self._resource.password
        if password:
            text = text.replace(password, "***")
        text = text.replace(self._resource.url, self.endpoint)
        # Any user:password@ left, e.g. in a URL requests rebuilt (host lower-cased): never in a message.
        return re.sub(r"//[^/@\s]+@", "//", text)

    def call(self, name: str, survey_id: int | None, fn: Callable[[citric.Client], T]) -> T:
        """Run ``fn(client)``; renew an expired session key once; translate every failure."""
        for attempt in (1, 2):
            try:
                return fn(self._client)
            except LimeSurveyStatusError as exc:
                if str(exc) == EXPIRED_KEY and attempt == 1:
                    logger.info("LimeSurvey session key expired during %s; logging in again", name)
                    self._client = self._login()
                    continue
                raise LimeSurveyError(name, survey_id, str(exc)) from None
            except requests.RequestException as exc:
                raise LimeSurveyError(name, survey_id, self._unreachable(exc), server_side=True) from None
            except (CitricError, LimeSurveyApiError, ResponseMismatchError, binascii.Error, ValueError) as exc:
                raise LimeSurveyError(name, survey_id, self._describe(exc)) from None
            except _REPLY_SHAPE_ERRORS as exc:
                raise LimeSurveyError(name, survey_id, self._unexpected(exc)) from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        try:
            self._client.close()
        except (CitricError, requests.RequestException) as exc:
            logger.warning("LimeSurvey release_session_key failed: %s", self._describe(exc))

    # -- plain-data methods ----------------------------------------------------------------------------
    def summary(self, survey_id: int) -> dict[str, int]:
        """get_summary's counts (responses, and participants when the survey has a participant table); empty for a
        survey that is not active."""
        summary = self.call("get_summary", survey_id, lambda c: c.session.get_summary(survey_id, "all"))
        if not isinstance(summary, dict):
            return {}
        counts = {}
        for key, value in summary.items():
            try:
                count = int(value or 0) if not isinstance(value, (bool, float)) else -1
            except (TypeError, ValueError):
                count = -1
            if count >= 0:
                counts[key] = count
            elif key in RESPONSE_COUNTS:  # what ingestion relies on; a stray field of another kind is left out
                raise LimeSurveyError("get_summary", survey_id, f"{key} is {str(value)[:40]!r}, not a count")
        return counts

    def response_count(self, survey_id: int) -> int:
        """Completed plus incomplete responses (0 for a survey that is not active)."""
        summary = self.summary(survey_id)
        return sum(summary.get(key, 0) for key in RESPONSE_COUNTS)

    def export_range(self, survey_id: int, first: int, last: int) -> list[dict[str, str]]:
        """Responses with ``first <= id <= last`` as JSON, code headings, short answers (decoded as UTF-8)."""
        name = "export_responses"
        try:
            data = self.call(name, survey_id, lambda c: c.export_responses(
                survey_id, file_format="json", completion_status="all", heading_type="code",
                response_type="short", from_response_id=first, to_response_id=last))
        except LimeSurveyError as exc:
            if exc.reason == NO_RESPONSES:
                return []
            raise
        try:
            return list(parse_export(data, f"{self.endpoint} {name} survey {survey_id} ids {first}-{last}",
                                     "json").responses)
        except ExportError as exc:
            raise LimeSurveyError(name, survey_id, f"ids {first}-{last}: unreadable export: {exc.problem}") from None

    def structure(self, survey_id: int) -> dict[str, Any]:
        """Groups, questions (with subquestions) and the answer options of each question."""
        groups = self.call("list_groups", survey_id, lambda c: c.session.list_groups(survey_id))
        questions = self.call("list_questions", survey_id, lambda c: c.session.list_questions(survey_id))
        for call, rows in (("list_groups", groups), ("list_questions", questions)):
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise LimeSurveyError(call, survey_id, f"expected a list of objects, got {type(rows).__name__}")
        properties = {}
        for q in questions:
            try:
                owner, qid = int(q.get("parent_qid") or 0), int(q["qid"])
            except (KeyError, TypeError, ValueError):
                raise LimeSurveyError("list_questions", survey_id, f"a question without a numeric qid and "
                                      f"parent_qid: {str(q)[:80]}") from None
            if owner == 0:  # a question, not a subquestion
                reply = self.call(
                    "get_question_properties", survey_id,
                    lambda c, qid=qid: c.session.get_question_properties(
                        qid, ["title", "type", "other", "answeroptions", "subquestions"]))
                if not isinstance(reply, dict):
                    raise LimeSurveyError("get_question_properties", survey_id,
                                          f"question {qid}: expected an object, got {type(reply).__name__}")
                properties[str(qid)] = reply
        return {"groups": groups, "questions": questions, "properties": properties}

    # -- participants ----------------------------------------------------------------------------------
    def participants(self, survey_id: int, attributes: Sequence[str] = PARTICIPANT_STATUS) -> list[dict[str, Any]]:
        """Every participant of the survey with ``attributes``, in tid order (``list_participants`` pages by a
        lower bound on tid, not an offset), ``tid`` an int (a server may send it as a string of digits, as
        add_participants does). Empty when the survey has none. Rows hold names and e-mail addresses
        (``participant_info``): callers aggregate them and keep none."""
        rows: list[dict[str, Any]] = []
        start = 0
        while True:
            try:
                page = self.call("list_participants", survey_id, lambda c, s=start: c.session.list_participants(
                    survey_id, s, PARTICIPANT_PAGE, False, list(attributes)))
            except LimeSurveyError as exc:
                if exc.reason == NO_PARTICIPANTS:
                    return rows
                raise
            if not isinstance(page, list) or not all(isinstance(r, dict) for r in page):
                raise LimeSurveyError("list_participants", survey_id, "expected a list of participants, got "
                                      f"{type(page).__name__}")
            tids = [_tid(r.get("tid")) for r in page]
            if None in tids:
                raise LimeSurveyError("list_participants", survey_id, "a participant without a numeric tid: "
                                      f"{type(page[tids.index(None)].get('tid')).__name__}")
            page = [{**r, "tid": tid} for r, tid in zip(page, tids)]
            rows.extend(page)
            if len(page) < PARTICIPANT_PAGE:
                return rows
            start = max(r["tid"] for r in page) + 1

    def add_participants(self, survey_id: int, rows: Sequence[Mapping[str, str]], *, own_tokens: bool) -> list[dict]:
        """Add participants; with ``own_tokens`` each keeps the token it brings (LimeSurvey ignores a given token
        when it creates them: fixtures 116-117). Never retried by us: a second call would add them twice."""
        added = self.call("add_participants", survey_id, lambda c: c.session.add_participants(
            survey_id, [dict(r) for r in rows], not own_tokens))
        if not isinstance(added, list) or len(added) != len(rows):
            raise LimeSurveyError("add_participants", survey_id, f"expected {len(rows)} participants back, got "
                                  f"{len(added) if isinstance(added, list) else type(added).__name__}")
        refused = [row["errors"] for row in added if isinstance(row, dict) and row.get("errors")]
        if refused:
            # LimeSurvey's messages can quote the value ('Access code "..." has already been taken.'): name the
            # fields and how many participants each refused, never a message.
            fields = Counter(str(name)[:40] for errors in refused
                             for name in (errors if isinstance(errors, dict) else ("?",)))
            plural = "s" * (len(refused) != 1)
            raise LimeSurveyError("add_participants", survey_id, f"{len(refused)} participant{plural} refused, for "
                                  "their " + ", ".join(f"{name} ({count})" for name, count in sorted(fields.items()))
                                  + " (LimeSurvey's messages are not shown: they may quote the values)")
        return added

    def send(self, kind: str, survey_id: int, tids: Sequence[int] | None = None, *, min_days: int | None = None,
             max_reminders: int | None = None) -> Sending:
        """One ``invite_participants`` (``kind`` "invite") or ``remind_participants`` ("remind") call. LimeSurvey
        sends at most its ``maxemails`` per call; ``Sending.left`` says how many are still pending."""
        if kind == "invite":
            name = "invite_participants"
            # continueOnError: a participant outside validfrom/validuntil fails alone instead of ending the call.
            params: list = [survey_id, list(tids) if tids else None, True, True]
        elif kind == "remind":
            name = "remind_participants"
            params = [survey_id, min_days, max_reminders, list(tids) if tids else False, True]
        else:
            raise ValueError(f"kind must be invite or remind, not {kind!r}")
        def rpc(c: citric.Client) -> object:
            # citric treats any "status" as an error, but a send's result carries "N left to send" beside the
            # per-tid results: read the envelope ourselves and raise only for other statuses.
            envelope = c.session.call(name, *params)
            if envelope.get("error") is not None:
                raise LimeSurveyApiError(envelope["error"])
            result = envelope.get("result")
            status = result.get("status") if isinstance(result, dict) else None
            if isinstance(status, str) and not _LEFT_TO_SEND.fullmatch(status):
                raise LimeSurveyStatusError(status)
            return result

        try:
            reply = self.call(name, survey_id, rpc)
        except LimeSurveyError as exc:
            if exc.reason == NO_CANDIDATES:
                return Sending(kind, {}, {}, 0)
            raise
        return Sending.of_reply(kind, survey_id, reply)


def _tid(value: object) -> int | None:
    """A participant's tid as an int, from an int or a string of ASCII digits; None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


@dataclass(frozen=True)
class Sending:
    """What one invite or remind call did, without names or addresses: the tids sent, those that failed with
    LimeSurvey's reason, and how many are still pending."""

    kind: str
    sent: dict[int, str | None]  # tid -> warning (None when none)
    failed: dict[int, str]  # tid -> error ("Could not instantiate mail function.")
    left: int

    @classmethod
    def of_reply(cls, kind: str, survey_id: int, reply: object) -> Sending:
        # {"1": {"name":..,"email":..,"status":"OK"|"fail","warning":..,"error":..}, .., "status": "6 left to send"}
        call = f"{kind}_participants"
        status = reply.get("status") if isinstance(reply, dict) else None
        left = _LEFT_TO_SEND.fullmatch(status or "")
        if left is None:
            raise LimeSurveyError(call, survey_id, f"unexpected reply: no 'N left to send' status "
                                  f"({type(reply).__name__})")
        sent, failed = {}, {}
        for key, result in reply.items():
            if key == "status":
                continue
            if not key.isdigit() or not isinstance(result, dict):
                raise LimeSurveyError(call, survey_id, f"unexpected reply: entry {key[:20]!r} is not a tid's result")
            if result.get("status") == "OK":
                sent[int(key)] = str(result["warning"])[:200] if result.get("warning") else None
            else:
                failed[int(key)] = str(result.get("error") or "failed")[:200]
        return cls(kind, sent, failed, int(left.group(1)))
