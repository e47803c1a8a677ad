"""Synthetic LimeSurvey response exports for any study, from its instruments alone.

``generate_study`` makes, for every survey of a study, the responses LimeSurvey would export (code
headings, short answers; ``instruments.limesurvey_export``) and ``write_study`` writes them where the study
reads them. Nothing here knows a study's words: every rule reads the compiled ``Instrument`` (question
types, answer scales and their ``missing:`` flags, min/max, mandatory, conditions, groups, languages).
``instruments/demo_study.py`` stays the bundled demo's own, study-specific generator.

The rules, per respondent:

* a latent tendency (normal, kept across waves by a panel member) drives every ordinal answer (numeric
  answer codes of an array or single choice), plus a tendency per question and noise, so that the items of
  one question correlate as a scale's items do (Cronbach's alpha well above 0.7); ``polarity: "-"`` items
  are reversed. Other single choices, yes/no and ticks follow proportions drawn once per question;
* a column is answered only if every condition of ``Instrument.conditions`` holds on the answers so far
  (they name earlier questions only); otherwise it is empty, as LimeSurvey exports it;
* a shown, non-mandatory item is sometimes skipped (empty); an answer of a scale with ``missing:`` codes is
  sometimes one of them (don't know, not applicable);
* a yes/no question that a group's condition depends on is a gate (consent): a few respondents give the
  other answer, and everything it gates stays empty;
* some respondents stop at a page: no ``submitdate``, ``lastpage`` below the number of groups, later pages
  empty;
* tokens: each respondent has one; in a later wave a share (``panel``) of an instrument's respondents are
  earlier waves' respondents with their token, so their pseudonyms link.

A study may say how its responses are made, per instrument, in study.yaml's ``synthetic:`` section
(``instruments.study.Synthetic``); an argument given to ``generate_study`` (the command's ``--seed``,
``--responses``, ``--panel``) overrides it, and without either the defaults hold (seed 16, 60 responses per
survey, half of a later wave returning):

* ``seed``; per instrument ``responses`` (per survey) and ``panel`` (the share above);
* ``days``: a survey's fieldwork period (default 120). A wave named by a year starts on 1 March of it; a
  wave named ``YYYY-MM`` (a meeting) on the first of that month;
* ``implies: {column: {code: {other column: code}}}``: when a single choice is answered with ``code``, the
  other columns take the codes given (an initiative fixes its model and neighbourhood) instead of a draw;
* a cohort, when ``retention`` is given (a panel followed from its first wave; ``panel`` does not apply):
  the first wave has ``responses`` persons; at every later wave each member stays with chance
  ``retention`` (who leaves never comes back), an active member misses the wave with chance ``skip`` (and
  may come back at a later one), and ``joiners`` new persons join. A member keeps their token (so their
  pseudonym), their language, their answers to single choices that are not scales (who they are: role,
  organisation) and their tendencies, overall and per question, so their scale answers correlate across
  waves; the overall tendency moves by ``drift`` per wave plus a normal step of their own (sd 0.2), so
  there are changes to measure. The membership draws come from one generator per instrument.

Deterministic: the same study, seed and settings give byte-identical files. Each survey draws from its own
generator, seeded by the seed, the study and the survey id. A study without ``synthetic:`` gets exactly the
files it got before the section existed.
"""

from __future__ import annotations

import random
import re
import shutil
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

from instruments.conditions import Condition
from instruments.limesurvey_export import META_COLUMNS, csv_bytes, json_bytes
from instruments.model import YES_NO, Answer, Column, Instrument, InstrumentError, Question
from instruments.study import STUDY_FILE, Study, Survey, SyntheticInstrument, load_study

DEFAULT_SEED = 16
DEFAULT_RESPONSES = 60
DEFAULT_PANEL = 0.5
EXPORT_SUFFIXES = (".csv", ".json")  # the formats written; another `export:` gets a CSV by convention

