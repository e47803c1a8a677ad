"""The indicator catalogue (a study's ``indicators.yaml``): measures, their subjects, and their texts in nl/fr/en.
The dimensions' names in those texts are the framework's (instruments/shared/dimensions.yaml), not the file's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from instruments.vocabulary import LANGUAGES

SUBJECTS = ("service", "theme", "service_dimension")

Texts = Mapping[str, str]  # language -> text


@dataclass(frozen=True)
class Measure:
    name: str
    kind: str
    per: str
    unit: str
    headline: bool
    numerator: str
    denominator: str
    label: Texts
    description: Texts


@dataclass(frozen=True)
class Indicator:
    """One published indicator: a measure for one subject, e.g. ``access_index.S01.bereikbaar``."""

    name: str
    measure: Measure
    service: str | None = None
    theme: str | None = None
    dimension: str | None = None
    label: Texts | None = None
    description: Texts | None = None

    @property
    def unit(self) -> str:
        return self.measure.unit

    @property
    def headline(self) -> bool:
        return self.measure.headline


@dataclass(frozen=True)
class Catalogue:
    measures: Mapping[str, Measure]

    def indicators(self, services: Mapping[str, Texts], themes: Mapping[str, Texts],
                   dimensions: Mapping[str, Sequence[str]], words: Mapping[str, Texts]) -> list[Indicator]:
        """Every indicator of a wave: each measure for each of its subjects. ``services`` and ``themes`` map
        codes to their names per language; ``dimensions`` maps a service to its accessibility dimensions."""
        out = []
        for measure in self.measures.values():
            if measure.per == "service":
                subjects = [dict(service=s) for s in services]
            elif measure.per == "theme":
                subjects = [dict(theme=t) for t in themes]
            else:
                subjects = [dict(service=s, dimension=d) for s in services for d in dimensions.get(s, ())]
            for subject in subjects:
                names = {lang: {"subject": services.get(subject.get("service"), themes.get(subject.get("theme"), {}))
                                .get(lang, ""), "dimension": words.get(subject.get("dimension"), {}).get(lang, "")}
                         for lang in LANGUAGES}
                name = ".".join([measure.name, *subject.values()])
                out.append(Indicator(
                    name=name, measure=measure, **subject,
                    label={lang: measure.label[lang].format(**names[lang]) for lang in LANGUAGES},
                    description={lang: measure.description[lang].format(**names[lang]) for lang in LANGUAGES}))
        return out


class CatalogueError(ValueError):
    """The indicator catalogue file is incomplete or names something unknown."""


def _texts(doc: Mapping, where: str) -> dict[str, str]:
    if not isinstance(doc, Mapping) or any(not isinstance(doc.get(lang), str) or not doc[lang].strip()
                                           for lang in LANGUAGES):
        raise CatalogueError(f"{where}: needs a text in each of {', '.join(LANGUAGES)}")
    return {lang: doc[lang] for lang in LANGUAGES}


def parse_catalogue(doc: Mapping, origin: str = "catalogue") -> Catalogue:
    measures = {}
    for name, entry in (doc.get("measures") or {}).items():
        where = f"{origin}: measure {name}"
        missing = [k for k in ("kind", "per", "unit", "numerator", "denominator", "label", "description")
                   if k not in entry]
        if missing:
            raise CatalogueError(f"{where}: missing {', '.join(missing)}")
        if entry["per"] not in SUBJECTS:
            raise CatalogueError(f"{where}: per must be one of {', '.join(SUBJECTS)}, not {entry['per']!r}")
        measures[name] = Measure(name=name, kind=entry["kind"], per=entry["per"], unit=entry["unit"],
                                 headline=bool(entry.get("headline", False)), numerator=str(entry["numerator"]),
                                 denominator=str(entry["denominator"]),
                                 label=_texts(entry["label"], f"{where}, label"),
                                 description=_texts(entry["description"], f"{where}, description"))
    # A second home for these names would drift: dimensions live in the frameworks, breakdown titles in study.yaml.
    for key, home in (("dimensions", "the dimension frameworks"), ("breakdowns", "study.yaml")):
        if key in doc:
            raise CatalogueError(f"{origin}: the {key}' names live in {home}, not here")
    return Catalogue(measures)


@cache
def load_catalogue(path: Path) -> Catalogue:
    return parse_catalogue(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))
