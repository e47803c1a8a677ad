"""pipelines/definitions.py: the one Definitions object loads, validates and holds the walking skeleton."""

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from tests.conftest import ROOT

ASSETS = {"codebook", "instrument_files", "raw_responses", "clean_parent_responses", "raking_weights",
          "quality_flags", "quality_report",
          "clean_field_actor_responses", "indicators", "wave_differences", "exports", "dashboard_site"}


def test_definitions_hold_the_assets_in_order():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert keys == ASSETS
    upstream = {k: {p.to_user_string() for p in graph.get(dg.AssetKey(k)).parent_keys} for k in ASSETS}
    assert upstream["clean_parent_responses"] == {"raw_responses", "codebook"}
    assert upstream["dashboard_site"] == {"indicators", "codebook", "raking_weights", "quality_report"}
    partitions = graph.get(dg.AssetKey("raw_responses")).partitions_def
    assert partitions.get_partition_keys() == ["2018", "2021"]
    assert {c.name for c in graph.asset_check_keys} == {
        "survey_structure_matches_codebook", "weights_meet_margins",
        "weights_positive_and_finite", "effective_sample_size", "trimmed_weights_near_margins",
        "no_small_indicator_cells"}
    assert upstream["indicators"] == {"clean_parent_responses", "clean_field_actor_responses", "raking_weights"}
    # Which instrument is weighted is the study's choice (study.yaml): the weights wait for every clean asset.
    assert upstream["raking_weights"] == {"clean_parent_responses", "clean_field_actor_responses", "quality_flags"}


def test_dagster_definitions_validate(tmp_path: Path):
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path))
    (tmp_path / "dagster.yaml").touch()
    result = subprocess.run(
        [Path(sys.executable).parent / "dagster", "definitions", "validate", "-m", "pipelines.definitions"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Validation successful" in result.stderr + result.stdout


def test_the_runner_reaches_every_asset_and_check():
    """``toegang run`` materialises each wave's partitioned assets, then the study's others; ``toegang ingest``
    the ingest group. Derived from the definitions: an asset or check added there is run without a list to edit."""
    from pipelines.definitions import defs
    from pipelines.runner import selections

    wave, study, ingest = selections()

    def assets(selection):
        return {key.to_user_string() for item in selection for key in item.keys}

    def checks(selection):
        return {key.name for item in selection for key in getattr(item, "check_keys", ())}

    graph = defs.resolve_asset_graph()
    run = [*wave, *study]
    assert assets(run) == ASSETS == {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert checks(run) == {c.name for c in graph.asset_check_keys}
    assert not assets(wave) & assets(study)
    assert all(a.partitions_def is not None for a in wave if a.keys)
    assert assets(ingest) == {"raw_responses"}
    assert checks(ingest) == {"survey_structure_matches_codebook"}
