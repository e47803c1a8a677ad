"""analyses/findings.py: pairwise differences of domain means equal R's svyby(covmat = TRUE) + svycontrast
(fixtures/r_pairs, made by make_expected.R) on raked, stratified, clustered and replicate designs, Holm's
correction equals p.adjust, and the findings keep only what passes Holm over the whole family, never a withheld
cell or a count."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analyses import margins_from_table
from analyses.estimates import Design, survey_means
from analyses.findings import benchmark_test, candidates, design_pairs, findings, holm, unweighted_pairs
from tests.conftest import SHARED

EXPECTED = json.loads((Path(__file__).parents[1] / "fixtures/r_pairs/expected.json").read_text())
R_API = Path(__file__).parents[1] / "fixtures/r_api"


def _agrees(found: list[dict], expected: list[dict]) -> None:
    """Every pair of R's family, matched on (variable, a, b): difference, SE, df, p and Holm's p over the family."""
    assert len(found) == len(expected)
    adjusted = holm([row["p_value"] for row in found])
    for row, p_holm in zip(found, adjusted):
        want = next(e for e in expected if (e["variable"], e["a"], e["b"]) ==
                    (row["variable"], row["domain_a"], row["domain_b"]))
        assert row["difference"] == pytest.approx(want["difference"], rel=1e-8, abs=1e-12)
        assert row["se"] == pytest.approx(want["se"], rel=1e-7)
        assert row["df"] == want["df"]
        assert row["p_value"] == pytest.approx(want["p"], rel=1e-6)
        assert p_holm == pytest.approx(want["p_holm"], rel=1e-6)


def _pairs(frame, design, cases):
    return [dict(row, variable=variable) for variable, group in cases
            for row in design_pairs(frame, variable, group, design)]


def test_pairs_on_a_raked_design_equal_r(raked):
    data, margins = raked
    design = Design(data, "w", None, None, None, margins)
    found = _pairs(data, design, [("knows_service", "neighbourhood"), ("satisfaction", "neighbourhood"),
                                  ("used_service", "child_age_group")])
    _agrees(found, EXPECTED["raked"])
    # The covariance matters: the raking links the domains (a child age group is no margin).
    row = next(r for r in found if r["variable"] == "used_service")
    separate = survey_means(data, ["used_service"], by="child_age_group", design=design).set_index("child_age_group")
    naive = np.hypot(separate.loc[row["domain_a"], "se"], separate.loc[row["domain_b"], "se"])
    assert abs(row["se"] - naive) > 1e-4
    # Each domain's own estimate is the indicator table's.
    assert row["estimate_a"] == pytest.approx(separate.loc[row["domain_a"], "estimate"], rel=1e-12)


def test_pairs_with_weights_only_equal_r(raked):
    data, _ = raked
    _agrees(_pairs(data, Design(data, "w"), [("knows_service", "child_age_group")]), EXPECTED["weights_only"])


def test_pairs_of_a_categorical_breakdown_are_those_of_its_labels(raked):
    """pair_differences hands each breakdown over as categorical text (hashed once for all its indicators): the
    same pairs, to the last bit, as the plain labels, whatever its unused categories, missing labels and the
    categories asked for."""
    data, margins = raked
    design = Design(data, "w", None, None, None, margins)
    labels = data["child_age_group"].mask(data.index % 7 == 0)  # some rows without a label
    plain = data.assign(group=labels.astype(object))
    categorical = data.assign(group=pd.Categorical(labels.astype("string"), categories=["pregnant", "older", "3-6",
                                                                                         "0-3"]))
    for categories in (None, ["0-3", "3-6", "older"], ["pregnant", "0-3"]):
        want = design_pairs(plain, "used_service", "group", design, categories)
        assert want and design_pairs(categorical, "used_service", "group", design, categories) == want
        for row in want:  # each domain its labelled rows only
            for side in ("a", "b"):
                inside = (labels == row[f"domain_{side}"]).fillna(False)
                assert row[f"estimate_{side}"] == pytest.approx(
                    np.average(data.loc[inside, "used_service"], weights=data.loc[inside, "w"]), rel=1e-12)
    assert [(r["domain_a"], r["domain_b"]) for r in want] == [("0-3", "pregnant")]
    # Numbers as categories are read as their text, as plain labels are.
    numbered = data.assign(group=pd.Categorical(data["neighbourhood"].factorize()[0]))
    assert design_pairs(numbered, "used_service", "group", design) == design_pairs(
        numbered.assign(group=numbered["group"].astype(int)), "used_service", "group", design)


def test_pairs_on_stratified_and_clustered_designs_equal_r():
    strat = pd.read_csv(R_API / "apistrat.csv")
    clus = pd.read_csv(R_API / "apiclus1.csv")
    found = _pairs(strat, Design(strat, "pw", "stype", None, "fpc"), [("sch.wide", "stype"), ("api00", "sch.wide")])
    _agrees(found, EXPECTED["stratified"])
    found = _pairs(clus, Design(clus, "pw", None, "dnum", "fpc"), [("api00", "stype"), ("sch.wide", "stype")])
    _agrees(found, EXPECTED["clustered"])


def test_pairs_on_replicate_weights_equal_r():
    """JKn replicates raked again (as tests/fixtures/r_replicates): each replicate's own domain means, their
    covariance from the replicates, t on the replicate design's degrees of freedom."""
    from analyses import replicate_weights

    data = pd.read_csv(SHARED / "fixtures" / "weighting" / "respondents.csv")
    margins = margins_from_table(pd.read_csv(SHARED / "fixtures" / "weighting" / "population_margins.csv")).margins
    data["N_h"] = data["neighbourhood"].map(margins["neighbourhood"])
    data["design_weight"] = data["N_h"] / data.groupby("neighbourhood")["neighbourhood"].transform("size")
    jkn = replicate_weights(data, {v: margins[v] for v in ("language", "education")}, base_weight="design_weight",
                            strata="neighbourhood", fpc="N_h")
    found = _pairs(data, Design(data, replicates=jkn), [("knows_service", "education"),
                                                        ("satisfaction", "child_age_group")])
    _agrees(found, EXPECTED["replicates"])


