"""codebook and instrument_files: the questionnaires as fielded, for machines and for LimeSurvey."""

import dagster as dg

from instruments.build import build_study
from pipelines.defs.keys import StudyGraph
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource


def instrument_assets(graph: StudyGraph) -> list:
    study_id = graph.study_id

    @dg.asset(key=graph.key("codebook"), partitions_def=graph.partitions, group_name=graph.group("instruments"),
              kinds={"duckdb"}, pool=graph.pool)
    def codebook(context: dg.AssetExecutionContext, study: StudyResource,
                 warehouse: WarehouseResource) -> dg.MaterializeResult:
        """Table ``meta.codebook``: one row per column LimeSurvey exports for each questionnaire of the wave,
        with its labels in nl/fr/en, type, answers, dimension, mirror item, condition and instrument version.
        Source: the study's ``instruments/`` and subject lists."""
        from pipelines.stages.instruments import write_codebook

        with warehouse.connect(study_id) as con:
            return dg.MaterializeResult(metadata=write_codebook(con, study.load(study_id), context.partition_key))

    @dg.asset(key=graph.key("instrument_files"), group_name=graph.group("instruments"), kinds={"xml", "html"})
    def instrument_files(study: StudyResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
        """Folder ``build/<study>/``: one LimeSurvey survey structure file (``.lss``) per survey of the
        study, ready for LimeSurvey's import, and the codebook as JSON and as HTML in nl/fr/en."""
        result = build_study(study.load(study_id), warehouse.locations(study_id).build)
        return dg.MaterializeResult(metadata={
            "folder": dg.MetadataValue.path(str(result.folder.resolve())),
            "lss": [p.name for p in result.lss],
            "codebook_html": [p.name for p in result.codebook_html],
        })

    return [codebook, instrument_files]