# Shares of respondents (exact counts, at least one in a file of 10 or more) ...
DECLINE_SHARE = 0.05
INCOMPLETE_SHARE = 0.10
# ... and chances per answer.
SKIP_CHANCE = 0.03
MISSING_CODE_CHANCE = 0.05  # an answer code flagged `missing:` (don't know, not applicable)
OTHER_TEXT_CHANCE = 0.06  # the free text of an "other" option
TEXT_CHANCE = {"S": 0.6, "T": 0.25}  # free-text questions are often left empty
FIELDWORK_DAYS = 120
DRIFT_STEP = 0.2  # sd of a cohort member's own change of tendency per wave

_TOKEN_CHARS = string.ascii_letters + string.digits
_YEAR = re.compile(r"^(19|20)\d\d")
_MONTH = re.compile(r"^((?:19|20)\d\d)-(0[1-9]|1[0-2])(?!\d)")
# Short neutral free text in each language of the questionnaires (instruments.vocabulary.LANGUAGES).
_SHORT_TEXT = {"nl": "Antwoord", "fr": "Réponse", "en": "Answer"}
_LONG_TEXT = {
    "nl": ("Geen opmerkingen.", "Alles was duidelijk.", "Dank voor de vragenlijst.", "Niets toe te voegen.",
           "Soms wel, soms niet."),
    "fr": ("Pas de remarques.", "Tout était clair.", "Merci pour le questionnaire.", "Rien à ajouter.",
           "Parfois oui, parfois non."),
    "en": ("No comments.", "Everything was clear.", "Thank you for the survey.", "Nothing to add.",
           "Sometimes yes, sometimes no."),
}


@dataclass(frozen=True)
class SurveyFile:
    """The synthetic export of one survey, and where it goes."""

    survey: Survey
    instrument: Instrument
    path: Path
    columns: tuple[str, ...]
    responses: tuple[dict[str, str], ...]
    named: bool  # the study's `export:` names this file; otherwise it is where `export` would conventionally be

    def data(self) -> bytes:
        writer = json_bytes if self.path.suffix.lower() == ".json" else csv_bytes
        return writer(list(self.columns), list(self.responses))


@dataclass(frozen=True)
class Written:
    file: SurveyFile
    written: bool  # False: the file was there already and was kept


def conventional_name(survey: Survey) -> str:
    return f"survey_{survey.survey_id}_{survey.wave}_{survey.instrument}.csv"


def export_path(study: Study, survey: Survey, out_dir: Path | None = None) -> tuple[Path, bool]:
    """Where the survey's synthetic export goes, and whether the study's ``export:`` names that file. The
    file is named as ``export:`` names it (a CSV or JSON), else ``survey_<id>_<wave>_<instrument>.csv``; it
    goes to ``out_dir``, else where ``export:`` points, else to the study's ``data/``."""
    named = survey.export is not None and survey.export.suffix.lower() in EXPORT_SUFFIXES
    if named:
        return (out_dir / survey.export.name if out_dir else survey.export), out_dir is None
    return (out_dir or study.path / "data") / conventional_name(survey), False


# --- per question: proportions drawn once, the same in every wave -------------------------------------------


def _ordinal(answers: Iterable[Answer]) -> list[str] | None:
    """The substantive answer codes in order, when they are numbers (a scale); None otherwise."""
    codes = [a.code for a in answers if not a.missing]
    if len(codes) < 3 or not all(c.lstrip("-").isdigit() for c in codes):
        return None
    return sorted(codes, key=int)


class _Parameters:
    """What a study's population is like, per column: drawn from the seed and the column's name only."""

    def __init__(self, seed: int, study_id: str, instrument: str):
        self.key = f"{seed}|{study_id}|{instrument}"
        self.cache: dict[str, object] = {}

    def _draw(self, kind: str, column: Column, make):
        name = f"{kind}|{column.name}"
        if name not in self.cache:
            self.cache[name] = make(random.Random(f"{self.key}|{name}"))
        return self.cache[name]

    def chance(self, column: Column, low: float, high: float) -> float:
        return self._draw("chance", column, lambda rng: rng.uniform(low, high))

    def weights(self, column: Column, codes: list[str]) -> list[float]:
        # Near-uniform: every category turns up in a sample of dozens (raking needs each margin category).
        return self._draw("weights", column, lambda rng: [rng.uniform(0.6, 1.4) for _ in codes])

    def shift(self, column: Column) -> float:
        # Items lean a little towards agreement, some more than others.
        return self._draw("shift", column, lambda rng: rng.gauss(0.3, 0.35))


