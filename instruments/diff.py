"""What changed between two versions of a questionnaire, column by column (e.g. 2018 against 2021)."""

from __future__ import annotations

from dataclasses import dataclass

from instruments.codebook import rows
from instruments.model import LANGUAGES, Instrument

_COMPARED = ("type", *(f"question_{lang}" for lang in LANGUAGES), *(f"item_{lang}" for lang in LANGUAGES),
             "dim_b", "dim_levesque", "polarity", "mirror", "relevance", "mandatory")


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed" or "changed"
    column: str
    details: tuple[str, ...] = ()

    def __str__(self) -> str:
        sign = {"added": "+", "removed": "-", "changed": "~"}[self.kind]
        head = f"{sign} {self.column} ({self.kind})"
        return head if not self.details else head + "".join(f"\n    {d}" for d in self.details)


def _answers(row: dict) -> dict[str, dict]:
    return {a["code"]: a for a in row["answers"]}


def diff_instruments(old: Instrument, new: Instrument) -> list[Change]:
    before = {r["column_name"]: r for r in rows(old)}
    after = {r["column_name"]: r for r in rows(new)}
    changes = [Change("removed", c) for c in before if c not in after]
    for column, row in after.items():
        if column not in before:
            changes.append(Change("added", column))
            continue
        previous = before[column]
        details = [f"{field}: {previous[field]!r} -> {row[field]!r}" for field in _COMPARED
                   if previous[field] != row[field]]
        old_answers, new_answers = _answers(previous), _answers(row)
        details += [f"answer {code} removed" for code in old_answers if code not in new_answers]
        details += [f"answer {code} added" for code in new_answers if code not in old_answers]
        for code in old_answers.keys() & new_answers.keys():
            for lang in LANGUAGES:
                if old_answers[code][lang] != new_answers[code][lang]:
                    details.append(f"answer {code} {lang}: {old_answers[code][lang]!r} -> {new_answers[code][lang]!r}")
        if details:
            changes.append(Change("changed", column, tuple(sorted(details))))
    return changes
