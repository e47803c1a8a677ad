"""The loopback server's participant methods against LimeSurvey 6.4.2's own replies (shared/fixtures/limesurvey,
files 112-163), and the connection's participant calls against the loopback server."""

import json
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from benchmarks.harness.limesurvey_server import LimeSurveyTestServer
from instruments.study import load_study
from pipelines import limesurvey
from pipelines.limesurvey import LimeSurveyError, ServerSettings
from tests.conftest import ROOT

FIXTURES = ROOT.parent / "shared" / "fixtures" / "limesurvey"
PASSWORD = "participants-test-password"
# The recording's calls on participants (mail_registered_participants, which changed nothing, is not answered).
REPLAYED = {"activate_tokens", "add_participants", "list_participants", "invite_participants", "remind_participants",
            "get_summary", "set_participant_properties", "get_participant_properties", "delete_participants",
            "add_response", "get_response_ids"}


def _recorded(first: int, last: int) -> list[tuple[str, dict]]:
    files = sorted((p for p in FIXTURES.glob("*.json") if p.stem.split("_")[0].isdigit()
                    and first <= int(p.stem.split("_")[0]) <= last), key=lambda p: int(p.stem.split("_")[0]))
    return [(p.stem, json.loads(p.read_text(encoding="utf-8"))) for p in files]


def _generated_tokens_masked(value):
    """Tokens LimeSurvey made up (not the recording's own ``tok...``) differ run by run: compare their shape."""
    if isinstance(value, list):
        return [_generated_tokens_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: ("<generated %d>" % len(v) if k == "token" and isinstance(v, str) and not v.startswith("tok")
                    else _generated_tokens_masked(v)) for k, v in value.items()}
    return value


@pytest.fixture
def server():
    srv = LimeSurveyTestServer(password=PASSWORD).start()
    yield srv
    srv.stop()


def _rpc(server, method, params):
    import requests

    reply = requests.post(server.url, json={"method": method, "params": params, "id": 1}, timeout=10)
    assert reply.status_code == 200
    return reply.json()["result"]


def test_the_loopback_server_answers_as_the_recording(server):
    """Replays the recorded participant calls 115-159 with the recorded clock and a server without mail: every
    reply equals LimeSurvey's (generated tokens compared by length)."""
    study = load_study("demo-brussels")
    server.add_survey(246810, study.instrument("parent", "2018"))
    server.add_survey(246820, study.instrument("parent", "2018"))
    server.mail_fails = True
    key = _rpc(server, "get_session_key", ["admin", PASSWORD])
    compared = 0
    for name, record in _recorded(115, 159):
        method, params = record["request"]["method"], record["request"]["params"]
        if method not in REPLAYED:
            continue
        server.now = parsedate_to_datetime(record["response_headers"]["Date"]).replace(tzinfo=None)
        ours = _rpc(server, method, [key, *params[1:]])
        theirs = json.loads(record["response_raw"])["result"]
        assert _generated_tokens_masked(ours) == _generated_tokens_masked(theirs), name
        compared += 1
    assert compared >= 30


def test_participants_are_read_page_by_page(server, monkeypatch):
    study = load_study("demo-brussels")
    server.add_survey(5001, study.instrument("parent", "2018"))
    server.add_participant_table(5001)
    monkeypatch.setattr(limesurvey, "PARTICIPANT_PAGE", 4)
    settings = ServerSettings(server.url, "admin", PASSWORD)
    with settings.open() as api:
        assert api.participants(5001) == []  # "No survey participants found." is an empty table
        people = [{"email": f"p{i}@example.invalid", "token": f"own{i:04d}", "language": "fr"} for i in range(10)]
        added = api.add_participants(5001, people, own_tokens=True)
        assert [row["token"] for row in added] == [p["token"] for p in people]
        api.call("delete_participants", 5001, lambda c: c.session.delete_participants(5001, [3]))
        rows = api.participants(5001)
    assert [r["tid"] for r in rows] == [1, 2, *range(4, 11)]
    assert {r["language"] for r in rows} == {"fr"} and rows[0]["sent"] == "N"
    assert len(server.method_calls("list_participants")) == 1 + 3  # pages of 4 from tid 0, 5, 9 (and the empty one)


def test_a_send_reads_its_results_and_what_is_left(server):
    study = load_study("demo-brussels")
    server.add_survey(5002, study.instrument("parent", "2018"))
    server.add_participant_table(5002)
    server.max_emails = 3
    settings = ServerSettings(server.url, "admin", PASSWORD)
    with settings.open() as api:
        api.add_participants(5002, [{"email": f"p{i}@example.invalid"} for i in range(5)] + [{"firstname": "x"}],
                             own_tokens=False)
        first = api.send("invite", 5002)
        assert (sorted(first.sent), first.failed, first.left) == ([1, 2, 3], {}, 2)
        server.expire_keys()  # renewed once, as every call
        second = api.send("invite", 5002)
        assert (sorted(second.sent), second.left) == ([4, 5], 0)
        assert api.send("invite", 5002).sent == {}  # nobody left: LimeSurvey's "No candidate tokens"
        assert api.send("remind", 5002, min_days=1).sent == {}  # sent today: not yet
        server.now = server.now.replace(day=server.now.day + 2)
        server.mail_fails = True
        failing = api.send("remind", 5002, min_days=1, tids=[2])
        assert failing.failed == {2: "Could not instantiate mail function."} and failing.left == 4
        with pytest.raises(LimeSurveyError, match="No survey participants table"):
            server.add_survey(5003, study.instrument("parent", "2018"))
            api.send("invite", 5003)
    sent = [p for p in server.surveys[5002].participants if p["sent"] != "N"]
    assert len(sent) == 5 and all(p["remindercount"] == 0 for p in sent)
    assert datetime.strptime(sent[0]["sent"], "%Y-%m-%d %H:%M") == server.now.replace(day=server.now.day - 2)
