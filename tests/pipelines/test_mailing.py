"""pipelines/mailing.py (`toegang invite`, `toegang remind`) against the loopback LimeSurvey server: the dry run names
exactly whom the real calls then mail, by LimeSurvey's rules as the server's clock moves; the calls go on while
LimeSurvey has some left and stop when one sends nothing; failures are reported by reason; every run is logged in
meta.mailings in counts, and no name, address or token reaches the output or the warehouse."""

import time
from datetime import datetime, timedelta, timezone

import duckdb
import pytest
from typer.testing import CliRunner

from benchmarks.harness.limesurvey_server import LimeSurveyTestServer
from benchmarks.harness.studies import write_study
from instruments.study import load_study
from pipelines.cli import app
from pipelines.limesurvey import ServerSettings
from pipelines.mailing import candidates, mail, mask_address, reason
from warehouse.migrations import MIGRATIONS, WAREHOUSE
from warehouse.paths import Locations

PASSWORD = "mailing-test-password"
SURVEY, BARE = 418201, 418202  # BARE has no participants table
STUDY = "mail-study"
# tid 1-3, 6, 7 can be mailed; 4 has no address, 5 opted out, 8 completed before any mail.
PEOPLE = [("Anna", "anna@example.invalid", "nl"), ("Benoît", "benoit@example.invalid", "fr"),
          ("Chris", "chris@example.invalid", "en"), ("Noaddress", "", "nl"), ("Optout", "optout@example.invalid", "nl"),
          ("Dirk", "dirk@example.invalid", "nl"), ("Eva", "eva@other.invalid", "fr"),
          ("Done", "done@example.invalid", "nl")]
DUE = [1, 2, 3, 6, 7]


@pytest.fixture
def server(tmp_path):
    srv = LimeSurveyTestServer(password=PASSWORD).start()
    study = load_study(STUDY, write_study(tmp_path / "studies", STUDY, [
        {"survey_id": SURVEY, "instrument": "parent", "wave": "2018"},
        {"survey_id": BARE, "instrument": "parent", "wave": "2018"}]))
    srv.add_survey(SURVEY, study.instrument("parent", "2018"))
    srv.add_survey(BARE, study.instrument("parent", "2018"))
    srv.add_participant_table(SURVEY)
    srv.rpc_add_participants(None, SURVEY, [
        {"firstname": name, "lastname": f"{name}son", "email": email, "language": language,
         "token": f"tok{name.lower()}{i:03d}"} for i, (name, email, language) in enumerate(PEOPLE)], False)
    held = srv.surveys[SURVEY].participants
    held[4]["emailstatus"] = "OptOut"
    held[7]["completed"] = "2026-03-01 10:00"
    srv.study = study
    yield srv
    srv.stop()


def _settings(server, retries=0):
    return ServerSettings(server.url, "admin", PASSWORD, retries=retries)


def _mail(server, tmp_path, kind, dry_run, **options):
    return mail(server.study, options.pop("survey_id", SURVEY), kind, locations=_locations(tmp_path),
                server=_settings(server), dry_run=dry_run, now=server.now, **options)


def _locations(tmp_path):
    return Locations.of_study(STUDY, environ={}, home=tmp_path / "home")


def _cli(server, tmp_path, *arguments, password=PASSWORD):
    env = {"LIMESURVEY_URL": server.url, "LIMESURVEY_USERNAME": "admin", "LIMESURVEY_PASSWORD": password,
           "TOEGANG_STUDIES": str(tmp_path / "studies"), "TOEGANG_HOME": str(tmp_path / "home"), "TOEGANG_DEBUG": ""}
    return CliRunner().invoke(app, [*arguments, "--study", STUDY], env=env)


def _personal(server) -> list[str]:
    """Every name, address and token the server holds."""
    return [str(p[k]) for p in server.surveys[SURVEY].participants for k in ("firstname", "lastname", "email", "token")
            if p.get(k)]


def test_masked_addresses_and_reasons_keep_nobody():
    """A personal domain names its owner: only the domain's first character and last label are shown."""
    assert [mask_address(a) for a in ("anna@example.invalid", " Benoit@Example.invalid ", "", "x", "@a.b",
                                      "jan@jan-peeters.be", "x@mail.example.co.uk", "root@localhost")] == \
        ["a***@e***.invalid", "B***@E***.invalid", "-", "x***", "@***", "j***@j***.be", "x***@m***.uk",
         "r***@l***"]
    assert reason("SMTP Error: The following recipients failed: anna@example.invalid") == \
        "SMTP Error: The following recipients failed: <address>"


