"""Read a study's YAML definitions into an ``Instrument``, collecting every problem.

``build_instrument`` reports every problem of one definition for one wave (file, line, item, what is
wrong); ``load_instrument`` raises them together as one ``InstrumentError``. What a definition refers to
(answer scales, subject lists, dimension frameworks) comes in a ``Context`` built by ``instruments.study``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from instruments import yamlfile
from instruments.conditions import Condition, parse_condition
from instruments.dimensions import Framework
from instruments.model import (
    ANSWER_CODE_PATTERN,
    CODE_PATTERN,
    IDENTIFIES,
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
from instruments.subjects import SubjectList

SHARED = Path(__file__).parent / "shared"


@dataclass(frozen=True)
class Problem:
    file: str
    item: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.item}: {self.message}" if self.item else f"{where}: {self.message}"


@dataclass(frozen=True)
class Context:
    """What the definitions of a study may refer to."""

    scales: Mapping[str, object] = field(default_factory=dict)
    lists: Mapping[str, SubjectList] = field(default_factory=dict)
    frameworks: Mapping[str, Framework] = field(default_factory=dict)


def read_yaml(path: Path) -> object:
    return yamlfile.read(path)


def multilingual(raw: object, where: str, problems: list[Problem] | None = None, file: str = "",
                 line: int | None = None) -> dict[str, str]:
    """Texts in nl, fr and en; a missing or empty one is a problem (raised when ``problems`` is None)."""
    line = line or yamlfile.line_of(raw)
    raw = raw if isinstance(raw, dict) else {}
    missing = [lang for lang in LANGUAGES if not str(raw.get(lang) or "").strip()]
    if missing:
        message = f"no text in {', '.join(missing)}"
        if problems is None:
            raise InstrumentError(f"{where}: {message}")
        problems.append(Problem(file, where, message, line))
    return {lang: str(raw.get(lang) or "") for lang in LANGUAGES}


class _Builder:
    """Builds one instrument for one wave, appending problems instead of stopping at the first."""

    def __init__(self, path: Path, context: Context, wave: str | None, problems: list[Problem]):
        self.path, self.file = path, str(path)
        self.context, self.wave = context, wave
        self.problems = problems
        self.questions: list[Question] = []

    def problem(self, item: str, message: str, at: object = None, line: int | None = None) -> None:
        self.problems.append(Problem(self.file, item, message, line or yamlfile.line_of(at)))

    def subjects(self, name: object, item: str, at: object, key: str):
        """The subjects of list ``name`` (the value of ``at[key]``) in the wave."""
        line = yamlfile.line_of(at, key)
        subject_list = self.context.lists.get(name) if isinstance(name, str) else None
        if subject_list is None:
            known = ", ".join(self.context.lists) or "none: the study has no subjects.yaml"
            self.problem(item, f"unknown subject list {str(name)[:80]!r} (known: {known})", line=line)
            return ()
        if subject_list.question is not None:
            self.problem(item, f"subject list {name!r} takes its subjects from question "
                               f"{subject_list.question[1]!r}; a question cannot be made from it", line=line)
            return ()
        return subject_list.in_wave(self.wave)

    def code(self, code: object, item: str, pattern=CODE_PATTERN, rule="a letter, then letters and digits, "
             "20 characters at most", at: object = None, line: int | None = None) -> str:
        if not isinstance(code, str) or not pattern.match(code):
            self.problem(item, f"code {code!r} is not a valid LimeSurvey code ({rule})", at, line)
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

        condition = parse_condition(raw, resolve, sub_columns, lambda m: self.problem(item, m, raw))
        if condition is None:
            return None
        for column in sorted(condition.referenced()):
            if column not in known:
                self.problem(item, f"condition refers to {column!r}, which is not an earlier question", raw)
        self._check_values(condition, known, item, raw)
        return condition

    def _check_values(self, condition: Condition, known: dict, item: str, at: object) -> None:
        for part in condition.parts:
            self._check_values(part, known, item, at)
        for column in condition.columns:
            if column not in known:
                continue
            allowed = {a.code for a in known[column].question.answer_options()}
            for value in condition.values:
                if value not in allowed:
                    self.problem(item, f"condition on {column!r}: {value!r} is not one of its answers "
                                       f"({', '.join(sorted(allowed)) or 'none'})", at)

    # -- answers and subquestions -----------------------------------------------------------------
    def answers(self, spec: object, item: str, at: object = None) -> tuple[Answer, ...]:
        if spec is None:
            return ()
        # A named scale's answers were read from a scales file, not from this one: their problems are reported
        # at the line of this file that names the scale (``at`` is the question).
        line = yamlfile.line_of(at, "answers") if isinstance(spec, str) else None
        if isinstance(spec, str):
            if spec not in self.context.scales:
                self.problem(item, f"unknown answer scale {spec!r}", line=line)
                return ()
            spec = self.context.scales[spec]
        out, seen = [], set()
        for raw in spec if isinstance(spec, list) else []:
            raw = raw if isinstance(raw, dict) else {}
            where = line or yamlfile.line_of(raw)
            code = self.code(raw.get("code"), f"{item} answer {raw.get('code')}", ANSWER_CODE_PATTERN,
                             "letters and digits, 5 characters at most", line=where)
            if code in seen:
                self.problem(item, f"duplicate answer code {code!r}", line=where)
            seen.add(code)
            out.append(Answer(code, multilingual(raw, f"{item} answer {code}", self.problems, self.file, where),
                              raw.get("missing")))
        return tuple(out)

    def dimensions(self, raw: dict, sub_item: str) -> tuple[tuple[str, str], ...]:
        """The item's ``dim_<framework>: <code>`` keys, each checked against its framework."""
        out = []
        for key, value in raw.items():
            if not (isinstance(key, str) and key.startswith("dim_")) or value is None:
                continue
            framework = self.context.frameworks.get(key[4:])
            if framework is None:
                known = ", ".join(f"dim_{f}" for f in self.context.frameworks) or "none imported"
                self.problem(sub_item, f"unknown dimension framework {key!r} (known: {known})", raw)
            elif value not in framework.codes:
                self.problem(sub_item, f"unknown dimension {value!r} of framework {framework.name!r} "
                                       f"(one of {', '.join(framework.codes)})", raw)
            else:
                out.append((key[4:], str(value)))
        return tuple(out)

    def subquestions(self, spec: object, item: str, fill: dict[str, str]) -> tuple[Subquestion, ...]:
        if spec is None:
            return ()
        declared, template_relevance = spec, None
        if isinstance(spec, dict) and "from" in spec:
            template_relevance = spec.get("relevance")
            spec = [{"code": s.code, **s.labels, "subject": s.code, "subject_list": spec["from"]}
                    for s in self.subjects(spec["from"], item, spec, "from")]
        elif isinstance(spec, dict) and "same_as" in spec:
            template_relevance = spec.get("relevance")
            source = next((q for q in self.questions if q.code == spec["same_as"]), None)
            if source is None:
                self.problem(item, f"subquestions same_as {spec['same_as']!r}: no such earlier question", spec)
                return ()
            spec = [{"code": s.code, **s.labels, "theme": s.theme, "subject": s.subject,
                     "subject_list": s.subject_list} for s in source.subquestions]
        if not isinstance(spec, list):
            self.problem(item, "subquestions must be a list, {from: <subject list>} or {same_as: <question>}", spec)
            return ()
        out, seen = [], set()
        for raw in spec:
            raw = raw if isinstance(raw, dict) else {}
            sub_item = f"{item} subquestion {raw.get('code')}"
            code = self.code(raw.get("code"), sub_item, at=raw)
            if code.lower() in seen:
                self.problem(item, f"duplicate subquestion code {code!r} (LimeSurvey ignores case)", raw)
            if code.lower() in RESERVED_SUBQUESTION_CODES:
                self.problem(sub_item, f"{code!r} is reserved in LimeSurvey", raw)
            seen.add(code.lower())
            if raw.get("polarity") not in (None, "+", "-"):
                self.problem(sub_item, f"polarity must be '+' or '-', not {raw['polarity']!r}", raw)
            sub_fill = {**fill, "code": code}
            relevance = raw.get("relevance", template_relevance)
            mirror = raw.get("mirror")
            if isinstance(mirror, str):
                for key, value in sub_fill.items():
                    mirror = mirror.replace("{" + key + "}", value)
            out.append(Subquestion(
                code=code,
                labels=multilingual(raw, sub_item, self.problems, self.file),
                dimensions=self.dimensions(raw, sub_item), polarity=raw.get("polarity"),
                mirror=mirror, theme=raw.get("theme"), subject=raw.get("subject"),
                subject_list=raw.get("subject_list"),
                relevance=self.condition(relevance, sub_item, sub_fill),
                line=yamlfile.line_of(raw) or yamlfile.line_of(declared),
            ))
        return tuple(out)

    # -- questions ----------------------------------------------------------------------------------
    def question(self, raw: dict, group: int) -> None:
        template = str(raw.get("code"))
        if "per_service" in raw:
            self.problem(f"question {template!r}", "per_service is now 'per: <subject list>' (e.g. per: services)",
                         raw)
        if raw.get("per") is not None:
            for subject in self.subjects(raw["per"], f"question {template!r}", raw, "per"):
                self._one_question(raw, group, template.replace("{subject}", subject.code), subject, raw["per"])
        else:
            self._one_question(raw, group, template, None, None)

    def _one_question(self, raw: dict, group: int, code: str, subject, subject_list: str | None) -> None:
        item = f"question {code!r}"
        code = self.code(code, item, at=raw)
        if any(q.code.lower() == code.lower() for q in self.questions):
            self.problem(item, "duplicate question code (LimeSurvey ignores case)", raw)
        if code.lower() in RESERVED_CODES:
            self.problem(item, f"{code!r} is reserved in LimeSurvey", raw)
        qtype = raw.get("type")
        if not isinstance(qtype, str) or qtype not in QUESTION_TYPES:
            self.problem(item, f"unknown question type {qtype!r} (one of {', '.join(QUESTION_TYPES)})", raw)
        fill = {"subject": subject.code} if subject else {}

        def texts(key: str) -> dict[str, str]:
            labels = multilingual(raw.get(key), item if key == "text" else f"{item} {key}", self.problems, self.file,
                                  yamlfile.line_of(raw, key))
            if subject:
                labels = {lang: t.replace("{subject}", subject.labels[lang]) for lang, t in labels.items()}
            return labels

        answers = self.answers(raw.get("answers"), item, raw)
        if qtype in ("L", "F") and not answers:
            self.problem(item, f"a {QUESTION_TYPES.get(qtype)} question needs answers", raw)
        subquestions = self.subquestions(raw.get("subquestions"), item, fill)
        if qtype in ("M", "F") and not subquestions:
            self.problem(item, f"a {QUESTION_TYPES.get(qtype)} question needs subquestions", raw)
        relevance = self.condition(raw.get("relevance"), item, fill)
        identifies = raw.get("identifies")
        if identifies is not None and identifies not in IDENTIFIES:
            self.problem(item, f"identifies must be {' or '.join(IDENTIFIES)}, not {str(identifies)[:40]!r}", raw)
            identifies = None
        self.questions.append(Question(
            code=code, type=str(qtype), text=texts("text"), group=group,
            help=texts("help") if raw.get("help") else None,
            answers=answers, subquestions=subquestions, other=bool(raw.get("other", False)),
            mandatory=bool(raw.get("mandatory", False)), relevance=relevance,
            subject=subject.code if subject else None, subject_list=subject_list if subject else None,
            minimum=raw.get("min"), maximum=raw.get("max"), identifies=identifies,
        ))


