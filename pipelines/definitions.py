"""The one Dagster entry point: loads ``pipelines/defs`` and binds the resources, nothing else."""

import dagster as dg

from pipelines import defs as _defs
from pipelines.defs.resources import RESOURCES

from pipelines.defs.jobs import ingest_job
from pipelines.defs.schedules import schedules
from pipelines.defs.sensors import inbox_files, limesurvey_new_responses, record_run_failures

defs = dg.Definitions(
    assets=dg.load_assets_from_package_module(_defs),
    asset_checks=dg.load_asset_checks_from_package_module(_defs),
    jobs=[ingest_job],
    schedules=schedules,
    sensors=[limesurvey_new_responses, inbox_files, record_run_failures],
    resources=RESOURCES,
)
