"""analyses.weighting.replicate_weights: jackknife replicates raked again in every replicate equal R survey's
(rake() on as.svrepdesign(), tests/fixtures/r_replicates, made by its make_expected.R): the 277 reference parents
as a stratified sample with fpc (JKn, raked on language and education) and R's apiclus1 (JK1, as it is and raked),
weights to 1e-8 and the SEs of means and totals, overall and by domain, to 1e-6. The Rao-Wu bootstrap (no R
reference: R's generator differs) is checked for its draws, its seed and its SEs against R's jackknife; trimming
per replicate by hand (R's trimWeights for replicate designs is no reference, see the R script); each refusal
names what is wrong."""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyses import WeightingError, rake, replicate_columns, replicate_weights, survey_mean, survey_total
from analyses.estimates import survey_means
from analyses.margins import margins_from_table
from tests.conftest import SHARED

R_REP = Path(__file__).resolve().parents[1] / "fixtures" / "r_replicates"
WEIGHTING = SHARED / "fixtures" / "weighting"
VARIABLES = ["knows_service", "used_service", "barrier_cost", "barrier_language"]


@pytest.fixture(scope="module")
def expected():
    return json.loads((R_REP / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parents():
    """The reference parents as R's script designs them: strata = neighbourhood, fpc N_h, weight N_h / n_h."""
    data = pd.read_csv(WEIGHTING / "respondents.csv")
    margins = margins_from_table(pd.read_csv(WEIGHTING / "population_margins.csv")).margins
    data["N_h"] = data["neighbourhood"].map(margins["neighbourhood"])
    data["design_weight"] = data["N_h"] / data.groupby("neighbourhood")["neighbourhood"].transform("size")
    return data, {v: margins[v] for v in ("language", "education")}


@pytest.fixture(scope="module")
def jkn(parents):
    data, margins = parents
    return replicate_weights(data, margins, base_weight="design_weight", strata="neighbourhood", fpc="N_h")


@pytest.fixture(scope="module")
def apiclus1(expected):
    data = pd.read_csv(R_REP / "apiclus1.csv", dtype={"cds": str})
    totals = {v: {c: float(t) for c, t in cats.items()} for v, cats in expected["jk1"]["totals"].items()}
    return data, totals


def _r_weights(file: str) -> np.ndarray:
    return pd.read_csv(R_REP / file).to_numpy()


def _relative(ours: np.ndarray, theirs: np.ndarray) -> float:
    assert ((ours == 0) == (theirs == 0)).all()  # the same deleted PSUs
    return float(np.max(np.abs(ours - theirs) / np.where(theirs == 0, 1, theirs)))


def _replicate_estimates(rw, y: np.ndarray, kind: str, inside: np.ndarray | None = None):
    """Full-sample and replicate estimates of a mean or total of ``y`` (in a domain: ``inside``)."""
    inside = np.ones(len(y), dtype=bool) if inside is None else inside
    weights = np.column_stack([rw.full.to_numpy(), rw.weights.to_numpy()])[inside]
    totals = weights.T @ y[inside]
    estimates = totals if kind == "total" else totals / weights.sum(axis=0)
    return estimates[0], estimates[1:]


def _check_against_r(rw, y: np.ndarray, kind: str, want: dict, inside: np.ndarray | None = None) -> None:
    full, replicates = _replicate_estimates(rw, y, kind, inside)
    assert full == pytest.approx(want["estimate"], rel=1e-8)
    assert np.sqrt(rw.variance(replicates)[0]) == pytest.approx(want["se"], rel=1e-6)


def test_jkn_weights_equal_r(parents, jkn, expected):
    data, margins = parents
    r = expected["jkn"]
    assert (jkn.method, jkn.count, r["replication"]["type"], r["replication"]["replicates"]) == ("JKn", 277, "JKn", 277)
    assert list(jkn.weights.columns) == replicate_columns(277) and jkn.weights.index.equals(data.index)
    assert jkn.scale == r["replication"]["scale"] == 1
    # (1 - f_h)(n_h - 1)/n_h: Hertogin first (R's order: strata by first appearance), 96 of 1800 parents.
    assert jkn.rscales[0] == pytest.approx((1 - 96 / 1800) * 95 / 96, rel=1e-15)
    assert np.allclose(jkn.rscales, r["replication"]["rscales"], rtol=1e-14, atol=0)
    assert _relative(jkn.weights.to_numpy(), _r_weights(r["weights_file"])) < 1e-8
    assert jkn.full.to_numpy() == pytest.approx(np.array(r["full_weights"]), rel=1e-8)
    assert jkn.full.equals(rake(data, margins, base_weight="design_weight").weights)
    # Every replicate raked to its margins, in R (which checks only the full sample) and here.
    assert r["max_replicate_margin_error"] < 1e-10 and jkn.max_margin_error < 1e-10
    for variable, categories in margins.items():
        sums = jkn.weights.groupby(data[variable]).sum()
        assert np.allclose(sums.loc[list(categories)].to_numpy().T, list(categories.values()), rtol=1e-10, atol=0)


@pytest.mark.parametrize("kind", ["mean", "total"])
@pytest.mark.parametrize("variable", VARIABLES)
def test_jkn_standard_errors_equal_r(parents, jkn, expected, variable, kind):
    data, _ = parents
    y = data[variable].to_numpy(dtype=float)
    _check_against_r(jkn, y, kind, expected["jkn"][kind][variable])


@pytest.mark.parametrize(("by", "kind"), [("neighbourhood", "mean"), ("education", "mean"),
                                          ("neighbourhood", "total")])
@pytest.mark.parametrize("variable", VARIABLES)
def test_jkn_domain_standard_errors_equal_r(parents, jkn, expected, variable, by, kind):
    data, _ = parents
    y = data[variable].to_numpy(dtype=float)
    domains = expected["jkn"][f"{kind}_by_{by}"][variable]
    assert set(domains) == set(data[by])
    for domain, want in domains.items():
        _check_against_r(jkn, y, kind, want, inside=(data[by] == domain).to_numpy())


@pytest.mark.parametrize("case", ["plain", "raked"])
def test_jk1_apiclus1_equals_r(apiclus1, expected, case):
    data, totals = apiclus1
    r = expected["jk1"][case]
    rw = replicate_weights(data, totals if case == "raked" else None, base_weight="pw", psu="dnum", fpc="fpc")
    assert (rw.method, rw.count, r["replication"]["type"]) == ("JK1", 15, "JK1")
    assert rw.scale == pytest.approx((1 - 15 / 757) * 14 / 15, rel=1e-15)
    assert rw.scale == pytest.approx(r["replication"]["scale"], rel=1e-14) and (rw.rscales == 1).all()
    assert _relative(rw.weights.to_numpy(), _r_weights(r["weights_file"])) < 1e-8
    assert rw.full.to_numpy() == pytest.approx(np.array(r["full_weights"]), rel=1e-8)
    api00, enroll = data["api00"].to_numpy(dtype=float), data["enroll"].to_numpy(dtype=float)
    _check_against_r(rw, api00, "mean", r["mean_api00"]["api00"])
    _check_against_r(rw, enroll, "total", r["total_enroll"]["enroll"])
    for stype in ("E", "H", "M"):
        inside = (data["stype"] == stype).to_numpy()
        _check_against_r(rw, api00, "mean", r["mean_api00_by_stype"][stype], inside)
        _check_against_r(rw, enroll, "total", r["total_enroll_by_stype"][stype], inside)
    if case == "plain":  # no raking: the analysis weights are the design weights times the multipliers
        assert rw.iterations is None and rw.full.equals(data["pw"].rename("weight"))
    else:
        assert r["max_replicate_margin_error"] < 1e-10 and rw.max_margin_error < 1e-10


def test_jackknife_by_hand():
    """Two strata: A with three PSUs (one of two rows), B with two; fpc 10 in A, 2 in B (B sampled whole)."""
    frame = pd.DataFrame({"h": ["A", "A", "B", "A", "B", "A"], "psu": [1, 2, 1, 3, 2, 1],
                          "w": [2.0, 3.0, 5.0, 4.0, 7.0, 2.0], "N": [10, 10, 2, 10, 2, 10]})
    rw = replicate_weights(frame, None, base_weight="w", strata="h", psu="psu")
    assert (rw.method, rw.count, rw.scale) == ("JKn", 5, 1.0)
    assert rw.rscales == pytest.approx([2 / 3] * 3 + [1 / 2] * 2, rel=1e-15)
    # Replicates delete A1, A2, A3 (first appearance), then B1, B2; PSU labels repeat across strata (nested).
    want = np.array([
        [0, 3 * 1.5, 5, 4 * 1.5, 7, 0],
        [2 * 1.5, 0, 5, 4 * 1.5, 7, 2 * 1.5],
        [2 * 1.5, 3 * 1.5, 5, 0, 7, 2 * 1.5],
        [2, 3, 0, 4, 7 * 2, 2],
        [2, 3, 5 * 2, 4, 0, 2],
    ]).T
    assert np.array_equal(rw.weights.to_numpy(), want) and rw.full.equals(frame["w"].rename("weight"))
    # With fpc: f_A = 3/10 scales A's rscales; B, sampled whole, has no sampling variance and no replicate (as R).
    with_fpc = replicate_weights(frame, None, base_weight="w", strata="h", psu="psu", fpc="N")
    assert with_fpc.count == 3 and np.array_equal(with_fpc.weights.to_numpy(), want[:, :3])
    assert with_fpc.rscales == pytest.approx([(1 - 3 / 10) * 2 / 3] * 3, rel=1e-15)
    # A stratum of one PSU: refused (R's default survey.lonely.psu = "fail"), unless sampled whole.
    lonely = pd.concat([frame, pd.DataFrame({"h": ["C"], "psu": [1], "w": [1.0], "N": [1]})], ignore_index=True)
    assert replicate_weights(lonely, None, base_weight="w", strata="h", psu="psu", fpc="N").count == 3
    with pytest.raises(WeightingError, match="stratum 'C' has only one PSU"):
        replicate_weights(lonely, None, base_weight="w", strata="h", psu="psu")
    # JK1: one stratum, scale (1 - f)(n - 1)/n, every other PSU times n/(n - 1).
    jk1 = replicate_weights(frame, None, base_weight="w", psu="h")
    assert (jk1.method, jk1.count, jk1.scale) == ("JK1", 2, 1 / 2)
    assert np.array_equal(jk1.weights["repw_001"].to_numpy(), [0, 0, 10, 0, 14, 0])


def test_bootstrap_draws_and_seed(parents):
    data, margins = parents
    kwargs = dict(base_weight="design_weight", strata="neighbourhood", method="bootstrap")
    plain = replicate_weights(data, None, replicates=50, seed=11, **kwargs)
    assert (plain.method, plain.count, plain.seed, plain.scale) == ("bootstrap", 50, 11, 1 / 49)
    assert (plain.rscales == 1).all()
    # Rao-Wu with n_h - 1 draws: a parent drawn k times has k n_h/(n_h - 1) times the design weight.
    sizes = data.groupby("neighbourhood")["neighbourhood"].transform("size").to_numpy()
    draws = plain.weights.to_numpy() / data["design_weight"].to_numpy()[:, None] * ((sizes - 1) / sizes)[:, None]
    assert np.allclose(draws, np.round(draws), atol=1e-12)
    per_stratum = pd.DataFrame(np.round(draws)).groupby(data["neighbourhood"].to_numpy()).sum()
    assert (per_stratum.to_numpy() == (per_stratum.index.map(data["neighbourhood"].value_counts()) - 1)
            .to_numpy()[:, None]).all()
    assert (draws == 0).mean() == pytest.approx(np.exp(-1), abs=0.03)  # each parent left out with p ~ 1/e

    same = replicate_weights(data, margins, replicates=20, seed=11, **kwargs)
    assert same.weights.equals(replicate_weights(data, margins, replicates=20, seed=11, **kwargs).weights)
    other = replicate_weights(data, margins, replicates=20, seed=12, **kwargs)
    assert not np.allclose(same.weights.to_numpy(), other.weights.to_numpy())
    assert same.full.equals(other.full)  # the full sample does not depend on the draws
    # Replicate after replicate from one generator: more replicates extend the same ones.
    longer = replicate_weights(data, margins, replicates=30, seed=11, **kwargs)
    assert longer.weights.iloc[:, :20].equals(same.weights)
    # Without a seed one is drawn and kept: the result can be made again.
    drawn = replicate_weights(data, margins, replicates=5, **kwargs)
    assert isinstance(drawn.seed, int)
    assert drawn.weights.equals(replicate_weights(data, margins, replicates=5, seed=drawn.seed, **kwargs).weights)
    assert replicate_weights(data, None, **kwargs).count == 200  # the default
    for variable, categories in margins.items():  # every bootstrap replicate raked too
        sums = same.weights.groupby(data[variable]).sum().loc[list(categories)].to_numpy().T
        assert np.allclose(sums, list(categories.values()), rtol=1e-10, atol=0)


def test_bootstrap_standard_errors_near_the_jackknife(parents, expected):
    """2,000 Rao-Wu replicates against R's JKn without fpc (the bootstrap has none): within 5%. With 40,000
    replicates the ratio settles about 2% below 1 on these raked means (the jackknife's variance of a nonlinear
    statistic is biased upward: Efron & Stein 1981), and within 0.5% of 1 for the unraked totals."""
    data, margins = parents
    rw = replicate_weights(data, margins, base_weight="design_weight", strata="neighbourhood",
                           method="bootstrap", replicates=2000, seed=2018)
    ratios = []
    for variable in VARIABLES:
        _, replicates = _replicate_estimates(rw, data[variable].to_numpy(dtype=float), "mean")
        ratios.append(np.sqrt(rw.variance(replicates)[0]) / expected["jkn"]["no_fpc"]["mean"][variable]["se"])
    assert np.all(np.abs(np.array(ratios) - 1) < 0.05), ratios


def test_trimming_in_each_replicate_by_hand(parents):
    """Each replicate is trimmed as rake trims the full sample, with the mean of its own respondents' weights
    (the nonzero ones); its left-out respondents stay at zero and its total does not move."""
    data, margins = parents
    kwargs = dict(base_weight="design_weight", strata="neighbourhood", fpc="N_h")
    bounds = (0.4, 2.5)
    raked = replicate_weights(data, margins, **kwargs)
    trimmed = replicate_weights(data, margins, trim=bounds, **kwargs)
    assert trimmed.full.equals(rake(data, margins, base_weight="design_weight", trim=bounds).weights)
    counts = []
    for column in raked.weights.columns:
        w = raked.weights[column].to_numpy().copy()
        kept = w > 0
        mean = w[kept].sum() / kept.sum()
        low, high = kept & (w < bounds[0] * mean), w > bounds[1] * mean
        cut = w[high].sum() - bounds[1] * mean * high.sum() - (bounds[0] * mean * low.sum() - w[low].sum())
        w[low], w[high] = bounds[0] * mean, bounds[1] * mean
        w[kept & ~low & ~high] += cut / (kept & ~low & ~high).sum()
        got = trimmed.weights[column].to_numpy()
        assert got == pytest.approx(w, rel=1e-12) and np.array_equal(got == 0, ~kept)
        assert got.sum() == pytest.approx(raked.weights[column].sum(), rel=1e-12)
        counts.append((int(low.sum()), int(high.sum())))
    low_counts, high_counts = np.array(counts).T
    assert low_counts.min() > 0 and high_counts.min() > 0  # every replicate trimmed at both ends...
    assert len(set(counts)) > 1  # ...and not all alike
    # Without margins the design weights are trimmed, in the full sample and in each replicate alike.
    unraked = replicate_weights(data, None, trim=(0.5, 1.5), **kwargs)
    base = data["design_weight"].to_numpy()
    assert unraked.full.min() == pytest.approx(0.5 * base.mean()) and unraked.full.max() < base.max()
    assert unraked.full.sum() == pytest.approx(base.sum(), rel=1e-12)
    assert np.allclose(unraked.weights.sum(), base.sum(), rtol=1e-12, atol=0)


def test_an_emptied_category_names_the_replicate(parents):
    data, margins = parents
    # All "en" parents in one PSU: the jackknife replicate that deletes it leaves "en" without weight.
    frame = data.assign(psu=np.where(data["language"] == "en", "EN", (data.index // 10).astype(str)))
    number = list(pd.unique(frame["psu"])).index("EN") + 1
    with pytest.raises(WeightingError, match=re.escape(
            f"replicate {number} (repw_{number:03d}, without PSU 'EN') leaves no weight in margin 'language' "
            "category 'en', so it cannot be raked")):
        replicate_weights(frame, margins, base_weight="design_weight", psu="psu")
    # A bootstrap replicate that does not draw the PSU (1 in e of them): named the same way.
    with pytest.raises(WeightingError, match=r"^replicate \d+ \(repw_\d{3}\) leaves no weight in margin 'language' "
                                             r"category 'en'"):
        replicate_weights(frame, margins, base_weight="design_weight", psu="psu", method="bootstrap", seed=1)


def test_a_replicate_that_does_not_converge_is_named(parents, jkn):
    data, margins = parents
    full = rake(data, margins, base_weight="design_weight")
    slowest = int(np.argmax(jkn.iterations))
    assert full.iterations < jkn.iterations[slowest]  # the full sample converges within max_iter, it does not
    deleted = data.index[jkn.weights.iloc[:, slowest] == 0][0]  # replicates go stratum by stratum, not by row
    with pytest.raises(WeightingError, match=re.escape(
            f"replicate {slowest + 1} (repw_{slowest + 1:03d}, without respondent {deleted}): raking did not "
            f"converge in {full.iterations} iterations: margin 'language' category 'en' was still off by ")
            + r"[0-9.e-]+ \(relative\) in the last sweep"):
        replicate_weights(data, margins, base_weight="design_weight", strata="neighbourhood", fpc="N_h",
                          max_iter=full.iterations)


def test_too_many_weights_are_refused(parents):
    data, margins = parents
    big = pd.DataFrame({"language": np.resize(data["language"].to_numpy(), 20_000)})
    big_margins = {"language": {k: v * 2 for k, v in margins["language"].items()}}
    with pytest.raises(WeightingError, match=re.escape(
            "20000 replicates of 20000 respondents would take 3.0 GiB of weights (more than 2 GiB): use "
            "method='bootstrap' with fewer replicates (the jackknife makes one per PSU)")):
        replicate_weights(big, big_margins, base_weight=None)
    with pytest.raises(WeightingError, match="1000000 replicates of 277 respondents would take 2.1 GiB"):
        replicate_weights(data, margins, base_weight=None, method="bootstrap", replicates=1_000_000)


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        (None, dict(fpc="N_h", method="bootstrap"), "the Rao-Wu bootstrap has no finite population correction"),
        (None, dict(replicates=50), "the jackknife makes one replicate per PSU; replicates=50 is for the bootstrap"),
        (None, dict(method="brr"), "method must be 'jackknife' or 'bootstrap', got 'brr'"),
        (None, dict(method="bootstrap", replicates=1), "the bootstrap needs at least 2 replicates"),
        (None, dict(trim=(0.5, 0.9)), "trim bounds must satisfy 0 < low < 1 < high"),
        (lambda d: d.assign(N_h=d["N_h"].where(d.index != 3, 5)), dict(fpc="N_h"),
         "fpc 'N_h' must be one population size per stratum: stratum 'Other Brussels' has several (5 and 3000)"),
        (lambda d: d.assign(N_h=0.05), dict(fpc="N_h"),
         "fpc 'N_h': stratum 'Hertogin' has 96 sampled PSUs but a population of 0.05; fpc is the population's "
         "number of PSUs"),
        (lambda d: d.assign(N_h=d.groupby("neighbourhood")["N_h"].transform("size")), dict(fpc="N_h"),
         "every stratum was sampled whole"),
        (lambda d: d.assign(neighbourhood=d["neighbourhood"].where(d.index != 0)), {},
         "strata 'neighbourhood' is missing for 1 respondents"),
        (lambda d: d.assign(design_weight=d["design_weight"].where(d.index != 0, 0.0)), {},
         "base weight 'design_weight' must be positive and finite for every respondent"),
        (lambda d: d.assign(cluster=1), dict(psu="cluster", method="bootstrap"),
         "stratum 'Hertogin' has only one PSU"),
    ],
)
def test_refusals_say_what_is_wrong(parents, change, kwargs, message):
    data, margins = parents
    frame = change(data) if change else data
    with pytest.raises(WeightingError, match=re.escape(message)):
        replicate_weights(frame, margins, base_weight="design_weight", strata="neighbourhood",
                          **{"fpc": None, **kwargs})


# -- estimates from replicate weights: survey_mean / survey_means / survey_total(replicates=) ------------------


def test_survey_means_from_jkn_replicates_equal_r(parents, jkn, expected):
    """The estimates use the replicate weights' full-sample weights, the SEs their replicates (R's svymean and
    svyby on the re-raked JKn design), and df is R's degf (the rank of the replicate weights less one)."""
    data, _ = parents
    r = expected["jkn"]
    overall = survey_means(data, VARIABLES, replicates=jkn)
    for row in overall.itertuples():
        assert row.estimate == pytest.approx(r["mean"][row.variable]["estimate"], rel=1e-8)
        assert row.se == pytest.approx(r["mean"][row.variable]["se"], rel=1e-6)
    assert (overall["df"] == r["replication"]["degf"]).all()
    for variable in VARIABLES:
        for by, kind, function in (("neighbourhood", "mean", survey_mean), ("education", "mean", survey_mean),
                                   ("neighbourhood", "total", survey_total)):
            rows = function(data, variable, by=by, replicates=jkn)
            want = r[f"{kind}_by_{by}"][variable]
            assert set(rows[by]) == set(want)
            for row in rows.itertuples():
                cell = want[getattr(row, by)]
                assert row.estimate == pytest.approx(cell["estimate"], rel=1e-8)
                assert row.se == pytest.approx(cell["se"], rel=1e-6), (variable, by, kind)


def test_survey_mean_from_jk1_replicates_equals_r(apiclus1, expected):
    data, totals = apiclus1
    r = expected["jk1"]["raked"]
    rw = replicate_weights(data, totals, base_weight="pw", psu="dnum", fpc="fpc")
    mean = survey_mean(data, "api00", replicates=rw).iloc[0]
    assert mean["se"] == pytest.approx(r["mean_api00"]["api00"]["se"], rel=1e-6)
    assert mean["df"] == r["replication"]["degf"]
    by = survey_mean(data, "api00", by="stype", replicates=rw)
    for row in by.itertuples():
        assert row.se == pytest.approx(r["mean_api00_by_stype"][row.stype]["se"], rel=1e-6)
    total = survey_total(data, "enroll", replicates=rw).iloc[0]
    assert total["se"] == pytest.approx(r["total_enroll"]["enroll"]["se"], rel=1e-6)


def test_replicates_carry_the_whole_design(parents, jkn):
    """replicates= excludes the other design arguments, and must cover the frame's rows; mse centres on the
    full-sample estimate (never below the spread around the replicates' mean)."""
    data, margins = parents
    with pytest.raises(ValueError, match="replicates= carries the whole design"):
        survey_mean(data, "knows_service", replicates=jkn, weight="design_weight")
    with pytest.raises(ValueError, match="rows of the frame have no replicate weights"):
        survey_mean(data.set_index(data.index + 1000), "knows_service", replicates=jkn)
    plain = survey_mean(data, "knows_service", replicates=jkn).iloc[0]
    mse = survey_mean(data, "knows_service", replicates=jkn, mse=True).iloc[0]
    assert mse["estimate"] == plain["estimate"] and mse["se"] > plain["se"]
    # A subset of the rows is a subset of the replicate weights' rows: estimated on those.
    half = data.iloc[::2]
    sub = survey_mean(half, "knows_service", replicates=jkn).iloc[0]
    w = jkn.full.loc[half.index]
    assert sub["estimate"] == pytest.approx(float((w * half["knows_service"]).sum() / w.sum()), rel=1e-12)


def test_survey_means_by_domain_from_replicates_is_survey_mean(parents, jkn):
    """survey_means' block path (one sparse product for every variable and domain) equals survey_mean's, with a
    missing value, an empty domain and a domain without answers."""
    data, _ = parents
    data = data.assign(satisfaction=data["satisfaction"], cell=np.where(data.index < 5, "few", data["education"]))
    data.loc[data["cell"] == "few", "barrier_cost"] = np.nan
    variables = [*VARIABLES, "satisfaction"]
    for by in (None, "neighbourhood", "cell"):
        block = survey_means(data, variables, by=by, replicates=jkn)
        single = pd.concat([survey_mean(data, v, by=by, replicates=jkn).assign(variable=v) for v in variables],
                           ignore_index=True)[block.columns]
        pd.testing.assert_frame_equal(block, single, check_exact=False, rtol=1e-10, check_dtype=False)


def test_a_drawn_seed_fits_the_warehouse_and_redraws(parents):
    """Without a seed one is drawn and kept: a whole number from 0 below 2^63 (the warehouse's BIGINT), which
    draws the same replicates again."""
    data, margins = parents
    drawn = replicate_weights(data, margins, base_weight="design_weight", strata="neighbourhood",
                              method="bootstrap", replicates=5)
    assert isinstance(drawn.seed, int) and 0 <= drawn.seed < 2**63
    again = replicate_weights(data, margins, base_weight="design_weight", strata="neighbourhood",
                              method="bootstrap", replicates=5, seed=drawn.seed)
    assert again.weights.equals(drawn.weights)


@pytest.mark.parametrize("case", ["plain", "raked"])
def test_rao_scott_on_replicates_equals_r_svychisq(apiclus1, expected, case):
    """The Rao-Scott F test with the cells' covariance from the replicates (and the replicate design's df) is R's
    svychisq on the JK1 design, as it is and raked."""
    from analyses.comparisons import rao_scott
    from analyses.estimates import Design

    data, totals = apiclus1
    data = data.assign(high=data["api00"] > 700)
    rw = replicate_weights(data, totals if case == "raked" else None, base_weight="pw", psu="dnum", fpc="fpc")
    test = rao_scott(data, "stype", "high", design=Design(data, replicates=rw))
    want = expected["jk1"][case]["rao_scott"]
    for mine, theirs in (("F", "F"), ("ndf", "ndf"), ("ddf", "ddf"), ("p_F", "p")):
        assert test[mine] == pytest.approx(want[theirs], rel=1e-6), mine
