"""The loopback server's participant methods against LimeSurvey 6.4.2's own replies (shared/fixtures/limesurvey,
files 112-163), and the connection's participant calls against the loopback server."""

import json
from datetime import datetime
from email.utils import parsedate_to_datetime

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


def test_tokens_are_kept_or_refused_as_limesurvey_s_rules_say(server):
    """Token::rules() of 6.4.2 (not recorded): the token is unique and at most 36 characters as given, then every
    character but [0-9a-zA-Z_~] is dropped; a token LimeSurvey makes has 15 letters and digits."""
    study = load_study("demo-brussels")
    server.add_survey(5004, study.instrument("parent", "2018"))
    server.add_participant_table(5004)
    key = _rpc(server, "get_session_key", ["admin", PASSWORD])
    added = _rpc(server, "add_participants", [key, 5004, [{"token": "a~b_C9"}, {"token": "tok-1.x"},
                                                          {"token": "t" * 36}, {"token": "t" * 37},
                                                          {"token": "a~b_C9"}], False])
    assert [row.get("token") for row in added[:3]] == ["a~b_C9", "tok1x", "t" * 36]
    assert added[3]["errors"] == {"token": ["Access code is too long (maximum is 36 characters)."]}
    assert added[4]["errors"] == {"token": ['Access code "a~b_C9" has already been taken.']}
    made = _rpc(server, "add_participants", [key, 5004, [{"email": "x@example.invalid"}], True])
    assert len(made[0]["token"]) == 15 and made[0]["token"].isalnum() and made[0]["token"].isascii()


def test_a_refused_participant_is_reported_by_field_and_count_never_by_value(server):
    """LimeSurvey's message quotes the token ('Access code "..." has already been taken.'): the error names the
    field and how many were refused, not the message."""
    study = load_study("demo-brussels")
    server.add_survey(5005, study.instrument("parent", "2018"))
    server.add_participant_table(5005)
    with ServerSettings(server.url, "admin", PASSWORD).open() as api:
        api.add_participants(5005, [{"token": "secretpaneltoken1", "email": "a@example.invalid"}], own_tokens=True)
        with pytest.raises(LimeSurveyError) as refused:
            api.add_participants(5005, [{"token": "secretpaneltoken1", "email": "b@example.invalid"},
                                        {"token": "secretpaneltoken2" * 3, "email": "c@example.invalid"}],
                                 own_tokens=True)
    message = str(refused.value)
    assert message == ("LimeSurvey add_participants (survey 5005): 2 participants refused, for their token (2) "
                       "(LimeSurvey's messages are not shown: they may quote the values)")
    assert "secretpanel" not in message and "@" not in message


def test_tids_sent_as_strings_of_digits_are_read_as_ints(server):
    """MySQL and older PHP send tid as a string (add_participants itself returns "7"): read as the int."""
    study = load_study("demo-brussels")
    server.add_survey(5006, study.instrument("parent", "2018"))
    server.add_participant_table(5006)
    answer = server.rpc_list_participants

    def as_strings(*params):
        rows = answer(*params)
        return [{**row, "tid": str(row["tid"])} for row in rows] if isinstance(rows, list) else rows

    server.rpc_list_participants = as_strings
    with ServerSettings(server.url, "admin", PASSWORD).open() as api:
        api.add_participants(5006, [{"email": f"p{i}@example.invalid"} for i in range(3)], own_tokens=False)
        assert [row["tid"] for row in api.participants(5006)] == [1, 2, 3]
        server.rpc_list_participants = lambda *params: [{"tid": "1x", "token": "a"}]
        with pytest.raises(LimeSurveyError, match="a participant without a numeric tid"):
            api.participants(5006)


def test_get_summary_counts_participants_only_where_there_is_a_participants_table(server):
    """remotecontrol_handle.php get_summary (not recorded): token_* only with a participants table, response counts
    only for an active survey; a token statistic asked of a survey without the table is "No available data"."""
    study = load_study("demo-brussels")
    server.add_survey(5007, study.instrument("parent", "2018"))
    key = _rpc(server, "get_session_key", ["admin", PASSWORD])
    assert _rpc(server, "get_summary", [key, 5007, "all"]) == {"completed_responses": 0, "incomplete_responses": 0,
                                                              "full_responses": 0}
    assert _rpc(server, "get_summary", [key, 5007, "token_count"]) == {"status": "No available data"}
    server.surveys[5007].active = False
    assert _rpc(server, "get_summary", [key, 5007, "all"]) == []  # fixture 25
    server.add_participant_table(5007)
    assert set(_rpc(server, "get_summary", [key, 5007, "all"])) == {
        "token_count", "token_invalid", "token_sent", "token_opted_out", "token_completed", "token_screenout"}
    with ServerSettings(server.url, "admin", PASSWORD).open() as api:
        server.surveys[5007].active = True
        server.surveys[5007].participant_table = False
        assert set(api.summary(5007)) == {"completed_responses", "incomplete_responses", "full_responses"}


def test_a_participant_outside_its_validity_stops_the_call_unless_continue_on_error(server):
    """emailTokens (not recorded, from token_helper.php): "Token not valid yet" ends the call without
    continueOnError; with it the others are sent. "N left to send" counts every participant picked."""
    study = load_study("demo-brussels")
    server.add_survey(5008, study.instrument("parent", "2018"))
    server.add_participant_table(5008)
    key = _rpc(server, "get_session_key", ["admin", PASSWORD])
    _rpc(server, "add_participants", [key, 5008, [{"email": f"p{i}@example.invalid"} for i in range(3)], True])
    server.surveys[5008].participants[0]["validfrom"] = "2099-01-01 00:00:00"
    stopped = _rpc(server, "invite_participants", [key, 5008])
    assert {k: v if k == "status" else v["status"] for k, v in stopped.items()} == {"1": "fail",
                                                                                   "status": "0 left to send"}
    assert stopped["1"]["error"] == "Token not valid yet"
    going_on = _rpc(server, "invite_participants", [key, 5008, None, True, True])
    assert {k: v if k == "status" else v["status"] for k, v in going_on.items()} == {
        "1": "fail", "2": "OK", "3": "OK", "status": "0 left to send"}
