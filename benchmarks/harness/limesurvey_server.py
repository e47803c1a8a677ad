"""A LimeSurvey RemoteControl 2 (JSON-RPC) server for tests, on 127.0.0.1 and a random port.

It answers with the shapes recorded from LimeSurvey 6.4.2 in shared/fixtures/limesurvey/: HTTP 200 with
``{"id":..,"result":..,"error":null}``, status texts inside ``result``, exports base64-encoded in an
envelope with a space after each comma, an HTML page with HTTP 500 for an unknown method. Surveys are
built from our own instruments and responses, as LimeSurvey would hold them after importing our .lss.
Faults can be switched on: expired session keys, 503s, and a connection dropped in the middle of an export.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from instruments.limesurvey_export import META_COLUMNS, csv_bytes, json_bytes
from instruments.model import Instrument

HTML_ERROR = "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Error</title></head><body>500</body></html>"


@dataclass
class Survey:
    instrument: Instrument
    responses: list[dict[str, str]] = field(default_factory=list)
    active: bool = True
    participants: list[dict] = field(default_factory=list)

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
        return {"status": "OK"} if int(survey_id) in self.surveys else {"status": "Error: Invalid survey ID"}

    def rpc_add_participants(self, key, survey_id, participants, create_tokens=True, *_):
        survey = self.surveys.get(int(survey_id))
        if survey is None:
            return {"status": "Error: Invalid survey ID"}
        added = []
        for participant in participants:
            tid = len(survey.participants) + 1
            row = {"sent": "N", "completed": "N", "usesleft": 1, "emailstatus": "OK", **participant,
                   "token": secrets.token_urlsafe(12)[:15] if create_tokens else participant.get("token", ""),
                   "tid": str(tid)}
            survey.participants.append(row)
            added.append(row)
        return added

    def rpc_get_summary(self, key, survey_id, statistic=None, *_):
        survey = self.surveys.get(int(survey_id))
        if survey is None:
            return {"status": "Invalid surveyid"}
        if not survey.active:
            return []
        complete = sum(1 for r in survey.responses if r["submitdate"])
        summary = {"token_count": 0, "token_invalid": 0, "token_sent": 0, "token_opted_out": 0,
                   "token_completed": 0, "token_screenout": 0, "completed_responses": complete,
                   "incomplete_responses": len(survey.responses) - complete, "full_responses": len(survey.responses)}
        return summary[statistic] if statistic else summary

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
