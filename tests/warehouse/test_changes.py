"""warehouse/changes.py on a hand-made warehouse: each indicator write records its run beside the previous one;
a rerun that changes nothing only restamps it; the comparison finds the responses new and edited between two
runs, the versions that changed, the values that moved by more than their SE and the cells newly suppressed or
released, and never keeps a hidden cell's value."""

from datetime import datetime

import pandas as pd

from warehouse import changes, indicators
from warehouse.changes import MadeFrom

STUDY, WAVE = "s", "2018"


def _row(indicator, breakdown="all", domain="all", estimate=0.5, se=0.02, **values):
    return {**dict.fromkeys(indicators.STATISTIC_COLUMNS), "indicator": indicator, "measure": "m",
            "instrument": "parent", "breakdown": breakdown, "domain": domain, "unit": "proportion",
            "ci_method": "beta", "weighted": True, "suppressed": False, "estimate": estimate, "se": se, "n": 50,
            "instrument_version": "v1", "margins_version": "m1", "code_version": "c1", **values}


def _hidden(indicator, breakdown="all", domain="all", reason="primary"):
    return _row(indicator, breakdown, domain, estimate=None, se=None, n=None, suppressed=True, reason=reason)


def _write(con, run_id, rows, margins="m1", code="c1", versions=("v1",)):
    frame = pd.DataFrame(rows).assign(run_id=run_id, margins_version=margins, code_version=code)
    tables = {"indicators": frame, "reliability": pd.DataFrame(columns=["service"]),
              "comparisons": pd.DataFrame(columns=["indicator"]),
              "channel_sensitivity": pd.DataFrame(columns=["indicator"]),
              "pair_differences": pd.DataFrame(columns=["indicator"]),
              "disclosure_basis": pd.DataFrame(columns=["indicator"])}
    made_from = MadeFrom(run_id, {"parent": list(versions)}, margins, code)
    return indicators.write_wave(con, STUDY, WAVE, tables, made_from=made_from)


def _load(con, load_seq, versions, wave=WAVE):
    """Response versions of one load: (instrument, response_id) pairs."""
    fetched = datetime(2024, 1, load_seq)
    con.execute("INSERT INTO raw.loads VALUES (?, ?, 'file', ?, 1, ?, 'parent', 'v1', 'f.csv', NULL, ?, ?, ?, ?)",
                [load_seq, f"load-{load_seq}", STUDY, wave, fetched, fetched, len(versions), len(versions)])
    for instrument, response_id in versions:
        con.execute("INSERT INTO raw.responses VALUES (?, 1, ?, ?, ?, 'file', ?, ?, 'v1', ?, TRUE, ?, ?, ?)",
                    [STUDY, response_id, load_seq, f"load-{load_seq}", wave, instrument,
                     f"h{response_id}-{load_seq}", f"p{response_id}", fetched, fetched])


def _runs(con):
    return con.execute("SELECT run_id, responses, load_seq, load_id, margins_version FROM meta.indicator_runs "
                       "ORDER BY computed_at").fetchall()


def test_a_first_run_has_nothing_to_compare(con):
    _load(con, 1, [("parent", 1), ("parent", 2)])
    _write(con, "r1", [_row("a")])
    found = changes.wave_changes(con, STUDY, WAVE)
    assert found.first and found.latest.run_id == "r1" and found.latest.responses == 2
    assert _runs(con) == [("r1", 2, 1, "load-1", "m1")]
    # Loaded after the run: not in its figures yet.
    _load(con, 2, [("parent", 2), ("parent", 3)])
    assert changes.wave_changes(con, STUDY, WAVE).pending == (changes.ResponseChanges("parent", 1, 1),)


def test_two_runs_compared(con):
    _load(con, 1, [("parent", 1), ("parent", 2), ("field_actor", 7)])
    before = [_row("a", estimate=0.50, se=0.02), _row("b", estimate=0.50, se=0.02),
              _row("c", "area", "W1"), _hidden("d"), _row("gone"),
              _row("count", estimate=12, se=None, unit="count")]
    _write(con, "r1", before)
    _load(con, 2, [("parent", 2), ("parent", 3), ("field_actor", 8)])  # 2 edited, 3 and 8 new
    after = [_row("a", estimate=0.53, se=0.025),  # moved more than its SE
             _row("b", estimate=0.51, se=0.02),   # within it
             _hidden("c", "area", "W1", reason="secondary"), _row("d", estimate=0.4), _row("new"),
             _row("count", estimate=13, se=None, unit="count")]  # a count without SE: any change
    _write(con, "r2", after, margins="m2", versions=("v2",))
    _load(con, 3, [("parent", 9)])

    found = changes.wave_changes(con, STUDY, WAVE)
    assert (found.latest.run_id, found.previous.run_id) == ("r2", "r1")
    assert found.responses == (changes.ResponseChanges("field_actor", 1, 0), changes.ResponseChanges("parent", 1, 1))
    assert found.pending == (changes.ResponseChanges("parent", 1, 0),)
    assert found.versions == (changes.VersionChange("instrument", "parent", "v1", "v2"),
                              changes.VersionChange("margins", None, "m1", "m2"))
    moved = found.moved.to_dict("records")
    assert [(m["indicator"], m["before"], m["after"], m["se"]) for m in moved[:1]] == [("a", 0.50, 0.53, 0.025)]
    assert [m["indicator"] for m in moved] == ["a", "count"] and pd.isna(moved[1]["se"])
    assert found.suppressed[["indicator", "breakdown", "domain", "reason"]].values.tolist() == [
        ["c", "area", "W1", "secondary"]]
    assert found.released[["indicator", "reason"]].values.tolist() == [["d", "primary"]]
    assert (found.compared, found.added, found.removed) == (3, 1, 1)  # a, b, count; new; gone


