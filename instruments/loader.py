"""Read the YAML definitions and the service catalogue into an ``Instrument``, collecting every problem.

``check_instruments`` reports all problems of all definitions in one pass (file, item, what is wrong);
``load_instrument`` raises them together as one ``InstrumentError``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from instruments.conditions import Condition, parse_condition
from instruments.model import (
    ANSWER_CODE_PATTERN,
    CODE_PATTERN,
    DIMENSIONS_B,
    DIMENSIONS_LEVESQUE,
    LANGUAGES,
    NAME_PATTERN,
    QUESTION_TYPES,
    RESERVED_CODES,
    RESERVED_SUBQUESTION_CODES,
    Answer,
    Group,
    Instrument,
    InstrumentError,
    Question,
    Subquestion,
    export_columns,
)

DEFINITIONS = Path(__file__).parent / "definitions"
CATALOGUES = Path(__file__).parent / "catalogues"
INSTRUMENTS = ("parent", "field_actor")


@dataclass(frozen=True)
class Problem:
    file: str
    item: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.item}: {self.message}" if self.item else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class Service:
    code: str
    labels: dict[str, str]
    type: str
    neighbourhoods: tuple[str, ...]
    waves: tuple[str, ...]


@dataclass(frozen=True)
class ServiceCatalogue:
    name: str
    services: tuple[Service, ...]
    source: str

    def in_wave(self, wave: str | None) -> tuple[Service, ...]:
        return tuple(s for s in self.services if wave is None or wave in s.waves)

    @property
    def waves(self) -> list[str]:
        return sorted({w for s in self.services for w in s.waves})


def read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InstrumentError(f"{path}: cannot read: {exc}") from exc


def multilingual(raw: object, where: str, problems: list[Problem] | None = None, file: str = "") -> dict[str, str]:
    """Texts in nl, fr and en; a missing or empty one is a problem (raised when ``problems`` is None)."""
    raw = raw if isinstance(raw, dict) else {}
    missing = [lang for lang in LANGUAGES if not str(raw.get(lang) or "").strip()]
    if missing:
        message = f"no text in {', '.join(missing)}"
        if problems is None:
            raise InstrumentError(f"{where}: {message}")
        problems.append(Problem(file, where, message))
    return {lang: str(raw.get(lang) or "") for lang in LANGUAGES}


def load_service_catalogue(path: Path) -> ServiceCatalogue:
    problems: list[Problem] = []
    catalogue = _service_catalogue(path, problems)
    if problems:
        raise InstrumentError("\n".join(str(p) for p in problems))
    return catalogue


def _service_catalogue(path: Path, problems: list[Problem]) -> ServiceCatalogue:
    doc = read_yaml(path)
    file = str(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("services"), list):
        problems.append(Problem(file, "", "expected 'catalogue' and a list of 'services'"))
        return ServiceCatalogue(path.stem, (), file)
    services = []
    seen: set[str] = set()
    for raw in doc["services"]:
        code = str(raw.get("code", "")) if isinstance(raw, dict) else ""
        item = f"service {code or '?'}"
        if not CODE_PATTERN.match(code):
            problems.append(Problem(file, item, f"code {code!r} is not a valid LimeSurvey code"))
        if code in seen:
            problems.append(Problem(file, item, "duplicate service code"))
        seen.add(code)
        raw = raw if isinstance(raw, dict) else {}
        waves = _names(raw.get("waves"), file, item, "waves", problems)
        if not waves:
            problems.append(Problem(file, item, "no waves: say in which waves the service exists"))
        services.append(Service(code, multilingual(raw, item, problems, file), str(raw.get("type", "")),
                                _names(raw.get("neighbourhoods"), file, item, "neighbourhoods", problems), waves))
    return ServiceCatalogue(str(doc.get("catalogue", path.stem)), tuple(services), file)


def _names(raw: object, file: str, item: str, key: str, problems: list[Problem]) -> tuple[str, ...]:
    """A list of plain names (waves, neighbourhoods); anything else is a problem, not a crash."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, (str, int)) and not isinstance(x, bool) for x in raw):
        problems.append(Problem(file, item, f"{key} must be a list of names"))
        return ()
    return tuple(str(x) for x in raw)


