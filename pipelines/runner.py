"""Materialise a study in-process: what ``toegang demo`` and ``toegang run`` do.

Each wave is one partitioned run of ingest -> clean -> indicators (with their checks); the dashboard
is built once all requested waves are in. Runs are recorded in the Dagster instance at
``DAGSTER_HOME`` (default ``.dagster/``), so ``dagster dev`` shows them afterwards.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import dagster as dg
from dagster._core.errors import DagsterAssetCheckFailedError
from dagster._core.utils import make_new_run_id

from pipelines.console import ChecksFailed, failed_checks, run_loggers
from pipelines.defs.keys import INGEST_GROUP, STUDY_TAG, StudyGraph
from pipelines.resources.limesurvey import LimeSurveyResource
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource
from warehouse.paths import Locations


class Selections(NamedTuple):
    wave: list  # the partitioned assets and their checks: one run per wave
    study: list  # the others (the study as a whole), once every wave is in
    ingest: list  # the ingest group: ``toegang ingest``


def selections(study_id: str, studies_dir: str | Path | None = None) -> Selections:
    """The assets and checks of the study's definitions (``pipelines/defs/study.py``, built from its folder in
    ``studies_dir``, default ``TOEGANG_STUDIES``), split as the runner materialises them; a check runs with the
    asset it checks. Derived, never listed by hand: a new asset cannot be left out. (Dagster's asset modules are
    loaded on first use: writing dagster.yaml for ``make dev`` needs none of it.)"""
    from instruments.study import load_study
    from pipelines.defs.study import study_definitions

    part = study_definitions(load_study(study_id, Path(studies_dir) if studies_dir else None), studies_dir)
    assets, checks = list(part.assets), list(part.checks)

    def with_checks(chosen: list) -> list:
        keys = {key for asset in chosen for key in asset.keys}
        return [*chosen, *(c for c in checks if {k.asset_key for k in c.check_keys} <= keys)]

    wave = [a for a in assets if a.partitions_def is not None]
    study = [a for a in assets if a.partitions_def is None]
    ingest = [a for a in wave if set(a.group_names_by_key.values()) == {part.graph.group(INGEST_GROUP)}]
    return Selections(with_checks(wave), with_checks(study), with_checks(ingest))


# Usage statistics stay off: this instance runs on data about vulnerable families, on closed networks.
# DuckDB takes one process per file, and each study has its own files (TOEGANG_HOME/<study>/) and its own pool
# ("toegang_<study>", pipelines/defs/keys.py): a run holding an asset of a study's pool waits in the run queue
# while another run of that study is in progress, so its scheduled, sensor, backfill and launchpad runs never
# contend, while runs of two studies go on at the same time. In-process runs (`toegang run`) do not pass the
# queue; they wait for the study's file lock instead (TOEGANG_LOCK_WAIT, warehouse/connection.py).
# Run monitoring ends a run whose worker died, so a killed run cannot hold the queue for ever.
DAGSTER_YAML = """telemetry:
  enabled: false
concurrency:
  pools:
    granularity: run
    default_limit: 1
run_monitoring:
  enabled: true
  start_timeout_seconds: 300
  max_runtime_seconds: 21600
