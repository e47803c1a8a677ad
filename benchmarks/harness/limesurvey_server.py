"""A LimeSurvey RemoteControl 2 (JSON-RPC) server for tests, on 127.0.0.1 and a random port.

It answers with the shapes recorded from LimeSurvey 6.4.2 in shared/fixtures/limesurvey/: HTTP 200 with
``{"id":..,"result":..,"error":null}``, status texts inside ``result``, exports base64-encoded in an
envelope with a space after each comma, an HTML page with HTTP 500 for an unknown method. Surveys are
built from our own instruments and responses, as LimeSurvey would hold them after importing our .lss.
Faults can be switched on: expired session keys, 503s, and a connection dropped in the middle of an export.

Participants (add_participants, list_participants, invite_participants, remind_participants and the token counts
of get_summary) follow the recorded files 112-163 and, where they show no case (a send that succeeds: every
recorded send failed for want of a mail server), LimeSurvey 6.4.2's source: ``remotecontrol_handle.php``
(``invite_participants``, ``remind_participants``), ``TokenDynamic::findUninvited`` (who is a candidate) and
``token_helper.php`` ``emailTokens`` (what a sent mail stamps, and a participant outside validfrom/validuntil),
``Token::rules()`` (tokens sanitised, their length and uniqueness) and ``get_summary`` (no token counts without a
participants table). Those cases are marked "not recorded" below.
The clock (``now``) is the server's own, so a test can let days pass; ``respond`` stands in for a participant
filling in the survey (the runtime stamps ``completed`` for a survey that is not anonymised).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import string
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from instruments.limesurvey_export import META_COLUMNS, csv_bytes, json_bytes
from instruments.model import Instrument

STAMP = "%Y-%m-%d %H:%M"  # sent, remindersent and completed: a date without seconds, or "N" (fixture 145)
# A new participant's row before its own fields, as add_participants returns it (fixture 116).
NEW_PARTICIPANT = {"sent": "N", "remindersent": "N", "remindercount": 0, "completed": "N", "usesleft": 1,
                   "emailstatus": "OK"}
PARTICIPANT_TAIL = {"participant_id": None, "blacklisted": None, "validfrom": None, "validuntil": None, "mpid": None}
# Token::rules() in 6.4.2 (not recorded, from Token.php): unique, at most MAX_LENGTH characters, then sanitizeToken
# drops every character but these; generateRandomToken makes 15 of them with "~" and "_" replaced by letters.
TOKEN_MAX_LENGTH = 36
TOKEN_DROPPED = re.compile(r"[^0-9a-zA-Z_~]")
GENERATED_TOKEN = string.ascii_letters + string.digits
TOKEN_STATS = ("token_count", "token_invalid", "token_sent", "token_opted_out", "token_completed", "token_screenout")
RESPONSE_STATS = ("completed_responses", "incomplete_responses", "full_responses")
HTML_ERROR = "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Error</title></head><body>500</body></html>"


@dataclass
class Survey:
    instrument: Instrument
    responses: list[dict[str, str]] = field(default_factory=list)
    active: bool = True
    participants: list[dict] = field(default_factory=list)
    participant_table: bool = False  # activate_tokens made one
    attributes: tuple[str, ...] = ()  # its attribute_N columns

    def columns(self) -> list[str]:
        return [*META_COLUMNS, *(c.name for c in self.instrument.columns())]


class LimeSurveyTestServer:
    def __init__(self, username: str = "admin", password: str = "test-password-not-real"):
        self.username, self.password = username, password
        self.surveys: dict[int, Survey] = {}
        self.keys: set[str] = set()
        self.calls: list[tuple[str, list]] = []  # every call, with the password replaced
        self.fail_next = 0  # answer this many requests with HTTP 503
        self.drop_export_call: int | None = None  # drop the connection during the n-th export (1-based)
        self.exports = 0
        self.now = datetime(2026, 3, 2, 9, 0)  # the server's clock: a test moves it
        self.mail_fails = False  # every send fails as with no mail server (fixture 119)
        self.max_emails = 50  # LimeSurvey's maxemails: mails per invite or remind call
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                self._send(200, HTML_ERROR.encode(), "text/html; charset=UTF-8")

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server._handle(self, body)

            def _send(self, status, data, content_type="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._handler = Handler
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/index.php/admin/remotecontrol"

    def start(self) -> LimeSurveyTestServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def add_survey(self, survey_id: int, instrument: Instrument, responses=()) -> Survey:
        self.surveys[survey_id] = Survey(instrument, [dict(r) for r in responses])
        return self.surveys[survey_id]

    def expire_keys(self) -> None:
        self.keys.clear()

    def method_calls(self, name: str) -> list[list]:
        return [params for method, params in self.calls if method == name]

    # -- protocol -----------------------------------------------------------------------------------
    def _handle(self, handler, body: bytes) -> None:
        with self._lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                handler._send(503, b"Service Unavailable", "text/plain")
                return
        try:
            request = json.loads(body)
            method, params, request_id = request["method"], list(request.get("params") or []), request.get("id")
        except (ValueError, KeyError, TypeError):
            handler._send(200, b'{"id":null,"result":null,"error":"unable to decode malformed json"}')
            return
        logged = ["***" if p == self.password else p for p in params]
        with self._lock:
            self.calls.append((method, logged))
        function = getattr(self, f"rpc_{method}", None)
        if function is None:
            handler._send(500, HTML_ERROR.encode(), "text/html; charset=UTF-8")
            return
        if method not in ("get_session_key", "release_session_key") and (not params or params[0] not in self.keys):
            result = {"status": "Invalid session key"}
        else:
            result = function(*params)
        if isinstance(result, _Base64):
            text = '{"id":' + json.dumps(request_id) + ', "result":"' + result.text + '", "error":null}'
            data = text.encode()
            with self._lock:
                self.exports += 1
                drop = self.exports == self.drop_export_call
            if drop:  # headers and half the body, then the connection goes
                handler.send_response(200)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", str(len(data)))
                handler.end_headers()
                handler.wfile.write(data[: len(data) // 2])
                handler.wfile.flush()
                handler.close_connection = True
                handler.connection.shutdown(2)
                return
            handler._send(200, data)
            return
        handler._send(200, json.dumps({"id": request_id, "result": result, "error": None},
                                      separators=(",", ":")).encode())

    def rpc_get_session_key(self, username, password, *_):
        if username != self.username or password != self.password:
            return {"status": "Invalid user name or password"}
        key = secrets.token_urlsafe(24)[:32]
        self.keys.add(key)
        return key

    def rpc_release_session_key(self, key, *_):
        self.keys.discard(key)
        return "OK"

    def rpc_import_survey(self, key, data, data_type="lss", name=None, destination=None, *_):
        if data_type not in ("lss", "csv", "txt", "lsa"):
            return {"status": "Invalid extension"}
        try:
            text = base64.b64decode(data).decode("utf-8")
            instrument = instrument_from_lss(text, "imported")
        except Exception:  # noqa: BLE001 - LimeSurvey answers any unreadable file with this status
            return {"status": "Error: This is not a valid LimeSurvey survey structure XML file."}
        survey_id = int(destination) if destination and int(destination) not in self.surveys else 100000 + len(self.surveys)
        self.surveys[survey_id] = Survey(instrument, active=False)
        self.imported_lss = text
        return survey_id

    def rpc_activate_survey(self, key, survey_id, *_):
        survey = self.surveys.get(int(survey_id))
        if survey is None:
            return {"status": "Error: Invalid survey ID"}
        if survey.active:
            return {"status": "Error: Survey already active"}
        survey.active = True
        return {"status": "OK", "pluginFeedback": None}

    def rpc_activate_tokens(self, key, survey_id, attributes=None, *_):
        survey = self.surveys.get(int(survey_id))
        if survey is None:
            return {"status": "Error: Invalid survey ID"}
        survey.participant_table = True
        survey.attributes = tuple(f"attribute_{int(n)}" for n in attributes or ())
        return {"status": "OK"}

    def add_participant_table(self, survey_id: int, attributes=()) -> None:
        self.rpc_activate_tokens(None, survey_id, attributes)

    def rpc_add_participants(self, key, survey_id, participants, create_tokens=True, *_):
        survey = self.surveys.get(int(survey_id))
        if survey is None:
            return {"status": "Error: Invalid survey ID"}
        if not survey.participant_table:
            return {"status": "No survey participants table"}
        columns = {"firstname", "lastname", "email", "language", "token", *NEW_PARTICIPANT, *PARTICIPANT_TAIL,
                   *survey.attributes}
        added = []
        for participant in participants:
            tid = max((int(p["tid"]) for p in survey.participants), default=0) + 1
            given = {k: v for k, v in participant.items() if k in columns}
            if create_tokens:  # a given token is ignored (fixture 116 against 117)
                given["token"] = "".join(secrets.choice(GENERATED_TOKEN) for _ in range(15))
            errors = self._token_errors(survey, str(given.get("token") or ""))
            if errors:
                added.append({**participant, "errors": {"token": errors}})
                continue
            row = {**NEW_PARTICIPANT, **PARTICIPANT_TAIL, **given, "tid": str(tid),
                   "token": TOKEN_DROPPED.sub("", str(given.get("token") or "")),
                   **{a: given.get(a) for a in survey.attributes}}
            survey.participants.append(row)
            added.append(dict(row))
        return added

    @staticmethod
    def _token_errors(survey: Survey, token: str) -> list[str]:
        """Token::rules() on the token as given (not recorded, from Token.php; Yii's CUniqueValidator and
        CStringValidator messages, the attribute labelled "Access code"): unique and at most 36 characters, checked
        before sanitizeToken drops the characters it does not keep."""
        errors = []
        if token and any(p["token"] == token for p in survey.participants):
            errors.append(f'Access code "{token}" has already been taken.')
        if len(token) > TOKEN_MAX_LENGTH:
            errors.append(f"Access code is too long (maximum is {TOKEN_MAX_LENGTH} characters).")
        return errors

    def _participants(self, survey_id):
        """The survey's participant rows, or the status LimeSurvey answers instead (fixtures 156, 158)."""
        survey = self.surveys.get(int(survey_id))
        if survey is None:
            return None, {"status": "Error: Invalid survey ID"}
        if not survey.participant_table:
            return None, {"status": "Error: No survey participants table"}
        return survey.participants, None

    def rpc_list_participants(self, key, survey_id, start=0, limit=10, unused=False, attributes=False,
                              conditions=None, *_):
        rows, status = self._participants(survey_id)
        if status:
            return status
        # iStart is a lower bound on tid, ordered by tid (remotecontrol_handle.php list_participants).
        chosen = [p for p in sorted(rows, key=lambda p: int(p["tid"])) if int(p["tid"]) >= int(start)
                  and (not unused or p["completed"] in ("N", ""))][: int(limit)]
        if not chosen:
            return {"status": "No survey participants found."}
        columns = {*NEW_PARTICIPANT, *PARTICIPANT_TAIL, "language", *self.surveys[int(survey_id)].attributes}
        extended = [a for a in attributes or () if a in columns]  # the table's columns, but the basic ones
        return [{"tid": int(p["tid"]), "token": p["token"],
                 "participant_info": {k: p.get(k) for k in ("firstname", "lastname", "email")},
                 **{a: p.get(a) for a in extended}} for p in chosen]

    def _candidates(self, rows, invite: bool, tids=None, min_days=None, max_reminders=None):
        """TokenDynamic::findUninvited: not completed, a token and an e-mail, emailstatus OK; for an invitation
        sent "N", for a reminder sent and the reminder filters; in tid order."""
        compared = (self.now - timedelta(days=int(min_days))).strftime(STAMP) if min_days is not None else None
        chosen = []
        for p in sorted(rows, key=lambda p: int(p["tid"])):
            if p["completed"] not in ("N", "") or not p.get("token") or not p.get("email") or p["emailstatus"] != "OK":
                continue
            if invite != (p["sent"] in ("N", "")):
                continue
            if max_reminders is not None and int(p["remindercount"]) >= int(max_reminders):
                continue
            # Compared as text, as the SQL does: "N" sorts after any date.
            if compared and not ((p["remindersent"] == "N" and p["sent"] < compared) or p["remindersent"] < compared):
                continue
            if tids and int(p["tid"]) not in {int(t) for t in tids}:
                continue
            chosen.append(p)
        return chosen

    def _send(self, rows, kind: str, tried, pending: int, continue_on_error=False):
        """emailTokens: one result per tid; a sent mail stamps sent (invite) or remindersent and remindercount
        (remind); a participant before its validfrom or after its validuntil (by the server's clock) fails, and
        ends the call unless ``continueOnError`` - not recorded, from token_helper.php; without a mail server every
        send fails (fixture 119). "N left to send" counts every participant tried, also those after a stop."""
        result = {}
        for p in tried:
            entry = {"name": f"{p.get('firstname') or ''} {p.get('lastname') or ''}", "email": p["email"]}
            invalid = self._not_valid(p)
            if invalid:
                result[str(p["tid"])] = {**entry, "status": "fail", "warning": None, "error": invalid}
                if continue_on_error:
                    continue
                break
            if self.mail_fails:
                result[str(p["tid"])] = {**entry, "status": "fail", "warning": None,
                                         "error": "Could not instantiate mail function."}
                continue
            if kind == "invite":
                p["sent"] = self.now.strftime(STAMP)
            else:
                p["remindersent"] = self.now.strftime(STAMP)
                p["remindercount"] = int(p["remindercount"]) + 1
            result[str(p["tid"])] = {**entry, "status": "OK", "warning": None, "error": None}
        result["status"] = f"{pending - len(tried)} left to send"
        return result

    def _not_valid(self, p) -> str | None:
        """emailTokens' validity test against the server's clock (not recorded, from token_helper.php)."""
        if p.get("validfrom") and datetime.fromisoformat(str(p["validfrom"])) > self.now:
            return "Token not valid yet"
        if p.get("validuntil") and datetime.fromisoformat(str(p["validuntil"])) < self.now:
            return "Token not valid anymore"
        return None

    def rpc_invite_participants(self, key, survey_id, tids=None, email=True, continue_on_error=False, *_):
        rows, status = self._participants(survey_id)
        if status:
            return status
        pending = len(self._candidates(rows, True))  # counted without the tid filter, as LimeSurvey does
        tried = self._candidates(rows, bool(email), tids)[: self.max_emails or None]
        if not tried:
            return {"status": "Error: No candidate tokens"}
        return self._send(rows, "invite", tried, pending, continue_on_error)

    def rpc_remind_participants(self, key, survey_id, min_days=None, max_reminders=None, tids=False,
                                continue_on_error=False, *_):
        rows, status = self._participants(survey_id)
        if status:
            return status
        pending = len(self._candidates(rows, False, None, min_days, max_reminders))
        tried = self._candidates(rows, False, tids or None, min_days, max_reminders)[: self.max_emails or None]
        if not tried:
            return {"status": "Error: No candidate tokens"}
        return self._send(rows, "remind", tried, pending, continue_on_error)

    def _participant(self, survey_id, query):
        """The one participant ``query`` finds (a tid, or attributes: fixture 134), or the status LimeSurvey
        answers instead."""
        rows, status = self._participants(survey_id)
        if status:
            return None, status
        if isinstance(query, dict):
            found = [p for p in rows if all(p.get(k) == v for k, v in query.items())]
        else:
            found = [p for p in rows if int(p["tid"]) == int(query)]
        if len(found) != 1:
            return None, {"status": "Error: No results were found based on your attributes."}
        return found[0], None

    def rpc_set_participant_properties(self, key, survey_id, query, properties, *_):
        participant, status = self._participant(survey_id, query)
        if status:
            return status
        participant.update({k: v for k, v in properties.items() if k != "tid"})
        return {**participant, "tid": int(participant["tid"])}  # the full row, tid an int (fixture 133)

    def rpc_get_participant_properties(self, key, survey_id, query, properties=None, *_):
        participant, status = self._participant(survey_id, query)
        if status:
            return status
        return {k: participant.get(k) for k in properties} if properties else dict(participant)

    def rpc_delete_participants(self, key, survey_id, tids, *_):
        rows, status = self._participants(survey_id)
        if status:
            return status
        result = {}
        for tid in tids:
            found = [p for p in rows if int(p["tid"]) == int(tid)]
            result[str(int(tid))] = "Deleted" if found else "Invalid token ID"  # a capital D (fixture 152)
            for p in found:
                rows.remove(p)
        return result

    def rpc_add_response(self, key, survey_id, data, *_):
        """A response as the API adds it: SGQA columns (kept as given), no submitdate meaning complete now, and the
        participant not stamped completed (fixtures 140-145)."""
        survey = self.surveys.get(int(survey_id))
        if survey is None:
            return {"status": "Error: Invalid survey ID"}
        stamp = self.now.strftime("%Y-%m-%d %H:%M:%S")
        submitted = data["submitdate"] or "" if "submitdate" in data else stamp
        response = {**{c: "" for c in survey.columns()}, **{k: str(v) for k, v in data.items()},
                    "id": str(max((int(r["id"]) for r in survey.responses), default=0) + 1),
                    "startlanguage": data.get("startlanguage") or "nl", "submitdate": submitted}
        survey.responses.append(response)
        return response["id"]

    def rpc_get_response_ids(self, key, survey_id, token, *_):
        survey = self.surveys.get(int(survey_id))
        if survey is None:
            return {"status": "Error: Invalid survey ID"}
        return [int(r["id"]) for r in survey.responses if r.get("token") == token]

    def respond(self, survey_id: int, row: dict[str, str], *, token: str = "", complete: bool = True,
                language: str = "nl") -> dict[str, str]:
        """A participant fills in the survey now: the response (export columns; its id, token and dates set
        here) is stored, and a complete one stamps the participant's ``completed`` as the runtime does."""
        survey = self.surveys[int(survey_id)]
        with self._lock:
            stamp = self.now.strftime("%Y-%m-%d %H:%M:%S")
            response = {**{c: "" for c in survey.columns()}, **row,
                        "id": str(max((int(r["id"]) for r in survey.responses), default=0) + 1),
                        "token": token, "startlanguage": language, "startdate": stamp, "datestamp": stamp,
                        "submitdate": stamp if complete else ""}
            survey.responses.append(response)
            if complete and token:
                for p in survey.participants:
                    if p["token"] == token:
                        p["completed"] = self.now.strftime(STAMP)
        return response

    def rpc_get_summary(self, key, survey_id, statistic="all", *_):
        """Token counts only for a survey with a participants table, response counts only for an active one (not
        recorded, from remotecontrol_handle.php get_summary and Token::summary); ``all`` with neither is PHP's empty
        array, ``[]`` (fixture 25)."""
        survey = self.surveys.get(int(survey_id))
        if survey is None:
            return {"status": "Invalid surveyid"}
        statistic = statistic or "all"
        if statistic not in (*TOKEN_STATS, *RESPONSE_STATS, "all"):
            return {"status": "Invalid summary key"}
        summary = {}
        if statistic in TOKEN_STATS or statistic == "all":
            if survey.participant_table:
                people = survey.participants
                summary.update(zip(TOKEN_STATS, (
                    len(people), sum(1 for p in people if not p["token"]),
                    sum(1 for p in people if p["sent"] not in ("N", "")),
                    sum(1 for p in people if str(p["emailstatus"] or "").startswith("OptOut")),
                    sum(1 for p in people if p["completed"] not in ("N", "")),
                    sum(1 for p in people if p["completed"] == "Q"))))
            elif statistic != "all":
                return {"status": "No available data"}
        if statistic in RESPONSE_STATS or statistic == "all":
            if survey.active:
                complete = sum(1 for r in survey.responses if r["submitdate"])
                summary.update(zip(RESPONSE_STATS, (complete, len(survey.responses) - complete,
                                                    len(survey.responses))))
            elif statistic != "all":
                return {"status": "No available data"}
        return (summary or []) if statistic == "all" else summary[statistic]

    def rpc_export_responses(self, key, survey_id, document_type="csv", language=None, completion="all",
                             heading="code", response_type="short", first=None, last=None, *_):
        survey = self.surveys.get(int(survey_id))
        if survey is None:
            return {"status": "No permission"}
        if not survey.active:
            return {"status": "No Data, survey table does not exist."}
        if not survey.responses:
            return {"status": "No Data, could not get max id."}
        rows = [r for r in survey.responses
                if (first is None or int(r["id"]) >= int(first)) and (last is None or int(r["id"]) <= int(last))
                and (completion == "all" or (completion == "complete") == bool(r["submitdate"]))]
        encode = json_bytes if document_type == "json" else csv_bytes
        return _Base64(base64.b64encode(encode(survey.columns(), rows)).decode("ascii"))

    def _main_questions(self, survey_id: int):
        # Question ids are unique per server, as in LimeSurvey: 10000 per survey, subquestions from +5000.
        base = (list(self.surveys).index(survey_id) + 1) * 10000
        for number, question in enumerate(self.surveys[survey_id].instrument.questions, start=1):
            yield base + number, question

    def rpc_list_groups(self, key, survey_id, *_):
        survey = self.surveys.get(int(survey_id))
        if survey is None:
            return {"status": "Error: Invalid survey ID"}
        return [{"id": g.position, "gid": g.position, "sid": int(survey_id), "group_order": g.position,
                 "randomization_group": "", "grelevance": g.relevance.expression() if g.relevance else "1",
                 "group_name": g.labels["nl"], "description": "", "language": "nl"}
                for g in survey.instrument.groups]

    def rpc_list_questions(self, key, survey_id, *_):
        survey = self.surveys.get(int(survey_id))
        if survey is None:
            return {"status": "Error: Invalid survey ID"}
        rows = []
        sub_id = (list(self.surveys).index(int(survey_id)) + 1) * 10000 + 5000
        for qid, q in self._main_questions(int(survey_id)):
            rows.append(self._question_row(int(survey_id), qid, 0, q.code, q.type, q.text["nl"], q.group,
                                           "Y" if q.other else "N"))
            for sq in q.subquestions:
                sub_id += 1
                rows.append(self._question_row(int(survey_id), sub_id, qid, sq.code, q.type, sq.labels["nl"],
                                               q.group, "N"))
        return rows

    @staticmethod
    def _question_row(sid, qid, parent, title, qtype, text, gid, other):
        return {"id": qid, "question": text, "help": "", "language": "nl", "qid": qid, "parent_qid": parent,
                "sid": sid, "type": qtype, "title": title, "preg": "", "other": other, "mandatory": "N",
                "encrypted": "N", "question_order": 1, "scale_id": 0, "same_default": 0,
                "question_theme_name": None, "modulename": "", "gid": gid, "relevance": "1", "same_script": 0}

    def rpc_get_question_properties(self, key, qid, settings=None, language=None, *_):
        for survey_id in self.surveys:
            for number, q in self._main_questions(survey_id):
                if number == int(qid):
                    answers = {a.code: {"answer": a.labels["nl"], "assessment_value": 0, "scale_id": 0, "order": i}
                               for i, a in enumerate(q.answers, start=1)} or "No available answer options"
                    subs = {str(number * 100 + i): {"title": sq.code, "question": sq.labels["nl"], "scale_id": 0}
                            for i, sq in enumerate(q.subquestions, start=1)} or "No available answers"
                    return {"qid": number, "title": q.code, "type": q.type, "other": "Y" if q.other else "N",
                            "answeroptions": answers, "subquestions": subs}
        return {"status": "Error: Invalid questionid"}


