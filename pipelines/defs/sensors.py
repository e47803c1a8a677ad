"""Sensors: start ingestion only when LimeSurvey counts new responses; record every failed run."""

import json
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg

from instruments.study import load_study, study_ids
from pipelines.defs.jobs import ingest_job
from pipelines.defs.schedules import ingest_run_config
from pipelines.inbox import Inbox
from pipelines.limesurvey import LimeSurveyError
from pipelines.resources.limesurvey import LimeSurveyResource
from pipelines.resources.warehouse import WarehouseResource


def new_responses_sensor(studies_dir: Path | None = None) -> dg.SensorDefinition:
    @dg.sensor(name="limesurvey_new_responses", job=ingest_job, minimum_interval_seconds=300,
               default_status=dg.DefaultSensorStatus.STOPPED,
               description="Polls get_summary of every survey read from LimeSurvey; requests an ingest run "
                           "for a wave only when a survey's response count changed.")
    def _sensor(context: dg.SensorEvaluationContext, limesurvey: LimeSurveyResource):
        return _evaluate(context, limesurvey, studies_dir)

    return _sensor


def _evaluate(context: dg.SensorEvaluationContext, limesurvey: LimeSurveyResource, studies_dir: Path | None):
    seen: dict[str, int] = json.loads(context.cursor) if context.cursor else {}
    counts: dict[str, int] = {}
    requests = []
    studies = [load_study(study_id, studies_dir) for study_id in study_ids(studies_dir)]
    api = [(study, s) for study in studies for s in study.surveys if s.source == "limesurvey"]
    if not api:
        return dg.SkipReason("no study reads a survey from LimeSurvey")
    try:
        with limesurvey.open() as server:
            for study, survey in api:
                counts[f"{study.study_id}/{survey.survey_id}"] = server.response_count(survey.survey_id)
    except LimeSurveyError as exc:
        return dg.SkipReason(f"LimeSurvey not reachable: {exc}")
    changed = {(study.study_id, survey.wave) for study, survey in api
               if counts[f"{study.study_id}/{survey.survey_id}"] != seen.get(f"{study.study_id}/{survey.survey_id}")}
    for study_id, wave in sorted(changed):
        study = next(s for s in studies if s.study_id == study_id)
        key = ",".join(f"{k}={v}" for k, v in sorted(counts.items()) if k.startswith(study_id + "/"))
        requests.append(dg.RunRequest(run_key=f"{study_id}:{wave}:{key}", partition_key=wave,
                                      run_config=ingest_run_config(study, full_rescan=False),
                                      tags={"toegang/study": study_id}))
    cursor = json.dumps(counts, sort_keys=True)
    if not requests:
        return dg.SensorResult(skip_reason=dg.SkipReason("no new responses"), cursor=cursor)
    return dg.SensorResult(run_requests=requests, cursor=cursor)


limesurvey_new_responses = new_responses_sensor()


def inbox_sensor(studies_dir: Path | None = None) -> dg.SensorDefinition:
    @dg.sensor(name="inbox_files", job=ingest_job, minimum_interval_seconds=60,
               default_status=dg.DefaultSensorStatus.STOPPED,
               description="Watches TOEGANG_HOME/inbox/<study>/ and requests an ingest run for the wave of "
                           "each new export file; a file that names no survey goes to quarantine.")
    def _sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
        requests = []
        for study_id in study_ids(studies_dir):
            study = load_study(study_id, studies_dir)
            inbox = Inbox.of(warehouse.locations(), study.study_id)
            matched, unmatched = inbox.sort(study)
            for file, reason in unmatched:
                inbox.quarantine_file(file, reason)
                context.log.warning(f"inbox file {file.name} quarantined: {reason}")
            waves = {}
            for survey_id, files in matched.items():
                wave = next(s.wave for s in study.surveys if s.survey_id == survey_id)
                waves.setdefault(wave, []).extend(files)
            for wave, files in sorted(waves.items()):
                key = ";".join(f"{f.name}:{f.stat().st_mtime_ns}:{f.stat().st_size}" for f in sorted(files))
                requests.append(dg.RunRequest(run_key=f"{study.study_id}:{wave}:{key}", partition_key=wave,
                                              run_config=ingest_run_config(study, full_rescan=False),
                                              tags={"toegang/study": study.study_id}))
        if not requests:
            return dg.SensorResult(skip_reason=dg.SkipReason("no new files in the inbox"))
        return dg.SensorResult(run_requests=requests)

    return _sensor


inbox_files = inbox_sensor()


@dg.run_failure_sensor(default_status=dg.DefaultSensorStatus.RUNNING,
                       description="Records every failed run in meta.run_failures and the log.")
def record_run_failures(context: dg.RunFailureSensorContext, warehouse: WarehouseResource):
    run = context.dagster_run
    message = context.failure_event.message or "run failed"
    context.log.error(f"run {run.run_id} ({run.job_name}) failed: {message}")
    # Wait less than a sensor's evaluation time limit (60 s); if a run holds the warehouse longer, the tick
    # reports the error and this failure is recorded only by the log line above.
    with warehouse.connect(lock_wait=30) as con:
        con.execute(
            "INSERT INTO meta.run_failures VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [run.run_id, run.job_name, json.dumps(dict(run.tags)), datetime.now(timezone.utc).replace(tzinfo=None),
             message[:4000]],
        )