def test_holm_equals_p_adjust_by_hand():
    p = [0.01, 0.04, 0.03, np.nan, 0.005]
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
    assert holm(p)[[0, 1, 2, 4]] == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert np.isnan(holm(p)[3])


def test_unweighted_pairs_are_fisher_and_welch():
    frame = pd.DataFrame({"g": ["a"] * 40 + ["b"] * 40, "y": [1] * 30 + [0] * 10 + [1] * 12 + [0] * 28,
                          "s": np.r_[np.arange(40) % 7 + 60.0, np.arange(40) % 9 + 66.0]})
    (share,) = unweighted_pairs(frame, "y", "g")
    assert share["test"] == "fisher_exact"
    assert share["p_value"] == pytest.approx(stats.fisher_exact([[30, 10], [12, 28]]).pvalue, rel=1e-9)
    (score,) = unweighted_pairs(frame, "s", "g")
    welch = stats.ttest_ind(frame["s"][:40], frame["s"][40:], equal_var=False)
    assert score["test"] == "welch_t" and score["statistic"] == pytest.approx(welch.statistic)
    assert score["p_value"] == pytest.approx(welch.pvalue)


def _row(wave, indicator, domain, estimate, se, breakdown="area", suppressed=False, as_count=False, df=100):
    return {"wave": wave, "indicator": indicator, "breakdown": breakdown, "domain": domain, "estimate": estimate,
            "se": se, "df": df, "suppressed": suppressed, "as_count": as_count}


def _pair(wave, indicator, a, b, p, difference=0.2, statistic=3.0):
    return {"wave": wave, "indicator": indicator, "breakdown": "area", "domain_a": a, "domain_b": b,
            "difference": difference, "statistic": statistic, "p_value": p}


