"""Jobs the schedules and sensors start: one ingest job per study."""

import dagster as dg

from pipelines.defs.keys import StudyGraph


def ingest_job(graph: StudyGraph):
    """Ingestion alone (the study's raw layer, its drift check and the fieldwork monitor it refreshes); analysts
    rebuild downstream assets when they choose. Its runs carry the study's tag and take its pool."""
    return dg.define_asset_job(
        graph.ingest_job_name,
        selection=dg.AssetSelection.assets(graph.key("raw_responses"), graph.key("fieldwork_monitor")),
        tags=graph.tags,
        description=f"Load new and changed LimeSurvey responses of one wave of study {graph.study_id} into its "
                    "raw layer.",
    )
