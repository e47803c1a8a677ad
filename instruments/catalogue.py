"""The indicator catalogue of a study (``indicators.yaml``): every published measure, in a generic vocabulary
over the study's codebook items and the conditions of the questionnaires (DOMAIN.md section 3).

Kinds (``kind:``), each computed for every subject of the list it is ``per`` (and, with ``dimension``, for
every dimension of the study's framework that the subject's items have):

- ``share``: respondents whose answer to ``item`` is one of ``codes``, among those who answered it (a
  substantive answer: not a "don't know" or "not applicable" code) and meet ``universe``. With
  ``not_shown: "no"``, respondents the item was not shown to (its conditions are false on their answers)
  count as outside the codes. Per dimension (no ``item``): respondents with at least one item of the scale
  whose score (after reversal) is one of ``codes``, among those valid on the scale.
- ``mean``: the mean of a numeric or scale ``item`` (``reverse: true`` turns the scale round).
- ``scale_index``: per dimension, the 0-100 score s = 100 (mean - low) / (high - low) of the subject's items
  on that dimension (negative items reversed), among respondents valid on it (at least 2k/3 of its k items);
  published only with Cronbach's alpha >= publication.yaml's min_alpha (a weighted instrument) or from
  min_group_for_index respondents (an unweighted one).
- ``count``: how many respondents' scale score (or item value) is at least ``at_least`` ("12 of 18"); never
  weighted.
- ``difference``: ``of: [a, b]``, measure a minus measure b for the same subject, from two instruments
  (the perception gap), SE = sqrt(SE_a^2 + SE_b^2).

Every measure has four texts, each in nl, fr and en (a missing or empty language is a problem with the file and
line, as for every text of a study): ``label`` (short, a chart's title), ``description`` (a sentence), and
``numerator`` and ``denominator``, who is counted and among whom, in the reader's words, the denominator stating
the universe ("parents with a need on {subject} who answered the support question"). The public explorer shows
them, so a plain string (one language) is refused rather than kept for analysts: a study is configuration, and
its pages need every language.

``{subject}`` in ``item`` and ``universe`` is the subject's code; in the four texts the subject's name, and
``{dimension}`` the dimension's name, in the same language. A text names no other placeholder, ``{subject}`` only
when the measure is ``per`` a subject list and ``{dimension}`` only when it is per dimension.

``links:`` (optional) lists the arithmetic links between measures, each holding cell by cell (same subject,
dimension, breakdown and category), so that a hidden cell is not computed back through them
(``analyses.disclosure``):

- ``ratio: r``, ``numerator: a``, ``denominator: b``: r = a / b (a rate among a subgroup is the overall rate
  over the subgroup's share, when the three share one base);
- ``whole: w``, ``parts: [p, q, ...]``, ``complete: true|false``: the parts add up to the whole, a number
  (``1``: the answers of one item) or a measure; with ``complete: false`` (other answers exist) to at most
  the whole.

Linked measures are estimated ones (share, mean, scale_index) with the same ``per`` and instrument. A
breakdown's categories and its overall cell are linked without a declaration.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from instruments import yamlfile
from instruments.conditions import Condition, parse_condition
from instruments.loader import Problem, multilingual
from instruments.model import NAME_PATTERN, Column, Instrument, InstrumentError, Labels

KINDS = {"share": "proportion", "mean": "mean", "scale_index": "index", "count": "count",
         "difference": "difference"}
DIMENSION = "dimension"  # in ``per``: each dimension of the study's framework
NOT_SHOWN = ("no",)
_COMMON = {"kind", "per", "headline", "numerator", "denominator", "label", "description", "unit", "breakdowns"}
_LINK_KEYS = {"ratio": ("ratio", "numerator", "denominator"), "parts": ("whole", "parts", "complete")}
TEXTS = ("label", "description", "numerator", "denominator")  # each in nl, fr and en
LINKED = ("share", "mean", "scale_index")  # estimated cell by cell; counts and differences have their own rules
_KEYS = {
    "share": {"instrument", "item", "codes", "universe", "not_shown"},
    "mean": {"instrument", "item", "universe", "reverse"},
    "scale_index": {"instrument", "universe"},
    "count": {"instrument", "item", "universe", "at_least"},
    "difference": {"of"},
}


@dataclass(frozen=True)
class Measure:
    name: str
    kind: str
    per: tuple[str, ...]  # subject list names and/or "dimension"; empty: one indicator for the whole sample
    headline: bool
    numerator: Labels  # who is counted, {subject} and {dimension} templated as in the label
    denominator: Labels  # among whom: the universe
    label: Labels
    description: Labels
    instrument: str | None = None
    item: str | None = None  # an export column, ``{subject}`` templated: "kent[{subject}]"
    codes: tuple[str, ...] = ()
    universe: object = None  # a condition in the questionnaires' language, ``{subject}`` templated
    not_shown_as_no: bool = False
    reverse: bool = False
    at_least: float | None = None
    of: tuple[str, str] | None = None
    breakdowns: tuple[str, ...] | None = None  # None: every breakdown of its instrument
    line: int | None = None

    @property
    def unit(self) -> str:
        return KINDS[self.kind]

    @property
    def subject_list(self) -> str | None:
        return next((p for p in self.per if p != DIMENSION), None)

    @property
    def per_dimension(self) -> bool:
        return DIMENSION in self.per


@dataclass(frozen=True)
class Link:
    """An arithmetic link between measures, holding cell by cell: ``ratio`` = ``numerator`` / ``denominator``;
    or ``parts`` adding up to ``whole`` (a number or a measure's name), at most when not ``complete``."""

    ratio: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    whole: float | str | None = None
    parts: tuple[str, ...] = ()
    complete: bool = True
    line: int | None = None

    @property
    def kind(self) -> str:
        return "ratio" if self.ratio is not None else "parts"

    @property
    def measures(self) -> tuple[str, ...]:
        if self.kind == "ratio":
            return (self.ratio, self.numerator, self.denominator)
        return (*self.parts, *([self.whole] if isinstance(self.whole, str) else []))


@dataclass(frozen=True)
class Catalogue:
    measures: Mapping[str, Measure]
    source: str = ""
    links: tuple[Link, ...] = ()


def read_catalogue(path: Path, problems: list[Problem]) -> Catalogue:
    """The catalogue at ``path``; every problem of the file's own structure appended to ``problems`` (what it
    refers to is checked against the study by ``check_catalogue``)."""
    file = str(path)
    try:
        doc = yamlfile.read(path)
    except InstrumentError as exc:
        problems.append(Problem(file, "", str(exc).split(": ", 1)[-1]))
        return Catalogue({}, file)
    measures_doc = doc.get("measures") if isinstance(doc, dict) else None
    if not isinstance(measures_doc, dict) or not measures_doc:
        problems.append(Problem(file, "", "expected 'measures': a mapping of measure names to definitions",
                                yamlfile.line_of(doc)))
        return Catalogue({}, file)
    for key in ("dimensions", "breakdowns"):  # a second home for these names would drift
        if key in doc:
            problems.append(Problem(file, key, f"the {key}' names live in study.yaml and the dimension frameworks, "
                                               "not here", yamlfile.line_of(doc, key)))
    measures = {}
    for name, entry in measures_doc.items():
        item = f"measure {name}"
        line = yamlfile.line_of(measures_doc, name)

        def problem(message: str, key: object = None, at: object = None) -> None:
            problems.append(Problem(file, item, message, yamlfile.line_of(at if at is not None else entry, key)
                                    if key is not None or at is not None else line))

        if not isinstance(name, str) or not NAME_PATTERN.match(name) or "." in name:
            problems.append(Problem(file, item, "a measure's name is letters, digits, '_' or '-'", line))
            continue
        if not isinstance(entry, dict):
            problem("a measure is a mapping (kind, per, label, description, ...)")
            continue
        kind = entry.get("kind")
        if kind not in KINDS:
            problem(f"unknown kind {str(kind)[:40]!r} (one of {', '.join(KINDS)})", "kind")
            continue
        missing = [k for k in ("numerator", "denominator", "label", "description") if k not in entry]
        missing += [k for k in sorted(_KEYS[kind] & {"instrument", "codes", "of"}) if k not in entry]
        if kind == "share" and "item" not in entry and DIMENSION not in _per(entry.get("per")):
            missing.append("item (or per: [<list>, dimension])")
        if kind == "mean" and "item" not in entry:
            missing.append("item")
        if kind == "count" and "at_least" not in entry:
            missing.append("at_least")
        if missing:
            problem(f"missing {', '.join(missing)}")
            continue
        unknown = set(entry) - _COMMON - _KEYS[kind]
        if unknown:
            problem(f"{', '.join(sorted(map(str, unknown)))}: not a key of a {kind} measure "
                    f"(it takes {', '.join(sorted(_COMMON | _KEYS[kind]))})", sorted(map(str, unknown))[0])
        if "unit" in entry and entry["unit"] != KINDS[kind]:
            problem(f"unit of a {kind} is {KINDS[kind]}, not {str(entry['unit'])[:40]!r}", "unit")
        per = _per(entry.get("per"))
        if per is None:
            problem("per must be a subject list, [<list>, dimension], dimension, or absent", "per")
            continue
        if kind == "scale_index" and DIMENSION not in per:
            problem("a scale_index is per dimension: per: [<list>, dimension]", "per")
        codes = entry.get("codes", [])
        if not isinstance(codes, list) or not all(isinstance(c, (str, int)) and not isinstance(c, bool)
                                                  for c in codes):
            problem("codes must be a list of answer codes", "codes")
            codes = []
        not_shown = entry.get("not_shown")
        if not_shown is not None and not_shown not in NOT_SHOWN:
            problem(f"not_shown must be {NOT_SHOWN[0]!r} (count respondents not shown the item as outside the "
                    "codes)", "not_shown")
        of = entry.get("of")
        if kind == "difference" and (not isinstance(of, list) or len(of) != 2 or not all(isinstance(x, str)
                                                                                           for x in of)):
            problem("of must name two measures: [minuend, subtrahend]", "of")
            continue
        at_least = entry.get("at_least")
        if at_least is not None and (isinstance(at_least, bool) or not isinstance(at_least, (int, float))):
            problem("at_least must be a number", "at_least")
            at_least = None
        breakdowns = entry.get("breakdowns")
        if breakdowns is not None and (not isinstance(breakdowns, list) or not all(isinstance(b, str)
                                                                                    for b in breakdowns)):
            problem("breakdowns must be a list of the study's breakdown names", "breakdowns")
            breakdowns = None
        for key in ("headline", "reverse"):
            if key in entry and not isinstance(entry[key], bool):
                problem(f"{key} must be true or false", key)
        texts = {key: multilingual(entry[key], f"{item} {key}", problems, file, yamlfile.line_of(entry, key))
                 for key in TEXTS}
        for key in TEXTS:
            wrong = _placeholders(texts[key], per)
            if wrong:
                problem(f"{key}: {wrong}", key)
        measures[name] = Measure(
            name=name, kind=kind, per=per, headline=entry.get("headline") is True,
            numerator=texts["numerator"], denominator=texts["denominator"], label=texts["label"],
            description=texts["description"], instrument=entry.get("instrument"), item=entry.get("item"),
            codes=tuple(str(c) for c in codes), universe=entry.get("universe"),
            not_shown_as_no=not_shown == "no", reverse=entry.get("reverse") is True,
            at_least=float(at_least) if at_least is not None else None,
            of=tuple(of) if kind == "difference" else None,
            breakdowns=tuple(breakdowns) if breakdowns is not None else None, line=line)
    links = _links(doc["links"], measures, file, problems, yamlfile.line_of(doc, "links")) if "links" in doc else ()
    return Catalogue(measures, file, links)


def _links(raw: object, measures: Mapping[str, Measure], file: str, problems: list[Problem],
           line: int | None) -> tuple[Link, ...]:
    """The ``links:`` of the catalogue; what is wrong with each appended to ``problems``."""
    if not isinstance(raw, list):
        problems.append(Problem(file, "links", "expected a list of links (ratio: ... or whole: ...)", line))
        return ()
    links = []
    for index, entry in enumerate(raw):
        where = yamlfile.line_of(raw, index)
        found: list[str] = []

        def problem(message: str, key: object = None) -> None:
            found.append(message)
            problems.append(Problem(file, f"link {index + 1}", message,
                                    yamlfile.line_of(entry, key) if key is not None else where))

        if not isinstance(entry, dict) or ("ratio" in entry) == ("whole" in entry):
            problem("a link is a mapping with either ratio (numerator, denominator) or whole (parts, complete)")
            continue
        kind = "ratio" if "ratio" in entry else "parts"
        unknown = sorted(map(str, set(entry) - set(_LINK_KEYS[kind])))
        if unknown:
            problem(f"{', '.join(unknown)}: not a key of a {kind} link (it takes {', '.join(_LINK_KEYS[kind])})",
                    unknown[0])
        missing = [key for key in _LINK_KEYS[kind] if key != "complete" and key not in entry]
        if missing:
            problem(f"missing {', '.join(missing)}")
            continue
        whole, parts, complete = entry.get("whole"), entry.get("parts"), entry.get("complete", True)
        if kind == "parts":
            if isinstance(whole, bool) or not isinstance(whole, (int, float, str)) \
                    or isinstance(whole, float) and not math.isfinite(whole):
                problem("whole must be a number or a measure's name", "whole")
            if not isinstance(parts, list) or not parts or not all(isinstance(p, str) for p in parts) \
                    or len(parts) < (1 if isinstance(whole, str) else 2):
                problem("parts must list measures (two or more when the whole is a number)", "parts")
            if not isinstance(complete, bool):
                problem("complete must be true or false", "complete")
            references = [("parts", p) for p in (parts if isinstance(parts, list) else [])]
            references += [("whole", whole)] if isinstance(whole, str) else []
        else:
            references = [(key, entry[key]) for key in _LINK_KEYS["ratio"]]
        named = [name for _, name in references]
        for key, name in references:
            if not isinstance(name, str) or name not in measures:
                problem(f"{key}: unknown measure {str(name)[:40]!r}", key)
            elif measures[name].kind not in LINKED:
                problem(f"{key}: {name!r} is a {measures[name].kind}; links join measures estimated cell by cell "
                        f"({', '.join(LINKED)})", key)
        if len(set(map(str, named))) < len(named):
            problem("a measure appears twice in the link")
        if not found:
            links.append(Link(entry.get("ratio"), entry.get("numerator"), entry.get("denominator"),
                              float(whole) if isinstance(whole, (int, float)) else whole,
                              tuple(parts) if kind == "parts" else (), complete, where))
    return tuple(links)


def _placeholders(texts: Mapping[str, str], per: tuple[str, ...]) -> str:
    """What is wrong with the placeholders of a measure's texts ("" when nothing): only ``{subject}`` (per a
    subject list) and ``{dimension}`` (per dimension) are filled in."""
    allowed = {"subject"} if any(p != DIMENSION for p in per) else set()
    allowed |= {DIMENSION} if DIMENSION in per else set()
    for lang, text in texts.items():
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError:
            return f"unbalanced braces in the {lang} text (a placeholder is {{subject}} or {{dimension}})"
        wrong = sorted(names - allowed)
        if wrong:
            known = " or ".join(f"{{{a}}}" for a in sorted(allowed)) or "none: the measure is per nothing"
            return f"unknown placeholder {{{wrong[0]}}} in the {lang} text (this measure's: {known})"
    return ""


def _per(raw: object) -> tuple[str, ...] | None:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, list) and 1 <= len(raw) <= 2 and all(isinstance(x, str) for x in raw) \
            and sum(x != DIMENSION for x in raw) <= 1 and len(set(raw)) == len(raw):
        return tuple(raw)
    return None


