"""The fieldwork monitor on a simulated fieldwork against the loopback LimeSurvey server: participants with their
own tokens, two invitation batches, responses arriving day by day, a reminder; the monitor's counts, pace,
projections and batches equal what was simulated, and nothing personal reaches its pages."""

import math
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from benchmarks.harness.limesurvey_server import LimeSurveyTestServer
from benchmarks.harness.studies import write_study
from instruments.limesurvey_export import read_export
from instruments.model import InstrumentError
from instruments.study import DEMO_STUDY, check_study, load_study
from pipelines.cli import app
from pipelines.limesurvey import ServerSettings
from pipelines.mailing import mail
from pipelines.stages.fieldwork import fieldwork_reports, plans_of, write_reports
from pipelines.stages.ingest import load_wave
from warehouse.connection import connect
from warehouse.paths import Locations

PASSWORD = "fieldwork-test-password"
SURVEY, WAVE, STUDY = 9001, "2021", "fieldwork-study"
START, END = date(2024, 3, 1), date(2024, 3, 28)
PLAN = {"wave": WAVE, "instrument": "parent", "window": {"start": START.isoformat(), "end": END.isoformat()},
        "targets": {"total": 40, "neighbourhood": {"W01": 20, "W02": 20}, "language": {"nl": 20, "fr": 20}}}


def _template() -> dict[str, str]:
    """A complete, consenting parent's answers from the demo's export, to fill in as each simulated respondent."""
    demo = load_study(DEMO_STUDY)
    rows = read_export(demo.surveys_in("2018")[0].export).responses
    return next(dict(r) for r in rows if r["submitdate"] and r["consent"] == "Y")


@pytest.fixture
def simulated(tmp_path: Path):
    """Day 1: 60 participants with own tokens, batch 1 (tids 1-30) invited; days 1-5 two completes a day from it
    and a partial on day 3; day 6 batch 2 (tids 31-60) invited; days 6-10 three completes a day from it; day 8 a
    reminder to batch 1, a dry run first (``toegang invite`` and ``toegang remind``'s stage). Returns the study,
    settings, locations and what was simulated."""
    studies = write_study(tmp_path / "studies", STUDY, [{"survey_id": SURVEY, "instrument": "parent", "wave": WAVE}],
                          fieldwork=[PLAN])
    study = load_study(STUDY, studies)
    server = LimeSurveyTestServer(password=PASSWORD).start()
    server.add_survey(SURVEY, study.instrument("parent", WAVE))
    server.add_participant_table(SURVEY)
    settings = ServerSettings(server.url, "admin", PASSWORD, retries=0)
    locations = Locations.of_study(STUDY, home=tmp_path / "home")
    template = _template()

    def mail_now(kind, dry_run=False, **options):
        return mail(study, SURVEY, kind, locations=locations, server=settings, dry_run=dry_run, now=server.now,
                    **options)

    simulated = []  # (day, tid, neighbourhood, language, complete)
    day = datetime.combine(START, datetime.min.time()).replace(hour=9)
    with settings.open() as api:
        api.add_participants(SURVEY, [{"email": f"p{n}@example.invalid", "firstname": f"First{n}",
                                       "token": f"paneltok{n:04d}", "language": "nl"} for n in range(1, 61)],
                             own_tokens=True)
        for offset in range(10):
            server.now = day + timedelta(days=offset)
            if offset == 0:
                assert mail_now("invite", tids=list(range(1, 31))).record.sent == 30
            if offset == 5:
                assert mail_now("invite").record.sent == 30
            if offset == 7:  # batch 1 not completed; batch 2 was invited 2 days ago
                dry = mail_now("remind", dry_run=True, min_days=5)
                assert server.method_calls("remind_participants") == []  # a dry run sends nothing
                assert mail_now("remind", min_days=5).record.sent == len(dry.due) == 20
                stamped = [int(p["tid"]) for p in server.surveys[SURVEY].participants if p["remindercount"]]
                assert [c.tid for c in dry.due] == stamped
            per_day, first_tid = (2, 1 + 2 * offset) if offset < 5 else (3, 31 + 3 * (offset - 5))
            for n in range(per_day):
                tid = first_tid + n
                area, language = ("W01", "nl") if tid % 2 else ("W02", "fr")
                server.respond(SURVEY, {**template, "wijk": area}, token=f"paneltok{tid:04d}", language=language)
                simulated.append((START + timedelta(days=offset), tid, area, language, True))
            if offset == 2:
                server.respond(SURVEY, {**template, "wijk": "W02", "submitdate": ""}, token="paneltok0060",
                               complete=False, language="fr")
                simulated.append((START + timedelta(days=2), 60, "W02", "fr", False))
    with connect(locations) as con:
        load_wave(con, study, WAVE, locations=locations, pseudonym_key=lambda: b"fieldwork-key",
                  log=lambda *_: None, limesurvey=settings)
    yield study, settings, locations, simulated, server, studies
    server.stop()


