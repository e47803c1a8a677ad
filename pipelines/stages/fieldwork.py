"""The fieldwork monitor: for each plan of a wave (study.yaml ``fieldwork:``), the responses loaded so far against
its targets, the pace and projected dates (``analyses.fieldwork``), and, for surveys read from LimeSurvey, the
server's live counts and the response rate of each invitation batch.

Participants are read from the server, reduced at once to their sent / completed / reminder stamps and
aggregated in memory: no token, name or e-mail address is kept, stored or written. The page is internal
(``TOEGANG_HOME/<study>/fieldwork/``), never part of the public site.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from analyses.fieldwork import daily, invitation_batches, progress
from dashboards.fieldwork import MonitorPage, MonitorSection, write_monitor
from instruments.fieldwork import FieldworkPlan, check_fieldwork, export_column
from instruments.model import InstrumentError
from instruments.study import Study
from instruments.vocabulary import LANGUAGE_NAMES, LANGUAGES, SURVEY_LANGUAGE
from pipelines.limesurvey import NO_PARTICIPANT_TABLE, LimeSurveyError, ServerSource
from warehouse.fieldwork import TOTAL, last_load, progress_counts

MONITOR_FOLDER = "fieldwork"  # inside the study's home, beside the warehouse: never in the site
PARTICIPANT_STAMPS = ("sent", "completed", "remindercount")  # all the monitor reads of a participant


@dataclass(frozen=True)
class FieldworkReport:
    plan: FieldworkPlan
    as_of: date
    progress: pd.DataFrame  # analyses.fieldwork.PROGRESS_COLUMNS
    daily: pd.DataFrame
    batches: pd.DataFrame | None  # None: no survey of the plan has participants on LimeSurvey
    server: dict[str, int] | None  # get_summary's counts summed over the plan's surveys on the server
    loaded_at: datetime | None
    server_error: str | None = None  # why the server's part is missing


def report_day(counts_days: Sequence[date], today: date) -> date:
    """The day of a report asked for "today": this machine's date, or the latest day a response was stamped on
    when the server's clock is already past midnight (LimeSurvey stamps in its own time)."""
    stamped = [d for d in counts_days if d is not None and not pd.isna(d)]
    return max([today, *(pd.Timestamp(d).date() for d in stamped)])


def plans_of(study: Study, waves: Sequence[str] | None, as_of: date) -> list[FieldworkPlan]:
    """The plans of ``waves``, else those whose window holds ``as_of``."""
    if waves:
        unknown = [w for w in waves if w not in study.waves]
        if unknown:
            raise InstrumentError(f"{study.file}: study {study.study_id!r} has no wave {', '.join(unknown)} "
                                  f"(it has {', '.join(study.waves)})")
        return [p for p in study.fieldwork if p.wave in waves]
    return [p for p in study.fieldwork if p.active(as_of)]


def _server_side(server: ServerSource, survey_ids: list[int]) -> tuple[dict[str, int], pd.DataFrame | None]:
    """get_summary's counts summed over the surveys, and their participants' stamps (None when no survey has a
    participant table)."""
    summary: dict[str, int] = {}
    stamps = []
    tables = 0
    with server.open() as connection:
        for survey_id in survey_ids:
            for key, value in connection.summary(survey_id).items():
                summary[key] = summary.get(key, 0) + value
            try:
                rows = connection.participants(survey_id, PARTICIPANT_STAMPS)
            except LimeSurveyError as exc:
                if exc.reason != NO_PARTICIPANT_TABLE:
                    raise
                continue  # an open link: responses without participants
            tables += 1
            # Only the stamps are kept: the rows' names, addresses and tokens go out of scope here.
            stamps += [{k: row.get(k) for k in PARTICIPANT_STAMPS} for row in rows]
    return summary, pd.DataFrame(stamps, columns=list(PARTICIPANT_STAMPS)) if tables else None


def _checked(study: Study, plans: Sequence[FieldworkPlan]) -> None:
    """A plan naming a column or answer its questionnaire lacks is refused with its line (``toegang instruments
    check`` says the same), before any count."""
    built = {}
    for plan in plans:
        built.setdefault(plan.wave, {})[plan.instrument] = study.instrument(plan.instrument, plan.wave)
    problems = check_fieldwork(tuple(plans), built, str(study.file))
    if problems:
        raise InstrumentError("\n".join(str(p) for p in problems))


def fieldwork_reports(con: duckdb.DuckDBPyConnection, study: Study, plans: Sequence[FieldworkPlan],
                      as_of: date | None = None, server: ServerSource | Callable[[], ServerSource] | None = None,
                      on_server_error: Callable[[LimeSurveyError], None] | None = None) -> list[FieldworkReport]:
    """A report per plan, from the warehouse ``con`` and, when ``server`` is given (or a function giving it, asked
    only when a plan has a survey read from LimeSurvey), the server's counts and participants. ``as_of``: the day
    of the report; None is today (``report_day``). A server that fails raises, unless ``on_server_error`` hears
    of it: the report then goes without the server's part."""
    _checked(study, plans)
    reports = []
    for plan in plans:
        instrument = study.instrument(plan.instrument, plan.wave)
        columns = {t.by: export_column(instrument, t.column)[0] for t in plan.targets}
        counts = progress_counts(con, study.study_id, plan.wave, instrument, columns)
        day = as_of or report_day(list(counts["day"]), date.today())
        goals = {TOTAL: {"": plan.total}} if plan.total else {TOTAL: {}}
        goals |= {t.by: dict(t.counts) for t in plan.targets}
        live = [s.survey_id for s in study.surveys_in(plan.wave)
                if s.instrument == plan.instrument and s.source == "limesurvey"]
        summary, batches, failure = None, None, None
        if live and server is not None:
            try:
                settings = server() if callable(server) else server
                summary, stamps = _server_side(settings, live)
                batches = invitation_batches(stamps) if stamps is not None else None
            except LimeSurveyError as exc:
                if on_server_error is None:
                    raise
                on_server_error(exc)
                failure = str(exc)
        reports.append(FieldworkReport(plan, day, progress(counts, goals, plan.start, plan.end, day),
                                       daily(counts, plan.start, plan.end, day), batches, summary,
                                       last_load(con, study.study_id, plan.wave, plan.instrument), failure))
    return reports