# -- resolving a measure against a questionnaire ------------------------------------------------------------
@dataclass(frozen=True)
class Resolved:
    """A measure for one subject (and dimension) in one wave's questionnaire: the export columns it reads."""

    item: Column | None = None
    scale: tuple[Column, ...] = ()  # the subject's items on the dimension, in questionnaire order
    universe: Condition | None = None
    shown: tuple[Condition, ...] = ()  # the item's own conditions (for not_shown: no)


def fill(template: str, subject: str | None) -> str:
    return template.replace("{subject}", subject) if subject is not None else template


def scale_columns(instrument: Instrument, framework: str | None, subject: str | None,
                  dimension: str) -> tuple[Column, ...]:
    """The items of ``instrument`` about ``subject`` on ``dimension`` of ``framework``."""
    return tuple(c for c in instrument.columns() if c.subquestion is not None and framework
                 and c.subquestion.dimension(framework) == dimension and instrument.about(c) == subject)


def dimensions_of(instrument: Instrument, framework: str | None, subject: str | None) -> list[str]:
    """The framework's dimensions that ``subject``'s items in ``instrument`` have, in questionnaire order."""
    found: dict[str, None] = {}
    for c in instrument.columns():
        if c.subquestion is not None and framework and c.subquestion.dimension(framework) \
                and instrument.about(c) == subject:
            found[c.subquestion.dimension(framework)] = None
    return list(found)