def _expected(simulated, as_of: date, keep) -> tuple[int, int, float, date | None]:
    """Completes, partials, pace (completes a day over the last 7 days) and the day a goal is reached, from the
    simulation's own record."""
    chosen = [s for s in simulated if keep(s)]
    complete = sum(1 for s in chosen if s[4])
    recent = sum(1 for s in chosen if s[4] and as_of - timedelta(days=6) <= s[0] <= as_of)
    return complete, sum(1 for s in chosen if not s[4]), recent / 7, None


def test_the_monitor_counts_and_projects_what_was_simulated(simulated):
    study, settings, locations, record, server, _ = simulated
    as_of = START + timedelta(days=9)
    with connect(locations, read_only=True) as con:
        (report,) = fieldwork_reports(con, study, plans_of(study, [WAVE], as_of), as_of, lambda: settings)
    rows = report.progress.set_index(["target", "category"])
    cases = {("", ""): (40, lambda s: True), ("neighbourhood", "W01"): (20, lambda s: s[2] == "W01"),
             ("neighbourhood", "W02"): (20, lambda s: s[2] == "W02"), ("language", "nl"): (20, lambda s: s[3] == "nl"),
             ("language", "fr"): (20, lambda s: s[3] == "fr")}
    for key, (goal, keep) in cases.items():
        complete, partial, pace, _ = _expected(record, as_of, keep)
        row = rows.loc[key]
        assert (row["goal"], row["complete"], row["partial"]) == (goal, complete, partial), key
        assert row["pace"] == pytest.approx(pace), key
        projected = as_of + timedelta(days=math.ceil((goal - complete) / pace))
        assert row["projected"] == projected, key
        assert row["status"] == ("on_track" if projected <= END else "behind"), key
    # 25 completes by day 10 at 19 in the last 7 days: 15 to go take 6 more days.
    assert (rows.loc[("", ""), "complete"], rows.loc[("", ""), "projected"]) == (25, date(2024, 3, 16))
    assert list(report.daily["complete"]) == [2, 2, 2, 2, 2, 3, 3, 3, 3, 3]
    assert list(report.daily["partial"]) == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    batches = report.batches.set_index("batch")
    assert batches.loc["2024-03-01"].tolist()[:3] == [30, 20, 10]  # participants, reminded, completed
    assert batches.loc["2024-03-06"].tolist()[:3] == [30, 0, 15]
    assert batches.loc["2024-03-01", "rate"] == pytest.approx(1 / 3)
    assert report.server["completed_responses"] == 25 and report.server["token_sent"] == 60
    assert report.server["token_completed"] == 25


