"""Start a study folder from another, and add a wave to a study: edits of the YAML that keep its comments.

``new_study`` copies a study folder (its questionnaires, subject lists, indicators, publication rules and
margins; not its response files) under a new id; ``add_wave`` repeats the surveys of one wave for a new wave
and lets every subject that exists in that wave exist in the new one too. Both refuse what would leave a
study that does not load, and leave the files as they were when they refuse.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from instruments.model import NAME_PATTERN, InstrumentError
from instruments.study import STUDIES, STUDY_FILE, Study, load_study, read_study, study_folder, studies_dir

DATA = "data"  # the folder of a study's response files: never copied into another study


def _template(template: str, studies: Path | None) -> Path:
    """The template study's folder: in the studies folder, else among the bundled studies."""
    for folder in (studies_dir(studies), STUDIES):
        if (folder / template / STUDY_FILE).is_file():
            return folder
    raise InstrumentError(f"no study {template!r} in {studies_dir(studies)} or {STUDIES} to start from")


def new_study(study_id: str, template: str, studies: Path | None = None) -> Path:
    """A new study folder ``<studies>/<study_id>/``, a copy of study ``template`` without its response files
    and its public demo key; returns the folder."""
    target = study_folder(study_id, studies)
    if target.exists():
        raise InstrumentError(f"{target}: already exists; choose another study id")
    source = load_study(template, _template(template, studies)).path
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{study_id}.new")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging, ignore=shutil.ignore_patterns(DATA, ".*"))
    text = (staging / STUDY_FILE).read_text(encoding="utf-8")
    text = re.sub(r"(?m)^study_id:.*$", f"study_id: {study_id}", text, count=1)
    # A demo's public key must not pseudonymise a real study: TOEGANG_PSEUDONYM_KEY does.
    text = re.sub(r"(?m)^demo_pseudonym_key:.*\n", "", text)
    (staging / STUDY_FILE).write_text(text, encoding="utf-8")
    _, problems = read_study(staging)
    problems = [p for p in problems if "differs from the folder's name" not in p.message]  # the staging name
    if problems:
        shutil.rmtree(staging)
        raise InstrumentError("\n".join(str(p) for p in problems))
    staging.rename(target)
    return target


@dataclass(frozen=True)
class AddedWave:
    study: Study
    surveys: list[int]  # the new surveys' ids
    subjects: list[str]  # "list/code" of every subject now in the new wave


def _node(document: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(document, yaml.MappingNode):
        for k, v in document.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def add_wave(study_id: str, wave: str, like: str, studies: Path | None = None, first_id: int | None = None) -> AddedWave:
    """Add ``wave`` to study ``study_id``: each survey of wave ``like`` again (instrument, source, margins and
    design kept; a new survey id, from ``first_id`` or above the largest; an export file named after the
    new survey), and the new wave added to every subject that exists in ``like``."""
    if not NAME_PATTERN.match(wave):
        raise InstrumentError(f"wave {wave[:80]!r} must be letters, digits, '_' or '-'")
    study = load_study(study_id, studies)
    if wave in study.waves:
        raise InstrumentError(f"{study.file}: study {study_id!r} already has wave {wave!r}")
    surveys = study.surveys_in(like)
    if not surveys:
        raise InstrumentError(f"{study.file}: study {study_id!r} has no wave {like!r} to repeat "
                              f"(its waves: {', '.join(study.waves)})")
    study_text = study.file.read_text(encoding="utf-8")
    document = yaml.compose(study_text)
    survey_list = _node(document, "surveys")
    next_id = first_id or max(s.survey_id for s in study.surveys) + 1
    indent = " " * survey_list.value[0].start_mark.column
    lines, ids = [], []
    for offset, survey in enumerate(surveys):
        survey_id = next_id + offset
        entry = {"survey_id": survey_id, "instrument": survey.instrument, "wave": wave}
        if survey.export is not None:
            entry["export"] = f"{DATA}/survey_{survey_id}_{wave}_{survey.instrument}{survey.export.suffix}"
        if survey.margins is not None:
            entry["margins"] = survey.margins.relative_to(study.path).as_posix() \
                if survey.margins.is_relative_to(study.path) else str(survey.margins)
        if survey.source != ("file" if survey.export is not None else "limesurvey"):
            entry["source"] = survey.source
        design = survey.design.config()
        if design:
            entry["design"] = design
        lines.append(indent[:-2] + "- " + yaml.safe_dump(entry, default_flow_style=True, sort_keys=False,
                                                         width=10_000).strip() + "\n")
        ids.append(survey_id)
    # After the line where the last survey ends: the new entries on lines of their own, in the list's indentation.
    end = survey_list.value[-1].end_mark.index
    newline = study_text.find("\n", end)
    cut = len(study_text) if newline < 0 else newline + 1
    new_study_text = study_text[:cut] + "".join(lines) + study_text[cut:]

    subjects_path = study.path / "subjects.yaml"
    added: list[str] = []
    new_subjects_text = None
    if subjects_path.is_file():
        text = subjects_path.read_text(encoding="utf-8")
        document = yaml.compose(text)
        edits = []
        for list_key, list_node in (document.value if isinstance(document, yaml.MappingNode) else []):
            items = _node(list_node, "items")
            for item in items.value if isinstance(items, yaml.SequenceNode) else []:
                waves = _node(item, "waves")
                code = _node(item, "code")
                if not isinstance(waves, yaml.SequenceNode):
                    continue  # no waves: the subject exists in every wave
                values = [v.value for v in waves.value]
                if like in values and wave not in values:
                    edits.append((waves.start_mark.index, waves.end_mark.index, _flow([*values, wave])))
                    added.append(f"{list_key.value}/{code.value if code is not None else '?'}")
        for start, stop, replacement in sorted(edits, reverse=True):
            text = text[:start] + replacement + text[stop:]
        new_subjects_text = text
    old_texts = {study.file: study_text, subjects_path: subjects_path.read_text(encoding="utf-8")
                 if subjects_path.is_file() else None}
    study.file.write_text(new_study_text, encoding="utf-8")
    if new_subjects_text is not None:
        subjects_path.write_text(new_subjects_text, encoding="utf-8")
    try:
        updated = load_study(study_id, studies)
    except InstrumentError:
        for path, text in old_texts.items():  # leave the files as they were
            if text is not None:
                path.write_text(text, encoding="utf-8")
        raise
    return AddedWave(updated, ids, added)
