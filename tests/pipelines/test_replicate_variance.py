"""A study that chooses replicate-weight variance (``design: {variance: replicates}``): the weighting stage stores
replicate weights raked again in each replicate, the indicator stage's standard errors come from them, and the
microdata carry them; choosing linearisation again removes them. On a copy of the demo run, stages in-process."""

import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest

from analyses import replicate_columns, replicate_weights, survey_mean
from analyses.indicator_table import derive_variables
from instruments.study import DEMO_STUDY, load_study, study_folder
from pipelines.stages.exports import export_content, write_exports
from pipelines.stages.indicators import indicator_wave, read_inputs
from pipelines.stages.weight import DESIGN_WEIGHT, weight_wave, weighted_instrument
from tests.conftest import copy_run, run_locations
from warehouse.connection import connect

WAVE, COUNT, SEED = "2018", 30, 5
DECLARED = "design: {strata: wijk, stratum_sizes: margins}}"


def _study(folder: Path, design: str):
    """The demo study copied to ``folder`` with the 2018 parents' design replaced by ``design``."""
    target = folder / DEMO_STUDY
    if not target.exists():
        shutil.copytree(study_folder(DEMO_STUDY), target)
    text = (study_folder(DEMO_STUDY) / "study.yaml").read_text(encoding="utf-8")
    first = text.index(DECLARED)  # the 2018 survey's (it comes first)
    (target / "study.yaml").write_text(text[:first] + design + text[first + len(DECLARED):], encoding="utf-8")
    return load_study(DEMO_STUDY, studies=folder)


@pytest.fixture(scope="module")
def run(demo_root, tmp_path_factory):
    return run_locations(copy_run(demo_root, tmp_path_factory.mktemp("replicates") / "run"))


