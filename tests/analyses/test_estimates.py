"""analyses/estimates.py against R's survey package: the raked reference design of
shared/fixtures/weighting (calibration-aware SEs, logit CIs, domains, deff) and R's own api data in a
stratified and a clustered design with finite population corrections (tests/fixtures/r_api, made by
make_expected.R). Estimates within 1e-8, SEs, CIs and deff within 1e-6 relative."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyses import margins_from_table, rake
from analyses.estimates import survey_mean, survey_total
from tests.conftest import SHARED

WEIGHTING = SHARED / "fixtures" / "weighting"
R_API = Path(__file__).resolve().parents[1] / "fixtures" / "r_api"
EST, REL = 1e-8, 1e-6


@pytest.fixture(scope="module")
def raked():
    data = pd.read_csv(WEIGHTING / "respondents.csv")
    margins = margins_from_table(pd.read_csv(WEIGHTING / "population_margins.csv")).margins
    data["w"] = rake(data, margins).weights
    return data, margins, json.loads((WEIGHTING / "expected.json").read_text(encoding="utf-8"))


VARIABLES = ["knows_service", "used_service", "barrier_cost", "barrier_language", "satisfaction"]


@pytest.mark.parametrize("variable", VARIABLES)
def test_calibrated_means_equal_r(raked, variable):
    data, margins, expected = raked
    row = survey_mean(data, variable, weight="w", calibration=margins, ci="wald").iloc[0]
    want = expected["calibrated"]["svymean"][variable]
    assert row.estimate == pytest.approx(want["estimate"], rel=EST)
    assert row.se == pytest.approx(want["se"], rel=REL)
    assert (row.ci_low, row.ci_high) == pytest.approx(tuple(want["ci95_wald"]), rel=REL)
    assert row.deff == pytest.approx(want["deff"], rel=REL)


@pytest.mark.parametrize("variable", VARIABLES)
def test_weights_only_formula_is_the_naive_design_and_not_the_raked_one(raked, variable):
    data, margins, expected = raked
    naive = survey_mean(data, variable, weight="w", ci="wald").iloc[0]
    assert naive.se == pytest.approx(expected["naive_weights_only"]["svymean"][variable]["se"], rel=REL)
    assert naive.deff == pytest.approx(expected["naive_weights_only"]["svymean"][variable]["deff"], rel=REL)
    calibrated = expected["calibrated"]["svymean"][variable]["se"]
    assert abs(naive.se / calibrated - 1) > 0.01  # 2-14% off: a weights-only SE cannot pass for the raked design


@pytest.mark.parametrize("variable", ["knows_service", "used_service", "barrier_cost", "barrier_language"])
def test_logit_intervals_equal_svyciprop(raked, variable):
    data, margins, expected = raked
    row = survey_mean(data, variable, weight="w", calibration=margins, ci="logit").iloc[0]
    want = expected["calibrated"]["svyciprop_logit"][variable]
    assert row.estimate == pytest.approx(want["estimate"], rel=EST)
    assert (row.ci_low, row.ci_high) == pytest.approx(tuple(want["ci95_logit"]), rel=REL)


def test_domains_equal_svyby(raked):
    data, margins, expected = raked
    table = survey_mean(data, "knows_service", weight="w", calibration=margins, by="neighbourhood")
    table = table.set_index("neighbourhood")
    for area, want in expected["calibrated"]["svyby_knows_service_by_neighbourhood"].items():
        assert table.loc[area, "estimate"] == pytest.approx(want["estimate"], rel=EST)
        assert table.loc[area, "se"] == pytest.approx(want["se"], rel=REL)
        assert table.loc[area, "deff"] == pytest.approx(want["deff"], rel=REL)
    assert table["n"].sum() == len(data)


def test_missing_values_are_a_domain(raked):
    data, margins, expected = raked
    row = survey_mean(data, "satisfaction", weight="w", calibration=margins).iloc[0]
    assert row.n == expected["inputs"]["n_satisfaction_nonmissing"]
    assert row.n_eff < row.n


@pytest.mark.parametrize(("name", "file", "design"), [
    ("stratified", "apistrat.csv", {"strata": "stype", "fpc": "fpc"}),
    ("cluster", "apiclus1.csv", {"psu": "dnum", "fpc": "fpc"}),
])
def test_stratified_and_clustered_designs_equal_r(name, file, design):
    data = pd.read_csv(R_API / file)
    want = json.loads((R_API / "expected.json").read_text(encoding="utf-8"))[name]
    mean = survey_mean(data, "api00", weight="pw", **design).iloc[0]
    assert mean.estimate == pytest.approx(want["api00"]["estimate"], rel=EST)
    assert mean.se == pytest.approx(want["api00"]["se"], rel=REL)
    assert mean.deff == pytest.approx(want["api00"]["deff"], rel=REL)
    assert (mean.ci_low, mean.ci_high) == pytest.approx(tuple(want["api00"]["ci"]), rel=REL)
    share = survey_mean(data, "sch.wide", weight="pw", ci="logit", **design).iloc[0]
    assert share.estimate == pytest.approx(want["sch_wide"]["estimate"], rel=EST)
    assert (share.ci_low, share.ci_high) == pytest.approx(tuple(want["sch_wide"]["ci"]), rel=REL)
    total = survey_total(data, "enroll", weight="pw", **design).iloc[0]
    assert total.estimate == pytest.approx(want["enroll_total"]["estimate"], rel=EST)
    assert total.se == pytest.approx(want["enroll_total"]["se"], rel=REL)
    by = survey_mean(data, "api00", weight="pw", by="stype", **design).set_index("stype")
    for stype, value in want["api00_by_stype"].items():
        assert by.loc[stype, "estimate"] == pytest.approx(value["estimate"], rel=EST)
        assert by.loc[stype, "se"] == pytest.approx(value["se"], rel=REL)


def test_survey_means_from_sums_equal_survey_mean_per_variable():
    """The fast path of survey_means (sums per domain and margin category, for a one-stratum design of
    independent rows) gives survey_mean's numbers, raked or not, overall and per domain, with missing values."""
    from analyses import margins_from_table, rake
    from analyses.estimates import survey_means
    from tests.conftest import SHARED

    folder = SHARED / "fixtures" / "weighting"
    data = pd.read_csv(folder / "respondents.csv")
    margins = margins_from_table(pd.read_csv(folder / "population_margins.csv")).margins
    rng = np.random.default_rng(3)
    data = data.assign(w=rake(data, margins).weights,
                       x=np.where(rng.random(len(data)) < 0.2, np.nan, rng.normal(size=len(data))),
                       b=np.where(rng.random(len(data)) < 0.1, np.nan, (rng.random(len(data)) < 0.4).astype(float)))
    for calibration in (margins, None):
        for by in (None, "neighbourhood", "child_age_group"):
            fast = survey_means(data, ["x", "b", "knows_service"], weight="w", calibration=calibration, by=by)
            for variable in ("x", "b", "knows_service"):
                slow = survey_mean(data, variable, weight="w", calibration=calibration, by=by)
                mine = fast[fast["variable"] == variable].drop(columns="variable").reset_index(drop=True)
                pd.testing.assert_frame_equal(mine, slow, check_exact=False, rtol=1e-10, check_dtype=False)