"""


# The job of a command-line run, as Dagster's UI lists it.
RUN_JOB = "toegang_run"


class UnknownWave(ValueError):
    pass


@dataclass(frozen=True)
class StudyRun:
    study_id: str
    waves: list[str]
    locations: Locations
    run_ids: list[str]


def write_dagster_yaml(home: Path | str) -> Path:
    """The instance configuration in ``home``, unless one is there (an operator's own is kept)."""
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return config


def dagster_instance() -> dg.DagsterInstance:
    home = Path(os.environ.get("DAGSTER_HOME") or ".dagster").resolve()
    write_dagster_yaml(home)
    os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()



def _ingest_config(study_id: str, config: dict) -> dict:
    """Run configuration of the study's raw_responses asset."""
    return {StudyGraph(study_id, (), ()).op_name("raw_responses"): {"config": config}}


def run_study(study_id: str, waves: list[str] | None = None, *, home: str | None = None,
              site: str | None = None, build: str | None = None, studies_dir: str | None = None,
              instance: dg.DagsterInstance | None = None, log_level: str = "INFO",
              limesurvey: LimeSurveyResource | None = None, full_rescan: bool = False,
              debug: bool = False) -> StudyRun:
    """Materialise every wave (or ``waves``) of a study, then the dashboard, with the study's own asset graph
    (built from its folder in ``studies_dir``, default ``TOEGANG_STUDIES``), into its own home
    (``home/<study>/``, default ``TOEGANG_HOME``) and site (``site/<study>/``). ``log_level`` sets the console
    log of the in-process runs (Dagster's step events are DEBUG); ``debug`` prints Dagster's own log, stack traces
    included, instead of the stages' lines (``pipelines.console``)."""
    study_resource = StudyResource(studies_dir=studies_dir)
    study = study_resource.load(study_id)
    chosen = waves or study.waves
    unknown = [w for w in chosen if w not in study.waves]
    if unknown:
        raise UnknownWave(f"study {study.study_id!r} has no wave {', '.join(unknown)} "
                          f"(its waves: {', '.join(study.waves)})")
    warehouse = WarehouseResource(home=home, site=site, build=build)
    locations = warehouse.locations(study.study_id)  # an invalid id is refused before any run
    resources = {"warehouse": warehouse, "study": study_resource, "limesurvey": limesurvey or LimeSurveyResource()}
    instance = instance or dagster_instance()
    chosen_assets = selections(study.study_id, studies_dir)
    loggers = {"console": {"config": {"log_level": log_level}}}
    common = {"resources": resources, "instance": instance, "tags": {STUDY_TAG: study.study_id}, "debug": debug}
    wave_config = {"loggers": loggers,
                   "ops": _ingest_config(study.study_id, {"full_rescan": full_rescan})}
    run_ids = [_materialize(chosen_assets.wave, partition_key=wave, run_config=wave_config, **common)
               for wave in chosen]
    run_ids.append(_materialize(chosen_assets.study, run_config={"loggers": loggers}, **common))
    return StudyRun(study.study_id, chosen, locations, run_ids)


def run_ingest(study_id: str, survey_id: int | None = None, *, home: str | None = None,
               studies_dir: str | None = None, instance: dg.DagsterInstance | None = None,
               limesurvey: LimeSurveyResource | None = None, full_rescan: bool = False,
               log_level: str = "INFO", debug: bool = False) -> StudyRun:
    """Load new responses (all surveys of the study, or one) into the study's raw layer, with the drift check."""
    study_resource = StudyResource(studies_dir=studies_dir)
    study = study_resource.load(study_id)
    surveys = [s for s in study.surveys if survey_id is None or s.survey_id == survey_id]
    if not surveys:
        raise UnknownWave(f"study {study.study_id!r} has no survey {survey_id}")
    warehouse = WarehouseResource(home=home)
    locations = warehouse.locations(study.study_id)
    resources = {"warehouse": warehouse, "study": study_resource, "limesurvey": limesurvey or LimeSurveyResource()}
    instance = instance or dagster_instance()
    config = {"loggers": {"console": {"config": {"log_level": log_level}}},
              "ops": _ingest_config(study.study_id, {"full_rescan": full_rescan,
                                                                "survey_ids": [s.survey_id for s in surveys]})}
    waves = sorted({s.wave for s in surveys})
    ingest = selections(study.study_id, studies_dir).ingest
    run_ids = [_materialize(ingest, partition_key=wave, resources=resources, instance=instance,
                            run_config=config, tags={STUDY_TAG: study.study_id}, debug=debug) for wave in waves]
    return StudyRun(study.study_id, waves, locations, run_ids)


def _materialize(assets: list, *, resources: dict, instance: dg.DagsterInstance, run_config: dict,
                 tags: dict, partition_key: str | None = None, debug: bool = False) -> str:
    """Run assets in-process (as ``dg.materialize`` does, with the command line's loggers: ``pipelines.console``).
    A failure surfaces as the asset's own exception, with its message; blocking checks that failed as
    ``ChecksFailed``, with what each found."""
    defs = dg.Definitions(jobs=[dg.define_asset_job(RUN_JOB)], assets=assets, resources=resources,
                          loggers=run_loggers(debug))
    run_id = make_new_run_id()
    try:
        defs.resolve_job_def(RUN_JOB).execute_in_process(run_config=run_config, instance=instance, tags=tags,
                                                          partition_key=partition_key, run_id=run_id)
        return run_id
    except dg.DagsterUserCodeExecutionError as exc:
        error = exc.user_exception
    except DagsterAssetCheckFailedError:
        error = ChecksFailed(failed_checks(instance, run_id))
    # Raised outside the except block: re-raising inside it would chain the two exceptions into a
    # cycle (each the other's context), which some traceback printers follow forever.
    raise error


if __name__ == "__main__":  # `make dev`: python -m pipelines.runner DAGSTER_HOME
    import sys

    print(write_dagster_yaml(sys.argv[1]))
