"""Intervals that hold at 0 and 1 and in small domains: Korn-Graubard ("beta") and logit intervals on each
domain's own degrees of freedom equal R's (tests/fixtures/r_kg, made by its make_expected.R from R's survey
package): a raked design with domains of 5 to 96 parents (one with p = 0, one with p = 1), and R's api data in a
stratified and a clustered design. Both of survey_means' paths (sums for independent rows, scores otherwise)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyses.estimates import korn_graubard_n_eff, survey_mean, survey_means
from analyses.margins import margins_from_table
from analyses.weighting import rake
from tests.conftest import SHARED

R_KG = Path(__file__).resolve().parents[1] / "fixtures" / "r_kg"
R_API = Path(__file__).resolve().parents[1] / "fixtures" / "r_api"
WEIGHTING = SHARED / "fixtures" / "weighting"
TOL = 1e-6
VARIABLES = ["knows_service", "used_service", "barrier_cost", "barrier_language", "not_used"]


@pytest.fixture(scope="module")
def expected():
    return json.loads((R_KG / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raked():
    data = pd.read_csv(WEIGHTING / "respondents.csv")
    data["not_used"] = 1 - data["used_service"]
    data["cell"] = data["neighbourhood"] + "|" + data["child_age_group"]
    margins = margins_from_table(pd.read_csv(WEIGHTING / "population_margins.csv")).margins
    data["w"] = rake(data, margins).weights
    return data, margins


def _by_domain(data, margins, variable, by, ci, path):
    if path == "sums":  # independent rows, one grouping column: survey_means' sums
        rows = survey_means(data, [variable], weight="w", calibration=margins, by=by, ci=ci)
    else:
        rows = survey_mean(data, variable, weight="w", calibration=margins, by=by, ci=ci)
    return rows.set_index(by)


@pytest.mark.parametrize("path", ["sums", "scores"])
@pytest.mark.parametrize("by", ["neighbourhood", "cell"])
@pytest.mark.parametrize("variable", VARIABLES)
def test_korn_graubard_and_logit_per_domain_equal_r(raked, expected, variable, by, path):
    data, margins = raked
    beta = _by_domain(data, margins, variable, by, "beta", path)
    logit = _by_domain(data, margins, variable, by, "logit", path)
    for domain, want in expected["raked"][by][variable].items():
        row = beta.loc[domain]
        assert row.estimate == pytest.approx(want["estimate"], rel=1e-8, abs=1e-12)
        assert (row.n, row.df) == (want["n"], want["df"])
        assert row.se**2 == pytest.approx(want["variance"], rel=TOL, abs=1e-15)
        assert row.n_eff_kg == pytest.approx(want["n_eff_kg"], rel=TOL)
        assert (row.ci_low, row.ci_high) == pytest.approx(tuple(want["ci_beta"]), rel=TOL, abs=1e-12)
        assert row.ci_method == "beta"
        if "binom_test" in want:  # p is 0 or 1: Clopper-Pearson at n, never a zero-width interval
            assert want["estimate"] in (0, 1) and row.n_eff_kg == row.n
            assert (row.ci_low, row.ci_high) == pytest.approx(tuple(want["binom_test"]), rel=TOL, abs=1e-12)
            assert row.ci_high - row.ci_low > 0.3
        elif "ci_logit" in want:  # (R's logit fit fails in a few domains of 5 to 9 parents: make_expected.R)
            other = logit.loc[domain]
            assert (other.ci_low, other.ci_high) == pytest.approx(tuple(want["ci_logit"]), rel=TOL)
            assert other.ci_method == "logit" and other.df == want["df"]


def test_the_planted_extremes_are_there(expected):
    cells = expected["raked"]["cell"]
    assert cells["used_service"]["Other Brussels|pregnant"]["estimate"] == 0
    assert cells["not_used"]["Other Brussels|pregnant"]["estimate"] == 1
    assert cells["used_service"]["Other Brussels|pregnant"]["ci_beta"][1] == pytest.approx(1 - 0.025 ** (1 / 5))
    assert sum("ci_logit" in row for rows in cells.values() for row in rows.values()) >= 40
    assert not all(want["cap_binds"] for design in expected["api"].values() for want in design.values())


@pytest.mark.parametrize("variable", VARIABLES[:4])
def test_korn_graubard_overall_equals_svyciprop_beta(raked, expected, variable):
    data, margins = raked
    row = survey_mean(data, variable, weight="w", calibration=margins).iloc[0]  # the default: beta, domain df
    want = expected["raked_overall"][variable]
    assert row.ci_method == "beta" and row.df == want["df"] == len(data) - 1
    assert (row.ci_low, row.ci_high) == pytest.approx(tuple(want["ci_beta"]), rel=TOL)


@pytest.mark.parametrize(("name", "file", "design"), [
    ("stratified", "apistrat.csv", {"strata": "stype", "fpc": "fpc"}),
    ("cluster", "apiclus1.csv", {"psu": "dnum", "fpc": "fpc"}),
])
def test_domains_of_stratified_and_clustered_designs_equal_r(expected, name, file, design):
    data = pd.read_csv(R_API / file)
    beta = survey_mean(data, "sch.wide", weight="pw", by="stype", **design).set_index("stype")
    logit = survey_mean(data, "sch.wide", weight="pw", by="stype", ci="logit", **design).set_index("stype")
    for domain, want in expected["api"][name].items():
        assert beta.loc[domain, "df"] == logit.loc[domain, "df"] == want["df"]  # the domain's PSUs minus strata
        assert beta.loc[domain, "n"] == want["n"]
        assert beta.loc[domain, "n_eff_kg"] == pytest.approx(want["n_eff_kg"], rel=TOL)
        assert tuple(beta.loc[domain, ["ci_low", "ci_high"]]) == pytest.approx(tuple(want["ci_beta"]), rel=TOL)
        if not want["cap_binds"]:  # then svyciprop(method = "beta") itself agrees
            assert tuple(beta.loc[domain, ["ci_low", "ci_high"]]) == pytest.approx(tuple(want["svyciprop_beta"]),
                                                                                   rel=TOL)
        assert tuple(logit.loc[domain, ["ci_low", "ci_high"]]) == pytest.approx(tuple(want["ci_logit"]), rel=TOL)


def test_design_degrees_of_freedom_on_request(raked):
    data, margins = raked
    rows = survey_mean(data, "knows_service", weight="w", calibration=margins, by="cell", df="design")
    assert set(rows["df"]) == {len(data) - 1}
    domain = survey_mean(data, "knows_service", weight="w", calibration=margins, by="cell")
    assert (domain["df"] == domain["n"] - 1).all()
    wider = (domain["ci_high"] - domain["ci_low"]) >= (rows["ci_high"] - rows["ci_low"]) - 1e-12
    assert wider.all()  # fewer degrees of freedom never narrow the interval


def test_korn_graubard_effective_size_edges():
    assert korn_graubard_n_eff(0.0, 0.0, 12, 11) == 12  # p = 0: n
    assert korn_graubard_n_eff(1.0, 1e-18, 12, 11) == 12  # p = 1, a variance that is 0 up to rounding
    assert np.isnan(korn_graubard_n_eff(0.5, 0.01, 1, 0))  # one respondent and 0 < p < 1: no t quantile
    assert korn_graubard_n_eff(0.5, 1e-6, 40, 39) == 40  # capped at n
    means = survey_mean(pd.DataFrame({"y": [1.0, 2.0, 4.0]}), "y")
    assert means.loc[0, "ci_method"] == "wald" and np.isnan(means.loc[0, "n_eff_kg"])


def test_unknown_choices_are_refused():
    frame = pd.DataFrame({"y": [0, 1, 1]})
    with pytest.raises(ValueError, match="ci='exact'"):
        survey_mean(frame, "y", ci="exact")
    with pytest.raises(ValueError, match="df='psu'"):
        survey_mean(frame, "y", df="psu")
