"""Per-study schedules: new responses hourly, a full rescan (to catch edits) weekly.

The cron expressions come from each study file (``schedule: {ingest: ..., rescan: ...}``). Schedules
start stopped: switch them on in the Dagster UI, with ``dagster-daemon`` running (``make dev`` runs one).
"""

import dagster as dg

from instruments.study import Study
from pipelines.defs.keys import StudyGraph


def ingest_run_config(graph: StudyGraph, full_rescan: bool) -> dict:
    return {"ops": {graph.op_name("raw_responses"): {"config": {"full_rescan": full_rescan}}}}


def api_waves(study: Study) -> list[str]:
    """Waves with at least one survey read from the LimeSurvey server."""
    return sorted({s.wave for s in study.surveys if s.source == "limesurvey"})


def _schedule(study: Study, graph: StudyGraph, job, name: str, cron: str, full_rescan: bool) -> dg.ScheduleDefinition:
    def evaluate(context: dg.ScheduleEvaluationContext):
        waves = api_waves(study)
        if not waves:
            yield dg.SkipReason(f"study {study.study_id} has no survey read from LimeSurvey")
        for wave in waves:
            yield dg.RunRequest(run_key=f"{name}:{context.scheduled_execution_time.isoformat()}:{wave}",
                                partition_key=wave, run_config=ingest_run_config(graph, full_rescan),
                                tags=graph.tags)

    return dg.ScheduleDefinition(name=name, cron_schedule=cron, job=job, execution_fn=evaluate,
                                 default_status=dg.DefaultScheduleStatus.STOPPED,
                                 description=f"{'Rescan' if full_rescan else 'Ingest'} study {study.study_id}")


def study_schedules(study: Study, graph: StudyGraph, job) -> list[dg.ScheduleDefinition]:
    """The study's ingest and rescan schedules, both running its ``job`` (``pipelines/defs/jobs.py``)."""
    return [_schedule(study, graph, job, f"ingest_{graph.prefix}", study.ingest_cron, full_rescan=False),
            _schedule(study, graph, job, f"rescan_{graph.prefix}", study.rescan_cron, full_rescan=True)]
