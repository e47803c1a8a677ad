"""Ingest: every survey of a wave into the append-only raw layer, from its export file, the LimeSurvey server
or files dropped in the study's inbox; and the comparison of the server's questionnaire with the codebook."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import duckdb

from instruments.drift import structure_drift
from instruments.limesurvey_export import META_COLUMNS, ExportError, read_columns, read_export, read_sav
from instruments.model import Instrument
from instruments.study import Study, Survey
from pipelines.fetch import fetch_responses
from pipelines.inbox import Inbox, RejectedFile, check_columns
from pipelines.limesurvey import ServerSource
from warehouse import raw
from warehouse.paths import Locations


class LimeSurveySource(ServerSource, Protocol):
    """What the stage needs of a server (``pipelines.resources.limesurvey.LimeSurveyResource``): its page size."""

    page_size: int


@dataclass
class IngestResult:
    study_id: str
    received: int = 0
    inserted: int = 0
    per_survey: dict[str, int] = field(default_factory=dict)
    archived: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)

    def metadata(self) -> dict:
        return {"study_id": self.study_id, "responses_received": self.received, "versions_inserted": self.inserted,
                "inserted_per_survey": self.per_survey, "inbox_archived": self.archived,
                "inbox_quarantined": self.quarantined}


def file_batch(path: Path, common: dict, instrument: Instrument | None = None) -> raw.Batch:
    """An export file as a batch: a CSV is read by DuckDB in bounded memory, a JSON or SPSS export by Python."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if path.suffix.lower() == ".csv":
        read_columns(path)  # DuckDB reads the rows; the headings get the same checks as every other export
        return raw.Batch(source="file", origin=path.name, origin_sha256=digest.hexdigest(), responses=(),
                         csv_path=path, **common)
    if path.suffix.lower() == ".sav" and instrument is not None:
        export = read_sav(path, [*META_COLUMNS, *(c.name for c in instrument.columns())])
    else:
        export = read_export(path)
    return raw.Batch(source="file", origin=path.name, origin_sha256=export.sha256, responses=export.responses,
                     **common)


def _batch_fields(study: Study, survey: Survey) -> tuple[Instrument, dict]:
    """The survey's instrument as fielded in its wave, and what every batch of the survey carries."""
    instrument = study.instrument(survey.instrument, survey.wave)
    return instrument, {"study_id": study.study_id, "survey_id": survey.survey_id, "wave": survey.wave,
                        "instrument": instrument.name, "instrument_version": instrument.version}


def load_wave(con: duckdb.DuckDBPyConnection, study: Study, wave: str, *, locations: Locations,
              pseudonym_key: Callable[[], bytes], log: Callable[[str, str], None],
              limesurvey: LimeSurveySource | None = None, survey_ids: Sequence[int] = (),
              full_rescan: bool = False) -> IngestResult:
    """Load the wave's surveys (or only ``survey_ids``): each from its export file or the server (new ids,
    still-incomplete ids, and on ``full_rescan`` every id, with the server's structure for the drift check),
    then the files dropped in the inbox for it. A file the inbox cannot use (or that names no survey of the
    study) is quarantined with its reason;
    a bad export named in the study file stops the load. Each batch is one transaction. ``log(level, text)``
    hears of each batch as it happens; ``pseudonym_key`` is asked for only when there is a batch to store."""
    result = IngestResult(study.study_id)
    inbox = Inbox.of(locations, study.study_id)
    dropped, unmatched = inbox.sort(study)
    for path, reason in unmatched:  # none stays in the inbox unsaid: the sensor would quarantine it too
        result.quarantined.append(inbox.quarantine_file(path, reason).name)
        log("warning", f"inbox file {path.name} quarantined: {reason}")
    for survey in study.surveys_in(wave):
        if survey_ids and survey.survey_id not in survey_ids:
            continue
        instrument, common = _batch_fields(study, survey)
        loads: list[tuple[raw.Batch, Path | None]] = []
        if survey.source == "file":
            loads.append((file_batch(survey.export, common), None))
        elif survey.source == "limesurvey":
            if limesurvey is None:
                raise ValueError(f"survey {survey.survey_id} is read from LimeSurvey, and no server was given")
            state = raw.stored_state(con, study.study_id, survey.survey_id)
            with limesurvey.open() as server:
                structure = server.structure(survey.survey_id)
                responses = fetch_responses(server, survey.survey_id, state, page_size=limesurvey.page_size,
                                            full_rescan=full_rescan)
                loads.append((raw.Batch(source="limesurvey", origin=server.endpoint, responses=responses,
                                        structure=structure, **common), None))
        for path in dropped.get(survey.survey_id, []):
            try:
                check_columns(path, instrument)
                loads.append((file_batch(path, common, instrument), path))
            except (ExportError, RejectedFile) as exc:
                result.quarantined.append(inbox.quarantine_file(path, str(exc)).name)
                log("warning", f"inbox file {path.name} quarantined: {exc}")
        for batch, inbox_path in loads:
            try:
                loaded = raw.append(con, batch, pseudonym_key=pseudonym_key())
            except ExportError as exc:
                if inbox_path is None:
                    raise
                result.quarantined.append(inbox.quarantine_file(inbox_path, str(exc)).name)
                log("warning", f"inbox file {inbox_path.name} quarantined: {exc}")
                continue
            if inbox_path is not None:
                result.archived.append(inbox.archive_file(inbox_path).name)
            log("info", f"survey {survey.survey_id} ({instrument.name}): {loaded.received} responses read from "
                        f"{batch.origin}, {loaded.inserted} new or changed")
            result.received += loaded.received
            result.inserted += loaded.inserted
            key = str(survey.survey_id)
            result.per_survey[key] = result.per_survey.get(key, 0) + loaded.inserted
    return result