# --- one respondent ------------------------------------------------------------------------------------------


@dataclass
class _Respondent:
    rng: random.Random
    language: str
    tendency: float
    started: datetime
    question_tendency: dict[str, float] = field(default_factory=dict)
    # A cohort member's answers to single choices that are not scales, kept across waves; None: not kept.
    kept: dict[str, str] | None = None

    def leaning(self, question: Question) -> float:
        if question.code not in self.question_tendency:
            self.question_tendency[question.code] = self.rng.gauss(0, 1)
        return self.question_tendency[question.code]


def _gates(instrument: Instrument) -> dict[str, tuple[str, str]]:
    """Yes/no columns that a group's condition depends on: column -> (the answer that opens the groups, the
    answer that closes them)."""
    opening: dict[str, set[str]] = {}

    def walk(condition: Condition) -> None:
        for part in condition.parts:
            walk(part)
        for name in condition.columns:
            opening.setdefault(name, set()).update(condition.values)

    for group in instrument.groups:
        if group.relevance is not None:
            walk(group.relevance)
    gates = {}
    for column in instrument.columns():
        if column.name in opening and column.question.type == "Y" and not column.subquestion:
            opens = [a.code for a in YES_NO if a.code in opening[column.name]]
            closes = [a.code for a in YES_NO if a.code not in opening[column.name]]
            if opens and closes:
                gates[column.name] = (opens[0], closes[0])
    return gates


def _text(rng: random.Random, language: str, long: bool) -> str:
    if long:
        return rng.choice(_LONG_TEXT.get(language, _LONG_TEXT["en"]))
    return f"{_SHORT_TEXT.get(language, _SHORT_TEXT['en'])} {rng.randint(1, 20)}"


def _number(rng: random.Random, question: Question) -> str:
    low = question.minimum if isinstance(question.minimum, (int, float)) else 0
    high = question.maximum if isinstance(question.maximum, (int, float)) else None
    if high is None or high < low:
        value = low + rng.expovariate(1 / 10)
    else:
        value = low + (high - low) * rng.betavariate(1.5, 4)  # most answers low in the range, as counts are
    whole = all(float(x).is_integer() for x in (low, high if high is not None else 0))
    if whole:
        return str(int(round(value)))
    return f"{value:.1f}"


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _date(rng: random.Random, question: Question, started: datetime) -> str:
    """A day in the year before the response (within min/max when the definition gives dates)."""
    high = min(filter(None, (_as_date(question.maximum), started.date())))
    low = _as_date(question.minimum) or high - timedelta(days=365)
    low = min(low, high)
    day = low + timedelta(days=rng.randint(0, (high - low).days))
    return day.strftime("%Y-%m-%d 00:00:00")


def _choice(rng: random.Random, parameters: _Parameters, respondent: _Respondent, column: Column) -> str:
    """An answer code of a single choice or an array item."""
    answers = column.question.answers
    scale = _ordinal(answers)
    keep = respondent.kept is not None and scale is None and column.question.type == "L"
    if keep and column.name in respondent.kept:
        return respondent.kept[column.name]
    missing = [a.code for a in answers if a.missing]
    if missing and rng.random() < MISSING_CODE_CHANCE:
        return rng.choice(missing)
    if scale is not None:
        steps = len(scale) - 1
        z = (parameters.shift(column) + 0.9 * respondent.tendency + 0.5 * respondent.leaning(column.question)
             + rng.gauss(0, 0.4))
        position = min(steps, max(0, round(steps / 2 + steps / 4 * z)))
        polarity = column.subquestion.polarity if column.subquestion else None
        return scale[steps - position if polarity == "-" else position]
    codes = [a.code for a in answers if not a.missing]
    code = rng.choices(codes, weights=parameters.weights(column, codes))[0]
    if keep:
        respondent.kept[column.name] = code
    return code