def build_instrument(path: Path, problems: list[Problem], *, context: Context = Context(),
                     wave: str | None = None) -> Instrument | None:
    """Build the definition at ``path`` for one wave, appending every problem found to ``problems``."""
    name = path.stem
    if not NAME_PATTERN.match(name):
        problems.append(Problem(str(path.parent), "", f"instrument name {name[:80]!r} is not a definition's name"))
        return None
    if not path.is_file():
        problems.append(Problem(str(path), "", "no such instrument definition"))
        return None
    try:
        doc = read_yaml(path)
    except InstrumentError as exc:
        problems.append(Problem(str(path), "", str(exc).removeprefix(f"{path}: ")))
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("groups"), list):
        problems.append(Problem(str(path), "", "expected a mapping with 'instrument' and a list of 'groups'"))
        return None
    builder = _Builder(path, context, wave, problems)
    groups = []
    for position, raw_group in enumerate(doc["groups"], start=1):
        raw_group = raw_group if isinstance(raw_group, dict) else {}
        groups.append(Group(position, multilingual(raw_group.get("name"), f"group {position}", problems, str(path),
                                                   yamlfile.line_of(raw_group)),
                            builder.condition(raw_group.get("relevance"), f"group {position}", {})))
        raw_questions = raw_group.get("questions") or []
        if not isinstance(raw_questions, list):
            builder.problem(f"group {position}", "'questions' must be a list", raw_group)
            raw_questions = []
        for raw_question in raw_questions:
            builder.question(raw_question if isinstance(raw_question, dict) else {}, position)
    questions = tuple(builder.questions)
    own_name = str(doc.get("instrument", name))
    if own_name != name:  # the study names instruments by their file; two names for one would drift
        builder.problem("instrument", f"name {own_name[:80]!r} differs from the file's name {name!r}", doc)
    languages = doc.get("languages", LANGUAGES)
    if not isinstance(languages, list | tuple) or not all(isinstance(x, str) and x in LANGUAGES for x in languages):
        builder.problem("languages", f"must be a list of {', '.join(LANGUAGES)}", doc)
        languages = LANGUAGES
    instrument = Instrument(
        name=name,
        title=multilingual(doc.get("title"), "title", problems, str(path)),
        base_language=str(doc.get("base_language", "nl")),
        languages=tuple(languages),
        groups=tuple(groups),
        questions=questions,
        version="",
        wave=wave,
        mirror_instrument=doc.get("mirror_instrument"),
        source=str(path),
        _columns=export_columns(questions),
    )
    return _with_version(instrument)


