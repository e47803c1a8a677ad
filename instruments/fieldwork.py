"""Fieldwork plans: ``fieldwork:`` in study.yaml, per wave and instrument, the window and the completed
responses to reach, in all and per category of a breakdown (an area, the survey language, a recruitment
channel, or any single-choice column of the instrument).

    fieldwork:
      - wave: "2021"
        instrument: parent
        window: {start: 2021-02-01, end: 2021-05-31}
        targets:
          total: 150
          neighbourhood: {MOL1: 40, MOL2: 40}   # a breakdown's name, or a clean column
          language: {nl: 50, fr: 80}

``read_fieldwork`` refuses what cannot be read (with its line); ``check_fieldwork`` refuses, once the
questionnaires are built, a column the instrument does not have and a category that is not one of its answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from instruments import yamlfile
from instruments.loader import Problem
from instruments.model import Instrument
from instruments.vocabulary import SURVEY_LANGUAGE

TOTAL = "total"
LANGUAGE_EXPORT_COLUMN = "startlanguage"  # the export's meta column behind the clean SURVEY_LANGUAGE
CODED_TYPES = frozenset("L!5YG")  # single-choice question types: one coded answer per respondent


@dataclass(frozen=True)
class Target:
    """Completed responses to reach per category of ``by`` (a breakdown's name or a clean column)."""

    by: str
    column: str  # the clean column holding the categories
    counts: Mapping[str, int]
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class FieldworkPlan:
    wave: str
    instrument: str
    start: date
    end: date
    total: int | None = None
    targets: tuple[Target, ...] = ()
    line: int | None = field(default=None, compare=False)

    def active(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        """The window's length in days, both ends included."""
        return (self.end - self.start).days + 1


def _date(value: object) -> date | None:
    if isinstance(value, datetime):  # a window is whole days: a time of day is refused, not cut off
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def read_fieldwork(raw: object, problem: Callable[..., None], waves: Mapping[str, set[str]],
                   breakdowns: Mapping[str, str]) -> tuple[FieldworkPlan, ...]:
    """The plans of ``raw`` (study.yaml's ``fieldwork:``). ``problem(item, message, at, key)`` records a problem;
    ``waves``: instrument -> the waves it has surveys in; ``breakdowns``: breakdown name -> clean column."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problem("fieldwork", "expected a list of plans (wave, instrument, window, targets)", raw, None)
        return ()
    plans, seen = [], set()
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict):
            problem("fieldwork", f"plan {i + 1}: expected wave, instrument, window and targets", raw, i)
            continue
        wave, instrument = str(entry.get("wave", "")), str(entry.get("instrument", ""))
        item = f"fieldwork {instrument} {wave}"
        unknown = set(entry) - {"wave", "instrument", "window", "targets"}
        if unknown:
            problem(item, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}", entry, sorted(unknown)[0])
        if wave not in waves.get(instrument, set()):
            problem(item, f"no survey of instrument {instrument!r} in wave {wave!r}", entry,
                    "wave" if "wave" in entry else None)
            continue
        if (wave, instrument) in seen:
            problem(item, "a second plan for the same wave and instrument", raw, i)
            continue
        seen.add((wave, instrument))
        window = entry.get("window")
        start, end = (_date(window.get(k)) for k in ("start", "end")) if isinstance(window, dict) else (None, None)
        if start is None or end is None or end < start:
            problem(item, "window needs start and end dates (YYYY-MM-DD, no time), end not before start", entry,
                    "window" if "window" in entry else None)
            continue
        targets = entry.get("targets")
        if not isinstance(targets, dict) or not targets:
            problem(item, f"targets must map '{TOTAL}' or a breakdown to counts", entry,
                    "targets" if "targets" in entry else None)
            continue
        total, by_category = None, []
        for by, counts in targets.items():
            where = f"{item} targets {by}"
            if by == TOTAL:
                total = _count(counts)
                if total is None:
                    problem(where, f"must be a whole number above 0, not {str(counts)[:40]!r}", targets, by)
                continue
            if not isinstance(counts, dict) or not counts:
                problem(where, "must map categories (answer codes) to counts", targets, by)
                continue
            bad = [str(k) for k, v in counts.items() if _count(v) is None]
            if bad:
                problem(where, f"counts must be whole numbers above 0 ({', '.join(bad[:5])})", counts, bad[0])
                continue
            column = breakdowns.get(str(by), str(by))
            by_category.append(Target(str(by), column, {str(k): int(v) for k, v in counts.items()},
                                      yamlfile.line_of(targets, by)))
        plans.append(FieldworkPlan(wave, instrument, start, end, total, tuple(by_category), yamlfile.line_of(raw, i)))
    return tuple(plans)


def export_column(instrument: Instrument, column: str) -> tuple[str, tuple[str, ...]] | None:
    """The export column holding clean ``column``'s categories and its answer codes (the survey language: its
    languages); None when the instrument has no such single-choice column."""
    if column == SURVEY_LANGUAGE:
        return LANGUAGE_EXPORT_COLUMN, tuple(instrument.languages)
    for c in instrument.columns():
        if c.variable == column and not c.free_text and c.question.type in CODED_TYPES:
            codes = tuple(a.code for a in c.question.answers) or (("Y", "N") if c.question.type == "Y" else ())
            return c.name, codes
    return None


def check_fieldwork(plans: tuple[FieldworkPlan, ...], built: Mapping[str, Mapping[str, Instrument]],
                    file: str) -> list[Problem]:
    """A target's column must be a single-choice column of the plan's instrument in its wave, and each category
    one of its answer codes. ``built``: wave -> instrument name -> instrument."""
    problems = []
    for plan in plans:
        instrument = built.get(plan.wave, {}).get(plan.instrument)
        if instrument is None:
            continue
        for target in plan.targets:
            where = f"fieldwork {plan.instrument} {plan.wave} targets {target.by}"
            found = export_column(instrument, target.column)
            if found is None:
                problems.append(Problem(file, where, f"{plan.instrument} ({plan.wave}) has no single-choice column "
                                                     f"{target.column!r}: name a breakdown or such a column",
                                        target.line))
                continue
            unknown = [c for c in target.counts if c not in found[1]]
            if unknown:
                problems.append(Problem(file, where, f"{', '.join(unknown[:5])} not among the answers of "
                                                     f"{target.column} ({', '.join(found[1][:12])})", target.line))
    return problems
