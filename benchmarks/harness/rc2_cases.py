"""RC2 replies gone wrong: the JSON-RPC test server with one call sabotaged (a chosen HTTP status, content
type and body: an HTML page, truncated base64, wrong types...; every other call answered as LimeSurvey
6.4.2 does), the strategy of sabotaged replies, and the judge of what the LimeSurvey resource makes of them."""

from __future__ import annotations

import base64
import json

from hypothesis import strategies as st

from instruments.study import DEMO_STUDY, load_study
from benchmarks.harness.limesurvey_server import LimeSurveyTestServer
from benchmarks.harness.cases import _ROWS, EXPORT_BASES, JSON_HOSTILE, Unhandled, byte_mutations, judge

SURVEY_ID = 418201


class HostileServer(LimeSurveyTestServer):
    def __init__(self):
        super().__init__(password="hostile-test-password-7f3a")
        self.sabotage: tuple[str, int, str, bytes] | None = None
        self.add_survey(SURVEY_ID, load_study(DEMO_STUDY).instrument("parent", "2018"), _ROWS)
        # Hostile keys (a dict for a session key) upset the base server's handlers: no traceback per case.
        self.httpd.handle_error = lambda request, client_address: None

    def _handle(self, handler, body: bytes) -> None:
        sabotage = self.sabotage
        if sabotage is not None:
            try:
                request = json.loads(body)
                method, request_id = request["method"], request.get("id")
            except (ValueError, KeyError, TypeError):
                method, request_id = None, None
            if method == sabotage[0]:
                _, status, content_type, reply = sabotage
                handler._send(status, reply.replace(b"{ID}", json.dumps(request_id).encode()), content_type)
                return
        super()._handle(handler, body)


# -- RC2 replies -----------------------------------------------------------------------------------------
RC2_CALLS = ("get_session_key", "get_summary", "export_responses", "list_groups", "list_questions",
             "get_question_properties")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@st.composite
def rc2_replies(draw) -> tuple[str, int, str, bytes]:
    """(method to sabotage, HTTP status, content type, body); the body's "id" is filled in by the server
    from the request (``{ID}``) unless the case is about a wrong id."""
    method = draw(st.sampled_from(RC2_CALLS))
    good_export = EXPORT_BASES["json"]
    result = draw(st.one_of(
        JSON_HOSTILE,
        st.builds(lambda s: {"status": s}, st.one_of(st.sampled_from(["Invalid session key", "No permission",
                                                                      "Error: Invalid survey ID", "OK"]),
                                                     JSON_HOSTILE)),
        st.builds(_b64, st.one_of(byte_mutations(good_export), st.sampled_from(
            [b"\xef\xbb\xbf" + good_export, good_export.replace(b",", b",\r\n"), b"\xff\xfe", b""]))),
        st.builds(lambda s, n: s[:n], st.just(_b64(good_export)), st.integers(0, 200)),  # truncated base64
        st.just({"completed_responses": "12", "incomplete_responses": "x"}),
        st.just({"completed_responses": 10**30, "incomplete_responses": -1}),
        st.lists(st.one_of(st.just({"qid": "abc", "parent_qid": 0}), st.just({"parent_qid": "0"}),
                           JSON_HOSTILE), max_size=3),
    ))
    envelope = draw(st.sampled_from(["normal", "normal", "normal", "error", "wrong_id", "no_id", "html", "text",
                                     "truncated", "invalid_utf8", "empty", "list"]))
    status = draw(st.sampled_from([200, 200, 200, 404, 500, 502]))
    body = json.dumps({"id": "{ID}", "result": result, "error": None}).replace('"{ID}"', "{ID}")
    if envelope == "error":
        body = json.dumps({"id": "{ID}", "result": None, "error": draw(JSON_HOSTILE)}).replace('"{ID}"', "{ID}")
    elif envelope == "wrong_id":
        body = body.replace("{ID}", "0")
    elif envelope == "no_id":
        body = json.dumps({"result": result, "error": None})
    elif envelope == "html":
        return method, status, "text/html", b"<!DOCTYPE html><html><body>500 Internal Server Error</body></html>"
    elif envelope == "text":
        return method, status, "text/plain", draw(st.sampled_from([b"OK", b"null", b"1", b'"key"']))
    elif envelope == "truncated":
        body = body[: draw(st.integers(0, max(len(body) - 1, 0)))]
    elif envelope == "invalid_utf8":
        return method, status, "application/json", body.encode()[:20] + b"\xff\xfe" + body.encode()[20:]
    elif envelope == "empty":
        body = ""
    elif envelope == "list":
        body = "[" + body + "]"
    return method, status, "application/json", body.encode("utf-8")


def rc2_outcome(server, reply: tuple[str, int, str, bytes]) -> str:
    """Sabotage one call of the hostile server and drive the resource's methods through it."""
    from pipelines.limesurvey import LimeSurveyError
    from pipelines.resources.limesurvey import LimeSurveyResource

    server.sabotage = reply
    resource = LimeSurveyResource(url=server.url, username="admin", password=server.password, retries=0,
                                  timeout_seconds=5)

    def drive():
        with resource.open() as api:
            count = api.response_count(418201)
            rows = api.export_range(418201, 1, 10)
            structure = api.structure(418201)
            return count, rows, structure

    def check(result) -> None:
        count, rows, structure = result
        if not isinstance(count, int) or count < 0:
            raise Unhandled(f"response_count returned {count!r}")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise Unhandled("export_range returned something other than a list of records")
        if not isinstance(structure, dict):
            raise Unhandled("structure returned something other than a dict")

    try:
        return judge(drive, (LimeSurveyError,), "LimeSurvey ", check, secret=server.password)
    finally:
        server.sabotage = None