def resolve(measure: Measure, instrument: Instrument, subject: str | None, dimension: str | None,
            framework: str | None, problem=None) -> Resolved | None:
    """The columns ``measure`` reads for one subject and dimension; None (with ``problem`` called) when the
    questionnaire lacks them."""
    report = problem or (lambda message: None)
    columns = {c.name: c for c in instrument.columns()}
    item = None
    if measure.item is not None:
        name = fill(measure.item, subject)
        item = columns.get(name)
        if item is None:
            report(f"item {name!r} is not a column of {instrument.name} (wave {instrument.wave})")
            return None
        if item.free_text:
            report(f"item {name!r} is free text: it is reviewed, never counted")
            return None
        if measure.codes and item.question.type not in ("N", "D"):
            allowed = {a.code for a in item.question.answer_options()} | ({""} if item.question.type == "M" else set())
            wrong = [c for c in measure.codes if c not in allowed]
            if wrong:
                report(f"codes {', '.join(wrong)} are not answers of {name!r} ({', '.join(sorted(allowed))})")
                return None
    scale: tuple[Column, ...] = ()
    if dimension is not None and measure.item is None:
        scale = scale_columns(instrument, framework, subject, dimension)
        if not scale:
            report(f"no items of {instrument.name} about {subject} on dimension {dimension}")
            return None
    universe = None
    if measure.universe is not None:
        known = tuple(columns)

        def resolve_name(text: str, _: str) -> str:
            return fill(text, subject)

        def sub_columns(question: str) -> list[str]:
            return [c.name for c in instrument.columns() if c.question.code == question and c.subquestion]

        messages: list[str] = []
        universe = parse_condition(measure.universe, resolve_name, sub_columns, messages.append)
        missing = sorted(universe.referenced() - set(known)) if universe is not None else []
        if missing:
            messages.append(f"universe refers to {', '.join(map(repr, missing))}, not columns of {instrument.name}")
        if messages:
            for message in messages:
                report(message)
            return None
    shown = tuple(instrument.conditions(item)) if item is not None and measure.not_shown_as_no else ()
    return Resolved(item, scale, universe, shown)