class _Builder:
    """Builds one instrument for one wave, appending problems instead of stopping at the first."""

    def __init__(self, path: Path, scales: dict, catalogue: ServiceCatalogue | None, wave: str | None,
                 problems: list[Problem]):
        self.path, self.file = path, str(path)
        self.scales, self.catalogue, self.wave = scales, catalogue, wave
        self.problems = problems
        self.questions: list[Question] = []

    def problem(self, item: str, message: str) -> None:
        self.problems.append(Problem(self.file, item, message))

    def services(self, item: str):
        if self.catalogue is None:
            self.problem(item, "refers to the service catalogue, but no study catalogue was given")
            return ()
        return self.catalogue.in_wave(self.wave)

    def code(self, code: object, item: str, pattern=CODE_PATTERN, rule="a letter, then letters and digits, "
             "20 characters at most") -> str:
        if not isinstance(code, str) or not pattern.match(code):
            self.problem(item, f"code {code!r} is not a valid LimeSurvey code ({rule})")
            return str(code)
        return code

    # -- conditions -------------------------------------------------------------------------------
    def condition(self, raw: object, item: str, fill: dict[str, str]) -> Condition | None:
        if raw is None:
            return None
        known = {c.name: c for c in export_columns(tuple(self.questions))}

        def resolve(text: str, _: str) -> str:
            for key, value in fill.items():
                text = text.replace("{" + key + "}", value)
            return text

        def sub_columns(question: str) -> list[str]:
            return [name for name, c in known.items() if c.question.code == question and c.subquestion]

        condition = parse_condition(raw, resolve, sub_columns, lambda m: self.problem(item, m))
        if condition is None:
            return None
        for column in sorted(condition.referenced()):
            if column not in known:
                self.problem(item, f"condition refers to {column!r}, which is not an earlier question")
        self._check_values(condition, known, item)
        return condition

    def _check_values(self, condition: Condition, known: dict, item: str) -> None:
        for part in condition.parts:
            self._check_values(part, known, item)
        for column in condition.columns:
            if column not in known:
                continue
            allowed = {a.code for a in known[column].question.answer_options()}
            for value in condition.values:
                if value not in allowed:
                    self.problem(item, f"condition on {column!r}: {value!r} is not one of its answers "
                                       f"({', '.join(sorted(allowed)) or 'none'})")

    # -- answers and subquestions -----------------------------------------------------------------
    def answers(self, spec: object, item: str) -> tuple[Answer, ...]:
        if spec is None:
            return ()
        if isinstance(spec, str):
            if spec not in self.scales:
                self.problem(item, f"unknown answer scale {spec!r}")
                return ()
            spec = self.scales[spec]
        out, seen = [], set()
        for raw in spec if isinstance(spec, list) else []:
            raw = raw if isinstance(raw, dict) else {}
            code = self.code(raw.get("code"), f"{item} answer {raw.get('code')}", ANSWER_CODE_PATTERN,
                             "letters and digits, 5 characters at most")
            if code in seen:
                self.problem(item, f"duplicate answer code {code!r}")
            seen.add(code)
            out.append(Answer(code, multilingual(raw, f"{item} answer {code}", self.problems, self.file),
                              raw.get("missing")))
        return tuple(out)

    def subquestions(self, spec: object, item: str, fill: dict[str, str]) -> tuple[Subquestion, ...]:
        if spec is None:
            return ()
        template_relevance = None
        if isinstance(spec, dict) and spec.get("from") == "services":
            template_relevance = spec.get("relevance")
            spec = [{"code": s.code, **s.labels, "service": s.code} for s in self.services(item)]
        elif isinstance(spec, dict) and "same_as" in spec:
            template_relevance = spec.get("relevance")
            source = next((q for q in self.questions if q.code == spec["same_as"]), None)
            if source is None:
                self.problem(item, f"subquestions same_as {spec['same_as']!r}: no such earlier question")
                return ()
            spec = [{"code": s.code, **s.labels, "theme": s.theme, "service": s.service}
                    for s in source.subquestions]
        if not isinstance(spec, list):
            self.problem(item, "subquestions must be a list, {from: services} or {same_as: <question>}")
            return ()
        out, seen = [], set()
        for raw in spec:
            raw = raw if isinstance(raw, dict) else {}
            sub_item = f"{item} subquestion {raw.get('code')}"
            code = self.code(raw.get("code"), sub_item)
            if code.lower() in seen:
                self.problem(item, f"duplicate subquestion code {code!r} (LimeSurvey ignores case)")
            if code.lower() in RESERVED_SUBQUESTION_CODES:
                self.problem(sub_item, f"{code!r} is reserved in LimeSurvey")
            seen.add(code.lower())
            if raw.get("dim_b") is not None and raw["dim_b"] not in DIMENSIONS_B:
                self.problem(sub_item, f"unknown dimension {raw['dim_b']!r} (one of {', '.join(DIMENSIONS_B)})")
            if raw.get("dim_levesque") is not None and raw["dim_levesque"] not in DIMENSIONS_LEVESQUE:
                self.problem(sub_item, f"unknown Levesque dimension {raw['dim_levesque']!r} "
                                       f"(one of {', '.join(DIMENSIONS_LEVESQUE)})")
            if raw.get("polarity") not in (None, "+", "-"):
                self.problem(sub_item, f"polarity must be '+' or '-', not {raw['polarity']!r}")
            sub_fill = {**fill, "code": code}
            relevance = raw.get("relevance", template_relevance)
            mirror = raw.get("mirror")
            if isinstance(mirror, str):
                for key, value in sub_fill.items():
                    mirror = mirror.replace("{" + key + "}", value)
            out.append(Subquestion(
                code=code,
                labels=multilingual(raw, sub_item, self.problems, self.file),
                dim_b=raw.get("dim_b"), dim_levesque=raw.get("dim_levesque"), polarity=raw.get("polarity"),
                mirror=mirror, theme=raw.get("theme"), service=raw.get("service"),
                relevance=self.condition(relevance, sub_item, sub_fill),
            ))
        return tuple(out)

    # -- questions ----------------------------------------------------------------------------------
    def question(self, raw: dict, group: int) -> None:
        template = str(raw.get("code"))
        if raw.get("per_service"):
            for service in self.services(f"question {template!r}"):
                self._one_question(raw, group, template.replace("{service}", service.code), service)
        else:
            self._one_question(raw, group, template, None)

    def _one_question(self, raw: dict, group: int, code: str, service) -> None:
        item = f"question {code!r}"
        code = self.code(code, item)
        if any(q.code.lower() == code.lower() for q in self.questions):
            self.problem(item, "duplicate question code (LimeSurvey ignores case)")
        if code.lower() in RESERVED_CODES:
            self.problem(item, f"{code!r} is reserved in LimeSurvey")
        qtype = raw.get("type")
        if not isinstance(qtype, str) or qtype not in QUESTION_TYPES:
            self.problem(item, f"unknown question type {qtype!r} (one of {', '.join(QUESTION_TYPES)})")
        fill = {"service": service.code} if service else {}

        def texts(key: str) -> dict[str, str]:
            labels = multilingual(raw.get(key), item if key == "text" else f"{item} {key}", self.problems, self.file)
            if service:
                labels = {lang: t.replace("{service}", service.labels[lang]) for lang, t in labels.items()}
            return labels

        answers = self.answers(raw.get("answers"), item)
        if qtype in ("L", "F") and not answers:
            self.problem(item, f"a {QUESTION_TYPES.get(qtype)} question needs answers")
        subquestions = self.subquestions(raw.get("subquestions"), item, fill)
        if qtype in ("M", "F") and not subquestions:
            self.problem(item, f"a {QUESTION_TYPES.get(qtype)} question needs subquestions")
        relevance = self.condition(raw.get("relevance"), item, fill)
        self.questions.append(Question(
            code=code, type=str(qtype), text=texts("text"), group=group,
            help=texts("help") if raw.get("help") else None,
            answers=answers, subquestions=subquestions, other=bool(raw.get("other", False)),
            mandatory=bool(raw.get("mandatory", False)), relevance=relevance,
            service=service.code if service else None,
            minimum=raw.get("min"), maximum=raw.get("max"),
        ))