def _condition_content(condition: Condition | None) -> dict | None:
    return asdict(condition) if condition is not None else None


def _version_content(instrument: Instrument) -> dict:
    """What the version hashes: texts, codes, answers, conditions and item metadata, under the keys the first
    versions used (``service`` for an item's subject, ``dim_b``/``dim_levesque`` for the shared frameworks):
    a refactoring of the code must not give a fielded questionnaire a new version."""
    def subquestion(sq: Subquestion) -> dict:
        dims = dict(sq.dimensions)
        return {"code": sq.code, "labels": sq.labels, "dim_b": dims.pop("b", None),
                "dim_levesque": dims.pop("levesque", None), **{f"dim_{k}": v for k, v in dims.items()},
                "polarity": sq.polarity, "mirror": sq.mirror, "theme": sq.theme, "service": sq.subject,
                "relevance": _condition_content(sq.relevance)}

    def question(q: Question) -> dict:
        return {"code": q.code, "type": q.type, "text": q.text, "group": q.group, "help": q.help,
                "answers": [asdict(a) for a in q.answers], "subquestions": [subquestion(s) for s in q.subquestions],
                "other": q.other, "mandatory": q.mandatory, "relevance": _condition_content(q.relevance),
                "service": q.subject, "minimum": q.minimum, "maximum": q.maximum}

    return {"name": instrument.name, "title": instrument.title, "languages": instrument.languages,
            "groups": [asdict(g) for g in instrument.groups], "questions": [question(q) for q in instrument.questions]}


def _with_version(instrument: Instrument) -> Instrument:
    """The version is a hash of the content (texts, codes, answers, conditions), not of the file's
    layout: a reworded item in any language gives a new version; a new comment does not."""
    content = json.dumps(_version_content(instrument), sort_keys=True, default=str)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return Instrument(**{**instrument.__dict__, "version": digest[:12]})


def load_instrument(path: Path, *, context: Context = Context(), wave: str | None = None) -> Instrument:
    problems: list[Problem] = []
    instrument = build_instrument(path, problems, context=context, wave=wave)
    if problems or instrument is None:
        raise InstrumentError("\n".join(str(p) for p in problems))
    return instrument