def _labels(study: Study, report: FieldworkReport) -> tuple[dict, dict]:
    """Each target's title and each category's label, per language, from the study and the codebook."""
    instrument = study.instrument(report.plan.instrument, report.plan.wave)
    titles, labels = {}, {}
    for target in report.plan.targets:
        breakdown = study.breakdowns.get(target.by)
        titles[target.by] = dict(breakdown.title) if breakdown else {lang: target.column for lang in LANGUAGES}
        if target.column == SURVEY_LANGUAGE:
            labels[target.by] = {code: dict(LANGUAGE_NAMES[code]) for code in LANGUAGE_NAMES}
            continue
        column = next(c for c in instrument.columns() if c.variable == target.column)
        labels[target.by] = {a.code: dict(a.labels) for a in column.question.answers}
    return titles, labels


def monitor_page(study: Study, wave: str, reports: Sequence[FieldworkReport]) -> MonitorPage:
    sections = []
    for report in reports:
        role = study.role(report.plan.instrument)
        titles, labels = _labels(study, report)
        sections.append(MonitorSection(
            title=dict(role.respondents) if role.respondents else {lang: role.name for lang in LANGUAGES},
            start=report.plan.start, end=report.plan.end, as_of=report.as_of, progress=report.progress,
            daily=report.daily, batches=report.batches, server=report.server, loaded_at=report.loaded_at,
            server_error=report.server_error,
            target_titles=titles, category_labels=labels))
    return MonitorPage(dict(study.title), wave, tuple(sections))


def write_reports(home: Path, study: Study, reports: Sequence[FieldworkReport]) -> list[Path]:
    """The monitor pages, one per wave and language, in ``home/fieldwork/``; returns the pages written."""
    written = []
    for wave in sorted({r.plan.wave for r in reports}):
        page = monitor_page(study, wave, [r for r in reports if r.plan.wave == wave])
        written += write_monitor(home / MONITOR_FOLDER, page)
    return written


def _whole(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def report_lines(study: Study, report: FieldworkReport) -> list[str]:
    """The report in words for the terminal (English, as the command's other output)."""
    plan = report.plan
    lines = [f"{study.study_id} wave {plan.wave}, {plan.instrument}: window {plan.start} to {plan.end}, "
             f"as of {report.as_of}" + (f"; loaded up to {report.loaded_at:%Y-%m-%d %H:%M} UTC"
                                        if report.loaded_at else "; nothing loaded yet")]
    if report.server_error:
        lines.append(f"  server: not read ({report.server_error})")
    if report.server:
        s = report.server
        lines.append(f"  server now: {s.get('completed_responses', 0)} complete, {s.get('incomplete_responses', 0)} "
                     f"partial; participants {s.get('token_count', 0)}, invited {s.get('token_sent', 0)}, "
                     f"completed {s.get('token_completed', 0)}")
    for target, rows in report.progress.groupby("target", sort=False):
        lines.append("  " + ("total" if target == TOTAL else f"by {target}") + ":")
        for row in rows.itertuples():
            goal = f" of {int(row.goal)} ({row.share:.0%})" if pd.notna(row.goal) else ""
            when = f", projected {row.projected}" if row.projected is not None and pd.notna(row.projected) else ""
            name = row.category or ("all" if target == TOTAL else "(no answer)")
            lines.append(f"    {name}: {row.complete}{goal} complete, {row.partial} partial, "
                         f"{_whole(row.pace)} a day{when}: {row.status.replace('_', ' ')}")
    if report.batches is not None and len(report.batches):
        lines.append("  invitations:")
        for row in report.batches.itertuples():
            batch = f"sent {row.batch}" if row.batch else "not invited yet"
            lines.append(f"    {batch}: {row.participants} participants, {row.reminded} reminded, "
                         f"{row.completed} completed ({row.rate:.0%})")
    return lines


def refresh_monitor(con: duckdb.DuckDBPyConnection, study: Study, wave: str, home: Path, as_of: date | None,
                    server: ServerSource | Callable[[], ServerSource] | None,
                    warn: Callable[[str], None]) -> tuple[list[FieldworkReport], list[Path]]:
    """The wave's monitor pages again, after a load (the ingest run's last step): nothing when the study plans
    no fieldwork for the wave. A server that fails now leaves the page without its part and says why (``warn``):
    the load before it stands."""
    plans = [p for p in study.fieldwork if p.wave == wave]
    if not plans:
        return [], []
    reports = fieldwork_reports(con, study, plans, as_of, server,
                                lambda exc: warn(f"fieldwork monitor without the server's counts: {exc}"))
    return reports, write_reports(home, study, reports)