def _scales(definitions: Path) -> dict:
    scales = read_yaml(definitions / "scales.yaml") or {}
    if not isinstance(scales, dict):
        raise InstrumentError(f"{definitions / 'scales.yaml'}: expected a mapping of scale names to answers")
    return scales


def build_instrument(name: str, problems: list[Problem], *, catalogue: ServiceCatalogue | None = None,
                     wave: str | None = None, definitions: Path = DEFINITIONS) -> Instrument | None:
    """Build ``definitions/<name>.yaml`` for one wave, appending every problem found to ``problems``."""
    path = definitions / f"{name}.yaml"
    if not NAME_PATTERN.match(name):
        problems.append(Problem(str(definitions), "", f"instrument name {name[:80]!r} is not a definition's name"))
        return None
    if not path.is_file():
        problems.append(Problem(str(path), "", "no such instrument definition"))
        return None
    doc = read_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("groups"), list):
        problems.append(Problem(str(path), "", "expected a mapping with 'instrument' and a list of 'groups'"))
        return None
    builder = _Builder(path, _scales(definitions), catalogue, wave, problems)
    groups = []
    for position, raw_group in enumerate(doc["groups"], start=1):
        raw_group = raw_group if isinstance(raw_group, dict) else {}
        groups.append(Group(position, multilingual(raw_group.get("name"), f"group {position}", problems, str(path)),
                            builder.condition(raw_group.get("relevance"), f"group {position}", {})))
        raw_questions = raw_group.get("questions") or []
        if not isinstance(raw_questions, list):
            problems.append(Problem(str(path), f"group {position}", "'questions' must be a list"))
            raw_questions = []
        for raw_question in raw_questions:
            builder.question(raw_question if isinstance(raw_question, dict) else {}, position)
    questions = tuple(builder.questions)
    own_name = str(doc.get("instrument", name))
    if not NAME_PATTERN.match(own_name):  # it names the .lss files of the build
        problems.append(Problem(str(path), "instrument", f"name {own_name[:80]!r} must be letters, digits, '_' "
                                                         "or '-'"))
    languages = doc.get("languages", LANGUAGES)
    if not isinstance(languages, list | tuple) or not all(isinstance(x, str) and x in LANGUAGES for x in languages):
        problems.append(Problem(str(path), "languages", f"must be a list of {', '.join(LANGUAGES)}"))
        languages = LANGUAGES
    instrument = Instrument(
        name=own_name,
        title=multilingual(doc.get("title"), "title", problems, str(path)),
        base_language=str(doc.get("base_language", "nl")),
        languages=tuple(languages),
        groups=tuple(groups),
        questions=questions,
        version="",
        wave=wave,
        catalogue=catalogue.name if catalogue else None,
        mirror_instrument=doc.get("mirror_instrument"),
        source=str(path),
        _columns=export_columns(questions),
    )
    return _with_version(instrument)


