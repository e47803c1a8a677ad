"""quality_flags and quality_report: every response checked by the study's data-quality rules
(``quality.yaml``); nothing is deleted."""

import dagster as dg

from pipelines.defs.keys import StudyGraph
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource


def quality_assets(graph: StudyGraph) -> list:
    study_id = graph.study_id

    @dg.asset(key=graph.key("quality_flags"), deps=graph.clean_keys, partitions_def=graph.partitions,
              group_name=graph.group("clean"), kinds={"duckdb"}, pool=graph.pool)
    def quality_flags(context: dg.AssetExecutionContext, study: StudyResource,
                      warehouse: WarehouseResource) -> dg.MaterializeResult:
        """Table ``clean.quality_flags``: one row per clean response of the wave with a flag per rule
        (incomplete, speeding, straightlining, duplicate, out of range) and whether the rules keep it out of
        the weighting base. Source: ``clean.*_responses``; total time from LimeSurvey's timings
        (``interviewtime``) when exported, else from its start and last-action stamps."""
        from pipelines.stages.quality import flag_wave

        with warehouse.connect(study_id) as con:
            return dg.MaterializeResult(metadata=flag_wave(con, study.load(study_id), context.partition_key))

    @dg.asset(key=graph.key("quality_report"), deps=[quality_flags], partitions_def=graph.partitions,
              group_name=graph.group("clean"), kinds={"duckdb"}, pool=graph.pool)
    def quality_report(context: dg.AssetExecutionContext, study: StudyResource,
                       warehouse: WarehouseResource) -> dg.MaterializeResult:
        """Table ``meta.quality_report``: per survey, wave and flag, how many responses it caught."""
        from pipelines.stages.quality import report_wave

        with warehouse.connect(study_id) as con:
            report = report_wave(con, study.load(study_id), context.partition_key)
        return dg.MaterializeResult(metadata={"report": dg.MetadataValue.md(report.to_markdown(index=False))
                                              if not report.empty else "no responses"})

    return [quality_flags, quality_report]
