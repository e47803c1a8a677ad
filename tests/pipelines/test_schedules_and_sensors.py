"""pipelines/defs/schedules.py and sensors.py: the sensor asks for a run only when LimeSurvey's count
changed; schedules run the ingest job for the study's API waves; failed runs are recorded."""

from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from instruments.limesurvey_export import read_export
from instruments.study import DEMO_STUDY, load_study
from pipelines.defs.ingest import raw_responses
from pipelines.defs.jobs import ingest_job
from pipelines.defs.resources import RESOURCES
from pipelines.defs.schedules import study_schedules
from pipelines.defs.sensors import new_responses_sensor, record_run_failures
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
        sensor = new_responses_sensor(studies)
        defs = dg.Definitions(assets=[raw_responses], jobs=[ingest_job], sensors=[sensor], resources=RESOURCES)
        resource = LimeSurveyResource(url=server.url, username="admin", password=PASSWORD, retries=0)

        def tick(cursor):
            context = dg.build_sensor_context(cursor=cursor, resources={"limesurvey": resource},
                                              definitions=defs)
            result = sensor.evaluate_tick(context)
            return result.run_requests, result.skip_message, result.cursor

        first, _, cursor = tick(None)
        assert [r.partition_key for r in first] == ["2018"]
        assert first[0].run_config["resources"]["study"]["config"]["study_id"] == "api-study"
        again, skipped, cursor = tick(cursor)
        assert not again and "no new responses" in skipped
        survey.responses = [dict(r) for r in responses[:120]]
        later, _, cursor = tick(cursor)
        assert [r.partition_key for r in later] == ["2018"] and later[0].run_key != first[0].run_key
    finally:
        server.stop()


def test_schedules_follow_the_study_file(studies):
    ingest, rescan = study_schedules(studies)
    assert (ingest.name, ingest.cron_schedule) == ("ingest_api_study", "*/15 * * * *")
    assert (rescan.name, rescan.cron_schedule) == ("rescan_api_study", "0 4 * * 6")
    defs = dg.Definitions(assets=[raw_responses], jobs=[ingest_job], schedules=[ingest, rescan], resources=RESOURCES)
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 11, 24, 4, 0),
                                        repository_def=defs.get_repository_def())
    requests = rescan.evaluate_tick(context).run_requests
    assert [r.partition_key for r in requests] == ["2018"]
    assert requests[0].run_config["ops"]["raw_responses"]["config"]["full_rescan"] is True


def test_the_demo_study_has_nothing_to_schedule():
    ingest, _ = study_schedules()[:2]
    result = ingest.evaluate_tick(dg.build_schedule_context(scheduled_execution_time=datetime(2026, 11, 24, 4, 0)))
    assert not result.run_requests and "no survey read from LimeSurvey" in result.skip_message


def test_failed_runs_are_recorded(tmp_path):
    @dg.asset
    def broken():
        raise RuntimeError("the export was garbled")

    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([broken], instance=instance, raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
    warehouse = WarehouseResource(home=str(tmp_path / "home"))
    context = dg.build_run_status_sensor_context(sensor_name="record_run_failures", dagster_event=failure,
                                                 dagster_instance=instance, dagster_run=result.dagster_run,
                                                 resources={"warehouse": warehouse}).for_run_failure()
    record_run_failures(context)
    with duckdb.connect(str(tmp_path / "home" / "toegang.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT run_id, job_name, message FROM meta.run_failures").fetchall()
    assert rows[0][0] == result.run_id and rows[0][1] == "__ephemeral_asset_job__"
    assert rows[0][2]