def _with_version(instrument: Instrument) -> Instrument:
    """The version is a hash of the content (texts, codes, answers, conditions), not of the file's
    layout: a reworded item in any language gives a new version; a new comment does not."""
    content = {
        "name": instrument.name, "title": instrument.title, "languages": instrument.languages,
        "groups": [asdict(g) for g in instrument.groups],
        "questions": [asdict(q) for q in instrument.questions],
    }
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    return Instrument(**{**instrument.__dict__, "version": digest[:12]})


def load_instrument(name: str, *, catalogue: ServiceCatalogue | None = None, wave: str | None = None,
                    definitions: Path = DEFINITIONS) -> Instrument:
    problems: list[Problem] = []
    instrument = build_instrument(name, problems, catalogue=catalogue, wave=wave, definitions=definitions)
    if problems or instrument is None:
        raise InstrumentError("\n".join(str(p) for p in problems))
    return instrument


def check_instruments(catalogue_path: Path, *, names: Iterable[str] = INSTRUMENTS,
                      definitions: Path = DEFINITIONS) -> list[Problem]:
    """Every problem of every definition, for every wave of the catalogue, including mirror items
    that do not exist in the mirror instrument. Empty when all is well."""
    problems: list[Problem] = []
    catalogue = _service_catalogue(catalogue_path, problems)
    for wave in catalogue.waves or [None]:
        built = {n: build_instrument(n, problems, catalogue=catalogue, wave=wave, definitions=definitions)
                 for n in names}
        for instrument in built.values():
            if instrument is None:
                continue
            mirror = built.get(instrument.mirror_instrument or "")
            if instrument.mirror_instrument and mirror is None and instrument.mirror_instrument not in names:
                continue
            names_in_mirror = {c.name for c in mirror.columns()} if mirror else set()
            for column in instrument.columns():
                target = column.subquestion.mirror if column.subquestion else None
                if target and target not in names_in_mirror:
                    problems.append(Problem(instrument.source, f"question {column.question.code!r} subquestion "
                                            f"{column.subquestion.code}", f"mirror item {target!r} does not exist in "
                                            f"{instrument.mirror_instrument}"))
    unique: list[Problem] = []
    for p in problems:  # the same problem in several waves is reported once
        if p not in unique:
            unique.append(p)
    return unique