def test_the_pages_hold_counts_only_and_the_command_prints_them(simulated, monkeypatch):
    study, settings, locations, record, server, studies = simulated
    for name, value in {"LIMESURVEY_URL": server.url, "LIMESURVEY_USERNAME": "admin", "LIMESURVEY_PASSWORD": PASSWORD,
                        "TOEGANG_STUDIES": str(studies)}.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["fieldwork", "--study", STUDY, "--wave", WAVE, "--as-of", "2024-03-10",
                                      "--home", str(locations.home.parent)])
    assert result.exit_code == 0, result.output
    assert "all: 25 of 40 (62%) complete, 1 partial, 2.7 a day, projected 2024-03-16: on track" in result.output
    assert "sent 2024-03-01: 30 participants, 20 reminded, 10 completed (33%)" in result.output
    pages = sorted((locations.home / "fieldwork").rglob("*.html"))
    assert [p.relative_to(locations.home).as_posix() for p in pages] == [
        "fieldwork/en/2021.html", "fieldwork/fr/2021.html", "fieldwork/nl/2021.html"]
    text = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "2024-03-16" in text and "Respons per uitnodigingsronde" in text
    for n in range(1, 61):  # no token, name or address of a participant
        assert f"paneltok{n:04d}" not in text and f"p{n}@example.invalid" not in text and f"First{n}<" not in text
    assert PASSWORD not in text and PASSWORD not in result.output


def test_a_plan_that_names_what_the_questionnaire_lacks_is_refused(tmp_path):
    bad = {**PLAN, "targets": {"total": 10, "neighbourhood": {"W09": 5}, "shoe_size": {"42": 3}}}
    surveys = [{"survey_id": SURVEY, "instrument": "parent", "wave": WAVE},
               {"survey_id": SURVEY + 1, "instrument": "field_actor", "wave": WAVE}]
    backwards = {"start": "2024-03-09", "end": "2024-03-01"}
    studies = write_study(tmp_path, STUDY, surveys, fieldwork=[bad, {**PLAN, "wave": "1999"}, bad, {
        **PLAN, "instrument": "field_actor", "window": backwards}])
    with pytest.raises(InstrumentError) as refused:
        load_study(STUDY, studies)
    message = str(refused.value)
    assert "fieldwork parent 1999: no survey of instrument 'parent' in wave '1999'" in message
    assert "fieldwork field_actor 2021: window needs start and end dates" in message and "study.yaml:" in message
    assert "fieldwork parent 2021: a second plan for the same wave and instrument" in message
    studies = write_study(tmp_path / "again", STUDY, [{"survey_id": SURVEY, "instrument": "parent", "wave": WAVE}],
                          fieldwork=[bad])
    problems = "\n".join(str(p) for p in check_study(load_study(STUDY, studies)))
    assert "targets neighbourhood: W09 not among the answers of wijk" in problems
    assert "targets shoe_size: parent (2021) has no single-choice column 'shoe_size'" in problems


def test_the_demo_monitor_is_internal_and_never_in_the_site(demo_root):
    """The demo plans its 2021 fieldwork: the run wrote the monitor in the study's home, and the public site
    holds none of it."""
    home, site = demo_root / "home" / DEMO_STUDY, demo_root / "site" / DEMO_STUDY
    pages = sorted(p.name for p in (home / "fieldwork").rglob("*.html"))
    assert pages == ["2021.html"] * 3
    monitor = (home / "fieldwork" / "en" / "2021.html").read_text(encoding="utf-8")
    assert "Internal page for the research team" in monitor and "189 of 200 complete responses" in monitor
    published = [p for p in site.resolve().rglob("*") if p.is_file()]
    assert published and not [p for p in published if "fieldwork" in p.as_posix()]
    words = ("Internal page for the research team", "Interne pagina voor het onderzoeksteam", "Fieldwork, wave",
             "Veldwerk, golf", "Response by invitation batch")
    for page in published:
        if page.suffix in (".html", ".json", ".csv", ".js"):
            text = page.read_text(encoding="utf-8", errors="replace")
            assert not any(w in text for w in words), page


