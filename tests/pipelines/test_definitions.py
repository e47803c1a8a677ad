"""pipelines/definitions.py: the one Definitions object loads, validates and holds each configured study's own
asset graph: keys prefixed with the study, partitions of its own waves, a pool of its own; two studies sit side
by side and a study outside the studies folder runs with the graph of its folder."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from instruments.study import DEMO_STUDY, load_study, study_ids
from tests.conftest import ROOT

ASSETS = {"codebook", "instrument_files", "raw_responses", "fieldwork_monitor", "clean_parent_responses", "raking_weights",
          "quality_flags", "quality_report",
          "clean_field_actor_responses", "indicators", "wave_differences", "exports", "dashboard_site"}
PREFIX = "demo_brussels"
SECOND = ROOT / "tests" / "fixtures" / "studies" / "support-models"


def _key(name: str, prefix: str = PREFIX) -> dg.AssetKey:
    return dg.AssetKey([prefix, name])


def test_definitions_hold_the_assets_in_order():
    from pipelines.defs.keys import dagster_name
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {k for k in keys if k.startswith(f"{PREFIX}/")} == {f"{PREFIX}/{name}" for name in ASSETS}
    # Every study of the bundled folder has its own graph beside the demo's.
    assert {k.split("/")[0] for k in keys} == {dagster_name(study_id) for study_id in study_ids()}

    def upstream(name):
        return {p.path[-1] for p in graph.get(_key(name)).parent_keys}

    assert upstream("clean_parent_responses") == {"raw_responses", "codebook"}
    assert upstream("dashboard_site") == {"indicators", "wave_differences", "codebook", "raking_weights",
                                         "quality_report"}
    partitions = graph.get(_key("raw_responses")).partitions_def
    assert partitions.get_partition_keys() == ["2018", "2021"]
    assert {c.name for c in graph.asset_check_keys} == {
        "survey_structure_matches_codebook", "weights_meet_margins",
        "weights_positive_and_finite", "effective_sample_size", "trimmed_weights_near_margins",
        "no_small_indicator_cells", "no_hidden_cell_can_be_worked_out", "every_wave_publishable"}
    assert upstream("indicators") == {"clean_parent_responses", "clean_field_actor_responses", "raking_weights"}
    # Which instrument is weighted is the study's choice (study.yaml): the weights wait for every clean asset.
    assert upstream("raking_weights") == {"clean_parent_responses", "clean_field_actor_responses", "quality_flags"}
    assert sorted(job.name for job in defs.jobs) == sorted(f"{dagster_name(s)}_ingest_job" for s in study_ids())


def test_dagster_definitions_validate(tmp_path: Path):
    """With two studies in TOEGANG_STUDIES: the demo and a second study written only as YAML."""
    studies = tmp_path / "studies"
    shutil.copytree(ROOT / "instruments" / "studies" / DEMO_STUDY, studies / DEMO_STUDY)
    shutil.copytree(SECOND, studies / SECOND.name)
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path), TOEGANG_STUDIES=str(studies))
    (tmp_path / "dagster.yaml").touch()
    result = subprocess.run(
        [Path(sys.executable).parent / "dagster", "definitions", "validate", "-m", "pipelines.definitions"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Validation successful" in result.stderr + result.stdout


@pytest.fixture(scope="module")
def two_studies(tmp_path_factory):
    from pipelines.defs.study import build_definitions

    studies = tmp_path_factory.mktemp("two") / "studies"
    shutil.copytree(ROOT / "instruments" / "studies" / DEMO_STUDY, studies / DEMO_STUDY)
    shutil.copytree(SECOND, studies / SECOND.name)
    return studies, build_definitions(studies)


def test_two_studies_side_by_side_each_with_its_waves_instruments_pool_job_and_schedules(two_studies):
    _, defs = two_studies
    graph = defs.resolve_asset_graph()
    second = "support_models"
    assert {k.path[-1] for k in graph.get_all_asset_keys() if k.path[0] == second} == {
        *(ASSETS - {"clean_parent_responses", "clean_field_actor_responses"}),
        "clean_client_responses", "clean_worker_responses"}  # the clean assets follow the study's instruments
    assert graph.get(_key("raw_responses", second)).partitions_def.get_partition_keys() == ["2025"]
    assert graph.get(_key("raw_responses")).partitions_def.get_partition_keys() == ["2018", "2021"]
    pools = {key: graph.get(key).pools for key in graph.get_all_asset_keys()}
    assert {p for key, ps in pools.items() if key.path[0] == PREFIX for p in ps} == {"toegang_demo_brussels"}
    assert {p for key, ps in pools.items() if key.path[0] == second for p in ps} == {"toegang_support_models"}
    assert sorted(job.name for job in defs.jobs) == ["demo_brussels_ingest_job", "support_models_ingest_job"]
    assert sorted(s.name for s in defs.schedules) == ["ingest_demo_brussels", "ingest_support_models",
                                                      "rescan_demo_brussels", "rescan_support_models"]
    assert sorted(s.name for s in defs.sensors) == [
        "inbox_files_demo_brussels", "inbox_files_support_models", "limesurvey_new_responses_demo_brussels",
        "limesurvey_new_responses_support_models", "record_run_failures"]
    for key in graph.get_all_asset_keys():  # no asset depends on another study's
        assert {p.path[0] for p in graph.get(key).parent_keys} <= {key.path[0]}


def test_study_ids_that_share_a_dagster_name_are_refused(two_studies, tmp_path):
    from pipelines.defs.study import StudyNamesCollide, build_definitions

    studies, _ = two_studies
    shutil.copytree(studies, tmp_path / "studies")
    copy = tmp_path / "studies" / "support_models"
    shutil.copytree(tmp_path / "studies" / SECOND.name, copy)
    text = (copy / "study.yaml").read_text(encoding="utf-8").replace("study_id: support-models",
                                                                     "study_id: support_models")
    (copy / "study.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(StudyNamesCollide, match="'support-models' and 'support_models' would share the Dagster "
                                                "name 'support_models'"):
        build_definitions(tmp_path / "studies")


def test_a_wave_key_of_one_study_is_refused_for_the_other(two_studies, tmp_path):
    """By the runner, before anything runs, naming the study's waves; and by Dagster itself, whose partitions are
    per study."""
    from pipelines.defs.resources import resources
    from pipelines.runner import UnknownWave, run_study, selections

    studies, _ = two_studies
    with pytest.raises(UnknownWave, match=r"study 'support-models' has no wave 2018 \(its waves: 2025\)"):
        run_study(SECOND.name, ["2018"], home=str(tmp_path / "home"), studies_dir=str(studies))
    with pytest.raises(UnknownWave, match=r"study 'demo-brussels' has no wave 2025 \(its waves: 2018, 2021\)"):
        run_study(DEMO_STUDY, ["2025"], home=str(tmp_path / "home"), studies_dir=str(studies))
    ingest = selections(SECOND.name, str(studies)).ingest
    with pytest.raises(dg.DagsterUnknownPartitionError, match="2018"):
        dg.materialize(ingest, partition_key="2018", instance=dg.DagsterInstance.ephemeral(),
                       resources=resources(studies))
    assert not (tmp_path / "home").exists()  # nothing ran


def test_the_runner_reaches_every_asset_and_check():
    """``toegang run`` materialises each wave's partitioned assets, then the study's others; ``toegang ingest``
    the ingest group. Derived from the study's definitions: an asset or check added there is run without a list
    to edit."""
    from pipelines.definitions import defs
    from pipelines.runner import selections

    wave, study, ingest = selections(DEMO_STUDY)

    def assets(selection):
        return {key.path[-1] for item in selection for key in item.keys}

    def checks(selection):
        return {key.name for item in selection for key in getattr(item, "check_keys", ())}

    graph = defs.resolve_asset_graph()
    run = [*wave, *study]
    # The demo's graph (the bundled folder holds other studies' graphs beside it).
    assert assets(run) == ASSETS == {k.path[-1] for k in graph.get_all_asset_keys() if k.path[0] == PREFIX}
    assert checks(run) == {c.name for c in graph.asset_check_keys if c.asset_key.path[0] == PREFIX}
    assert not assets(wave) & assets(study)
    assert all(a.partitions_def is not None for a in wave if a.keys)
    assert assets(ingest) == {"raw_responses", "fieldwork_monitor"}
    assert checks(ingest) == {"survey_structure_matches_codebook"}


def test_a_study_outside_the_studies_folder_has_its_own_graph(two_studies):
    from pipelines.runner import selections

    studies, _ = two_studies
    wave, _, _ = selections(SECOND.name, str(studies))
    assert {key.to_user_string() for item in wave for key in item.keys} >= {
        "support_models/clean_client_responses", "support_models/clean_worker_responses"}
    assert load_study(SECOND.name, studies).waves == ["2025"]
