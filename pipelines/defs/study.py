"""One study's definitions, built by the asset modules' factories: its assets and checks (keys prefixed with the
study), its ingest job, schedules and sensors. ``pipelines/definitions.py`` puts every configured study's side
by side; ``pipelines/runner.py`` materialises the one study it runs, wherever its folder is.

Each asset imports its stage when it runs, not when the definitions are built: every command and ``dagster dev``
builds them, and would otherwise load the statistics (scipy.stats, the survey tests) and the site builder first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from instruments.study import Study, load_study, study_ids
from pipelines.defs.clean import clean_assets
from pipelines.defs.exports import export_assets
from pipelines.defs.fieldwork import fieldwork_assets
from pipelines.defs.indicators import indicator_assets
from pipelines.defs.ingest import ingest_assets
from pipelines.defs.instruments import instrument_assets
from pipelines.defs.jobs import ingest_job
from pipelines.defs.keys import StudyGraph
from pipelines.defs.publish import publish_assets
from pipelines.defs.quality import quality_assets
from pipelines.defs.resources import resources
from pipelines.defs.schedules import study_schedules
from pipelines.defs.sensors import inbox_sensor, new_responses_sensor, run_failure_sensor
from pipelines.defs.weight import weight_assets

# Each asset module's factory: the study's graph in, its assets and checks out.
FACTORIES: tuple[Callable[[StudyGraph], list], ...] = (
    instrument_assets, ingest_assets, fieldwork_assets, clean_assets, quality_assets, weight_assets, indicator_assets,
    export_assets, publish_assets)


class StudyNamesCollide(ValueError):
    """Two study ids that would share a Dagster name (their asset keys, pools and jobs)."""


@dataclass(frozen=True)
class StudyDefinitions:
    graph: StudyGraph
    assets: tuple[dg.AssetsDefinition, ...]
    checks: tuple[dg.AssetChecksDefinition, ...]
    job: object  # the ingest job (an unresolved asset job)
    schedules: tuple[dg.ScheduleDefinition, ...]
    sensors: tuple[dg.SensorDefinition, ...]


_BUILT: dict[StudyGraph, StudyDefinitions] = {}


def study_definitions(study: Study, studies_dir: Path | str | None = None) -> StudyDefinitions:
    """The study's definitions; built once per process for the same study, waves, instruments and folder."""
    graph = StudyGraph.of(study, studies_dir)
    if graph not in _BUILT:
        made = [item for factory in FACTORIES for item in factory(graph)]
        checks = tuple(item for item in made if isinstance(item, dg.AssetChecksDefinition))
        assets = tuple(item for item in made if not isinstance(item, dg.AssetChecksDefinition))
        job = ingest_job(graph)
        _BUILT[graph] = StudyDefinitions(graph, assets, checks, job, tuple(study_schedules(study, graph, job)),
                                         (new_responses_sensor(graph, job), inbox_sensor(graph, job)))
    return _BUILT[graph]


def build_definitions(studies_dir: Path | str | None = None) -> dg.Definitions:
    """Every study of the studies folder (default ``TOEGANG_STUDIES`` or ``instruments/studies``) side by side,
    with the resources and the sensor recording failed runs."""
    folder = Path(studies_dir) if studies_dir is not None else None
    studies = [load_study(study_id, folder) for study_id in study_ids(folder)]
    parts = [study_definitions(study, studies_dir) for study in studies]
    prefixes: dict[str, str] = {}
    for part in parts:
        other = prefixes.setdefault(part.graph.prefix, part.graph.study_id)
        if other != part.graph.study_id:
            raise StudyNamesCollide(f"studies {other!r} and {part.graph.study_id!r} would share the Dagster name "
                                    f"{part.graph.prefix!r} (asset keys, pool, jobs): rename one of their folders")
    return dg.Definitions(
        assets=[asset for part in parts for asset in part.assets],
        asset_checks=[check for part in parts for check in part.checks],
        jobs=[part.job for part in parts],
        schedules=[schedule for part in parts for schedule in part.schedules],
        sensors=[*(sensor for part in parts for sensor in part.sensors), run_failure_sensor(prefixes)],
        resources=resources(studies_dir),
    )