def _answer(rng: random.Random, parameters: _Parameters, respondent: _Respondent, column: Column,
            gates: dict[str, tuple[str, str]], declines: bool) -> str:
    question = column.question
    if column.name in gates:
        opens, closes = gates[column.name]
        return closes if declines else opens
    if column.is_other:
        return _text(rng, respondent.language, long=False) if rng.random() < OTHER_TEXT_CHANCE else ""
    if question.type == "M":
        return "Y" if rng.random() < parameters.chance(column, 0.2, 0.7) else ""
    if question.type in TEXT_CHANCE:
        if not question.mandatory and rng.random() >= TEXT_CHANCE[question.type]:
            return ""
        return _text(rng, respondent.language, long=question.type == "T")
    if not question.mandatory and rng.random() < SKIP_CHANCE:
        return ""
    if question.type == "Y":
        return "Y" if rng.random() < parameters.chance(column, 0.3, 0.85) else "N"
    if question.type == "N":
        return _number(rng, question)
    if question.type == "D":
        return _date(rng, question, respondent.started)
    if question.type in ("L", "F"):
        # LimeSurvey's "other" of a single choice ("-oth-") is left out: the clean stage knows only the codes.
        return _choice(rng, parameters, respondent, column)
    raise InstrumentError(f"{column.name}: no synthetic answers for question type {question.type!r}")


def _shown(instrument: Instrument, column: Column, response: dict[str, str]) -> bool:
    return all(c.holds(response) for c in instrument.conditions(column))


def implied_answers(study: Study, instrument: Instrument, settings: SyntheticInstrument) -> dict[str, tuple[str, dict]]:
    """``implies`` turned round: column -> (the earlier column that fixes it, its code -> this column's code);
    a column, order or code the questionnaire lacks is refused."""
    columns = {c.name: i for i, c in enumerate(instrument.columns())}
    out: dict[str, tuple[str, dict]] = {}
    where = f"{study.file}:{settings.line}: synthetic instrument {instrument.name}: implies"
    for source, codes in settings.implies.items():
        if source not in columns:
            raise InstrumentError(f"{where}: {source!r} is not a column of {instrument.name} (wave {instrument.wave})")
        for code, fixed in codes.items():
            for target, value in fixed.items():
                if target not in columns or columns[target] <= columns[source]:
                    raise InstrumentError(f"{where}: {target!r} is not a column of {instrument.name} after {source!r}")
                answers = {a.code for a in instrument.columns()[columns[target]].question.answer_options()}
                if value not in answers:
                    raise InstrumentError(f"{where}: {value!r} is not an answer of {target!r}")
                out.setdefault(target, (source, {}))[1][code] = value
    return out


def _respond(instrument: Instrument, parameters: _Parameters, respondent: _Respondent,
             gates: dict[str, tuple[str, str]], declines: bool,
             implied: dict[str, tuple[str, dict]] | None = None) -> dict[str, str]:
    """Every column in export order (conditions only name earlier questions)."""
    rng = respondent.rng
    response: dict[str, str] = {}
    for column in instrument.columns():
        source, codes = (implied or {}).get(column.name, ("", {}))
        if not _shown(instrument, column, response):
            response[column.name] = ""
        elif response.get(source) in codes:
            response[column.name] = codes[response[source]]
        else:
            response[column.name] = _answer(rng, parameters, respondent, column, gates, declines)
    for question in instrument.questions:  # a mandatory multiple choice has at least one tick
        columns = [c for c in instrument.columns() if c.question is question and not c.is_other]
        if question.type == "M" and question.mandatory and not any(response[c.name] for c in columns):
            visible = [c for c in columns if _shown(instrument, c, response)]
            if visible:
                response[rng.choice(visible).name] = "Y"
    return response


