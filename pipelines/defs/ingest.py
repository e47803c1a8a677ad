"""raw_responses: every version of every response of the study's surveys in a wave."""


import dagster as dg

from instruments.limesurvey_export import read_export
from pipelines.defs.partitions import wave_partitions
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource
from warehouse import raw


class SurveySourceMissing(RuntimeError):
    pass


@dg.asset(
    partitions_def=wave_partitions,
    group_name="ingest",
    kinds={"duckdb"},
)
def raw_responses(context: dg.AssetExecutionContext, study: StudyResource,
                  warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Table ``raw.responses`` (in ``raw.duckdb``): one row per version of a LimeSurvey response, as
    exported, with its load in ``raw.loads``. Append-only; an identical re-delivery adds nothing.

    Source: the export file configured for each survey of the wave in the study file.
    """
    config = study.load()
    wave = context.partition_key
    received = inserted = 0
    per_survey = {}
    with warehouse.connect() as con:
        for survey in config.surveys_in(wave):
            if survey.export is None:
                raise SurveySourceMissing(
                    f"study {config.study_id!r}, survey {survey.survey_id}: no export file configured "
                    f"in {config.path}"
                )
            export = read_export(survey.export)
            instrument = study.instrument(survey.instrument, wave)
            result = raw.append(
                con,
                raw.Batch(
                    source="file",
                    study_id=config.study_id,
                    survey_id=survey.survey_id,
                    wave=wave,
                    instrument=instrument.name,
                    instrument_version=instrument.version,
                    origin=survey.export.name,
                    origin_sha256=export.sha256,
                    responses=export.responses,
                ),
            )
            context.log.info(
                f"survey {survey.survey_id} ({instrument.name}): {result.received} responses read from "
                f"{survey.export.name}, {result.inserted} new or changed"
            )
            received += result.received
            inserted += result.inserted
            per_survey[str(survey.survey_id)] = result.inserted
    return dg.MaterializeResult(
        metadata={
            "study_id": config.study_id,
            "responses_received": received,
            "versions_inserted": inserted,
            "inserted_per_survey": per_survey,
        }
    )
