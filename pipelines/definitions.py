"""The one Dagster entry point: loads ``pipelines/defs`` and binds the resources, nothing else."""

import dagster as dg

from pipelines import defs as _defs
from pipelines.defs.resources import RESOURCES

defs = dg.Definitions(
    assets=dg.load_assets_from_package_module(_defs),
    asset_checks=dg.load_asset_checks_from_package_module(_defs),
    resources=RESOURCES,
)