def test_the_dry_run_names_exactly_whom_the_invitations_then_reach(server, tmp_path):
    server.max_emails = 2  # three calls: 2, 2 and 1
    dry = _mail(server, tmp_path, "invite", True)
    assert [c.tid for c in dry.due] == DUE and not server.method_calls("invite_participants")
    assert dry.due[0].line() == "tid 1  nl  a***@e***.invalid  invitation"
    assert (dry.record.candidates, dry.record.sent, dry.record.left_to_send, dry.record.calls) == (5, 0, 5, 0)
    sent = _mail(server, tmp_path, "invite", False)
    stamped = [int(p["tid"]) for p in server.surveys[SURVEY].participants if p["sent"] != "N"]
    assert stamped == DUE == [c.tid for c in sent.due]
    assert (sent.record.sent, sent.record.failed, sent.record.left_to_send, sent.record.calls) == (5, 0, 0, 3)
    assert len(server.method_calls("invite_participants")) == 3
    again = _mail(server, tmp_path, "invite", False)  # nobody due: no call at all
    assert (again.record.candidates, again.record.sent, again.record.calls) == (0, 0, 0)
    assert len(server.method_calls("invite_participants")) == 3


def test_the_dry_run_keeps_to_the_tids_given(server, tmp_path):
    dry = _mail(server, tmp_path, "invite", True, tids=[2, 4, 7])
    assert [c.tid for c in dry.due] == [2, 7]  # 4 has no address
    real = _mail(server, tmp_path, "invite", False, tids=[2, 4, 7])
    assert [int(p["tid"]) for p in server.surveys[SURVEY].participants if p["sent"] != "N"] == [2, 7]
    assert (real.record.sent, real.record.chosen, real.record.left_to_send) == (2, 3, 0)


def test_reminders_follow_min_days_and_max_reminders_as_the_clock_moves(server, tmp_path):
    def remind(dry_run, **filters):
        return _mail(server, tmp_path, "remind", dry_run, **filters)

    assert remind(True).due == []  # nobody invited yet
    _mail(server, tmp_path, "invite", False)
    server.now += timedelta(days=1)
    assert remind(True, min_days=3).due == []
    assert remind(False, min_days=3).record.sent == 0
    server.now += timedelta(days=3)
    anna = server.surveys[SURVEY].participants[0]
    server.respond(SURVEY, {}, token=anna["token"])  # Anna answers: no reminder for her
    first = remind(True, min_days=3, max_reminders=2)
    assert [(c.tid, c.reminder) for c in first.due] == [(t, 1) for t in DUE if t != 1]
    assert [c.tid for c in remind(False, min_days=3, max_reminders=2).due] == [c.tid for c in first.due]
    reminded = {int(p["tid"]): p["remindercount"] for p in server.surveys[SURVEY].participants}
    assert [t for t, count in reminded.items() if count == 1] == [c.tid for c in first.due]
    server.now += timedelta(days=2)
    assert remind(True, min_days=3).due == []  # reminded 2 days ago
    server.now += timedelta(days=1, minutes=1)
    second = remind(True, min_days=3, max_reminders=2)
    assert [(c.tid, c.reminder) for c in second.due] == [(t, 2) for t in DUE if t != 1]
    assert remind(True, min_days=3, max_reminders=1).due == []
    real = remind(False, min_days=3, max_reminders=2)
    assert real.record.sent == 4 and [c.tid for c in real.due] == [c.tid for c in second.due]
    assert remind(True, min_days=0, max_reminders=2).due == []  # each had its two


def test_a_reminder_without_min_days_reaches_each_participant_once_per_run(server, tmp_path):
    _mail(server, tmp_path, "invite", False)
    server.max_emails = 2
    run = _mail(server, tmp_path, "remind", False)
    # Without min days a reminded participant stays due: later calls name only those not tried yet.
    assert [p["remindercount"] for p in server.surveys[SURVEY].participants if int(p["tid"]) in DUE] == [1] * 5
    assert (run.record.sent, run.record.calls) == (5, 3)