def _token(rng: random.Random, taken: set[str]) -> str:
    while True:
        token = "".join(rng.choice(_TOKEN_CHARS) for _ in range(15))
        if token not in taken:
            taken.add(token)
            return token


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _fieldwork_start(study: Study, wave: str) -> datetime:
    """A wave named by a year starts in that year's spring, one named by a month (a meeting) on its first day;
    other waves a year apart from 2024."""
    month = _MONTH.match(wave)
    if month:
        return datetime(int(month.group(1)), int(month.group(2)), 1, 9, 0)
    match = _YEAR.match(wave)
    year = int(match.group(0)) if match else 2024 + study.waves.index(wave)
    return datetime(year, 3, 1, 9, 0)


@dataclass
class _Panel:
    """An instrument's respondents so far: their tokens per wave and their tendencies."""

    tokens: dict[str, list[str]] = field(default_factory=dict)  # wave -> tokens
    tendency: dict[str, float] = field(default_factory=dict)  # token -> latent tendency

    def earlier(self, wave: str, waves: list[str]) -> list[str]:
        out: dict[str, None] = {}
        for w in waves[: waves.index(wave)]:
            out.update(dict.fromkeys(self.tokens.get(w, [])))
        return list(out)


@dataclass
class _Person:
    """A cohort member, the same person in every wave they answer."""

    token: str
    tendency: float
    rng: random.Random  # their own draws: their change of tendency per wave
    language: str | None = None
    leanings: dict[str, float] = field(default_factory=dict)  # per question, as _Respondent.question_tendency
    kept: dict[str, str] = field(default_factory=dict)
    active: bool = True  # False once they have left: they never come back


@dataclass
class _Cohort:
    """An instrument followed as a cohort (``retention``): who answers each wave."""

    rng: random.Random
    settings: SyntheticInstrument
    first: int  # persons in the first wave
    taken: set[str] = field(default_factory=set)
    members: list[_Person] = field(default_factory=list)
    waves: int = 0

    def _join(self, count: int) -> list[_Person]:
        new = [_Person(_token(self.rng, self.taken), self.rng.gauss(0, 1), random.Random(self.rng.getrandbits(64)))
               for _ in range(count)]
        self.members += new
        return new

    def next_wave(self) -> list[_Person]:
        """The persons who answer the next wave, in the order they joined."""
        self.waves += 1
        if self.waves == 1:
            return self._join(self.first)
        settings = self.settings
        present = []
        for person in self.members:
            if not person.active:
                continue
            if self.rng.random() >= settings.retention:
                person.active = False
                continue
            person.tendency += settings.drift + person.rng.gauss(0, DRIFT_STEP)
            if self.rng.random() >= settings.skip:
                present.append(person)
        return present + self._join(settings.joiners)


