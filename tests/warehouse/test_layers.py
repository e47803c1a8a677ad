"""warehouse/weighted.py and warehouse/indicators.py: each layer's tables, writers and readers, and the indicator
row that analyses produce and dashboards read."""

import pandas as pd
import pytest

from analyses.indicator_table import COLUMNS
from dashboards.model import COUNT_COLUMNS, INDICATOR_COLUMNS, PROVENANCE_COLUMNS
from warehouse import indicators, weighted


def _columns(con, schema, table):
    return [r[0] for r in con.execute(f"DESCRIBE {schema}.{table}").fetchall()]


def test_the_indicator_row_is_one_contract(con):
    assert tuple(_columns(con, "indicators", "indicators")) == indicators.ROW_COLUMNS
    assert tuple(COLUMNS) == indicators.STATISTIC_COLUMNS  # what analyses.indicator_table produces
    assert set(INDICATOR_COLUMNS) <= set(indicators.ROW_COLUMNS)  # what the dashboards require
    assert set(COUNT_COLUMNS) <= set(indicators.STATISTIC_COLUMNS)  # what they read when it is there
    assert set(PROVENANCE_COLUMNS) <= set(indicators.PROVENANCE_COLUMNS)


def _row(indicator, **values):
    return {**dict.fromkeys(indicators.STATISTIC_COLUMNS), "indicator": indicator, "measure": "m",
            "instrument": "parent", "breakdown": "all", "domain": "all", "unit": "proportion", "ci_method": "logit",
            "weighted": True, "suppressed": False, "run_id": "r", "instrument_version": "v", "code_version": "c",
            **values}


def test_a_wave_of_the_indicator_layer_is_written_whole(con):
    tables = {"indicators": pd.DataFrame([_row("a", n=12), _row("b", n=3)]),
              "reliability": pd.DataFrame(columns=["service"]), "comparisons": pd.DataFrame(columns=["indicator"]),
              "channel_sensitivity": pd.DataFrame(columns=["indicator"]),
              "pair_differences": pd.DataFrame(columns=["indicator"]),
              "disclosure_basis": pd.DataFrame([{"indicator": "b", "breakdown": "all", "domain": "all",
                                                 "estimate": 0.5, "weight_sum": 3.0, "run_id": "r"}])}
    assert indicators.write_wave(con, "s", "2018", tables) == 2
    assert indicators.read(con, "disclosure_basis", "s", "2018")["estimate"].tolist() == [0.5]
    assert indicators.read(con, "indicators", "s", "2018")["indicator"].tolist() == ["a", "b"]
    assert indicators.small_cells(con, "s", 10) == [("2018", "b", "all", "all", 3)]
    with pytest.raises(ValueError, match="reliability"):
        indicators.write_wave(con, "s", "2018", {"indicators": tables["indicators"]})
    # A failing table (a NOT NULL column missing) leaves the wave's other tables as they were.
    broken = dict(tables, comparisons=pd.DataFrame([{"indicator": "a"}]))
    with pytest.raises(Exception):
        indicators.write_wave(con, "s", "2018", dict(broken, indicators=pd.DataFrame([_row("c", n=40)])))
    assert indicators.read(con, "indicators", "s", "2018")["indicator"].tolist() == ["a", "b"]


def test_weights_and_their_diagnostics_are_replaced_together(con):
    frame = pd.DataFrame({"survey_id": [1, 1], "response_id": [1, 2], "respondent_id": ["x", "y"],
                          "weight": [2.0, 3.0], "raked_weight": [2.0, 3.0], "wijk": ["W01", "W02"]})
    diagnostics = {"n": 2, "excluded": 0, "weight_sum": 5.0, "n_eff": 25 / 13, "deff": 2 * 13 / 25, "cv": 0.2,
                   "min_weight": 2.0, "max_weight": 3.0, "trimmed": 0, "sweeps": 3, "max_margin_error": 1e-12,
                   "max_final_margin_error": 1e-12, "margin_errors": {"wijk": [1e-12, 1e-12]},
                   "margins_sources": {"wijk": "census (2018)"}}
    # The weights table of an instrument is created with its first weights: before them, there are none.
    assert not weighted.has_weights(con, "parent", "s", "2018") and weighted.weight_counts(con, "parent", "s") == {}
    assert weighted.read_weights(con, "parent", "s").empty
    assert weighted.write_wave(con, "s", "2018", "parent", frame, diagnostics) == 2
    assert _columns(con, "weighted", "parent_weights") == ["study_id", "wave", *weighted.WEIGHT_COLUMNS]
    assert weighted.has_weights(con, "parent", "s", "2018") and not weighted.has_weights(con, "parent", "s", "2021")
    assert not weighted.has_weights(con, "field_actor", "s", "2018")  # one table per weighted instrument
    assert weighted.weight_counts(con, "parent", "s") == {"2018": 2}
    assert weighted.read_weights(con, "parent", "s")["weight"].tolist() == [2.0, 3.0]
    stored = weighted.read_diagnostics(con, "s")
    assert stored.loc[0, "margin_errors"] == {"wijk": [1e-12, 1e-12]} and stored.loc[0, "n_eff"] == 25 / 13
    weighted.write_wave(con, "s", "2018", "parent", frame.iloc[:0], None)  # the wave lost its margins
    assert not weighted.has_weights(con, "parent", "s", "2018") and weighted.read_diagnostics(con, "s").empty
    assert weighted.weight_counts(con, "parent", "s") == {}
