"""Sensors: per study, start ingestion only when LimeSurvey counts new responses or a file lands in its inbox;
and one sensor recording every failed run in the warehouse of its study."""

import json
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg

from instruments.study import load_study
from pipelines.defs.keys import STUDY_TAG, StudyGraph
from pipelines.defs.schedules import ingest_run_config
from pipelines.inbox import Inbox
from pipelines.limesurvey import LimeSurveyError
from pipelines.resources.limesurvey import LimeSurveyResource
from pipelines.resources.warehouse import WarehouseResource


def _studies_dir(graph: StudyGraph) -> Path | None:
    return Path(graph.studies_dir) if graph.studies_dir else None


def new_responses_sensor(graph: StudyGraph, job) -> dg.SensorDefinition:
    """Polls get_summary of every survey of the study read from LimeSurvey."""
    @dg.sensor(name=f"limesurvey_new_responses_{graph.prefix}", job=job, minimum_interval_seconds=300,
               default_status=dg.DefaultSensorStatus.STOPPED,
               description=f"Polls get_summary of every survey of study {graph.study_id} read from LimeSurvey; "
                           "requests an ingest run for a wave only when a survey's response count changed.")
    def _sensor(context: dg.SensorEvaluationContext, limesurvey: LimeSurveyResource):
        return _evaluate(context, limesurvey, graph)

    return _sensor


def _evaluate(context: dg.SensorEvaluationContext, limesurvey: LimeSurveyResource, graph: StudyGraph):
    seen: dict[str, int] = json.loads(context.cursor) if context.cursor else {}
    counts: dict[str, int] = {}
    study = load_study(graph.study_id, _studies_dir(graph))
    api = [s for s in study.surveys if s.source == "limesurvey"]
    if not api:
        return dg.SkipReason(f"study {study.study_id} reads no survey from LimeSurvey")
    try:
        with limesurvey.open() as server:
            for survey in api:
                counts[str(survey.survey_id)] = server.response_count(survey.survey_id)
    except LimeSurveyError as exc:
        return dg.SkipReason(f"LimeSurvey not reachable: {exc}")
    changed = sorted({s.wave for s in api if counts[str(s.survey_id)] != seen.get(str(s.survey_id))})
    key = ",".join(f"{k}={v}" for k, v in sorted(counts.items()))
    requests = [dg.RunRequest(run_key=f"{study.study_id}:{wave}:{key}", partition_key=wave,
                              run_config=ingest_run_config(graph, full_rescan=False), tags=graph.tags)
                for wave in changed]
    cursor = json.dumps(counts, sort_keys=True)
    if not requests:
        return dg.SensorResult(skip_reason=dg.SkipReason("no new responses"), cursor=cursor)
    return dg.SensorResult(run_requests=requests, cursor=cursor)


def inbox_sensor(graph: StudyGraph, job) -> dg.SensorDefinition:
    @dg.sensor(name=f"inbox_files_{graph.prefix}", job=job, minimum_interval_seconds=60,
               default_status=dg.DefaultSensorStatus.STOPPED,
               description=f"Watches TOEGANG_HOME/{graph.study_id}/inbox/ and requests an ingest run for the wave "
                           "of each new export file; a file that names no survey of the study goes to quarantine.")
    def _sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
        study = load_study(graph.study_id, _studies_dir(graph))
        inbox = Inbox.of(warehouse.locations(study.study_id), study.study_id)
        matched, unmatched = inbox.sort(study)
        for file, reason in unmatched:
            inbox.quarantine_file(file, reason)
            context.log.warning(f"inbox file {file.name} quarantined: {reason}")
        waves: dict[str, list[Path]] = {}
        for survey_id, files in matched.items():
            wave = next(s.wave for s in study.surveys if s.survey_id == survey_id)
            waves.setdefault(wave, []).extend(files)
        requests = []
        for wave, files in sorted(waves.items()):
            key = ";".join(f"{f.name}:{f.stat().st_mtime_ns}:{f.stat().st_size}" for f in sorted(files))
            requests.append(dg.RunRequest(run_key=f"{study.study_id}:{wave}:{key}", partition_key=wave,
                                          run_config=ingest_run_config(graph, full_rescan=False), tags=graph.tags))
        if not requests:
            return dg.SensorResult(skip_reason=dg.SkipReason("no new files in the inbox"))
        return dg.SensorResult(run_requests=requests)

    return _sensor


def study_of_run(run: dg.DagsterRun, studies: Mapping[str, str], steps: list[str] = ()) -> str | None:
    """The study a run worked on: its tag, else the key prefix of the assets it selected or of its steps
    (``studies``: prefix -> study id; a step of asset ``<prefix>/<name>`` is ``<prefix>__<name>``); None when
    none of them says."""
    if run.tags.get(STUDY_TAG):
        return run.tags[STUDY_TAG]
    found = {studies.get(key.path[0]) for key in run.asset_selection or () if len(key.path) > 1}
    if not found:
        found = {studies[max((p for p in studies if step.startswith(f"{p}__")), key=len)] for step in steps
                 if any(step.startswith(f"{p}__") for p in studies)}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def run_failure_sensor(studies: Mapping[str, str]) -> dg.SensorDefinition:
    """Records every failed run in ``meta.run_failures`` of its study's warehouse, and the log."""
    @dg.run_failure_sensor(name="record_run_failures", default_status=dg.DefaultSensorStatus.RUNNING,
                           description="Records every failed run in meta.run_failures of its study's warehouse, "
                                       "and the log.")
    def record_run_failures(context: dg.RunFailureSensorContext, warehouse: WarehouseResource):
        run = context.dagster_run
        message = context.failure_event.message or "run failed"
        context.log.error(f"run {run.run_id} ({run.job_name}) failed: {message}")
        plan = context.instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id) \
            if run.execution_plan_snapshot_id else None
        study_id = study_of_run(run, studies, [step.key for step in plan.steps] if plan else [])
        if study_id is None:
            context.log.warning(f"run {run.run_id} names no study (tag {STUDY_TAG}): recorded in the log only")
            return
        # Wait less than a sensor's evaluation time limit (60 s); if a run holds the warehouse longer, the tick
        # reports the error and this failure is recorded only by the log line above.
        with warehouse.connect(study_id, lock_wait=30) as con:
            con.execute(
                "INSERT INTO meta.run_failures VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [run.run_id, run.job_name, json.dumps(dict(run.tags)),
                 datetime.now(timezone.utc).replace(tzinfo=None), message[:4000]],
            )

    return record_run_failures
