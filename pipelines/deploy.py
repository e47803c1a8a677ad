"""Deploy a compiled questionnaire to the LimeSurvey server: import the .lss, activate the survey with
a participants table, add participants (LimeSurvey generates their tokens), record the survey id.

Writes are never retried automatically (a retried import could create the survey twice).
Participants' names and e-mail addresses go to LimeSurvey only; Toegang keeps none of them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from instruments.lss import compile_lss
from instruments.model import InstrumentError
from instruments.study import Study
from pipelines.limesurvey import LimeSurveyConnection

PARTICIPANT_FIELDS = ("firstname", "lastname", "email", "language")
_ATTRIBUTE = re.compile(r"^attribute_\d{1,3}$")


@dataclass(frozen=True)
class Deployment:
    requested_survey_id: int
    survey_id: int
    participants_added: int


def read_participants(path: Path) -> list[dict[str, str]]:
    """A CSV (UTF-8, header row) with firstname, lastname, email, language and optional attribute_N."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstrumentError(f"{path}: cannot read participants: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text))
    fields = reader.fieldnames or []
    unknown = [f for f in fields if f not in PARTICIPANT_FIELDS and not _ATTRIBUTE.match(f)]
    if "email" not in fields or unknown:
        raise InstrumentError(f"{path}: expected columns {', '.join(PARTICIPANT_FIELDS)} (and attribute_N); "
                              f"unknown: {', '.join(unknown) or 'none'}" + ("" if "email" in fields else "; no email column"))
    rows = []
    for line, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise InstrumentError(f"{path}, line {line}: wrong number of fields")
        rows.append({k: v for k, v in row.items() if v != ""})
    return rows


def deploy_survey(server: LimeSurveyConnection, study: Study, survey_id: int,
                  participants: list[dict[str, str]] | None = None) -> Deployment:
    survey = next((s for s in study.surveys if s.survey_id == survey_id), None)
    if survey is None:
        raise InstrumentError(f"study {study.study_id!r} has no survey {survey_id}")
    lss = compile_lss(study.instrument(survey.instrument, survey.wave), survey_id).encode("utf-8")
    new_id = int(server.call("import_survey", survey_id,
                             lambda c: c.import_survey(io.BytesIO(lss), "lss", None, survey_id)))
    server.call("activate_survey", new_id, lambda c: c.activate_survey(new_id))
    server.call("activate_tokens", new_id, lambda c: c.activate_tokens(new_id))
    added = 0
    if participants:
        created = server.call("add_participants", new_id,
                              lambda c: c.add_participants(new_id, participant_data=participants, create_tokens=True))
        added = len(created)
    if new_id != survey_id:
        record_survey_id(study.file, survey_id, new_id)
    return Deployment(survey_id, new_id, added)


def record_survey_id(study_file: Path, old: int, new: int) -> None:
    """Replace the survey id in the study file, keeping its comments and layout."""
    text = study_file.read_text(encoding="utf-8")
    pattern = re.compile(rf"(survey_id:\s*){old}(?!\d)")
    if len(pattern.findall(text)) != 1:
        raise InstrumentError(f"{study_file}: cannot find survey_id {old} exactly once to record {new}")
    study_file.write_text(pattern.sub(rf"\g<1>{new}", text), encoding="utf-8")