def test_without_targets_the_days_still_count(simulated):
    study, settings, locations, record, server, _ = simulated
    plan = study.fieldwork[0]
    as_of = END + timedelta(days=3)  # after the window: the pace is its last week's, nothing is projected
    with connect(locations, read_only=True) as con:
        (report,) = fieldwork_reports(con, study, [plan], as_of, None)
    assert report.batches is None and report.server is None
    total = report.progress[report.progress["target"] == ""].iloc[0]
    assert (total["complete"], total["status"], total["projected"]) == (25, "closed", None)
    assert total["pace"] == 0 and len(report.daily) == (END - START).days + 1
    assert isinstance(report.daily["day"].iloc[0], date) and not pd.isna(report.daily["cumulative"].iloc[-1])


@pytest.mark.browser
def test_the_monitor_page_in_a_browser(simulated, tmp_path):
    """Each language's page: its chart drawn (cumulative completes, the target, the projection), no console error,
    no request leaving the disk, no serious axe-core violation; the tables say the counts."""
    from benchmarks.harness.browser import chromium
    from tests.dashboards.test_browser import ARTIFACTS, Visit, _serious

    study, settings, locations, record, server, _ = simulated
    as_of = START + timedelta(days=9)
    with connect(locations, read_only=True) as con:
        reports = fieldwork_reports(con, study, plans_of(study, [WAVE], as_of), as_of, settings)
    pages = write_reports(tmp_path / "home", study, reports)
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        visit = Visit(browser)
        for path in pages:
            page = visit.open(path.as_uri())
            traces = page.evaluate("[...document.querySelectorAll('.chart')].map(e => e.data.map(t => t.y.length))")
            assert traces == [[10, 2, 2]], path  # ten days, the target line, the projection
            assert page.evaluate("document.querySelectorAll('.chart .scatterlayer path.js-line').length") == 3
            cells = page.evaluate("[...document.querySelectorAll('table.data tbody tr')].map(r => r.innerText)")
            assert any("2024-03-16" in c for c in cells) or "2024-03-16" in page.inner_text("main")
            assert visit.errors == [] and visit.requests == [], path
            page.screenshot(path=shots / f"fieldwork-{path.parent.name}.png", full_page=True)
            assert _serious(page) == [], path
            visit.errors.clear()
        visit.context.close()


def test_a_server_that_fails_leaves_the_refreshed_page_without_its_part(simulated, tmp_path):
    """The ingest run's monitor step: the load stands, the page says why the server's counts are missing; the
    command refuses instead (exit 3)."""
    from pipelines.stages.fieldwork import refresh_monitor

    study, settings, locations, record, server, studies = simulated
    wrong = ServerSettings(server.url, "admin", "not-the-password", retries=0)
    warnings = []
    with connect(locations, read_only=True) as con:
        (report,), pages = refresh_monitor(con, study, WAVE, tmp_path, START + timedelta(days=9), wrong,
                                           warnings.append)
    assert report.batches is None and "Invalid user name or password" in report.server_error
    assert warnings == [f"fieldwork monitor without the server's counts: {report.server_error}"]
    page = (tmp_path / "fieldwork" / "en" / f"{WAVE}.html").read_text(encoding="utf-8")
    assert "The LimeSurvey server could not be read" in page and "25 of 40 complete responses" in page
    assert "not-the-password" not in page
    env = {"LIMESURVEY_URL": server.url, "LIMESURVEY_USERNAME": "admin", "LIMESURVEY_PASSWORD": "not-the-password",
           "TOEGANG_STUDIES": str(studies)}
    result = CliRunner().invoke(app, ["fieldwork", "--study", STUDY, "--wave", WAVE, "--home",
                                      str(locations.home.parent)], env=env)
    assert result.exit_code == 3 and "Invalid user name or password" in result.output
    assert (refresh_monitor(None, study, "2018", tmp_path, START, wrong, warnings.append)) == ([], [])


