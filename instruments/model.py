"""The compiled questionnaire: plain, frozen objects built from the YAML definitions by
``instruments.loader``. The demo generator, the LimeSurvey compiler, the codebook and the clean stage
all read these."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from instruments.conditions import Condition, em_variable
from instruments.vocabulary import LANGUAGES  # noqa: F401 - re-exported to the loader, codebook and diff

# LimeSurvey question and subquestion codes: a letter, then letters and digits, 20 characters at most.
CODE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,19}$")
# Answer codes: letters and digits, 5 characters at most; they may start with a digit ("1".."5").
ANSWER_CODE_PATTERN = re.compile(r"^[A-Za-z0-9]{1,5}$")
# Instrument and wave names become parts of file names and page ids: no separators, dots or markup.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
# Columns of the clean tables: a code, a code_subcode (``em_variable``) or a metadata column such as
# start_language. They are SQL identifiers: letters, digits and '_' only.
CLEAN_COLUMN_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
# Names LimeSurvey refuses as question codes (it renames them on import, with a warning).
RESERVED_CODES = frozenset({"lang", "sid", "savedid", "token", "qid", "gid", "sgq", "self", "that", "this"})
RESERVED_SUBQUESTION_CODES = frozenset({"time", "other"})
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
Labels = dict[str, str]  # language -> text


class InstrumentError(ValueError):
    """A definition that cannot be used; the message names the file, the item and what is wrong."""


@dataclass(frozen=True)
class Answer:
    code: str
    labels: Labels
    missing: str | None = None  # "dont_know" / "not_applicable": never scored


# The implicit answers of multiple choice and yes/no questions, as LimeSurvey exports them.
CHECKED = (Answer("Y", {"nl": "Aangevinkt", "fr": "Coché", "en": "Ticked"}),)
YES_NO = (Answer("Y", {"nl": "Ja", "fr": "Oui", "en": "Yes"}), Answer("N", {"nl": "Nee", "fr": "Non", "en": "No"}))


@dataclass(frozen=True)
class Subquestion:
    code: str
    labels: Labels
    # framework -> dimension code, from the item's ``dim_<framework>`` keys (instruments/shared/dimensions.yaml)
    dimensions: tuple[tuple[str, str], ...] = ()
    polarity: str | None = None
    mirror: str | None = None  # export column of the mirror item in the mirror instrument
    theme: str | None = None  # a free tag of the definition (``theme:``), kept in the codebook
    subject: str | None = None  # the subject code, for subquestions made ``from`` a subject list
    subject_list: str | None = None
    relevance: Condition | None = None
    line: int | None = field(default=None, compare=False, repr=False)  # where the definition has it, for problems

    def dimension(self, framework: str) -> str | None:
        return dict(self.dimensions).get(framework)


IDENTIFIES = ("organisation", "role")


@dataclass(frozen=True)
class Question:
    code: str
    type: str
    text: Labels
    group: int  # 1-based position of its group: LimeSurvey's `lastpage` counts groups
    help: Labels | None = None
    answers: tuple[Answer, ...] = ()
    subquestions: tuple[Subquestion, ...] = ()
    other: bool = False
    mandatory: bool = False
    relevance: Condition | None = None
    subject: str | None = None  # for questions repeated ``per`` subject of a list: the subject's code
    subject_list: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    # What of its respondent the answer identifies, when it names their organisation or role (IDENTIFIES):
    # professionals are never broken down by it (DOMAIN.md section 5).
    identifies: str | None = None

    def answer_options(self) -> tuple[Answer, ...]:
        if self.type == "M":
            return CHECKED
        if self.type == "Y":
            return YES_NO
        return self.answers


@dataclass(frozen=True)
class Group:
    position: int
    labels: Labels
    relevance: Condition | None = None


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

    @property
    def variable(self) -> str:
        """ExpressionScript and clean-table name: ``kent[S01]`` -> ``kent_S01``."""
        return em_variable(self.name)


@dataclass(frozen=True)
class Instrument:
    name: str
    title: Labels
    base_language: str
    languages: tuple[str, ...]
    groups: tuple[Group, ...]
    questions: tuple[Question, ...]
    version: str  # content hash of the compiled questionnaire
    wave: str | None = None
    mirror_instrument: str | None = None
    source: str = ""  # the definition file
    _columns: tuple[Column, ...] = field(default=(), repr=False, compare=False)

    def about(self, column: Column) -> str | None:
        """The subject a column is about: its subquestion's (``from`` a list) or its question's (``per``)."""
        return (column.subquestion.subject if column.subquestion else None) or column.question.subject

    def columns(self) -> list[Column]:
        """The response columns LimeSurvey exports for this instrument, in export order."""
        return list(self._columns)

    def question(self, code: str) -> Question:
        for q in self.questions:
            if q.code == code:
                return q
        raise KeyError(f"instrument {self.name!r} has no question {code!r}")

    def conditions(self, column: Column) -> list[Condition]:
        """Every condition on showing ``column``: its group's, its question's and its subquestion's."""
        group = self.groups[column.question.group - 1]
        candidates = (group.relevance, column.question.relevance,
                      column.subquestion.relevance if column.subquestion else None)
        return [c for c in candidates if c is not None]

    def column(self, name: str) -> Column:
        for c in self._columns:
            if c.name == name:
                return c
        raise KeyError(f"instrument {self.name!r} has no column {name!r}")


def export_columns(questions: tuple[Question, ...]) -> tuple[Column, ...]:
    out: list[Column] = []
    for q in questions:
        if q.subquestions:
            out.extend(Column(f"{q.code}[{sq.code}]", q, sq) for sq in q.subquestions)
        else:
            out.append(Column(q.code, q))
        if q.other:
            out.append(Column(f"{q.code}[other]", q, is_other=True))
    return tuple(out)
