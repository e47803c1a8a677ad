"""analyses/comparisons.py: the Rao-Scott test equals R's svychisq (fixtures/r_raoscott, made by
make_expected.R); pingouin's tests on a small known data set; wave differences by hand."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analyses.comparisons import (
    DESIGN_BASED,
    IGNORES_WEIGHTS,
    compare_means,
    compare_proportion,
    rao_scott,
    wave_differences,
)

EXPECTED = json.loads((Path(__file__).parents[1] / "fixtures/r_raoscott/expected.json").read_text())
R_API = Path(__file__).parents[1] / "fixtures/r_api"


def _agrees(result, want):
    for key in ("F", "ndf", "ddf", "p_F", "chisq", "p_chisq"):
        assert result[key] == pytest.approx(want[key], rel=1e-8), key
    assert result["df"] == want["df"]


@pytest.mark.parametrize("case, row, column", [("raked_neighbourhood_knows", "neighbourhood", "knows_service"),
                                               ("raked_education_used", "education", "used_service")])
def test_rao_scott_equals_r_svychisq_on_the_raked_design(raked, case, row, column):
    data, margins = raked
    _agrees(rao_scott(data, row, column, weight="w", calibration=margins), EXPECTED[case])


def test_rao_scott_without_calibration_is_rs_weights_only_design(raked):
    data, _ = raked
    plain = rao_scott(data, "neighbourhood", "knows_service", weight="w")
    _agrees(plain, EXPECTED["weights_only_neighbourhood_knows"])
    assert plain["F"] != pytest.approx(EXPECTED["raked_neighbourhood_knows"]["F"], rel=1e-3)  # raking matters


def test_rao_scott_equals_r_on_stratified_and_clustered_designs_with_fpc():
    strat = pd.read_csv(R_API / "apistrat.csv")
    clus = pd.read_csv(R_API / "apiclus1.csv")
    _agrees(rao_scott(strat, "stype", "sch.wide", weight="pw", strata="stype", fpc="fpc"),
            EXPECTED["strat_stype_schwide"])
    _agrees(rao_scott(clus, "stype", "sch.wide", weight="pw", psu="dnum", fpc="fpc"), EXPECTED["clus_stype_schwide"])


def _known():
    # Area A: 30 of 40 aware; B: 12 of 40; C: 5 (too small to test); scores rise from A to B.
    rows = ([("A", 1, 60 + i % 7) for i in range(30)] + [("A", 0, 55 + i % 5) for i in range(10)]
            + [("B", 1, 70 + i % 9) for i in range(12)] + [("B", 0, 66 + i % 6) for i in range(28)]
            + [("C", 1, 90)] * 5)
    return pd.DataFrame(rows, columns=["area", "aware", "score"]).assign(w=1.0)


def test_chi_square_and_rao_scott_on_a_known_table():
    rows = compare_proportion(_known(), "aware", "area", weight="w")
    chi2, rs = rows
    observed = np.array([[10, 30], [28, 12]])
    expected = stats.chi2_contingency(observed, correction=False)
    assert chi2["test"] == "chi2_independence" and chi2["groups"] == "A, B" and chi2["n"] == 80  # C left out
    assert chi2["statistic"] == pytest.approx(expected.statistic) and chi2["p_value"] == pytest.approx(expected.pvalue)
    assert chi2["effect_size"] == pytest.approx(np.sqrt(expected.statistic / 80))  # Cramer's V
    assert chi2["note"] == IGNORES_WEIGHTS and not chi2["weighted"]
    # With equal weights the table scaled to n is the observed table: Rao-Scott corrects Pearson's X^2 itself.
    assert rs["test"] == "rao_scott_f" and rs["note"] == DESIGN_BASED and rs["weighted"]
    data = _known()
    direct = rao_scott(data.assign(area=data["area"].where(data["area"] != "C")), "area", "aware", weight="w")
    assert direct["chisq"] == pytest.approx(expected.statistic) and direct["n"] == 80
    assert rs["statistic"] == pytest.approx(direct["F"]) and rs["p_value"] == pytest.approx(direct["p_F"])
    assert 0.9 < direct["chisq"] / (direct["F"] * direct["ndf"]) < 1.1  # design effects near 1


def test_an_unweighted_sample_gets_fishers_exact_test():
    """Without weights the groups' counts are compared exactly too: analyses.small_samples.fisher_test (held to
    R's fisher.test in test_small_samples.py) with the conditional odds ratio of two groups; a weighted sample
    gets Rao-Scott instead (Fisher's test would ignore its weights)."""
    from analyses.small_samples import fisher_test

    chi2, fisher = compare_proportion(_known(), "aware", "area")
    exact = fisher_test([[10, 30], [28, 12]])
    assert fisher["test"] == "fisher_exact" and fisher["groups"] == "A, B" and fisher["n"] == 80
    assert fisher["p_value"] == pytest.approx(exact["p_value"], rel=1e-12) and fisher["p_value"] < 1e-3
    assert fisher["effect_size"] == pytest.approx(exact["odds_ratio"]) and fisher["effect_measure"] == \
        "conditional_odds_ratio"
    assert f"{exact['ci_low']:.3g} to {exact['ci_high']:.3g}" in fisher["note"]
    three = compare_proportion(_known(), "aware", "area", min_n=1)  # A, B and C: an exact r x c p-value
    fisher3 = next(r for r in three if r["test"] == "fisher_exact")
    data = _known()
    counts = pd.crosstab(data["area"], data["aware"]).to_numpy()
    assert fisher3["p_value"] == pytest.approx(fisher_test(counts)["p_value"]) and fisher3["effect_size"] is None
    assert "fisher_exact" not in {r["test"] for r in compare_proportion(_known(), "aware", "area", weight="w")}


def test_welch_kruskal_and_holm_pairwise_on_known_scores():
    data = _known()
    data = pd.concat([data, pd.DataFrame({"area": ["D"] * 12, "aware": 1, "score": np.arange(50, 62), "w": 1.0})])
    rows = {r["test"] if r["test"] != "pairwise_welch_t" else r["groups"]: r for r in compare_means(data, "score", "area")}
    a, b, d = (data.loc[data["area"] == g, "score"].to_numpy(float) for g in "ABD")
    assert rows["kruskal"]["statistic"] == pytest.approx(stats.kruskal(a, b, d).statistic)
    assert rows["kruskal"]["groups"] == "A, B, D"  # C, five parents, is not tested
    assert rows["kruskal"]["effect_size"] == pytest.approx(rows["kruskal"]["statistic"] / (len(a) + len(b) + len(d) - 1))
    welch = stats.ttest_ind(a, b, equal_var=False)
    pair = rows["A vs B"]
    assert pair["statistic"] == pytest.approx(welch.statistic) and pair["p_value"] == pytest.approx(welch.pvalue)
    raw = sorted(r["p_value"] for k, r in rows.items() if " vs " in k)
    holm = np.minimum(1, np.maximum.accumulate([p * (3 - i) for i, p in enumerate(raw)]))
    assert sorted(r["p_adjusted"] for k, r in rows.items() if " vs " in k) == pytest.approx(holm)
    assert rows["welch_anova"]["df1"] == 2 and rows["welch_anova"]["effect_measure"] == "partial_eta_squared"


def test_wave_differences_by_hand():
    table = pd.DataFrame({
        "wave": ["2018", "2021", "2018", "2021"], "indicator": ["a", "a", "b", "b"], "breakdown": "all",
        "domain": "all", "estimate": [0.40, 0.52, 0.3, None], "se": [0.03, 0.04, 0.02, None],
        "suppressed": [False, False, False, True], "unit": "proportion"})
    diff = wave_differences(table)
    assert list(diff["indicator"]) == ["a"]  # b is suppressed in 2021: no difference published
    row = diff.iloc[0]
    assert row["difference"] == pytest.approx(0.12) and row["se"] == pytest.approx(0.05)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((0.12 - 1.959964 * 0.05, 0.12 + 1.959964 * 0.05))
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(0.12 / 0.05))


def test_small_expected_counts_are_said_in_the_note_not_warned():
    import warnings

    data = pd.DataFrame({"area": ["A"] * 12 + ["B"] * 12, "aware": [1] + [0] * 11 + [1, 1] + [0] * 10})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pingouin's own warning must not escape
        row, fisher = compare_proportion(data, "aware", "area")
    assert row["note"] == IGNORES_WEIGHTS + "; some expected counts under 5: the chi-square p-value is approximate"
    assert fisher["test"] == "fisher_exact"  # beside it, the exact test