def test_a_rerun_that_changes_nothing_keeps_the_previous_run(con):
    _load(con, 1, [("parent", 1)])
    _write(con, "r1", [_row("a", estimate=0.5)])
    _write(con, "r2", [_row("a", estimate=0.6)])
    _write(con, "r3", [_row("a", estimate=0.6)])  # the same figures from the same inputs: restamped only
    found = changes.wave_changes(con, STUDY, WAVE)
    assert (found.latest.run_id, found.previous.run_id) == ("r3", "r1")
    assert found.moved[["before", "after"]].values.tolist() == [[0.5, 0.6]]
    assert [r[0] for r in _runs(con)] == ["r1", "r3"]
    # Something changes: the latest becomes the previous, the oldest is dropped (rows and record).
    _write(con, "r4", [_row("a", estimate=0.6)], code="c2")
    assert [r[0] for r in _runs(con)] == ["r3", "r4"]
    assert con.execute("SELECT DISTINCT run_id FROM meta.indicator_history ORDER BY 1").fetchall() == [("r3",), ("r4",)]
    found = changes.wave_changes(con, STUDY, WAVE)
    assert found.versions == (changes.VersionChange("code", None, "c1", "c2"),) and found.moved.empty


def test_the_history_never_holds_a_hidden_value(con):
    leaky = _row("a", estimate=0.42, se=0.1, n=3, suppressed=True, reason="primary")  # a writer's mistake
    _write(con, "r1", [leaky])
    kept = con.execute("SELECT estimate, se, n, suppressed, reason FROM meta.indicator_history").fetchall()
    assert kept == [(None, None, None, True, "primary")]


def test_the_history_has_the_indicator_rows_columns(con):
    columns = [r[0] for r in con.execute("DESCRIBE meta.indicator_history").fetchall()]
    assert columns == list(indicators.ROW_COLUMNS)


def test_rows_published_before_runs_were_kept_are_the_previous_run(con):
    _load(con, 1, [("parent", 1)])
    frame = pd.DataFrame([_row("a", estimate=0.5), _hidden("b")]).assign(run_id="old")
    indicators.write_wave(con, STUDY, WAVE, {  # written as before Toegang kept runs: no made_from
        "indicators": frame, "reliability": pd.DataFrame(columns=["service"]),
        "comparisons": pd.DataFrame(columns=["indicator"]), "channel_sensitivity": pd.DataFrame(columns=["indicator"]),
        "pair_differences": pd.DataFrame(columns=["indicator"]),
        "disclosure_basis": pd.DataFrame(columns=["indicator"])})
    assert changes.wave_changes(con, STUDY, WAVE).latest is None
    _write(con, "r1", [_row("a", estimate=0.6), _row("b")], code="c2")
    found = changes.wave_changes(con, STUDY, WAVE)
    assert found.previous.run_id == "old" and found.previous.responses is None and found.responses is None
    assert found.versions == (changes.VersionChange("code", None, "c1", "c2"),)
    assert found.moved["indicator"].tolist() == ["a"] and found.released["indicator"].tolist() == ["b"]


def test_other_waves_and_studies_are_untouched(con):
    _write(con, "r1", [_row("a")])
    _write(con, "r2", [_row("a", estimate=0.9)])
    assert changes.wave_changes(con, STUDY, "2021").first
    assert changes.wave_changes(con, "t", WAVE).latest is None
    assert changes.recorded_waves(con, STUDY) == [WAVE] and changes.recorded_waves(con, "t") == []


def test_a_warehouse_without_the_history_has_nothing_to_compare(con):
    _write(con, "r1", [_row("a"), _row("b")])
    con.execute("DROP TABLE meta.indicator_runs")  # as a version-5 file opened read-only has it
    assert changes.recorded_waves(con, STUDY) == [WAVE]
    found = changes.wave_changes(con, STUDY, WAVE)
    assert found.first and found.latest is None
