"""raw_responses: every version of every response of the study's surveys in a wave."""

import hashlib
from pathlib import Path

import dagster as dg

from instruments.drift import structure_drift
from instruments.limesurvey_export import META_COLUMNS, ExportError, read_columns, read_export, read_sav
from pipelines.inbox import Inbox, RejectedFile, check_columns
from pipelines.defs.partitions import wave_partitions
from pipelines.fetch import fetch_responses
from pipelines.resources.limesurvey import LimeSurveyResource
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from warehouse import raw


class RawResponsesConfig(dg.Config):
    full_rescan: bool = False  # also fetch every stored id again, to catch edits made in LimeSurvey
    survey_ids: list[int] = []  # only these surveys of the wave (default: all)


def _file_batch(path: Path, common: dict, instrument=None) -> raw.Batch:
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


@dg.asset(
    partitions_def=wave_partitions,
    group_name="ingest",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
)
def raw_responses(context: dg.AssetExecutionContext, config: RawResponsesConfig, study: StudyResource,
                  warehouse: WarehouseResource, limesurvey: LimeSurveyResource) -> dg.MaterializeResult:
    """Table ``raw.responses`` (in ``raw.duckdb``): one row per version of a LimeSurvey response, as
    exported, with its load in ``raw.loads``. Append-only; an identical re-delivery adds nothing, an
    edited response is a new version.

    Source per survey of the wave: its export file when the study file names one, else the LimeSurvey
    server (new ids, still-incomplete ids, and on ``full_rescan`` every id), whose structure is kept
    in ``raw.survey_structures`` for the drift check.
    """
    study_config = study.load()
    wave = context.partition_key
    received = inserted = 0
    per_survey = {}
    inbox = Inbox.of(warehouse.locations(), study_config.study_id)
    dropped, _ = inbox.sort(study_config)
    archived, quarantined = [], []
    with warehouse.connect() as con:
        for survey in study_config.surveys_in(wave):
            if config.survey_ids and survey.survey_id not in config.survey_ids:
                continue
            instrument = study.instrument(survey.instrument, wave)
            common = {"study_id": study_config.study_id, "survey_id": survey.survey_id, "wave": wave,
                      "instrument": instrument.name, "instrument_version": instrument.version}
            loads: list[tuple[raw.Batch, Path | None]] = []
            if survey.source == "file":
                loads.append((_file_batch(survey.export, common), None))
            elif survey.source == "limesurvey":
                state = raw.stored_state(con, study_config.study_id, survey.survey_id)
                with limesurvey.open() as server:
                    structure = server.structure(survey.survey_id)
                    responses = fetch_responses(server, survey.survey_id, state, page_size=limesurvey.page_size,
                                                full_rescan=config.full_rescan)
                    loads.append((raw.Batch(source="limesurvey", origin=server.endpoint, responses=responses,
                                            structure=structure, **common), None))
            for path in dropped.get(survey.survey_id, []):
                try:
                    check_columns(path, instrument)
                    loads.append((_file_batch(path, common, instrument), path))
                except (ExportError, RejectedFile) as exc:
                    quarantined.append(inbox.quarantine_file(path, str(exc)).name)
                    context.log.warning(f"inbox file {path.name} quarantined: {exc}")
            for batch, inbox_path in loads:
                try:
                    result = raw.append(con, batch, pseudonym_key=study.pseudonym_key())
                except ExportError as exc:
                    if inbox_path is None:
                        raise
                    quarantined.append(inbox.quarantine_file(inbox_path, str(exc)).name)
                    context.log.warning(f"inbox file {inbox_path.name} quarantined: {exc}")
                    continue
                if inbox_path is not None:
                    archived.append(inbox.archive_file(inbox_path).name)
                context.log.info(f"survey {survey.survey_id} ({instrument.name}): {result.received} responses "
                                 f"read from {batch.origin}, {result.inserted} new or changed")
                received += result.received
                inserted += result.inserted
                per_survey[str(survey.survey_id)] = per_survey.get(str(survey.survey_id), 0) + result.inserted
    return dg.MaterializeResult(metadata={
        "study_id": study_config.study_id, "responses_received": received,
        "versions_inserted": inserted, "inserted_per_survey": per_survey,
        "inbox_archived": archived, "inbox_quarantined": quarantined,
    })


@dg.asset_check(asset=raw_responses, blocking=True,
                description="The questionnaire on the LimeSurvey server is the one in the codebook: no "
                            "question or answer added, removed or recoded.")
def survey_structure_matches_codebook(study: StudyResource, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    study_config = study.load()
    problems: dict[str, list[str]] = {}
    checked = []
    with warehouse.connect() as con:
        for survey in study_config.surveys:
            structure = raw.latest_structure(con, study_config.study_id, survey.survey_id)
            if structure is None:
                continue  # loaded from files: no server structure to compare
            checked.append(survey.survey_id)
            drift = structure_drift(study.instrument(survey.instrument, survey.wave), structure)
            if drift:
                problems[str(survey.survey_id)] = drift
    return dg.AssetCheckResult(
        passed=not problems,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(f"survey {sid}: " + "; ".join(lines) for sid, lines in problems.items()) or None,
        metadata={"surveys_checked": checked, "differences": problems},
    )
