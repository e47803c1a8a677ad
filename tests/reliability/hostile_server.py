"""The JSON-RPC test server with one call sabotaged: that call gets a chosen HTTP status, content type and
body (an HTML page, truncated base64, wrong types...); every other call is answered as LimeSurvey 6.4.2 does."""

from __future__ import annotations

import json

from instruments.study import DEMO_STUDY, load_study
from tests.limesurvey_server import LimeSurveyTestServer
from tests.reliability.cases import _ROWS

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
