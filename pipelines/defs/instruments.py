"""codebook and instrument_files: the questionnaires as fielded, for machines and for LimeSurvey."""

import json

import dagster as dg
import pandas as pd

from instruments import codebook as codebook_rows
from instruments.build import build_study
from pipelines.defs.partitions import wave_partitions
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from warehouse.tables import replace_wave


@dg.asset(partitions_def=wave_partitions, group_name="instruments", kinds={"duckdb"}, pool=WAREHOUSE_POOL)
def codebook(context: dg.AssetExecutionContext, study: StudyResource,
             warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Table ``meta.codebook``: one row per column LimeSurvey exports for each questionnaire of the wave,
    with its labels in nl/fr/en, type, answers, dimension, mirror item, condition and instrument version.
    Source: ``instruments/definitions/`` and the study's service catalogue."""
    config = study.load()
    wave = context.partition_key
    instruments = [study.instrument(s.instrument, wave) for s in config.surveys_in(wave)]
    rows = [row for instrument in instruments for row in codebook_rows.rows(instrument)]
    frame = pd.DataFrame(rows).drop(columns=["wave"])
    frame["answers"] = frame["answers"].map(lambda a: json.dumps(a, ensure_ascii=False))
    with warehouse.connect() as con:
        count = replace_wave(con, "meta", "codebook", frame, study_id=config.study_id, wave=wave)
    return dg.MaterializeResult(metadata={"rows": count, "versions": {i.name: i.version for i in instruments}})


@dg.asset(group_name="instruments", kinds={"xml", "html"})
def instrument_files(context: dg.AssetExecutionContext, study: StudyResource,
                     warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Folder ``build/<study>/``: one LimeSurvey survey structure file (``.lss``) per survey of the
    study, ready for LimeSurvey's import, and the codebook as JSON and as HTML in nl/fr/en."""
    result = build_study(study.load(), warehouse.locations().build)
    return dg.MaterializeResult(metadata={
        "folder": dg.MetadataValue.path(str(result.folder.resolve())),
        "lss": [p.name for p in result.lss],
        "codebook_html": [p.name for p in result.codebook_html],
    })
