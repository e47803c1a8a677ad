"""Questionnaires as code: load an instrument definition (YAML) into plain, frozen objects.

The YAML files in ``instruments/definitions/`` are the single source of the questionnaire: the demo
generator, the codebook and the clean stage all read them through this module.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFINITIONS = Path(__file__).parent / "definitions"
LANGUAGES = ("nl", "fr", "en")
# LimeSurvey question and subquestion codes: a letter, then letters and digits, 20 characters at most.
CODE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,19}$")
# Answer codes: letters and digits, 5 characters at most; they may start with a digit ("1".."5").
ANSWER_CODE_PATTERN = re.compile(r"^[A-Za-z0-9]{1,5}$")
QUESTION_TYPES = {
    "Y": "yes/no",
    "L": "single choice",
    "M": "multiple choice",
    "F": "array",
    "N": "numeric",
    "S": "short free text",
    "T": "long free text",
    "D": "date",
}
FREE_TEXT_TYPES = frozenset({"S", "T"})


class InstrumentError(ValueError):
    """An instrument definition that cannot be used; the message names the file and the item."""


@dataclass(frozen=True)
class Answer:
    code: str
    labels: dict[str, str]
    missing: str | None = None  # "dont_know" / "not_applicable": never scored


@dataclass(frozen=True)
class Subquestion:
    code: str
    labels: dict[str, str]
    dim_b: str | None = None
    dim_levesque: str | None = None
    polarity: str | None = None
    mirror: str | None = None


@dataclass(frozen=True)
class Question:
    code: str
    type: str
    text: dict[str, str]
    group: int  # 1-based position of its group: LimeSurvey's `lastpage` counts groups
    answers: tuple[Answer, ...] = ()
    subquestions: tuple[Subquestion, ...] = ()
    other: bool = False
    mandatory: bool = False


@dataclass(frozen=True)
class Column:
    """One column of a LimeSurvey response export with code headings, e.g. ``kent[S01]``."""

    name: str
    question: Question
    subquestion: Subquestion | None = None
    is_other: bool = False

    @property
    def free_text(self) -> bool:
        return self.question.type in FREE_TEXT_TYPES or self.is_other


@dataclass(frozen=True)
class Instrument:
    name: str
    title: dict[str, str]
    base_language: str
    languages: tuple[str, ...]
    groups: tuple[dict[str, str], ...]
    questions: tuple[Question, ...]
    version: str  # content hash of the definition and the shared lists it uses

    def columns(self) -> list[Column]:
        """The response columns LimeSurvey exports for this instrument, in export order."""
        out: list[Column] = []
        for q in self.questions:
            if q.subquestions:
                out.extend(Column(f"{q.code}[{sq.code}]", q, sq) for sq in q.subquestions)
            else:
                out.append(Column(q.code, q))
            if q.other:
                out.append(Column(f"{q.code}[other]", q, is_other=True))
        return out

    def question(self, code: str) -> Question:
        for q in self.questions:
            if q.code == code:
                return q
        raise KeyError(f"instrument {self.name!r} has no question {code!r}")


def multilingual(raw: dict, where: str) -> dict[str, str]:
    missing = [lang for lang in LANGUAGES if not str(raw.get(lang) or "").strip()]
    if missing:
        raise InstrumentError(f"{where}: no text in {', '.join(missing)}")
    return {lang: str(raw[lang]) for lang in LANGUAGES}


def _check_code(code: object, where: str, answer: bool = False) -> str:
    pattern, rule = (
        (ANSWER_CODE_PATTERN, "letters and digits, 5 characters at most")
        if answer
        else (CODE_PATTERN, "a letter, then letters and digits, 20 characters at most")
    )
    if not isinstance(code, str) or not pattern.match(code):
        raise InstrumentError(f"{where}: code {code!r} is not a valid LimeSurvey code ({rule})")
    return code


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InstrumentError(f"{path}: cannot read instrument file: {exc}") from exc


def load_instrument(name: str, definitions: Path = DEFINITIONS) -> Instrument:
    """Load ``definitions/<name>.yaml`` with the shared scales and service catalogue."""
    path = definitions / f"{name}.yaml"
    if not path.is_file():
        raise InstrumentError(f"{path}: no such instrument definition")
    shared = {f: definitions / f for f in ("scales.yaml", "services.yaml")}
    scales = _read_yaml(shared["scales.yaml"]) or {}
    services = _read_yaml(shared["services.yaml"]) or []
    doc = _read_yaml(path)
    if not isinstance(doc, dict) or "groups" not in doc:
        raise InstrumentError(f"{path}: expected a mapping with 'instrument' and 'groups'")

    digest = hashlib.sha256()
    for p in (path, *shared.values()):
        digest.update(p.read_bytes())

    def answers_of(spec: object, where: str) -> tuple[Answer, ...]:
        if spec is None:
            return ()
        if isinstance(spec, str):
            if spec not in scales:
                raise InstrumentError(f"{where}: unknown answer scale {spec!r}")
            spec = scales[spec]
        return tuple(
            Answer(_check_code(a.get("code"), where, answer=True), multilingual(a, f"{where} answer {a.get('code')}"), a.get("missing"))
            for a in spec
        )

    def subquestions_of(spec: object, where: str) -> tuple[Subquestion, ...]:
        if spec is None:
            return ()
        if spec == "services":
            spec = services
        return tuple(
            Subquestion(
                code=_check_code(s.get("code"), where),
                labels=multilingual(s, f"{where} subquestion {s.get('code')}"),
                dim_b=s.get("dim_b"),
                dim_levesque=s.get("dim_levesque"),
                polarity=s.get("polarity"),
                mirror=s.get("mirror"),
            )
            for s in spec
        )

    questions: list[Question] = []
    groups: list[dict[str, str]] = []
    for g_index, group in enumerate(doc["groups"], start=1):
        groups.append(multilingual(group.get("name") or {}, f"{path} group {g_index}"))
        for q in group.get("questions") or []:
            where = f"{path} question {q.get('code')!r}"
            code = _check_code(q.get("code"), where)
            qtype = q.get("type")
            if qtype not in QUESTION_TYPES:
                raise InstrumentError(f"{where}: unknown question type {qtype!r}")
            questions.append(
                Question(
                    code=code,
                    type=qtype,
                    text=multilingual(q.get("text") or {}, where),
                    group=g_index,
                    answers=answers_of(q.get("answers"), where),
                    subquestions=subquestions_of(q.get("subquestions"), where),
                    other=bool(q.get("other", False)),
                    mandatory=bool(q.get("mandatory", False)),
                )
            )
    codes = [q.code for q in questions]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise InstrumentError(f"{path}: duplicate question codes {', '.join(duplicates)}")
    return Instrument(
        name=str(doc.get("instrument", name)),
        title=multilingual(doc.get("title") or {}, f"{path} title"),
        base_language=str(doc.get("base_language", "nl")),
        languages=tuple(doc.get("languages", LANGUAGES)),
        groups=tuple(groups),
        questions=tuple(questions),
        version=digest.hexdigest()[:12],
    )
