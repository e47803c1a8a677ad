"""Per-study schedules: new responses hourly, a full rescan (to catch edits) weekly.

The cron expressions come from each study file (``schedule: {ingest: ..., rescan: ...}``). Schedules
start stopped: switch them on in the Dagster UI, with ``dagster-daemon`` running (``make dev`` runs one).
"""

import dagster as dg

from instruments.study import Study, load_study, study_ids
from pipelines.defs.jobs import ingest_job


def ingest_run_config(study: Study, full_rescan: bool) -> dict:
    return {"resources": {"study": {"config": {"study_id": study.study_id}}},
            "ops": {"raw_responses": {"config": {"full_rescan": full_rescan}}}}


def api_waves(study: Study) -> list[str]:
    """Waves with at least one survey read from the LimeSurvey server."""
    return sorted({s.wave for s in study.surveys if s.source == "limesurvey"})


def _schedule(study: Study, name: str, cron: str, full_rescan: bool) -> dg.ScheduleDefinition:
    def evaluate(context: dg.ScheduleEvaluationContext):
        waves = api_waves(study)
        if not waves:
            yield dg.SkipReason(f"study {study.study_id} has no survey read from LimeSurvey")
        for wave in waves:
            yield dg.RunRequest(run_key=f"{name}:{context.scheduled_execution_time.isoformat()}:{wave}",
                                partition_key=wave, run_config=ingest_run_config(study, full_rescan),
                                tags={"toegang/study": study.study_id})

    return dg.ScheduleDefinition(name=name, cron_schedule=cron, job=ingest_job, execution_fn=evaluate,
                                 default_status=dg.DefaultScheduleStatus.STOPPED,
                                 description=f"{'Rescan' if full_rescan else 'Ingest'} study {study.study_id}")


def study_schedules(studies=None) -> list[dg.ScheduleDefinition]:
    out = []
    for study_id in study_ids(studies):
        study = load_study(study_id, studies)
        slug = study.study_id.replace("-", "_")
        out.append(_schedule(study, f"ingest_{slug}", study.ingest_cron, full_rescan=False))
        out.append(_schedule(study, f"rescan_{slug}", study.rescan_cron, full_rescan=True))
    return out


schedules = study_schedules()