def test_holm_over_the_whole_family_decides_and_withheld_cells_are_never_candidates():
    rows = pd.DataFrame([_row("1", "x", "A", 0.7, 0.05), _row("1", "x", "B", 0.4, 0.05),
                         _row("1", "x", "C", 0.5, 0.05), _row("1", "x", "D", None, None, suppressed=True),
                         _row("1", "x", "E", 0.1, None, as_count=True), _row("1", "x", "all", 0.5, 0.02, "all"),
                         _row("1", "y", "A", 0.6, 0.05), _row("1", "y", "B", 0.5, 0.05)])
    pairs = pd.DataFrame([_pair("1", "x", "A", "B", 0.0001, statistic=4.2),
                          _pair("1", "x", "A", "C", 0.03),  # under 5% alone, not after Holm over the family
                          _pair("1", "x", "A", "D", 1e-9),  # a withheld cell: no candidate
                          _pair("1", "x", "A", "E", 1e-9),  # a count: no candidate
                          _pair("1", "y", "A", "B", 0.3)])
    family = candidates(rows, pairs, pd.DataFrame(), {"x": 0.2}, indicators=["x", "y"], compared=["area"])
    assert sorted(zip(family["kind"], family["indicator"], family["domain_other"].fillna(""))) == \
        [("benchmark", "x", ""), ("pair", "x", "B"), ("pair", "x", "C"), ("pair", "y", "B")]
    chosen = findings(family)
    assert len(chosen) == 4 and chosen["p_adjusted"].max() <= 1
    c = chosen[chosen["domain_other"] == "C"].iloc[0]
    # Third smallest of four: 0.03 x 2.
    assert c["p_value"] < 0.05 and c["p_adjusted"] == pytest.approx(0.06) and pd.isna(c["rank"])
    ranked = chosen.dropna(subset=["rank"]).sort_values("rank")
    # The benchmark (0.5 against 0.2, SE 0.02: t = 15) first, then A against B.
    assert list(ranked["kind"]) == ["benchmark", "pair"]
    # An indicator outside the page's family gives nothing.
    assert candidates(rows, pairs, pd.DataFrame(), {}, indicators=["y"], compared=["area"])["p_value"].tolist() \
        == [0.3]


def test_at_most_the_limit_and_the_largest_first():
    rows = pd.DataFrame([_row("1", f"x{i}", d, 0.5, 0.05) for i in range(8) for d in "AB"])
    pairs = pd.DataFrame([_pair("1", f"x{i}", "A", "B", 1e-8, statistic=6 + i) for i in range(8)])
    chosen = findings(candidates(rows, pairs, pd.DataFrame(), {}, indicators=[f"x{i}" for i in range(8)],
                                 compared=["area"]), limit=5)
    ranked = chosen.dropna(subset=["rank"]).sort_values("rank")
    assert list(ranked["indicator"]) == ["x7", "x6", "x5", "x4", "x3"]


def test_benchmark_test_uses_the_rows_df_or_z():
    with_df = benchmark_test({"estimate": 0.55, "se": 0.02, "df": 12}, 0.5)
    assert with_df["p_value"] == pytest.approx(2 * stats.t.sf(2.5, 12))
    without = benchmark_test({"estimate": 0.55, "se": 0.02, "df": None}, 0.5)
    assert without["p_value"] == pytest.approx(2 * stats.norm.sf(2.5))
    assert benchmark_test({"estimate": 0.55, "se": None, "df": 3}, 0.5) is None


def test_a_benchmark_is_tested_on_the_latest_published_estimate():
    rows = pd.DataFrame([_row("2018", "x", "all", 0.5, 0.02, "all"), _row("2021", "x", "all", 0.6, 0.02, "all"),
                         _row("2024", "x", "all", None, None, "all", suppressed=True)])
    family = candidates(rows, pd.DataFrame(), pd.DataFrame(), {"x": 0.55}, indicators=["x"], compared=[])
    assert family[["kind", "wave", "estimate"]].values.tolist() == [["benchmark", "2021", 0.6]]
    assert family["p_value"].iloc[0] == pytest.approx(2 * stats.t.sf(2.5, 100))
