"""quality_flags and quality_report: every response checked by the rules in
``instruments/definitions/quality.yaml``; nothing is deleted."""

import dagster as dg

from pipelines.defs.keys import CLEAN_KEYS

from pipelines.defs.partitions import wave_partitions
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from pipelines.stages.quality import flag_wave, report_wave


@dg.asset(deps=CLEAN_KEYS,
          partitions_def=wave_partitions, group_name="clean", kinds={"duckdb"}, pool=WAREHOUSE_POOL)
def quality_flags(context: dg.AssetExecutionContext, study: StudyResource,
                  warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Table ``clean.quality_flags``: one row per clean response of the wave with a flag per rule
    (incomplete, speeding, straightlining, duplicate, out of range) and whether the rules keep it out of
    the weighting base. Source: ``clean.*_responses``; total time from LimeSurvey's timings
    (``interviewtime``) when exported, else from its start and last-action stamps."""
    with warehouse.connect() as con:
        return dg.MaterializeResult(metadata=flag_wave(con, study.load(), context.partition_key))


@dg.asset(deps=[quality_flags], partitions_def=wave_partitions, group_name="clean", kinds={"duckdb"},
          pool=WAREHOUSE_POOL)
def quality_report(context: dg.AssetExecutionContext, study: StudyResource,
                   warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Table ``meta.quality_report``: per survey, wave and flag, how many responses it caught."""
    with warehouse.connect() as con:
        report = report_wave(con, study.load(), context.partition_key)
    return dg.MaterializeResult(metadata={"report": dg.MetadataValue.md(report.to_markdown(index=False))
                                          if not report.empty else "no responses"})
