"""The raking benchmark's own judge (benchmarks/rake.py): the largest margin error on hand-made weights, and a
run that did not converge gets no time ratio. Needs neither weightipy nor R."""

import numpy as np
import pandas as pd
import pytest

from benchmarks.rake import MARGIN_TOLERANCE, NOTE, compare, largest_margin_error, table

FRAME = pd.DataFrame({"a": ["x", "x", "y"], "b": ["p", "q", "q"]})
MARGINS = {"a": {"x": 600.0, "y": 400.0}, "b": {"p": 300.0, "q": 700.0}}


def test_largest_margin_error_by_hand():
    # Weights 1, 2, 1: a is x 3/4 (population 0.6) and y 1/4 (0.4); b is p 1/4 (0.3) and q 3/4 (0.7).
    assert largest_margin_error(FRAME, MARGINS, [1.0, 2.0, 1.0]) == pytest.approx(0.15)
    # Shares, not totals: weights in persons give the same error as weights of mean 1.
    assert largest_margin_error(FRAME, MARGINS, [1000.0, 2000.0, 1000.0]) == pytest.approx(0.15)
    # 0.3, 0.3, 0.4 meet every margin.
    assert largest_margin_error(FRAME, MARGINS, [0.3, 0.3, 0.4]) == pytest.approx(0.0, abs=1e-15)


def test_a_category_without_respondents_or_without_a_population_counts():
    with_z = {"a": {"x": 300.0, "y": 400.0, "z": 300.0}, "b": MARGINS["b"]}
    assert largest_margin_error(FRAME, with_z, [0.3, 0.3, 0.4]) == pytest.approx(0.3)  # x 0.6 vs 0.3, z 0 vs 0.3
    only_x = {"a": {"x": 1000.0}, "b": MARGINS["b"]}
    assert largest_margin_error(FRAME, only_x, [0.3, 0.3, 0.4]) == pytest.approx(0.4)  # y 0.4 vs none


def test_only_converged_runs_are_compared():
    exact, off = np.array([0.3, 0.3, 0.4]), np.array([1.0, 2.0, 1.0])
    result = {"n": 3, "categories": [2, 2], "note": NOTE.format(tolerance=100 * MARGIN_TOLERANCE),
              "toegang": {"seconds": 0.5, "converged": True, "iterations": 3, "weights": exact},
              "weightipy": {"seconds": 0.25, "converged": False, "iterations": 2, "weights": off},
              "r_survey": {"seconds": 2.0, "converged": True, "iterations": None, "weights": exact * 1000}}
    compare(result, FRAME, MARGINS, exact)
    assert result["weightipy"]["largest_margin_error_pp"] == pytest.approx(15.0)
    assert result["weightipy"]["toegang_faster_x"] is None
    assert result["r_survey"]["toegang_faster_x"] == 4.0
    assert result["r_survey"]["max_relative_difference"] == pytest.approx(0.0, abs=1e-12)
    rows = table(result).splitlines()
    assert "| weightipy | 0.25 s | did not converge (largest margin error 15%) | 2 | 15% | not compared |" in rows
    assert any(row.startswith("| R `survey::rake` | 2.0 s | yes | not told |") and row.endswith("| 4.0x |")
               for row in rows)


def test_a_run_that_says_converged_but_misses_the_margins_is_not_compared():
    exact = np.array([0.3, 0.3, 0.4])
    result = {"n": 3, "categories": [2, 2], "note": "",
              "toegang": {"seconds": 0.5, "converged": True, "iterations": 3, "weights": exact},
              "r_survey": {"seconds": 2.0, "converged": True, "weights": np.array([1.0, 2.0, 1.0])}}
    compare(result, FRAME, MARGINS, exact)
    assert result["r_survey"]["meets_margins"] is False and result["r_survey"]["toegang_faster_x"] is None
