"""raw_responses: every version of every response of the study's surveys in a wave; and the drift check."""

import dagster as dg

from pipelines.defs.keys import INGEST_GROUP, StudyGraph, run_wave
from pipelines.resources.limesurvey import LimeSurveyResource
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource


class RawResponsesConfig(dg.Config):
    full_rescan: bool = False  # also fetch every stored id again, to catch edits made in LimeSurvey
    survey_ids: list[int] = []  # only these surveys of the wave (default: all)


def ingest_assets(graph: StudyGraph) -> list:
    """The study's raw_responses asset and its drift check."""
    study_id = graph.study_id

    @dg.asset(key=graph.key("raw_responses"), partitions_def=graph.partitions, group_name=graph.group(INGEST_GROUP),
              kinds={"duckdb"}, pool=graph.pool)
    def raw_responses(context: dg.AssetExecutionContext, config: RawResponsesConfig, study: StudyResource,
                      warehouse: WarehouseResource, limesurvey: LimeSurveyResource) -> dg.MaterializeResult:
        """Table ``raw.responses`` (in the study's ``raw.duckdb``): one row per version of a LimeSurvey response,
        as exported, with its load in ``raw.loads``. Append-only; an identical re-delivery adds nothing, an
        edited response is a new version.

        Source per survey of the wave: its export file when the study file names one, else the LimeSurvey
        server (new ids, still-incomplete ids, and on ``full_rescan`` every id), whose structure is kept
        in ``raw.survey_structures`` for the drift check; and files dropped in the study's inbox.
        """
        from pipelines.stages.ingest import load_wave

        with warehouse.connect(study_id) as con:
            result = load_wave(con, study.load(study_id), context.partition_key,
                               locations=warehouse.locations(study_id),
                               pseudonym_key=lambda: study.pseudonym_key(study_id),
                               log=lambda level, text: getattr(context.log, level)(text),
                               limesurvey=limesurvey, survey_ids=config.survey_ids, full_rescan=config.full_rescan)
        return dg.MaterializeResult(metadata=result.metadata())

    @dg.asset_check(asset=raw_responses, blocking=True,
                    description="The questionnaire on the LimeSurvey server is the one in the codebook: no "
                                "question or answer added, removed or recoded.")
    def survey_structure_matches_codebook(context: dg.AssetCheckExecutionContext, study: StudyResource,
                                          warehouse: WarehouseResource) -> dg.AssetCheckResult:
        from pipelines.stages.ingest import structure_differences, structure_findings

        config = study.load(study_id)
        with warehouse.connect(study_id) as con:
            checked, problems = structure_differences(con, config, run_wave(context))
        return dg.AssetCheckResult(
            passed=not problems,
            severity=dg.AssetCheckSeverity.ERROR,
            description="\n".join(structure_findings(problems)) or None,
            metadata={"surveys_checked": checked, "differences": problems,
                      "next": (f"bring the wave's questionnaire in the study folder in line with the server (a new "
                               f"version: toegang instruments diff), or undo the change in LimeSurvey; then "
                               f"toegang ingest --study {study_id}") if problems else None},
        )

    return [raw_responses, survey_structure_matches_codebook]
