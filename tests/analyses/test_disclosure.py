"""analyses/disclosure.py and the public API; the weighted awareness indicator against R's svyby."""

import types

import pandas as pd
import pytest

import analyses
from analyses import suppress_small_cells


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
    from pathlib import Path

    from analyses import Indicator, IndicatorInputs, Sample, indicator_table, margins_from_table, rake
    from tests.conftest import SHARED

    folder = SHARED / "fixtures" / "weighting"
    data = pd.read_csv(folder / "respondents.csv")
    margins = margins_from_table(pd.read_csv(folder / "population_margins.csv")).margins
    data["w"] = rake(data, margins).weights
    # A share of the yes/no answers: as the stage resolves a `kind: share` of a multiple-choice item.
    indicators = [Indicator("awareness_rate.X", "awareness_rate", "share", "proportion", instrument="respondent",
                            service="X", variable="kent_X", codes=frozenset({True}))]
    respondents = data.assign(kent_X=data["knows_service"].astype("boolean"))
    inputs = IndicatorInputs(samples={"respondent": Sample(respondents, "w", margins, weighted_role=True)},
                             indicators=indicators, breakdowns={"neighbourhood": "neighbourhood"}, min_n=1)
    table, _ = indicator_table(inputs)
    by_area = table[table["breakdown"] == "neighbourhood"].set_index("domain")
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))["calibrated"]
    for area, want in expected["svyby_knows_service_by_neighbourhood"].items():
        assert by_area.loc[area, "estimate"] == pytest.approx(want["estimate"], rel=1e-8)
        assert by_area.loc[area, "se"] == pytest.approx(want["se"], rel=1e-6)
    # Korn-Graubard intervals on each domain's degrees of freedom (tests/fixtures/r_kg, from R).
    intervals = json.loads((Path(__file__).parents[1] / "fixtures/r_kg/expected.json").read_text(encoding="utf-8"))
    for area, want in intervals["raked"]["neighbourhood"]["knows_service"].items():
        assert tuple(by_area.loc[area, ["ci_low", "ci_high"]]) == pytest.approx(tuple(want["ci_beta"]), rel=1e-6)
        assert (by_area.loc[area, "df"], by_area.loc[area, "n_eff_kg"]) == (want["df"], pytest.approx(want["n_eff_kg"]))
    overall = table[table["breakdown"] == "all"].iloc[0]
    want = intervals["raked_overall"]["knows_service"]
    assert overall["estimate"] == pytest.approx(want["estimate"], rel=1e-8)
    assert (overall["ci_low"], overall["ci_high"]) == pytest.approx(tuple(want["ci_beta"]), rel=1e-6)
    assert table["weighted"].all() and set(table["ci_method"]) == {"beta"} and overall["df"] == 276
    # NCHS (demo default: flag, never suppress): the overall width 0.12 and n* 150 present; Other Brussels'
    # interval is 0.354 wide, Hertogin's 0.197 within 130% of p and of 1 - p.
    assert overall["nchs_flag"] == "present" and not table["suppressed"].any()
    assert by_area.loc["Other Brussels", "nchs_flag"] == "width_0.3_or_more"
    assert by_area.loc["Hertogin", "nchs_flag"] == "present"
