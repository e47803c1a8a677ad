"""codebook and instrument_files: the questionnaires as fielded, for machines and for LimeSurvey."""

import dagster as dg

from instruments.build import build_study
from pipelines.defs.partitions import wave_partitions
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from pipelines.stages.instruments import write_codebook


@dg.asset(partitions_def=wave_partitions, group_name="instruments", kinds={"duckdb"}, pool=WAREHOUSE_POOL)
def codebook(context: dg.AssetExecutionContext, study: StudyResource,
             warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Table ``meta.codebook``: one row per column LimeSurvey exports for each questionnaire of the wave,
    with its labels in nl/fr/en, type, answers, dimension, mirror item, condition and instrument version.
    Source: ``instruments/definitions/`` and the study's service catalogue."""
    with warehouse.connect() as con:
        return dg.MaterializeResult(metadata=write_codebook(con, study.load(), context.partition_key))


@dg.asset(group_name="instruments", kinds={"xml", "html"})
def instrument_files(study: StudyResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Folder ``build/<study>/``: one LimeSurvey survey structure file (``.lss``) per survey of the
    study, ready for LimeSurvey's import, and the codebook as JSON and as HTML in nl/fr/en."""
    result = build_study(study.load(), warehouse.locations().build)
    return dg.MaterializeResult(metadata={
        "folder": dg.MetadataValue.path(str(result.folder.resolve())),
        "lss": [p.name for p in result.lss],
        "codebook_html": [p.name for p in result.codebook_html],
    })