def check_catalogue(catalogue: Catalogue, study, instruments_by_wave: Mapping[str, Mapping[str, Instrument]]
                    ) -> list[Problem]:
    """What the catalogue refers to, against the study: instruments, subject lists, breakdowns, measures of a
    difference; and, in every wave, the items, codes and universes (a measure that matches nothing in any wave
    is refused too); the measures of each link are computed for the same subjects from the same instrument."""
    problems: list[Problem] = []
    file = catalogue.source
    measures = catalogue.measures
    framework = study.framework.name if study.framework else None
    for measure in measures.values():
        item = f"measure {measure.name}"

        def problem(message: str) -> None:
            problems.append(Problem(file, item, message, measure.line))

        if measure.kind != "difference" and measure.instrument not in study.instrument_names:
            problem(f"instrument {str(measure.instrument)[:40]!r} is not one of the study's "
                    f"({', '.join(study.instrument_names)})")
            continue
        if measure.subject_list is not None and measure.subject_list not in study.lists:
            problem(f"per: unknown subject list {measure.subject_list!r} (the study's: "
                    f"{', '.join(study.lists) or 'none'})")
            continue
        if measure.per_dimension and framework is None:
            problem("per dimension, but study.yaml names no dimension framework (dimensions: framework:)")
            continue
        for breakdown in measure.breakdowns or ():
            if breakdown not in study.breakdowns:
                problem(f"breakdowns: unknown breakdown {breakdown!r} (the study's: {', '.join(study.breakdowns)})")
        if measure.kind == "difference":
            for name in measure.of:
                other = measures.get(name)
                if other is None:
                    problem(f"of: unknown measure {name!r}")
                elif other.per != measure.per or other.kind not in ("share", "mean", "scale_index"):
                    problem(f"of: {name!r} must be a share, mean or scale_index with the same per")
            continue
        matched = 0
        for wave, built in instruments_by_wave.items():
            instrument = built.get(measure.instrument)
            if instrument is None:
                continue
            subjects = list(study.subjects(measure.subject_list, wave)) if measure.subject_list else [None]
            for subject in subjects:
                dimensions = dimensions_of(instrument, framework, subject) if measure.per_dimension else [None]
                for dimension in dimensions:
                    messages: list[str] = []
                    if resolve(measure, instrument, subject, dimension, framework, messages.append) is not None:
                        matched += 1
                    for message in messages:
                        p = Problem(file, item, message, measure.line)
                        if p not in problems:
                            problems.append(p)
        if not matched and not any(p.item == item for p in problems):
            problem("matches no item in any wave")
    for index, link in enumerate(catalogue.links):
        linked = [measures[name] for name in link.measures]
        if len({(m.per, m.instrument) for m in linked}) > 1:
            sides = "; ".join(f"{m.name}: {m.instrument}, per {', '.join(m.per) or 'nothing'}" for m in linked)
            problems.append(Problem(file, f"link {index + 1}", "the measures of a link must have the same per and "
                                    f"instrument: it holds cell by cell, in one subject and dimension ({sides})",
                                    link.line))
    return problems
