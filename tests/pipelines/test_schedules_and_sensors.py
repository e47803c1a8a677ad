"""pipelines/defs/schedules.py and sensors.py: a study's sensor asks for a run of its ingest job only when
LimeSurvey's count changed; its schedules run that job for the study's API waves; failed runs are recorded in
the warehouse of their study."""

from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from instruments.limesurvey_export import read_export
from instruments.study import DEMO_STUDY, load_study
from pipelines.defs.resources import resources
from pipelines.defs.sensors import run_failure_sensor
from pipelines.defs.study import study_definitions
from pipelines.resources.limesurvey import LimeSurveyResource
from pipelines.resources.warehouse import WarehouseResource
from benchmarks.harness.studies import write_study
from benchmarks.harness.limesurvey_server import LimeSurveyTestServer

PASSWORD = "sensor-test-password"


@pytest.fixture
def studies(tmp_path: Path) -> Path:
    return write_study(tmp_path / "studies", "api-study", [{"survey_id": 418201, "instrument": "parent", "wave": "2018"}],
                       schedule={"ingest": "*/15 * * * *", "rescan": "0 4 * * 6"})


def test_sensor_requests_a_run_only_after_the_count_changed(studies):
    demo = load_study(DEMO_STUDY)
    responses = read_export(demo.surveys[0].export).responses
    server = LimeSurveyTestServer(password=PASSWORD).start()
    try:
        survey = server.add_survey(418201, demo.instrument("parent", "2018"), responses[:100])
        part = study_definitions(load_study("api-study", studies), studies)
        sensor = next(s for s in part.sensors if s.name == "limesurvey_new_responses_api_study")
        defs = dg.Definitions(assets=part.assets, jobs=[part.job], sensors=[sensor], resources=resources(studies))
        resource = LimeSurveyResource(url=server.url, username="admin", password=PASSWORD, retries=0)

        def tick(cursor):
            context = dg.build_sensor_context(cursor=cursor, resources={"limesurvey": resource},
                                              definitions=defs)
            result = sensor.evaluate_tick(context)
            return result.run_requests, result.skip_message, result.cursor

        first, _, cursor = tick(None)
        assert [r.partition_key for r in first] == ["2018"]
        assert first[0].tags["toegang/study"] == "api-study" and sensor.job_name == "api_study_ingest_job"
        again, skipped, cursor = tick(cursor)
        assert not again and "no new responses" in skipped
        survey.responses = [dict(r) for r in responses[:120]]
        later, _, cursor = tick(cursor)
        assert [r.partition_key for r in later] == ["2018"] and later[0].run_key != first[0].run_key
    finally:
        server.stop()


def test_schedules_follow_the_study_file(studies):
    part = study_definitions(load_study("api-study", studies), studies)
    ingest, rescan = part.schedules
    assert (ingest.name, ingest.cron_schedule) == ("ingest_api_study", "*/15 * * * *")
    assert (rescan.name, rescan.cron_schedule) == ("rescan_api_study", "0 4 * * 6")
    assert ingest.job_name == rescan.job_name == "api_study_ingest_job"
    defs = dg.Definitions(assets=part.assets, jobs=[part.job], schedules=[ingest, rescan], resources=resources(studies))
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 11, 24, 4, 0),
                                        repository_def=defs.get_repository_def())
    requests = rescan.evaluate_tick(context).run_requests
    assert [r.partition_key for r in requests] == ["2018"]
    assert requests[0].run_config["ops"]["api_study__raw_responses"]["config"]["full_rescan"] is True
    assert requests[0].tags["toegang/study"] == "api-study"


def test_the_demo_study_has_nothing_to_schedule():
    ingest, _ = study_definitions(load_study(DEMO_STUDY)).schedules
    result = ingest.evaluate_tick(dg.build_schedule_context(scheduled_execution_time=datetime(2026, 11, 24, 4, 0)))
    assert not result.run_requests and "no survey read from LimeSurvey" in result.skip_message


def test_failed_runs_are_recorded_in_the_warehouse_of_their_study(tmp_path):
    """The study comes from the run's tag (the runner's, jobs', schedules' and sensors' runs), else from the key
    prefix of the assets it selected (a materialisation launched in the UI); a run naming no study is logged."""
    @dg.asset(key=dg.AssetKey(["api_study", "broken"]))
    def broken():
        raise RuntimeError("the export was garbled")

    instance = dg.DagsterInstance.ephemeral()
    recorder = run_failure_sensor({"api_study": "api-study", "demo_brussels": DEMO_STUDY})
    warehouse = WarehouseResource(home=str(tmp_path / "home"))
    for tags in ({"toegang/study": DEMO_STUDY}, {}):
        result = dg.materialize([broken], instance=instance, raise_on_error=False, tags=tags)
        assert not result.success
        failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
        context = dg.build_run_status_sensor_context(sensor_name="record_run_failures", dagster_event=failure,
                                                     dagster_instance=instance, dagster_run=result.dagster_run,
                                                     resources={"warehouse": warehouse}).for_run_failure()
        recorder(context)
        study = tags.get("toegang/study", "api-study")
        with duckdb.connect(str(tmp_path / "home" / study / "toegang.duckdb"), read_only=True) as con:
            rows = con.execute("SELECT run_id, job_name, message FROM meta.run_failures").fetchall()
        assert rows[0][0] == result.run_id and rows[0][1] == "__ephemeral_asset_job__"
        assert rows[0][2]

    @dg.asset
    def unclaimed():
        raise RuntimeError("no study's asset")

    result = dg.materialize([unclaimed], instance=instance, raise_on_error=False)
    failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
    recorder(dg.build_run_status_sensor_context(sensor_name="record_run_failures", dagster_event=failure,
                                                dagster_instance=instance, dagster_run=result.dagster_run,
                                                resources={"warehouse": warehouse}).for_run_failure())
    assert sorted(p.name for p in (tmp_path / "home").iterdir()) == ["api-study", DEMO_STUDY]  # no other home