def _survey_responses(study: Study, survey: Survey, instrument: Instrument, count: int, seed: int,
                      panel_share: float, panel: _Panel, settings: SyntheticInstrument = SyntheticInstrument(),
                      people: list[_Person] | None = None) -> list[dict[str, str]]:
    """The survey's responses: ``count`` respondents, a ``panel_share`` of them from earlier waves; or, for a
    cohort, the ``people`` who answer this wave."""
    if people is not None:
        count = len(people)
    rng = random.Random(f"{seed}|{study.study_id}|survey|{survey.survey_id}")
    parameters = _Parameters(seed, study.study_id, instrument.name)
    gates = _gates(instrument)
    implied = implied_answers(study, instrument, settings) if settings.implies else None
    days = settings.days or FIELDWORK_DAYS
    n_groups = len(instrument.groups)

    def share(fraction: float) -> int:
        return max(1, round(fraction * count)) if count >= 10 else round(fraction * count)

    order = rng.sample(range(count), count)
    declined = set(order[: share(DECLINE_SHARE)]) if gates else set()
    incomplete = set(order[len(declined): len(declined) + share(INCOMPLETE_SHARE)])
    if people is None:
        pool = panel.earlier(survey.wave, study.waves)
        returning = rng.sample(pool, min(len(pool), round(panel_share * count)))
        returning_at = dict(zip(rng.sample(range(count), len(returning)), returning, strict=True))
        taken = set(pool) | {t for tokens in panel.tokens.values() for t in tokens}
    else:  # a cohort's members answer in an order of their own each wave
        people = rng.sample(people, count)
    start = _fieldwork_start(study, survey.wave)
    languages = list(instrument.languages)
    language_weights = [2.0 if lang == instrument.base_language else 1.0 for lang in languages]
    out = []
    for index in range(count):
        person = people[index] if people is not None else None
        if person is None:
            token = returning_at.get(index) or _token(rng, taken)
            tendency = panel.tendency.setdefault(token, rng.gauss(0, 1))
        else:
            token, tendency = person.token, person.tendency
        started = start + timedelta(days=rng.randrange(days), minutes=rng.randrange(0, 10 * 60))
        respondent_rng = random.Random(rng.getrandbits(64))
        language = rng.choices(languages, language_weights)[0]
        if person is not None:
            if person.language not in languages:
                person.language = language
            respondent = _Respondent(respondent_rng, person.language, tendency, started, person.leanings, person.kept)
        else:
            respondent = _Respondent(respondent_rng, language, tendency, started)
        response = _respond(instrument, parameters, respondent, gates, index in declined, implied)
        if index in incomplete:
            lastpage = rng.randrange(0, n_groups)
            for column in instrument.columns():  # pages never submitted are empty
                if column.question.group > lastpage:
                    response[column.name] = ""
        else:  # the last page shown: pages whose conditions fail are skipped
            lastpage = max((g.position for g in instrument.groups
                            if g.relevance is None or g.relevance.holds(response)), default=n_groups)
        ended = started + timedelta(seconds=rng.randrange(120, 240) * max(1, lastpage))
        meta = {"id": str(index + 1), "submitdate": "" if index in incomplete else _stamp(ended),
                "lastpage": str(lastpage), "startlanguage": respondent.language, "seed": "", "token": token,
                "startdate": _stamp(started), "datestamp": _stamp(ended)}
        out.append(meta | response)
        panel.tokens.setdefault(survey.wave, []).append(token)
    return out


def generate_study(study: Study, out_dir: Path | None = None, *, seed: int | None = None,
                   responses: int | None = None, panel: float | None = None) -> list[SurveyFile]:
    """The synthetic export of every survey of the study (in the study's order), not yet written.
    ``responses`` per survey; ``panel``: the share of a later wave's respondents of an instrument who took
    part in an earlier wave (same token). Each left out (None) is the study's ``synthetic:`` setting, else
    the default; a ``panel`` given makes every instrument share-based (no cohort)."""
    if responses is not None and responses < 1:
        raise ValueError(f"responses must be at least 1, not {responses}")
    if panel is not None and not 0 <= panel <= 1:
        raise ValueError(f"panel must be a share between 0 and 1, not {panel}")
    if seed is None:
        seed = DEFAULT_SEED if study.synthetic.seed is None else study.synthetic.seed
    panels: dict[str, _Panel] = {}
    cohorts: dict[str, _Cohort] = {}
    made: dict[int, SurveyFile] = {}
    surveys = sorted(study.surveys, key=lambda s: (study.waves.index(s.wave), s.survey_id))
    # Earlier waves first: a panel's returning respondents come from them.
    for survey in surveys:
        instrument = study.instrument(survey.instrument, survey.wave)
        settings = study.synthetic.instruments.get(survey.instrument, SyntheticInstrument())
        count = responses or settings.responses or DEFAULT_RESPONSES
        share = panel if panel is not None else DEFAULT_PANEL if settings.panel is None else settings.panel
        people = None
        if settings.cohort and panel is None:
            if sum(s.instrument == survey.instrument and s.wave == survey.wave for s in surveys) > 1:
                raise InstrumentError(f"{study.file}: synthetic instrument {survey.instrument}: a cohort answers one "
                                      f"survey per wave, and wave {survey.wave} has more")
            if survey.instrument not in cohorts:
                cohorts[survey.instrument] = _Cohort(
                    random.Random(f"{seed}|{study.study_id}|cohort|{survey.instrument}"), settings, count)
            people = cohorts[survey.instrument].next_wave()
        rows = _survey_responses(study, survey, instrument, count, seed, share,
                                 panels.setdefault(survey.instrument, _Panel()), settings, people)
        path, named = export_path(study, survey, out_dir)
        columns = (*META_COLUMNS, *(c.name for c in instrument.columns()))
        made[survey.survey_id] = SurveyFile(survey, instrument, path, columns, tuple(rows), named)
    paths = [f.path for f in made.values()]
    if len(set(paths)) != len(paths):
        raise InstrumentError(f"{study.file}: two surveys would be written to the same file; give each its own export")
    return [made[s.survey_id] for s in study.surveys]


