"""Build a study's instrument files: one ``.lss`` per survey (instrument and wave), and the codebook
as JSON and as a multilingual HTML page, under ``build/<study>/``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from instruments import codebook
from instruments.lss import write_lss
from instruments.model import Instrument
from instruments.study import Study
from instruments.vocabulary import LANGUAGES


@dataclass(frozen=True)
class BuildResult:
    folder: Path
    lss: list[Path]
    codebook_json: Path
    codebook_html: list[Path]
    instruments: list[Instrument]


def study_instruments(study: Study) -> list[tuple[int, Instrument]]:
    """(survey id, instrument as fielded) for every survey of the study, in study order."""
    return [(s.survey_id, study.instrument(s.instrument, s.wave)) for s in study.surveys]


def build_study(study: Study, build: Path) -> BuildResult:
    folder = build / study.study_id
    folder.mkdir(parents=True, exist_ok=True)
    surveys = study_instruments(study)
    lss = [write_lss(folder / f"survey_{sid}_{i.wave}_{i.name}.lss", i, sid) for sid, i in surveys]
    instruments = [i for _, i in surveys]
    json_path = folder / "codebook.json"
    codebook.write_json(json_path, instruments)
    pages = []
    for lang in LANGUAGES:
        page = folder / f"codebook.{lang}.html"
        codebook.write_html(page, instruments, lang)
        pages.append(page)
    return BuildResult(folder, lss, json_path, pages, instruments)