def test_the_rules_as_the_recorded_server_applies_them():
    """Dates compare as text, "N" after any date, as LimeSurvey's SQL; the tids filter narrows only."""
    from datetime import datetime

    now = datetime(2026, 3, 10, 12, 0)
    rows = [{"tid": 1, "token": "a", "participant_info": {"email": "a@x.invalid"}, "sent": "2026-03-01 09:00",
             "remindersent": "N", "remindercount": 0, "completed": "N", "emailstatus": "OK", "language": "nl"},
            {"tid": 2, "token": "b", "participant_info": {"email": "b@x.invalid"}, "sent": "2026-03-01 09:00",
             "remindersent": "2026-03-08 09:00", "remindercount": 1, "completed": "N", "emailstatus": "OK"},
            {"tid": 3, "token": "", "participant_info": {"email": "c@x.invalid"}, "sent": "N", "remindersent": "N",
             "remindercount": 0, "completed": "N", "emailstatus": "OK"},
            {"tid": 4, "token": "d", "participant_info": {"email": "d@x.invalid"}, "sent": "2026-03-01 09:00",
             "remindersent": "N", "remindercount": 0, "completed": "Q", "emailstatus": "OK"}]
    assert [c.tid for c in candidates(rows, "remind", now=now, min_days=3)] == [1]
    assert [c.tid for c in candidates(rows, "remind", now=now, min_days=2)] == [1, 2]
    assert [c.tid for c in candidates(rows, "remind", now=now, min_days=2, max_reminders=1)] == [1]
    assert [c.tid for c in candidates(rows, "remind", now=now, tids=[2])] == [2]
    assert candidates(rows, "invite", now=now) == []  # 3 has no token, the others were invited
    with pytest.raises(ValueError, match="kind must be one of invite, remind"):
        candidates(rows, "register", now=now)