def test_before_the_window_and_before_any_load():
    """Pure: nothing loaded yet, the day before the window opens: every target not started, nothing projected; no
    participant yet gives no batch."""
    from analyses.fieldwork import invitation_batches, progress
    from warehouse.fieldwork import COLUMNS

    empty = pd.DataFrame(columns=COLUMNS)
    rows = progress(empty, {"": {"": 10}, "area": {"a": 3}}, START, END, START - timedelta(days=1))
    assert rows[["complete", "remaining", "status"]].values.tolist() == [[0, 10, "not_started"], [0, 3, "not_started"]]
    assert rows["projected"].isna().all()
    assert invitation_batches(pd.DataFrame(columns=["sent", "completed", "remindercount"])).empty


def test_review_cases_after_the_window_without_participants_and_past_midnight(simulated, tmp_path):
    """After the window the page's headline says the targets' total; an open-link survey (no participant table)
    keeps the server's counts; a report for "today" moves to the server's day when its stamps are past midnight."""
    from pipelines.stages.fieldwork import report_day

    study, settings, locations, record, server, _ = simulated
    server.surveys[SURVEY].participant_table = False
    with connect(locations, read_only=True) as con:
        (report,) = fieldwork_reports(con, study, [study.fieldwork[0]], END + timedelta(days=3), settings)
    assert report.batches is None and report.server["completed_responses"] == 25
    (page,) = [p for p in write_reports(tmp_path, study, [report]) if p.parent.name == "en"]
    text = page.read_text(encoding="utf-8")
    assert "25 of 40 complete responses (62%), 1 partial" in text and "not reached, fieldwork over" in text
    assert "read from export files" not in text and "no participant table (an open link)" in text
    assert report_day([date(2024, 3, 3), None], date(2024, 3, 2)) == date(2024, 3, 3)
    assert report_day([date(2024, 3, 1)], date(2024, 3, 2)) == date(2024, 3, 2)


def test_a_quiet_ingest_refreshes_the_monitor_and_a_bad_plan_is_refused(simulated, monkeypatch):
    study, settings, locations, record, server, studies = simulated
    env = {"LIMESURVEY_URL": server.url, "LIMESURVEY_USERNAME": "admin", "LIMESURVEY_PASSWORD": PASSWORD,
           "TOEGANG_STUDIES": str(studies), "TOEGANG_PSEUDONYM_KEY": "fieldwork-key"}
    home = str(locations.home.parent)
    result = CliRunner().invoke(app, ["ingest", "--study", STUDY, "--home", home], env=env)
    assert result.exit_code == 0 and "nothing new or changed" in result.output, result.output
    assert sorted(p.name for p in (locations.home / "fieldwork").rglob("*.html")) == [f"{WAVE}.html"] * 3
    file = studies / STUDY / "study.yaml"
    head, plans = file.read_text(encoding="utf-8").split("fieldwork:", 1)
    file.write_text(head + "fieldwork:" + plans.replace("neighbourhood:", "shoe_size:", 1), encoding="utf-8")
    result = CliRunner().invoke(app, ["fieldwork", "--study", STUDY, "--wave", WAVE, "--home", home], env=env)
    assert result.exit_code == 1 and "has no single-choice column 'shoe_size'" in result.output
    assert "Traceback" not in result.output and "TypeError" not in result.output


def test_a_window_with_a_time_of_day_is_refused(tmp_path):
    timed = {**PLAN, "window": {"start": "2024-03-01T08:00:00", "end": "2024-03-05T18:00:00"}}
    studies = write_study(tmp_path, STUDY, [{"survey_id": SURVEY, "instrument": "parent", "wave": WAVE}],
                          fieldwork=[timed])
    file = studies / STUDY / "study.yaml"  # unquoted, as someone would type it: YAML reads a timestamp
    file.write_text(file.read_text(encoding="utf-8").replace("'2024-03-01T08:00:00'", "2024-03-01 08:00:00")
                    .replace("'2024-03-05T18:00:00'", "2024-03-05 18:00:00"), encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"window needs start and end dates \(YYYY-MM-DD, no time\)"):
        load_study(STUDY, studies)
