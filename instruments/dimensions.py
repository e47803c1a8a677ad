"""Accessibility dimension frameworks (DOMAIN.md section 2): the B's, Levesque's five, or a study's own.

A framework is data (``instruments/shared/dimensions.yaml``, or the study's ``dimensions.yaml``): its
dimensions in page order, each with one name per language. Items point to a dimension with
``dim_<framework>: <code>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from instruments.model import Labels


@dataclass(frozen=True)
class Dimension:
    code: str
    labels: Labels  # as a title: "Bereikbaar"
    about: Labels | None = None  # the question its page asks, in the study's words

    @property
    def words(self) -> Labels:
        """The name inside a sentence ("Barrier, reachable: ..."): derived from the title, never typed again.
        nl, fr and en lower the first letter and change nothing else."""
        return {lang: label[:1].lower() + label[1:] for lang, label in self.labels.items()}


@dataclass(frozen=True)
class Framework:
    name: str
    title: Labels
    dimensions: tuple[Dimension, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.dimensions)

    def get(self, code: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.code == code), None)
