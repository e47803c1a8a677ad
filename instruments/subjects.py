"""Subject lists: what a study's questions and indicators are about (services, themes, support models,
learning needs...), each subject with its name in every language and the waves and places where it exists.

A list either holds its ``items`` (master data) or takes them from the subquestions of one question of an
instrument (``question: {instrument, code}``): then the questionnaire is their one home.
"""

from __future__ import annotations

from dataclasses import dataclass

from instruments.model import Labels

ROLES = ("service", "theme")  # the column of the indicator tables that holds a list's codes


@dataclass(frozen=True)
class Subject:
    code: str
    labels: Labels
    type: str = ""
    places: tuple[str, ...] = ()  # answer codes of the places it serves (e.g. neighbourhoods)
    waves: tuple[str, ...] = ()  # the waves in which it exists; empty: every wave


@dataclass(frozen=True)
class SubjectList:
    name: str
    role: str
    title: Labels
    items: tuple[Subject, ...] = ()
    question: tuple[str, str] | None = None  # (instrument, question code) whose subquestions are the subjects
    source: str = ""

    def in_wave(self, wave: str | None) -> tuple[Subject, ...]:
        return tuple(s for s in self.items if wave is None or not s.waves or wave in s.waves)

    @property
    def waves(self) -> list[str]:
        return sorted({w for s in self.items for w in s.waves})