def structure_differences(con: duckdb.DuckDBPyConnection, study: Study,
                          wave: str | None = None) -> tuple[list[int], dict[str, list[str]]]:
    """The surveys (of ``wave``, or every wave) whose server structure is on record, and per survey how the
    server's questionnaire differs from the codebook (no entry: the same). Surveys loaded from files have no
    server structure."""
    checked, problems = [], {}
    for survey in (study.surveys_in(wave) if wave else study.surveys):
        structure = raw.latest_structure(con, study.study_id, survey.survey_id)
        if structure is None:
            continue
        checked.append(survey.survey_id)
        drift = structure_drift(study.instrument(survey.instrument, survey.wave), structure)
        if drift:
            problems[str(survey.survey_id)] = drift
    return checked, problems


def structure_findings(problems: dict[str, list[str]]) -> list[str]:
    """``structure_differences``' findings, one line each, naming the survey."""
    return [f"survey {survey_id}: {line}" for survey_id, lines in problems.items() for line in lines]


def load_if_nothing_new(con: duckdb.DuckDBPyConnection, study: Study, surveys: Sequence[Survey], *,
                        locations: Locations, pseudonym_key: Callable[[], bytes], log: Callable[[str, str], None],
                        limesurvey: LimeSurveySource | None = None) -> IngestResult | None:
    """The load of ``surveys`` when it brings nothing: the study's inbox is empty, each export file and each
    server survey holds no response that is new or changed (``raw.count_new``), and each server questionnaire is
    the one last stored, matching the codebook. Then the loads are recorded in ``raw.loads`` as usual (nothing
    inserted) and their result returned; otherwise None, and no row is written (the connection may have created
    or migrated the warehouse): a run loads and checks. A survey never loaded is left to the run at once, and a
    changed questionnaire before its responses are fetched, so those are not fetched twice."""
    if Inbox.of(locations, study.study_id).files():
        return None
    batches = []
    for survey in surveys:
        instrument, common = _batch_fields(study, survey)
        if survey.source == "file":
            batch = file_batch(survey.export, common)
        elif survey.source == "limesurvey" and limesurvey is not None:
            state = raw.stored_state(con, study.study_id, survey.survey_id)
            stored = raw.latest_structure(con, study.study_id, survey.survey_id)
            if stored is None or not state.response_ids:
                return None  # a first load: everything is new (the run fetches it once, not twice)
            with limesurvey.open() as server:
                structure = server.structure(survey.survey_id)
                if structure != stored:  # a changed questionnaire: the run's check says how
                    return None
                responses = fetch_responses(server, survey.survey_id, state, page_size=limesurvey.page_size)
            batch = raw.Batch(source="limesurvey", origin=server.endpoint, responses=responses, structure=structure,
                              **common)
        elif survey.source == "limesurvey":
            return None
        else:  # read from the inbox only, which is empty
            continue
        if raw.count_new(con, batch)[1]:
            return None
        batches.append((survey, instrument, batch))
    if any(structure_differences(con, study, wave)[1] for wave in {s.wave for s in surveys}):
        return None  # a questionnaire that still differs: the run's check says how
    result = IngestResult(study.study_id)
    for survey, instrument, batch in batches:
        loaded = raw.append(con, batch, pseudonym_key=pseudonym_key())
        log("info", f"survey {survey.survey_id} ({instrument.name}): {loaded.received} responses read from "
                    f"{batch.origin}, nothing new or changed")
        result.received += loaded.received
        result.per_survey[str(survey.survey_id)] = 0
    return result