def write_study(study: Study, out_dir: Path | None = None, *, seed: int | None = None,
                responses: int | None = None, panel: float | None = None,
                overwrite: bool = False) -> list[Written]:
    """Generate every survey's export and write the files; a file already there is kept unless
    ``overwrite`` (the bundled demo's files, or real exports, are never replaced by accident)."""
    done = []
    for file in generate_study(study, out_dir, seed=seed, responses=responses, panel=panel):
        if file.path.exists() and not overwrite:
            done.append(Written(file, False))
            continue
        file.path.parent.mkdir(parents=True, exist_ok=True)
        file.path.write_bytes(file.data())
        done.append(Written(file, True))
    return done


# --- `toegang demo --study S` --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPreparation:
    written: list[Written]
    # The folder of studies to run from: None when the study reads every survey from its export files;
    # otherwise a copy of the study whose surveys read the generated files.
    studies_dir: Path | None


def reads_export_files(study: Study) -> bool:
    """Every survey of the study reads the CSV or JSON export file it names (the files ``write_study`` writes)."""
    return all(s.source == "file" and export_path(study, s)[1] for s in study.surveys)


def prepare_demo(study_id: str, staging: Path, studies: Path | None = None, *, seed: int | None = None,
                 responses: int | None = None, panel: float | None = None) -> DemoPreparation:
    """Generate the study's missing export files; when a survey does not read its export file (a
    LimeSurvey or inbox survey, or an export in another format), copy the study folder into ``staging``
    with every survey reading its generated file, and run from that copy (the study's folder is left as
    it is)."""
    study = load_study(study_id, studies)
    written = write_study(study, seed=seed, responses=responses, panel=panel)
    if reads_export_files(study):
        return DemoPreparation(written, None)
    copy = staging / study.study_id
    shutil.copytree(study.path, copy)
    doc = yaml.safe_load(study.file.read_text(encoding="utf-8"))
    files = {w.file.survey.survey_id: w.file.path.resolve() for w in written}
    for entry in doc["surveys"]:
        entry["export"] = str(files[int(entry["survey_id"])])
        entry["source"] = "file"
    (copy / STUDY_FILE).write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    load_study(study.study_id, staging)  # the copy reads as the study does
    return DemoPreparation(written, staging)


def describe(written: Written, study: Study) -> str:
    """One line for the command's output: the file, and what to do when the study does not read it."""
    file = written.file
    survey = file.survey
    try:
        shown = file.path.relative_to(study.path)
    except ValueError:
        shown = file.path
    line = (f"{file.path}  survey {survey.survey_id} ({survey.instrument}, wave {survey.wave}): "
            f"{len(file.responses)} responses" if written.written
            else f"{file.path}  survey {survey.survey_id}: kept (the file exists)")
    if not file.named and file.path.parent == study.path / "data":
        line += f"\n    survey {survey.survey_id} names no CSV or JSON export; add `export: {shown}` to its entry in " \
                f"{STUDY_FILE} to ingest this file"
    elif file.named and survey.source != "file":
        line += f"\n    survey {survey.survey_id} is read from {survey.source}, not from this file " \
                "(source: file reads it)"
    return line
