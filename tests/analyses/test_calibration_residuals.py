"""Raking from design weights: standard errors with the calibration residuals weighted by the design weights, as
R's ``calibrate(calfun = "raking")``; without design weights, R's ``rake()`` as before. Reference values:
tests/fixtures/r_calibrate/expected.json, made by make_expected.R there (R's survey package)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyses import rake, survey_mean, survey_total
from analyses.estimates import survey_means

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "r_calibrate"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "weighting"
EXPECTED = json.loads((HERE / "expected.json").read_text())
VARIABLES = ["knows_service", "used_service", "barrier_cost", "barrier_language"]


@pytest.fixture(scope="module")
def parents():
    """The shared parents as a stratified sample of neighbourhoods (design weight N_h / n_h, fpc N_h), raked
    from those design weights to the three margins."""
    frame = pd.read_csv(SHARED / "respondents.csv")
    population = pd.read_csv(SHARED / "population_margins.csv")
    margins = {v: dict(zip(rows["category"], rows["population_count"].astype(float)))
               for v, rows in population.groupby("variable", sort=False)}
    sizes = margins["neighbourhood"]
    frame["fpc"] = frame["neighbourhood"].map(sizes)
    frame["base"] = frame["fpc"] / frame.groupby("neighbourhood")["neighbourhood"].transform("size")
    frame["w"] = rake(frame, margins, base_weight="base", tol=1e-13).weights
    return frame, margins


def test_raking_from_design_weights_gives_r_calibrate_weights(parents):
    frame, _ = parents
    np.testing.assert_allclose(frame["w"], EXPECTED["parents"]["weights_calibrate"], rtol=1e-9)
    # The design weights are constant within the strata, a margin: the final weights are rake()'s too.
    np.testing.assert_allclose(frame["w"], EXPECTED["parents"]["weights_rake"], rtol=1e-9)


@pytest.mark.parametrize("reference, base", [("calibrate", "base"), ("rake", None)])
def test_standard_errors_equal_r(parents, reference, base):
    """With ``base_weight`` the SEs are calibrate()'s, without them rake()'s: overall, per neighbourhood (a
    stratum), for a total and for a mean with missing values."""
    frame, margins = parents
    expected = EXPECTED["parents"][reference]
    design = {"weight": "w", "strata": "neighbourhood", "fpc": "fpc", "calibration": margins, "base_weight": base}
    overall = survey_means(frame, VARIABLES, **design)
    np.testing.assert_allclose(overall["estimate"], expected["overall"]["estimate"], rtol=1e-9)
    np.testing.assert_allclose(overall["se"], expected["overall"]["se"], rtol=1e-6)
    for variable in VARIABLES:
        cells = survey_mean(frame, variable, by="neighbourhood", **design)
        assert list(cells["neighbourhood"]) == expected["by_neighbourhood"][variable]["domain"]
        np.testing.assert_allclose(cells["estimate"], expected["by_neighbourhood"][variable]["estimate"], rtol=1e-9)
        np.testing.assert_allclose(cells["se"], expected["by_neighbourhood"][variable]["se"], rtol=1e-6)
    total = survey_total(frame, "used_service", **design).iloc[0]
    assert total["estimate"] == pytest.approx(expected["total_used"]["estimate"], rel=1e-9)
    assert total["se"] == pytest.approx(expected["total_used"]["se"], rel=1e-6)
    satisfaction = survey_mean(frame, "satisfaction", **design).iloc[0]
    assert satisfaction["se"] == pytest.approx(expected["satisfaction"]["se"], rel=1e-6)


def test_the_two_residuals_differ_where_the_design_weights_vary(parents):
    """Not a formality: calibrate()'s and rake()'s SEs differ on this design, and each matches only its own."""
    frame, margins = parents
    design = {"weight": "w", "strata": "neighbourhood", "fpc": "fpc", "calibration": margins}
    with_base = survey_mean(frame, "knows_service", by="neighbourhood", base_weight="base", **design)["se"]
    without = survey_mean(frame, "knows_service", by="neighbourhood", **design)["se"]
    calibrate_se = EXPECTED["parents"]["calibrate"]["by_neighbourhood"]["knows_service"]["se"]
    rake_se = EXPECTED["parents"]["rake"]["by_neighbourhood"]["knows_service"]["se"]
    assert np.max(np.abs(np.array(calibrate_se) - rake_se)) > 1e-3
    assert np.max(np.abs(with_base.to_numpy() - rake_se)) > 1e-3
    assert np.max(np.abs(without.to_numpy() - calibrate_se)) > 1e-3


def test_design_weights_of_one_give_rake(parents):
    """All design weights 1: the weighted fit is the unweighted one, to rounding."""
    frame, margins = parents
    frame = frame.assign(one=1.0, plain=rake(frame, margins, tol=1e-13).weights)
    design = {"weight": "plain", "calibration": margins, "by": "neighbourhood"}
    for variable in VARIABLES:
        ones = survey_mean(frame, variable, base_weight="one", **design)
        none = survey_mean(frame, variable, **design)
        np.testing.assert_allclose(ones["se"], none["se"], rtol=1e-12, atol=0)


def test_api_stratified_design_equals_r():
    """R's apistrat (strata, fpc, design weights pw) raked to school type and awards."""
    api = pd.read_csv(HERE / "apistrat.csv")
    api["los_angeles"] = api["cname"] == "Los Angeles"
    api["sch_wide_yes"] = (api["sch.wide"] == "Yes").astype(float)
    margins = {"stype": {"E": 4421.0, "H": 755.0, "M": 1018.0}, "awards": {"No": 2236.0, "Yes": 3958.0}}
    api["w"] = rake(api, margins, base_weight="pw", tol=1e-13).weights
    np.testing.assert_allclose(api["w"], EXPECTED["api"]["weights_calibrate"], rtol=1e-9)
    for reference, base in (("calibrate", "pw"), ("rake", None)):
        expected = EXPECTED["api"][reference]
        design = {"weight": "w", "strata": "stype", "fpc": "fpc", "calibration": margins, "base_weight": base}
        means = survey_means(api, ["api00", "api99", "sch_wide_yes"], **design)
        np.testing.assert_allclose(means["se"][:2], expected["mean"]["se"], rtol=1e-6)
        assert means["se"].iloc[2] == pytest.approx(expected["sch_wide_yes"]["se"], rel=1e-6)
        cells = survey_mean(api, "api00", by="los_angeles", **design)
        np.testing.assert_allclose(cells["se"], expected["los_angeles"]["se"], rtol=1e-6)
