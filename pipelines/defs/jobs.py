"""Jobs the schedules and sensors start."""

import dagster as dg

from pipelines.defs.ingest import raw_responses

# Ingestion alone (raw layer and its drift check); analysts rebuild downstream assets when they choose.
ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.assets(raw_responses),
    description="Load new and changed LimeSurvey responses of one wave into the raw layer.",
)