def test_replicate_variance_from_weighting_to_exports(run, tmp_path):
    studies = tmp_path / "studies"
    study = _study(studies, "design: {strata: wijk, stratum_sizes: margins, variance: replicates, "
                            f"replicates: {{method: bootstrap, count: {COUNT}, seed: {SEED}}}}}}}")
    with connect(run) as con:
        summary = weight_wave(con, study, WAVE)
        assert summary["design"] == f"bootstrap, {COUNT} replicate weights"
        indicator_wave(con, study, WAVE, "replicates-test")
        design = con.execute("SELECT method, replicates, scale, seed FROM weighted.replicate_designs "
                             "WHERE wave = ?", [WAVE]).fetchall()
        stored = con.execute("SELECT count(*), count(DISTINCT replicate) FROM weighted.parent_replicate_weights "
                             "WHERE wave = ?", [WAVE]).fetchall()[0]
        published = con.execute("SELECT indicator, breakdown, domain, estimate, se, df FROM indicators.indicators "
                                "WHERE wave = ? AND se IS NOT NULL", [WAVE]).df()
        inputs, _ = read_inputs(con, study, WAVE)
        content = export_content(con, study)
        pseudonyms = con.execute("SELECT survey_id, response_id, respondent_id FROM weighted.parent_weights "
                                 "WHERE wave = ?", [WAVE]).df()
    assert design == [("bootstrap", COUNT, pytest.approx(1 / (COUNT - 1)), SEED)]
    assert stored == (summary["n"] * COUNT, COUNT)
    # The SEs are the replicates' (df = R - 1), recomputed here from replicate weights drawn again with the seed.
    sample = inputs.samples[weighted_instrument(study)]
    frame = sample.frame
    # Drawn in pseudonym order (the jackknife's and bootstrap's PSU order must not be LimeSurvey's).
    keyed = frame[["survey_id", "response_id"]].merge(pseudonyms, how="left").set_axis(frame.index)
    ordered = frame.loc[keyed.sort_values("respondent_id").index]
    weights = replicate_weights(ordered, sample.calibration, base_weight=DESIGN_WEIGHT, strata="wijk",
                                method="bootstrap", replicates=COUNT, seed=SEED)
    np.testing.assert_allclose(sample.replicates.weights.loc[weights.weights.index].to_numpy(),
                               weights.weights.to_numpy(), rtol=1e-12)
    names = ["awareness_rate.S01", "barrier_prevalence.S01.bereikbaar", "satisfaction_mean.S01"]
    derived = derive_variables(inputs, weighted_instrument(study), [i for i in inputs.indicators if i.name in names])
    checked = 0
    for name in names:
        mine = survey_mean(frame.join(derived), name, by="wijk", replicates=weights)
        for row in mine.itertuples():
            cell = published[(published["indicator"] == name) & (published["breakdown"] == "neighbourhood")
                             & (published["domain"] == row.wijk)]
            if cell.empty:  # withheld
                continue
            assert cell["se"].iloc[0] == pytest.approx(row.se, rel=1e-10)
            assert cell["df"].iloc[0] == COUNT - 1
            checked += 1
    assert checked >= 8
    # The microdata carry the weight and every replicate weight, by respondent.
    files = write_exports(study, content, tmp_path / "exports")
    assert files
    with duckdb.connect() as reader:
        parquet = reader.execute("SELECT * FROM read_parquet(?)",
                                 [str(tmp_path / "exports" / "microdata" / f"parent_{WAVE}.parquet")]).df()
    assert {"weight", *replicate_columns(COUNT)} <= set(parquet.columns)
    weighted_rows = parquet[parquet["weight"].notna()].sort_values("respondent_id")
    expected = frame.assign(**weights.weights).merge(pseudonyms, on=["survey_id", "response_id"])
    expected = expected.sort_values("respondent_id")
    assert list(weighted_rows["respondent_id"]) == list(expected["respondent_id"])
    np.testing.assert_allclose(weighted_rows[replicate_columns(COUNT)].to_numpy(),
                               expected[replicate_columns(COUNT)].to_numpy(), rtol=1e-12)
    # Linearisation again: the wave's replicate weights and design go.
    study = _study(studies, DECLARED)
    with connect(run) as con:
        assert weight_wave(con, study, WAVE)["design"] == "linearisation"
        left = con.execute("SELECT count(*) FROM weighted.parent_replicate_weights WHERE wave = ?",
                           [WAVE]).fetchall()[0][0]
    assert left == 0


def test_weights_made_under_another_design_are_refused(run, tmp_path):
    """The study file changed since the wave was weighted (another replicate method, or linearisation again, or
    another trimming): the indicators and the exports refuse the stored weights, and the weights' checks name the
    wave, until it is weighted again. Never silently another variance than the study declares."""
    from analyses import WeightingError
    from pipelines.stages.weight import stale_diagnostics

    studies = tmp_path / "studies"
    bootstrap = _study(studies, "design: {strata: wijk, stratum_sizes: margins, variance: replicates, "
                                "replicates: {method: bootstrap, count: 10, seed: 3}}}")
    with connect(run) as con:
        weight_wave(con, bootstrap, WAVE)
        assert stale_diagnostics(con, bootstrap) == {}
        read_inputs(con, bootstrap, WAVE)  # as weighted: fine
        for design in ("design: {strata: wijk, stratum_sizes: margins, variance: replicates}}", DECLARED):
            changed = _study(studies, design)
            with pytest.raises(WeightingError, match=f"wave {WAVE} was weighted under design .*bootstrap.* weight "
                                                     "the wave again"):
                read_inputs(con, changed, WAVE)
            with pytest.raises(WeightingError, match="weight the wave again"):
                export_content(con, changed)
            assert list(stale_diagnostics(con, changed)) == [WAVE]
        # Weighted again under the declared design: read as before.
        weight_wave(con, changed, WAVE)
        assert stale_diagnostics(con, changed) == {} and read_inputs(con, changed, WAVE)[0].samples