def test_toegang_remind_dry_run_prints_masked_lines_and_a_count(server, tmp_path):
    _mail(server, tmp_path, "invite", False)
    server.now += timedelta(days=5)
    result = _cli(server, tmp_path, "remind", "--survey-id", str(SURVEY), "--min-days", "3", "--dry-run",
                  "--now", server.now.strftime("%Y-%m-%d %H:%M"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines == ["tid 1  nl  a***@e***.invalid  reminder 1", "tid 2  fr  b***@e***.invalid  reminder 1",
                     "tid 3  en  c***@e***.invalid  reminder 1", "tid 6  nl  d***@e***.invalid  reminder 1",
                     "tid 7  fr  e***@o***.invalid  reminder 1",
                     f"survey {SURVEY}, dry run: 5 participants would receive a reminder; nothing was sent"]
    assert "mailing logged in meta.mailings" in result.stderr
    assert not [w for w in _personal(server) if w in result.output]
    assert not server.method_calls("remind_participants")


def test_participants_outside_their_validity_are_neither_named_nor_mailed(server, tmp_path):
    """emailTokens fails a participant before validfrom or after validuntil ("Token not valid yet/anymore"): the dry
    run leaves them out, and the real run's calls pass continueOnError, so one that the server's clock finds
    invalid fails alone instead of ending the call (the loopback server, like LimeSurvey, stops there otherwise)."""
    held = server.surveys[SURVEY].participants
    held[0]["validuntil"] = (server.now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")  # tid 1: expired
    held[2]["validfrom"] = (server.now + timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")  # tid 3: not yet
    held[5]["validfrom"] = (server.now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")  # tid 6: valid
    held[5]["validuntil"] = (server.now + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    dry = _mail(server, tmp_path, "invite", True)
    assert [c.tid for c in dry.due] == [2, 6, 7]
    real = _mail(server, tmp_path, "invite", False)
    assert [int(p["tid"]) for p in held if p["sent"] != "N"] == [2, 6, 7]
    assert (real.record.sent, real.record.failed) == (3, 0)
    assert [params[4] for params in server.method_calls("invite_participants")] == [True]  # continueOnError
    server.now += timedelta(days=3)  # tid 3 is valid now, tid 6 no longer
    invited = _mail(server, tmp_path, "invite", False)
    assert [c.tid for c in invited.due] == [3] and invited.record.sent == 1
    assert [c.tid for c in _mail(server, tmp_path, "remind", True, min_days=1).due] == [2, 7]
    # This machine's clock two and a half days behind the server's: tid 6 still looks valid here.
    behind = mail(server.study, SURVEY, "remind", locations=_locations(tmp_path), server=_settings(server),
                  dry_run=False, now=server.now - timedelta(days=2, hours=12), tids=[6, 7], min_days=0)
    assert [c.tid for c in behind.due] == [6, 7]
    assert (behind.record.sent, behind.record.failed, behind.record.calls) == (1, 1, 1)
    assert behind.record.reasons == {"Token not valid anymore": 1}
    assert [int(p["tid"]) for p in held if p["remindercount"]] == [7]
    assert [params[5] for params in server.method_calls("remind_participants")] == [True]


def test_the_real_run_mails_only_whom_the_dry_run_names_when_the_server_s_clock_is_ahead(server, tmp_path):
    """Tids 1-3 invited on day 0, tids 6 and 7 on day 2; on day 5 of the server's clock this machine thinks it is
    day 3: its dry run names 1-3 for a reminder after 3 days, and the real run reminds exactly them (the server
    alone would remind all five)."""
    _mail(server, tmp_path, "invite", False, tids=[1, 2, 3])
    server.now += timedelta(days=2)
    _mail(server, tmp_path, "invite", False, tids=[6, 7])
    server.now += timedelta(days=3, hours=1)
    behind = server.now - timedelta(days=2)
    options = {"min_days": 3}
    dry = mail(server.study, SURVEY, "remind", locations=_locations(tmp_path), server=_settings(server), dry_run=True,
               now=behind, **options)
    real = mail(server.study, SURVEY, "remind", locations=_locations(tmp_path), server=_settings(server),
                dry_run=False, now=behind, **options)
    assert [c.tid for c in dry.due] == [c.tid for c in real.due] == [1, 2, 3]
    assert [int(p["tid"]) for p in server.surveys[SURVEY].participants if p["remindercount"]] == [1, 2, 3]
    assert real.record.sent == 3
    assert [params[4] for params in server.method_calls("remind_participants")] == [[1, 2, 3]]


def test_toegang_remind_reminds_nobody_twice_on_a_rerun_the_same_day(server, tmp_path):
    """--min-days defaults to 1: a second `toegang remind` on the same day reminds nobody; --min-days 0 does."""
    _mail(server, tmp_path, "invite", False)
    server.now += timedelta(days=2)
    now = ("--now", server.now.strftime("%Y-%m-%d %H:%M"))
    first = _cli(server, tmp_path, "remind", "--survey-id", str(SURVEY), *now)
    assert first.exit_code == 0 and first.stdout.startswith(f"survey {SURVEY}: 5 reminders sent"), first.output
    server.now += timedelta(hours=2)
    now = ("--now", server.now.strftime("%Y-%m-%d %H:%M"))
    rerun = _cli(server, tmp_path, "remind", "--survey-id", str(SURVEY), *now)
    assert rerun.exit_code == 0 and rerun.stdout.startswith(f"survey {SURVEY}: 0 reminders sent"), rerun.output
    assert [params[2] for params in server.method_calls("remind_participants")] == [1]
    explicit = _cli(server, tmp_path, "remind", "--survey-id", str(SURVEY), "--min-days", "0", *now)
    assert explicit.exit_code == 0 and explicit.stdout.startswith(f"survey {SURVEY}: 5 reminders sent")
    assert {p["remindercount"] for p in server.surveys[SURVEY].participants if int(p["tid"]) in DUE} == {2}
    with duckdb.connect(str(_locations(tmp_path).warehouse), read_only=True) as con:
        assert con.execute("SELECT min_days FROM meta.mailings WHERE kind = 'remind' ORDER BY mailed_at").fetchall() \
            == [(1,), (1,), (0,)]


def test_toegang_invite_reports_a_failing_mail_server_by_reason_and_stops(server, tmp_path):
    server.mail_fails, server.max_emails = True, 2
    result = _cli(server, tmp_path, "invite", "--survey-id", str(SURVEY))
    assert result.exit_code == 3, result.output
    assert result.stdout.splitlines() == [
        f"survey {SURVEY}: 0 invitations sent, 2 failed, 3 left to send (1 call)",
        "  2 failed: Could not instantiate mail function.",
        "  those failed and left stay pending: toegang invite again tries them (after fixing what failed)"]
    assert result.stderr.splitlines()[-1] == "error: 2 of 2 sends failed on the server"
    assert len(server.method_calls("invite_participants")) == 1  # a call that sent none ends the run
    assert not [w for w in _personal(server) if w in result.output]
    server.mail_fails = False
    fixed = _cli(server, tmp_path, "invite", "--survey-id", str(SURVEY))
    assert fixed.exit_code == 0 and fixed.stdout.startswith(f"survey {SURVEY}: 5 invitations sent, 0 failed, 0 left")


def test_a_call_that_fails_after_others_keeps_their_counts(server, tmp_path):
    server.max_emails = 2
    answer = server.rpc_invite_participants

    def second_call_refused(*params):
        return answer(*params) if len(server.method_calls("invite_participants")) == 1 else {"status": "No permission"}

    server.rpc_invite_participants = second_call_refused
    result = _cli(server, tmp_path, "invite", "--survey-id", str(SURVEY))
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[-1] == (f"error: LimeSurvey invite_participants (survey {SURVEY}): No "
                                              "permission (after 1 call(s) had sent 2 and failed 0, logged in "
                                              "meta.mailings)")
    with duckdb.connect(str(_locations(tmp_path).warehouse), read_only=True) as con:
        assert con.execute("SELECT candidates, sent, failed, left_to_send, calls FROM meta.mailings").fetchall() == \
            [(5, 2, 0, 3, 1)]


def test_server_side_problems_are_one_line_each(server, tmp_path):
    bare = _cli(server, tmp_path, "invite", "--survey-id", str(BARE), "--dry-run")
    assert bare.exit_code == 1
    assert bare.output.strip() == (f"error: LimeSurvey list_participants (survey {BARE}): Error: No survey "
                                   "participants table (deploy the survey with participants (toegang instruments "
                                   "deploy --participants FILE) or add a participants table in LimeSurvey)")
    del server.surveys[BARE]
    gone = _cli(server, tmp_path, "remind", "--survey-id", str(BARE))
    assert gone.exit_code == 1 and gone.output.strip() == (
        f"error: LimeSurvey list_participants (survey {BARE}): Error: Invalid survey ID (is the study file's survey id "
        "the one deployed?)")
    other = _cli(server, tmp_path, "invite", "--survey-id", "1234")
    assert other.exit_code == 1 and other.output.strip() == f"error: study '{STUDY}' has no survey 1234"
    refused = _cli(server, tmp_path, "invite", "--survey-id", str(SURVEY), password="wrong")
    assert refused.exit_code == 3 and "Invalid user name or password" in refused.output
    assert "Traceback" not in bare.output + gone.output + other.output + refused.output
    assert not server.method_calls("invite_participants") and not server.method_calls("remind_participants")


def test_mailings_are_logged_in_counts_and_nothing_personal_reaches_the_warehouse(server, tmp_path):
    server.max_emails = 3
    assert _cli(server, tmp_path, "invite", "--survey-id", str(SURVEY), "--dry-run").exit_code == 0
    assert _cli(server, tmp_path, "invite", "--survey-id", str(SURVEY)).exit_code == 0
    server.now += timedelta(days=4)
    server.mail_fails = True
    failing = _cli(server, tmp_path, "remind", "--survey-id", str(SURVEY), "--min-days", "3", "--max-reminders", "2",
                   "--tid", "2", "--tid", "3", "--now", server.now.strftime("%Y-%m-%d %H:%M"))
    assert failing.exit_code == 3, failing.output
    locations = _locations(tmp_path)
    with duckdb.connect(str(locations.warehouse), read_only=True) as con:
        rows = con.execute("SELECT study_id, survey_id, kind, dry_run, min_days, max_reminders, chosen, candidates, "
                           "sent, failed, left_to_send, calls, reasons FROM meta.mailings ORDER BY mailed_at"
                           ).fetchall()
        # The warehouse is at its newest version (meta.mailings came with migration 7).
        assert con.execute("SELECT max(version) FROM meta.schema_version").fetchall()[0][0] == \
            MIGRATIONS[WAREHOUSE][-1].version
    assert rows == [(STUDY, SURVEY, "invite", True, None, None, None, 5, 0, 0, 5, 0, "{}"),
                    (STUDY, SURVEY, "invite", False, None, None, None, 5, 5, 0, 0, 2, "{}"),
                    (STUDY, SURVEY, "remind", False, 3, 2, 2, 2, 0, 2, 0, 1,
                     '{"Could not instantiate mail function.": 2}')]
    words = _personal(server)
    for path in (locations.warehouse, locations.raw):  # the files' bytes, and every value of every table
        data = path.read_bytes()
        assert not [w for w in words if w.encode() in data], path
        with duckdb.connect(str(path), read_only=True) as con:
            tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
            text = " ".join(str(row) for schema, table in tables
                            for row in con.execute(f'SELECT * FROM "{schema}"."{table}"').fetchall())
        assert tables and not [w for w in words if w in text], path
    assert not list(locations.home.glob("*.wal"))


@pytest.fixture
def fourteen_hours_ahead(monkeypatch):
    """This process's local time 14 hours ahead of UTC (a POSIX TZ needs no zone files)."""
    monkeypatch.setenv("TZ", "XXX-14")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_mailed_at_is_utc_without_zone_as_the_warehouse_s_other_times(server, tmp_path, fourteen_hours_ahead):
    before = datetime.now(timezone.utc).replace(tzinfo=None)
    _mail(server, tmp_path, "invite", True)
    after = datetime.now(timezone.utc).replace(tzinfo=None)
    assert datetime.now() - after > timedelta(hours=13)  # local time is not UTC here
    with duckdb.connect(str(_locations(tmp_path).warehouse), read_only=True) as con:
        (stamp,), = con.execute("SELECT mailed_at FROM meta.mailings").fetchall()
    assert stamp.tzinfo is None and before <= stamp <= after
