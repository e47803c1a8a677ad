"""fieldwork_monitor: the internal monitor page of a wave, refreshed by every ingest run (schedule, sensor or
``toegang ingest``)."""

import dagster as dg

from pipelines.defs.keys import INGEST_GROUP, StudyGraph
from pipelines.resources.limesurvey import LimeSurveyResource
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource


def fieldwork_assets(graph: StudyGraph) -> list:
    study_id = graph.study_id

    @dg.asset(key=graph.key("fieldwork_monitor"), partitions_def=graph.partitions,
              group_name=graph.group(INGEST_GROUP), deps=[graph.key("raw_responses")], kinds={"html"},
              pool=graph.pool)
    def fieldwork_monitor(context: dg.AssetExecutionContext, study: StudyResource, warehouse: WarehouseResource,
                          limesurvey: LimeSurveyResource) -> dg.MaterializeResult:
        """Internal pages ``TOEGANG_HOME/<study>/fieldwork/<lang>/<wave>.html`` (never in the site): the wave's
        responses so far against the targets of its fieldwork plans (study.yaml ``fieldwork:``), the pace and
        projected dates, and, for surveys read from LimeSurvey, the server's counts and each invitation batch's
        response rate. Nothing when the study plans no fieldwork for the wave."""
        from pipelines.stages.fieldwork import refresh_monitor

        config = study.load(study_id)
        with warehouse.connect(study_id) as con:
            reports, pages = refresh_monitor(con, config, context.partition_key,
                                             warehouse.locations(study_id).home, None, limesurvey.settings,
                                             context.log.warning)
        totals = {f"{r.plan.instrument}_complete": int(r.progress.loc[r.progress["target"] == "", "complete"].sum())
                  for r in reports}
        return dg.MaterializeResult(metadata={"pages": [str(p) for p in pages], **totals})

    return [fieldwork_monitor]
