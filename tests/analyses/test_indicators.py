"""analyses/indicators.py and disclosure.py: values computed by hand, small cells suppressed."""

import types

import pandas as pd
import pytest

import analyses
from analyses import awareness_by_neighbourhood, suppress_small_cells


def _parents():
    # W01: 12 answered, 9 aware; W02: 20 answered, 5 aware; W03: 4 answered, 4 aware; 3 did not reach it.
    rows = ([("W01", True)] * 9 + [("W01", False)] * 3 + [("W02", True)] * 5 + [("W02", False)] * 15
            + [("W03", True)] * 4 + [("W02", None)] * 3)
    return pd.DataFrame(rows, columns=["wijk", "kent_S01"])


def test_awareness_values_by_hand():
    table = awareness_by_neighbourhood(_parents(), ["S01"], min_n=1).set_index("neighbourhood")
    assert table.loc["W01", "n"] == 12 and table.loc["W01", "numerator"] == 9
    assert table.loc["W01", "estimate"] == 0.75
    assert table.loc["W02", "estimate"] == 0.25
    assert table.loc["W03", "estimate"] == 1.0
    assert table.loc["ALL", "n"] == 36 and abs(table.loc["ALL", "estimate"] - 18 / 36) < 1e-12
    assert table["suppression"].isna().all()


def test_small_cell_is_suppressed_with_a_secondary_cell():
    table = awareness_by_neighbourhood(_parents(), ["S01"]).set_index("neighbourhood")
    assert table.loc["W03", "suppression"] == "primary"
    assert pd.isna(table.loc["W03", "estimate"]) and pd.isna(table.loc["W03", "n"])
    # With only W03 hidden, W03 = ALL - W01 - W02: the smallest other cell (W01, n=12) is hidden too.
    assert table.loc["W01", "suppression"] == "secondary" and pd.isna(table.loc["W01", "numerator"])
    assert pd.isna(table.loc["W02", "suppression"]) and table.loc["W02", "n"] == 20
    assert pd.isna(table.loc["ALL", "suppression"])


def test_no_secondary_suppression_without_totals():
    table = pd.DataFrame({"n": [3, 50, 60], "numerator": [1, 20, 30], "estimate": [1 / 3, 0.4, 0.5]})
    out = suppress_small_cells(table)
    assert list(out["suppression"].fillna("-")) == ["primary", "-", "-"]
    assert out["numerator"].isna().tolist() == [True, False, False]


def test_two_suppressed_cells_need_no_third():
    table = pd.DataFrame({"g": ["a"] * 4, "n": [3, 4, 50, 57], "numerator": [1, 1, 20, 22],
                          "estimate": [0.3, 0.25, 0.4, 0.39], "tot": [False, False, False, True]})
    out = suppress_small_cells(table, groups=["g"], total="tot")
    assert list(out["suppression"].fillna("-")) == ["primary", "primary", "-", "-"]


def test_public_api_is_listed():
    exported = {name for name in dir(analyses)
                if not name.startswith("_") and not isinstance(getattr(analyses, name), types.ModuleType)}
    assert set(analyses.__all__) == exported


def test_weighted_awareness_equals_r_svyby():
    import json

    from analyses import margins_from_table, rake
    from tests.conftest import SHARED

    folder = SHARED / "fixtures" / "weighting"
    data = pd.read_csv(folder / "respondents.csv")
    margins = margins_from_table(pd.read_csv(folder / "population_margins.csv")).margins
    data["w"] = rake(data, margins).weights
    table = awareness_by_neighbourhood(data, ["knows_service"], weight="w", calibration=margins,
                                       area="neighbourhood", aware_prefix="").set_index("neighbourhood")
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))["calibrated"]
    for area, want in expected["svyby_knows_service_by_neighbourhood"].items():
        assert table.loc[area, "estimate"] == pytest.approx(want["estimate"], rel=1e-8)
        assert table.loc[area, "se"] == pytest.approx(want["se"], rel=1e-6)
    overall = expected["svyciprop_logit"]["knows_service"]
    assert (table.loc["ALL", "ci_low"], table.loc["ALL", "ci_high"]) == pytest.approx(tuple(overall["ci95_logit"]), rel=1e-6)
    assert table["weighted"].all() and table.loc["ALL", "numerator"] == pytest.approx(12000 * overall["estimate"], rel=1e-8)
