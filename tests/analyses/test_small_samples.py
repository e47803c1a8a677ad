"""Small unweighted samples: Clopper-Pearson and Wilson intervals equal R's binom.test and prop.test(correct = FALSE)
for every x of n = 1..40 (and n = 1, 5, 12, 40 at 90% and 99%), Fisher's exact test equals R's fisher.test on 2 x 2
tables (p, conditional MLE odds ratio and interval, zeros giving 0 and inf) and on 2 x 3, 3 x 3, 2 x 4 and 3 x 4
tables (p), all to 1e-6 (tests/fixtures/r_small, made by its make_expected.R)."""

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from analyses.small_samples import fisher_test, proportion_interval

R_SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "r_small"
TOL = 1e-6
METHODS = {"clopper-pearson": "clopper_pearson", "wilson": "wilson"}


def _num(value):
    return float(value)  # R's Inf, written as the string "Inf"


@pytest.fixture(scope="module")
def expected():
    return json.loads((R_SMALL / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def grid(expected):
    return {key: np.asarray(values) for key, values in expected["proportions"].items()}


@pytest.mark.parametrize("level", [0.90, 0.95, 0.99])
@pytest.mark.parametrize("method", METHODS)
def test_proportion_intervals_equal_r_in_one_call(grid, method, level):
    rows = grid["level"] == level
    x, n = grid["x"][rows], grid["n"][rows]
    low, high = proportion_interval(x, n, method=method, level=level)
    want_low, want_high = grid[METHODS[method] + "_low"][rows], grid[METHODS[method] + "_high"][rows]
    assert low.shape == high.shape == x.shape
    np.testing.assert_allclose(low, want_low, rtol=TOL, atol=1e-14)
    np.testing.assert_allclose(high, want_high, rtol=TOL, atol=1e-14)
    # R's limits are exactly 0 at x = 0 and 1 at x = n; so are ours.
    assert np.all(low[x == 0] == 0) and np.all(high[x == n] == 1)
    assert np.all((low[x > 0] > 0) & (high[x < n] < 1))


def test_the_grid_covers_every_x_of_n_1_to_40(grid):
    at95 = grid["level"] == 0.95
    assert sorted(set(grid["n"][at95])) == list(range(1, 41))
    assert np.sum(at95) == sum(n + 1 for n in range(1, 41))


@pytest.mark.parametrize("n", [1, 7, 40])
def test_clopper_pearson_at_the_edges_has_its_closed_form(n):
    # At x = 0 the upper limit solves (1 - p)^n = a/2; at x = n the lower one solves p^n = a/2.
    assert proportion_interval(0, n) == pytest.approx((0.0, 1 - 0.025 ** (1 / n)), rel=1e-12)
    assert proportion_interval(n, n) == pytest.approx((0.025 ** (1 / n), 1.0), rel=1e-12)
    z2 = stats.norm.ppf(0.975) ** 2
    assert proportion_interval(0, n, method="wilson") == pytest.approx((0.0, z2 / (n + z2)), rel=1e-12)


def test_a_table_in_one_call_and_a_scalar_alone():
    x = np.array([[0, 3, 5], [2, 0, 0]])
    n = np.array([[5, 10, 5], [4, 0, 1]])
    low, high = proportion_interval(x, n, method="wilson")
    assert low.shape == (2, 3)
    assert (low[0, 1], high[0, 1]) == proportion_interval(3, 10, method="wilson")
    assert isinstance(proportion_interval(3, 10)[0], float)
    # n = 0: no respondent, no interval; the other cells are unaffected.
    assert np.isnan(low[1, 1]) and np.isnan(high[1, 1]) and np.isfinite(low[np.arange(2) != 1]).all()
    assert all(math.isnan(v) for v in proportion_interval(0, 0))
    # Broadcasting: one n for a row of counts.
    assert proportion_interval(np.array([0, 1, 2]), 2)[1][2] == 1.0


@pytest.mark.parametrize(
    "args, kwargs, message",
    [((3, 2), {}, "exceed"), ((-1, 2), {}, "negative"), ((1.5, 2), {}, "whole"), (("1", 2), {}, "whole"),
     ((1, 2), {"level": 95}, "level"), ((1, 2), {"method": "wald"}, "method")])
def test_proportion_interval_refuses(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        proportion_interval(*args, **kwargs)


def test_fisher_2x2_equals_r(expected):
    for want in expected["fisher_2x2"]:
        got = fisher_test(want["table"])
        assert got["shape"] == (2, 2)
        assert got["p_value"] == pytest.approx(want["p_value"], rel=TOL), want["table"]
        assert got["p_value"] == pytest.approx(stats.fisher_exact(want["table"]).pvalue, rel=1e-12)
        estimate, low, high = (_num(v) for v in (*want["odds_ratio"], *want["ci"]))
        if 0 in np.sum(want["table"], axis=0) or 0 in np.sum(want["table"], axis=1):
            # An empty row or column: R's estimate is 0 by the order of its branches; ours says no estimate.
            assert estimate == 0 and math.isnan(got["odds_ratio"]) and got["p_value"] == pytest.approx(1)
        else:
            assert got["odds_ratio"] == pytest.approx(estimate, rel=TOL, abs=0), want["table"]
        assert (got["ci_low"], got["ci_high"]) == pytest.approx((low, high), rel=TOL, abs=0), want["table"]


def test_fisher_2x2_holds_rs_zeros_and_infinities_and_its_stock_values(expected):
    by_table = {json.dumps(w["table"], separators=(",", ":")): w for w in expected["fisher_2x2"]}
    zero = fisher_test([[0, 5], [4, 3]])
    assert zero["odds_ratio"] == 0 and zero["ci_low"] == 0 and 0 < zero["ci_high"] < math.inf
    infinite = fisher_test([[5, 0], [2, 6]])
    assert infinite["odds_ratio"] == math.inf and infinite["ci_high"] == math.inf and infinite["ci_low"] > 1
    assert by_table["[[5,0],[2,6]]"]["ci"][1] == "Inf" and by_table["[[0,5],[4,3]]"]["odds_ratio"] == [0]
    # fisher.test as printed stops uniroot at tol 1.2e-4, on t in [0, 1] for values up to 1 and on 1/t above:
    # on that scale ours are within the tolerance, and they do differ by more than 1e-6.
    worst = 0.0
    for want in expected["fisher_2x2"]:
        got = fisher_test(want["table"])
        stock = want["stock"]
        assert got["p_value"] == pytest.approx(stock["p_value"], rel=TOL)
        pairs = [(got["ci_low"], stock["ci"][0]), (got["ci_high"], stock["ci"][1])]
        if not math.isnan(got["odds_ratio"]):
            pairs.append((got["odds_ratio"], stock["odds_ratio"][0]))
        for ours, theirs in ((ours, _num(theirs)) for ours, theirs in pairs):
            solved = (ours, theirs) if theirs <= 1 else (1 / ours, 1 / theirs)
            assert abs(solved[0] - solved[1]) < 2.5e-4, want["table"]
            if 0 < theirs < math.inf:
                worst = max(worst, abs(ours / theirs - 1))
    assert worst > 1e-3


def test_fisher_larger_tables_equal_r(expected):
    shapes = set()
    for want in expected["fisher_rxc"]:
        table = np.array(want["table"])
        got = fisher_test(table)
        shapes.add(table.shape)
        assert got["p_value"] == pytest.approx(want["p_value"], rel=TOL), want["table"]
        assert set(got) == {"p_value", "n_tables", "shape"}
        # The same test whichever way the table is laid out.
        assert fisher_test(table.T)["p_value"] == pytest.approx(got["p_value"], rel=1e-12)
        assert fisher_test(table[::-1, ::-1])["p_value"] == pytest.approx(got["p_value"], rel=1e-12)
    assert {(2, 3), (3, 3), (2, 4), (3, 4)} <= shapes
    assert min(w["p_value"] for w in expected["fisher_rxc"]) < 1e-4


def _brute_force(table):
    """Every table with the margins by trying every value of the free cells: the p-value and the number of tables."""
    table = np.asarray(table)
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    log_const = sum(math.lgamma(v + 1) for v in (*rows, *cols)) - math.lgamma(table.sum() + 1)

    def prob(t):
        return math.exp(log_const - sum(math.lgamma(v + 1) for v in t.ravel()))

    observed, total, count = prob(table), 0.0, 0
    free = [range(min(rows[i], cols[j]) + 1) for i in range(len(rows) - 1) for j in range(len(cols) - 1)]
    for cells in itertools.product(*free):
        t = np.zeros(table.shape, dtype=int)
        t[:-1, :-1] = np.reshape(cells, (len(rows) - 1, len(cols) - 1))
        t[:-1, -1] = rows[:-1] - t[:-1, :-1].sum(axis=1)
        t[-1, :] = cols - t[:-1, :].sum(axis=0)
        if (t >= 0).all() and t[-1].sum() == rows[-1]:
            count += 1
            total += prob(t) if prob(t) <= observed * (1 + 1e-7) else 0.0
    return total, count


@pytest.mark.parametrize(
    "table", [[[3, 1, 0], [1, 0, 2]], [[2, 0, 1], [0, 2, 0], [1, 0, 1]], [[4, 1, 0, 2], [0, 3, 5, 1]]])
def test_fisher_enumeration_equals_trying_every_cell(table):
    p_value, count = _brute_force(table)
    got = fisher_test(table)
    assert got["p_value"] == pytest.approx(p_value, rel=1e-12) and got["n_tables"] == count


def test_fisher_refuses_beyond_its_limit_and_bad_tables():
    table = [[3, 1, 0], [1, 3, 1], [0, 1, 3]]
    assert fisher_test(table, max_tables=140)["n_tables"] == 140
    with pytest.raises(ValueError, match="more than 139 tables.*simulated p-value is not offered"):
        fisher_test(table, max_tables=139)
    with pytest.raises(ValueError, match="more than 1000000 tables"):
        fisher_test(np.full((3, 4), 10))
    bad_tables = [([[1, 2, 3]], "at least 2 rows"), ([[1, -1], [2, 3]], "negative"), ([[1.5, 1], [2, 3]], "whole"),
                  ([[0, 0], [0, 0]], "no counts"), ([1, 2], "two-dimensional")]
    for bad, message in bad_tables:
        with pytest.raises(ValueError, match=message):
            fisher_test(bad)