def test_a_design_resolved_once_serves_several_calls():
    """survey_means(design=) gives what survey_means resolves itself, and refuses a design of other rows."""
    from analyses.estimates import Design, survey_means

    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"w": rng.uniform(0.5, 2, 200), "g": rng.choice(["a", "b"], 200),
                          "y": rng.random(200), "z": (rng.random(200) < 0.3).astype(float)})
    calibration = {"g": {"a": 120.0, "b": 180.0}}
    design = Design(frame, "w", None, None, None, calibration)
    for by in (None, "g"):
        pd.testing.assert_frame_equal(survey_means(frame, ["y", "z"], by=by, design=design),
                                      survey_means(frame, ["y", "z"], by=by, weight="w", calibration=calibration))
    with pytest.raises(ValueError, match="design's rows"):
        survey_means(frame.head(10), ["y"], design=design)
    with pytest.raises(ValueError, match="design's rows"):  # same size, rows in another order
        survey_means(frame.sample(frac=1, random_state=1), ["y"], design=design)
    with pytest.raises(ValueError, match="not both"):
        survey_means(frame, ["y"], weight="w", design=design)


def test_design_covariance_is_the_variance_of_sums():
    """Design.covariance: its diagonal is each score's variance, and a' V a the variance of the combined score
    (stratified, clustered, with fpc and raking)."""
    from analyses.estimates import Design

    rng = np.random.default_rng(8)
    n = 400
    frame = pd.DataFrame({"w": rng.uniform(1, 4, n), "h": rng.choice(["s1", "s2", "s3"], n),
                          "g": rng.choice(["a", "b"], n)})
    frame["psu"] = frame["h"] + "-" + pd.Series(rng.integers(0, 12, n)).astype(str)
    frame["fpc"] = frame["h"].map({"s1": 40, "s2": 60, "s3": 50})
    calibration = {"g": {"a": 500.0, "b": 900.0}}
    scores = rng.normal(size=(n, 3)) * frame["w"].to_numpy()[:, None]
    resolved = Design(frame, "w", "h", "psu", "fpc", calibration)
    covariance = resolved.covariance(scores)
    for i in range(3):
        assert covariance[i, i] == pytest.approx(resolved.variance(scores[:, i]), rel=1e-10)
    a = np.array([1.0, -2.0, 0.5])
    assert a @ covariance @ a == pytest.approx(resolved.variance(scores @ a), rel=1e-10)
    assert covariance[0, 1] == covariance[1, 0]