def instrument_from_lss(text: str, name: str) -> Instrument:
    """Read back an .lss as LimeSurvey would hold it: groups, questions, subquestions, answer codes."""
    import xml.etree.ElementTree as ET

    from instruments.model import Answer, Group, Question, Subquestion, export_columns

    root = ET.fromstring(text.encode("utf-8"))

    def rows(section):
        node = root.find(section)
        return [] if node is None else [{c.tag: c.text or "" for c in row} for row in node.find("rows")]

    labels = {}
    for row in rows("question_l10ns"):
        labels.setdefault(row["qid"], {})[row["language"]] = row["question"]
    answer_labels = {}
    for row in rows("answer_l10ns"):
        answer_labels.setdefault(row["aid"], {})[row["language"]] = row["answer"]
    answers = {}
    for row in rows("answers"):
        answers.setdefault(row["qid"], []).append(Answer(row["code"], answer_labels[row["aid"]]))
    subs = {}
    for row in rows("subquestions"):
        subs.setdefault(row["parent_qid"], []).append(Subquestion(row["title"], labels[row["qid"]]))
    orders = {row["gid"]: int(row["group_order"]) for row in rows("groups")}
    group_names = {}
    for row in rows("group_l10ns"):
        group_names.setdefault(orders[row["gid"]], {})[row["language"]] = row["group_name"]
    questions = tuple(
        Question(code=row["title"], type=row["type"], text=labels[row["qid"]], group=orders[row["gid"]],
                 answers=tuple(answers.get(row["qid"], [])), subquestions=tuple(subs.get(row["qid"], [])),
                 other=row["other"] == "Y")
        for row in sorted(rows("questions"), key=lambda r: (orders[r["gid"]], int(r["question_order"])))
    )
    groups = tuple(Group(position, group_names[position]) for position in sorted(orders.values()))
    return Instrument(name=name, title={}, base_language="nl", languages=("nl", "fr", "en"), groups=groups,
                      questions=questions, version="imported", _columns=export_columns(questions))


@dataclass(frozen=True)
class _Base64:
    text: str
