"""analyses/indicator_table.py: each kind of indicator against a hand count, the index gate (pingouin's
alpha), the unweighted samples' rules, the difference between instruments, and small-cell suppression. The
indicators are built here as the stage resolves them from a catalogue (tests/instruments/test_catalogue.py
checks that resolution), so these tests know no study."""

import importlib
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from analyses.indicator_table import Clause, Indicator, IndicatorInputs, Sample, ScaleItem, indicator_table

SCALE = (ScaleItem("drS01_BR1", "+"), ScaleItem("drS01_BR2", "-"), ScaleItem("drS01_BR3", "+"))
ACTOR_SCALE = (ScaleItem("wdS01_BR1", "+"), ScaleItem("wdS01_BR2", "-"), ScaleItem("wdS01_BR3", "+"))
AWARE = Clause("in", ("kent_S01",), (True,))


def _indicators() -> list[Indicator]:
    """The kinds of the catalogue, for one subject, one theme and one dimension."""
    common = dict(instrument="parent", service="S01")
    scale = dict(common, dimension="d1", items=SCALE, low=1.0, high=5.0, universe=AWARE)
    return [
        Indicator("awareness_rate.S01", "awareness_rate", "share", "proportion", headline=True,
                  variable="kent_S01", codes=frozenset({True}), **common),
        Indicator("use_rate.S01", "use_rate", "share", "proportion", headline=True, variable="gebruik_S01",
                  codes=frozenset({True}), shown=Clause("all", parts=(AWARE,)), **common),
        Indicator("use_among_aware.S01", "use_among_aware", "share", "proportion", variable="gebruik_S01",
                  codes=frozenset({True}), universe=AWARE, **common),
        Indicator("satisfaction.S01", "satisfaction", "share", "proportion", variable="tevreden_S01",
                  codes=frozenset({"4", "5"}), universe=Clause("in", ("gebruik_S01",), (True,)), **common),
        Indicator("satisfaction_mean.S01", "satisfaction_mean", "mean", "mean", variable="tevreden_S01",
                  low=1.0, high=5.0, universe=Clause("in", ("gebruik_S01",), (True,)), **common),
        Indicator("unmet_need_rate.OPV", "unmet_need_rate", "share", "proportion", instrument="parent",
                  theme="OPV", headline=True, variable="steun_OPV", codes=frozenset({"N"}),
                  universe=Clause("in", ("nood_OPV",), (True,))),
        Indicator("partly_met_need_rate.OPV", "partly_met_need_rate", "share", "proportion", instrument="parent",
                  theme="OPV", variable="steun_OPV", codes=frozenset({"D"}),
                  universe=Clause("in", ("nood_OPV",), (True,))),
        Indicator("unmet_need_prevalence.OPV", "unmet_need_prevalence", "share", "proportion",
                  instrument="parent", theme="OPV", variable="steun_OPV", codes=frozenset({"N"}),
                  shown=Clause("in", ("nood_OPV",), (True,))),
        Indicator("barrier_prevalence.S01.d1", "barrier_prevalence", "share", "proportion",
                  codes=frozenset({1.0, 2.0}), **scale),
        Indicator("access_index.S01.d1", "access_index", "scale_index", "index", **scale),
        Indicator("field_actor_agree.S01.d1", "field_actor_agree", "count", "count", instrument="field_actor",
                  service="S01", dimension="d1", items=ACTOR_SCALE, low=1.0, high=5.0, at_least=75.0),
        Indicator("field_actor_index.S01.d1", "field_actor_index", "scale_index", "index", instrument="field_actor",
                  service="S01", dimension="d1", items=ACTOR_SCALE, low=1.0, high=5.0),
        Indicator("perception_gap.S01.d1", "perception_gap", "difference", "difference", instrument="both",
                  service="S01", dimension="d1", of=("field_actor_index.S01.d1", "access_index.S01.d1")),
    ]


def _parents(n=60, seed=1):
    rng = np.random.default_rng(seed)
    aware = rng.random(n) < 0.7
    base = rng.integers(1, 6, n)  # a latent score: the three items agree, so alpha is high
    frame = pd.DataFrame({
        "wijk": np.where(np.arange(n) < 52, np.where(np.arange(n) % 2 == 0, "W01", "W02"), "W03"),
        "kent_S01": pd.array(aware, dtype="boolean"),
        "gebruik_S01": pd.array(np.where(aware, rng.random(n) < 0.5, None), dtype="boolean"),
        "tevreden_S01": np.where(aware, rng.integers(1, 6, n).astype(str), None),
        "nood_OPV": pd.array(rng.random(n) < 0.5, dtype="boolean"),
        "steun_OPV": rng.choice(["J", "D", "N"], n),
        "drS01_BR1": np.where(aware, np.clip(base + rng.integers(-1, 2, n), 1, 5).astype(str), None),
        "drS01_BR2": np.where(aware, (6 - np.clip(base + rng.integers(-1, 2, n), 1, 5)).astype(str), None),
        "drS01_BR3": np.where(aware, np.clip(base + rng.integers(-1, 2, n), 1, 5).astype(str), None),
    })
    frame.loc[~frame["gebruik_S01"].fillna(False).astype(bool), "tevreden_S01"] = None
    frame.loc[~frame["nood_OPV"].astype(bool), "steun_OPV"] = None
    frame.loc[3, "drS01_BR1"] = "DK"  # don't know: missing, never 3
    frame.loc[[5, 7], ["drS01_BR1", "drS01_BR2"]] = "NA"  # one item of three left: not valid on the dimension
    return frame


def _actors(n):
    rng = np.random.default_rng(9)
    base = rng.integers(2, 6, n)
    return pd.DataFrame({"wdS01_BR1": base.astype(str), "wdS01_BR2": (6 - base).astype(str),
                         "wdS01_BR3": np.clip(base + rng.integers(-1, 2, n), 1, 5).astype(str)})


def _inputs(parents, actors=None, weight=None, calibration=None, indicators=None, **extra):
    actors = actors if actors is not None else _actors(12)
    return IndicatorInputs(
        samples={"parent": Sample(parents, weight, calibration, weighted_role=True),
                 "field_actor": Sample(actors, broken_down=False)},
        indicators=_indicators() if indicators is None else indicators, breakdowns={"neighbourhood": "wijk"},
        **extra)


def _row(table, indicator, breakdown="all", domain="all"):
    rows = table[(table["indicator"] == indicator) & (table["breakdown"] == breakdown) & (table["domain"] == domain)]
    assert len(rows) == 1, (indicator, breakdown, domain)
    return rows.iloc[0]


def _scores(parents):
    raw = parents[["drS01_BR1", "drS01_BR2", "drS01_BR3"]].apply(pd.to_numeric, errors="coerce")
    raw["drS01_BR2"] = 6 - raw["drS01_BR2"]
    return raw


def test_each_indicator_equals_a_hand_count():
    parents = _parents()
    table, _ = indicator_table(_inputs(parents))
    aware = parents["kent_S01"].astype(bool)
    used = parents["gebruik_S01"].fillna(False).astype(bool)
    assert _row(table, "awareness_rate.S01")["estimate"] == pytest.approx(aware.mean())
    assert _row(table, "use_rate.S01")["estimate"] == pytest.approx(used.mean())  # the unaware count as non-users
    assert _row(table, "use_among_aware.S01")["estimate"] == pytest.approx(used[aware].mean())
    satisfaction = pd.to_numeric(parents["tevreden_S01"], errors="coerce")[used]
    assert _row(table, "satisfaction.S01")["estimate"] == pytest.approx((satisfaction >= 4).mean())
    assert _row(table, "satisfaction_mean.S01")["estimate"] == pytest.approx(satisfaction.mean())
    need = parents["nood_OPV"].astype(bool)
    assert _row(table, "unmet_need_rate.OPV")["estimate"] == pytest.approx((parents["steun_OPV"][need] == "N").mean())
    assert _row(table, "partly_met_need_rate.OPV")["estimate"] == pytest.approx(
        (parents["steun_OPV"][need] == "D").mean())
    assert _row(table, "unmet_need_prevalence.OPV")["estimate"] == pytest.approx(
        (need & (parents["steun_OPV"] == "N")).mean())
    scores = _scores(parents)
    valid = aware & (scores.notna().sum(axis=1) >= 2)  # ceil(2 * 3 / 3) = 2 items of 3
    assert not valid[5] and not valid[7] and valid[3] == aware[3]
    assert _row(table, "barrier_prevalence.S01.d1")["estimate"] == pytest.approx(
        (scores[valid] <= 2).any(axis=1).mean())
    index = _row(table, "access_index.S01.d1")
    assert index["estimate"] == pytest.approx((100 * (scores[valid].mean(axis=1) - 1) / 4).mean())
    assert index["n"] == valid.sum() and index["ci_method"] == "wald" and not index["suppressed"]
    w02 = parents["wijk"] == "W02"  # W03 is too small and W01 is hidden with it (see below)
    assert _row(table, "awareness_rate.S01", "neighbourhood", "W02")["estimate"] == pytest.approx(aware[w02].mean())


def test_the_index_gate_uses_pingouins_alpha():
    parents = _parents()
    table, reliability = indicator_table(_inputs(parents))
    alpha = reliability[(reliability["language"] == "all")].iloc[0]
    complete = _scores(parents)[parents["kent_S01"].astype(bool)].dropna()
    expected, interval = pg.cronbach_alpha(data=complete, ci=0.95)
    assert (alpha["alpha"], alpha["ci_low"], alpha["ci_high"], alpha["n"]) == pytest.approx(
        (expected, interval[0], interval[1], len(complete)))
    assert alpha["alpha"] >= 0.7 and not _row(table, "access_index.S01.d1")["suppressed"]
    # Unrelated items: alpha is low, the index is withheld, the barrier prevalence still published.
    noisy = parents.copy()
    rng = np.random.default_rng(3)
    for column in ("drS01_BR1", "drS01_BR2", "drS01_BR3"):
        noisy[column] = np.where(noisy["kent_S01"].astype(bool), rng.integers(1, 6, len(noisy)).astype(str), None)
    table, _ = indicator_table(_inputs(noisy))
    withheld = _row(table, "access_index.S01.d1")
    assert withheld["suppressed"] and withheld["reason"] == "alpha_below_0.7" and pd.isna(withheld["estimate"])
    assert not _row(table, "barrier_prevalence.S01.d1")["suppressed"]


def test_field_actors_are_counts_and_the_gap_needs_30_of_them():
    parents = _parents()
    small, _ = indicator_table(_inputs(parents, _actors(12)))
    actors = _actors(12)
    scores = _scores(actors.rename(columns=lambda c: c.replace("wd", "dr")))
    agree = (100 * (scores.mean(axis=1) - 1) / 4 >= 75).sum()
    count = _row(small, "field_actor_agree.S01.d1")
    assert (count["estimate"], count["n"], count["unit"]) == (agree, 12, "count")
    assert _row(small, "field_actor_index.S01.d1")["reason"] == "field_actor_n_below_30"
    gap = _row(small, "perception_gap.S01.d1")
    assert gap["suppressed"] and gap["reason"] == "field_actor_n_below_30" and pd.isna(gap["estimate"])

    large, _ = indicator_table(_inputs(parents, _actors(40)))
    actor_index = _row(large, "field_actor_index.S01.d1")
    parent_index = _row(large, "access_index.S01.d1")
    gap = _row(large, "perception_gap.S01.d1")
    assert not gap["suppressed"]
    assert gap["estimate"] == pytest.approx(actor_index["estimate"] - parent_index["estimate"])
    assert gap["se"] == pytest.approx(math.hypot(actor_index["se"], parent_index["se"]))
    assert gap["ci_low"] == pytest.approx(gap["estimate"] - 1.959964 * gap["se"], abs=1e-5)


def test_a_small_cell_is_suppressed_with_a_second_one_so_it_cannot_be_derived():
    parents = _parents()  # W03 has 8 parents: below 10
    table, _ = indicator_table(_inputs(parents))
    cells = table[(table["indicator"] == "awareness_rate.S01") & (table["breakdown"] == "neighbourhood")]
    reasons = dict(zip(cells["domain"], cells["reason"]))
    assert reasons["W03"] == "primary"
    assert sorted(r for r in reasons.values() if r) == ["primary", "secondary"]  # one more cell hidden
    hidden = cells[cells["suppressed"]]
    assert hidden["estimate"].isna().all() and hidden["n"].isna().all()
    assert not _row(table, "awareness_rate.S01")["suppressed"]  # the total stays


def test_weighted_indicators_use_the_weights():
    parents = _parents().assign(w=np.linspace(0.5, 2.0, 60))
    table, _ = indicator_table(_inputs(parents, weight="w"))
    aware = parents["kent_S01"].astype(float)
    row = _row(table, "awareness_rate.S01")
    assert row["estimate"] == pytest.approx(np.average(aware, weights=parents["w"]))
    assert row["weighted"] and row["n_eff"] < 60


def test_blocks_and_categorical_answers_give_the_same_table(monkeypatch):
    """The table is computed a block of derived variables at a time (memory); neither the block size nor
    answers given as categoricals (as the pipeline reads a million parents) may change a number."""
    module = importlib.import_module("analyses.indicator_table")  # the package exports a function of that name

    parents = _parents().assign(w=np.linspace(0.5, 2.0, 60))
    inputs = _inputs(parents, weight="w", calibration={"wijk": {"W01": 100.0, "W02": 80.0, "W03": 20.0}})
    expected, _ = indicator_table(inputs)
    parent_rows = expected[expected["instrument"] == "parent"]["indicator"].nunique()
    assert parent_rows > 3
    monkeypatch.setattr(module, "BLOCK", 3)  # several blocks, the last one partial
    blocked, _ = indicator_table(inputs)
    coded = parents.astype({c: "category" for c in parents.columns if parents[c].dtype != bool
                            and not pd.api.types.is_numeric_dtype(parents[c]) and c != "kent_S01"
                            and not c.startswith(("gebruik", "nood"))})
    assert isinstance(coded["drS01_BR1"].dtype, pd.CategoricalDtype)
    categorical, _ = indicator_table(_inputs(coded, weight="w", calibration=inputs.samples["parent"].calibration))
    pd.testing.assert_frame_equal(blocked, expected)
    pd.testing.assert_frame_equal(categorical, expected)
    assert expected["estimate"].notna().sum() > 10


def test_group_comparisons_without_the_breakdowns_give_no_rows():
    """A study that publishes the whole sample only (no ``breakdowns:``) gets no comparisons and no channel
    sensitivity, rather than a KeyError."""
    from analyses.indicator_table import group_comparisons

    inputs = _inputs(_parents())
    table, _ = indicator_table(inputs)
    tests, sensitivity = group_comparisons(replace(inputs, breakdowns={}), table, compare=["neighbourhood"],
                                           sensitivity="channel")
    assert tests.empty and sensitivity.empty and "p_value" in tests and "estimate_without" in sensitivity
    inputs = _inputs(_parents(120))  # three neighbourhoods big enough to publish
    table, _ = indicator_table(inputs)
    compared, _ = group_comparisons(inputs, table, compare=["neighbourhood"], sensitivity="channel")
    assert not compared.empty  # the same inputs with the breakdown do compare
    assert set(compared["indicator"]) >= {"awareness_rate.S01", "access_index.S01.d1"}
    assert not any(name.startswith("field_actor") for name in compared["indicator"])  # not broken down


def test_unweighted_shares_below_the_minimum_are_published_as_counts():
    """publication.yaml's min_percentage_n: an unweighted instrument's share on fewer respondents is its count of n
    ("5 of 12"), with no percentage's interval; from the minimum on, the share with its exact interval."""
    agree = Indicator("agree.S01", "agree", "share", "proportion", instrument="field_actor", service="S01",
                      variable="wdS01_BR1", codes=frozenset({"4", "5"}))
    for n, counted in ((12, True), (40, False)):
        actors = _actors(n)
        table, _ = indicator_table(_inputs(_parents(), actors, indicators=[*_indicators(), agree]))
        row = _row(table, "agree.S01")
        k = int(actors["wdS01_BR1"].isin(["4", "5"]).sum())
        assert not row["suppressed"] and not row["weighted"] and pd.isna(row["reason"])
        assert (row["numerator"], row["n"], bool(row["as_count"])) == (k, n, counted)
        assert row["estimate"] == pytest.approx(k / n)
        if counted:
            assert pd.isna(row["se"]) and pd.isna(row["ci_low"]) and pd.isna(row["ci_high"])
            assert row["ci_method"] == "none" and not row["low_n_eff"]  # no percentage to flag
        else:
            assert row["ci_method"] == "clopper-pearson" and row["ci_low"] < k / n < row["ci_high"]
        # A different minimum in publication.yaml moves the line.
        relaxed, _ = indicator_table(_inputs(_parents(), actors, indicators=[*_indicators(), agree],
                                             min_percentage_n=10))
        assert not _row(relaxed, "agree.S01")["as_count"]
    # A weighted instrument's shares follow the NCHS rules, never this one.
    table, _ = indicator_table(_inputs(_parents(), indicators=[*_indicators(), agree], min_percentage_n=10_000))
    parents = table[table["instrument"] == "parent"]
    assert not parents["as_count"].any() and parents["numerator"].isna().all()


def test_a_difference_with_a_side_shown_as_a_count_is_withheld():
    """min_percentage_n above min_group_for_index: a share on 40 field actors is a count (no interval) though the
    group is large enough for an index; a difference built on it is withheld, not computed from a missing SE."""
    agree = Indicator("agree.S01", "agree", "share", "proportion", instrument="field_actor", service="S01",
                      variable="wdS01_BR1", codes=frozenset({"4", "5"}))
    aware = Indicator("awareness.S01", "awareness", "share", "proportion", instrument="parent", service="S01",
                      variable="kent_S01", codes=frozenset({True}))
    gap = Indicator("gap.S01", "gap", "difference", "difference", instrument="both", service="S01",
                    of=("agree.S01", "awareness.S01"))
    table, _ = indicator_table(_inputs(_parents(), _actors(40), indicators=[agree, aware, gap], min_percentage_n=50))
    assert _row(table, "agree.S01")["as_count"] and not _row(table, "awareness.S01")["as_count"]
    row = _row(table, "gap.S01")
    assert row["suppressed"] and row["reason"] == "field_actor_n_below_50" and pd.isna(row["estimate"])


def test_unweighted_means_and_indices_only_from_the_minimum_group():
    mean = Indicator("score.S01", "score", "mean", "mean", instrument="field_actor", service="S01",
                     variable="wdS01_BR1", low=1, high=5)
    for n, withheld in ((12, True), (40, False)):
        actors = _actors(n)
        table, _ = indicator_table(_inputs(_parents(), actors, indicators=[*_indicators(), mean]))
        row = _row(table, "score.S01")
        assert row["suppressed"] == withheld and not row["as_count"] and pd.isna(row["numerator"])
        if withheld:
            assert row["reason"] == "field_actor_n_below_30" and pd.isna(row["estimate"])
        else:
            assert row["estimate"] == pytest.approx(actors["wdS01_BR1"].astype(float).mean())
        relaxed, _ = indicator_table(_inputs(_parents(), actors, indicators=[*_indicators(), mean], min_group=10))
        assert not _row(relaxed, "score.S01")["suppressed"]


def test_a_difference_is_withheld_when_a_side_is():
    noisy = _parents()
    rng = np.random.default_rng(3)
    for column in ("drS01_BR1", "drS01_BR2", "drS01_BR3"):
        noisy[column] = np.where(noisy["kent_S01"].astype(bool), rng.integers(1, 6, len(noisy)).astype(str), None)
    table, _ = indicator_table(_inputs(noisy, _actors(40)))
    assert _row(table, "access_index.S01.d1")["reason"] == "alpha_below_0.7"
    gap = _row(table, "perception_gap.S01.d1")
    assert gap["suppressed"] and gap["reason"] == "parent_index_withheld" and pd.isna(gap["estimate"])


def test_means_reverse_and_indicators_keep_to_their_breakdowns():
    parents = _parents()
    reversed_mean = Indicator("dissatisfaction.S01", "dissatisfaction", "mean", "mean", instrument="parent",
                              service="S01", variable="tevreden_S01", low=1.0, high=5.0, reverse=True,
                              breakdowns=())
    table, _ = indicator_table(_inputs(parents, indicators=[reversed_mean]))
    score = pd.to_numeric(parents["tevreden_S01"], errors="coerce")
    assert _row(table, "dissatisfaction.S01")["estimate"] == pytest.approx((6 - score).mean())
    assert set(table["breakdown"]) == {"all"}  # breakdowns=(): the whole sample only


def test_counts_respect_their_universe():
    actors = _actors(20).assign(kentwa_S01=[True] * 10 + [False] * 10)
    count = Indicator("agree_known.S01.d1", "agree_known", "count", "count", instrument="field_actor",
                      service="S01", dimension="d1", items=ACTOR_SCALE, low=1.0, high=5.0, at_least=75.0,
                      universe=Clause("in", ("kentwa_S01",), (True,)))
    table, _ = indicator_table(_inputs(_parents(), actors, indicators=[count]))
    scores = _scores(actors.rename(columns=lambda c: c.replace("wd", "dr")))[:10]
    assert _row(table, "agree_known.S01.d1")["estimate"] == ((100 * (scores.mean(axis=1) - 1) / 4) >= 75).sum()
    assert _row(table, "agree_known.S01.d1")["n"] == 10


def test_a_one_item_dimension_is_published_as_the_items_mean_never_as_an_index():
    parents = _parents()
    indicators = [replace(i, items=i.items[1:2]) if i.dimension == "d1" and i.kind in ("scale_index", "count")
                  else i for i in _indicators()]  # the parents' dimension d1 has one (negative) item left
    indicators = [replace(i, items=ACTOR_SCALE) if i.instrument == "field_actor" else i for i in indicators]
    table, reliability = indicator_table(_inputs(parents, _actors(40), indicators=indicators))
    single = _row(table, "access_index.S01.d1")
    aware = parents["kent_S01"].astype(bool)
    item = 6 - pd.to_numeric(parents.loc[aware, "drS01_BR2"], errors="coerce")  # reversed, DK/NA missing
    assert not single["suppressed"] and single["unit"] == "mean" and single["ci_method"] == "wald"
    assert single["estimate"] == pytest.approx(item.mean()) and single["n"] == item.notna().sum()
    # No alpha for one item, and no gap between an index and a 1-5 mean.
    assert "d1" not in set(reliability.loc[reliability["service"] == "S01", "dimension"])
    assert "perception_gap.S01.d1" not in set(table["indicator"])
    assert _row(table, "field_actor_index.S01.d1")["unit"] == "index"
    # With two items or more, an index (gated by alpha) as before.
    table, _ = indicator_table(_inputs(parents))
    assert _row(table, "access_index.S01.d1")["unit"] == "index"
    assert (table["indicator"] == "perception_gap.S01.d1").any()


def test_single_item_means_marks_the_indicator():
    from analyses.indicator_table import single_item_means

    index = _indicators()[9]
    one = replace(index, items=(ScaleItem("x", "-"),))
    [mean] = single_item_means([one])
    assert (mean.kind, mean.unit, mean.variable, mean.reverse, mean.items, mean.single_item) == \
        ("mean", "mean", "x", True, (), True)
    assert single_item_means([index]) == [index]


def test_the_sensitivity_check_withholds_a_category_the_table_withholds():
    from analyses.indicator_table import group_comparisons

    parents = _parents()  # neighbourhoods W01 and W02 of 26 parents, W03 of 8
    inputs = _inputs(parents)
    table, _ = indicator_table(inputs)
    cells = table[(table["indicator"] == "awareness_rate.S01") & (table["breakdown"] == "neighbourhood")]
    hidden = dict(zip(cells["domain"], cells["reason"]))
    assert hidden["W03"] == "primary" and list(hidden.values()).count("secondary") == 1
    secondary = next(d for d, r in hidden.items() if r == "secondary")
    _, checks = group_comparisons(inputs, table, sensitivity="neighbourhood")
    rows = checks[checks["indicator"] == "awareness_rate.S01"].set_index("channel")
    # Without the secondary category, beside everyone's estimate, its own estimate would follow: withheld too.
    assert rows.loc[secondary, "suppressed"] and pd.isna(rows.loc[secondary, "estimate_without"])
    assert rows.loc["W03", "suppressed"]  # fewer than 10: the check's own rule
    shown = next(d for d in ("W01", "W02") if d != secondary)
    assert not rows.loc[shown, "suppressed"] and rows.loc[shown, "estimate_without"] > 0


def test_group_comparisons_leave_out_the_categories_the_table_withholds():
    from analyses.indicator_table import group_comparisons

    parents = _parents(100)
    parents["wijk"] = ["W01"] * 40 + ["W02"] * 40 + ["W03"] * 12 + ["W04"] * 8
    inputs = _inputs(parents)
    table, _ = indicator_table(inputs)
    cells = table[(table["indicator"] == "awareness_rate.S01") & (table["breakdown"] == "neighbourhood")]
    assert dict(zip(cells["domain"], cells["reason"])) == {"W01": None, "W02": None, "W03": "secondary",
                                                         "W04": "primary"}
    compared, _ = group_comparisons(inputs, table, compare=["neighbourhood"])
    rows = compared[compared["indicator"] == "awareness_rate.S01"]
    # Only the published categories are tested: a test's n beside the published ones tells nothing more.
    assert not rows.empty and set(rows["groups"]) == {"W01, W02"}, rows["groups"]
    published_n = cells.set_index("domain")["n"]
    assert set(rows["n"].dropna()) == {published_n["W01"] + published_n["W02"]}


def test_a_study_that_suppresses_by_the_nchs_rules_withholds_what_they_would():
    from analyses.standards import ProportionStandards

    parents = _parents(120)
    flagged, _ = indicator_table(_inputs(parents))
    table, _ = indicator_table(_inputs(parents, standards=ProportionStandards(action="suppress")))
    proportions = flagged[(flagged["unit"] == "proportion") & ~flagged["suppressed"]
                          & flagged["nchs_flag"].notna()].set_index(["indicator", "breakdown", "domain"])
    assert {"present", "n_eff_kg_below_30"} <= set(proportions["nchs_flag"])
    after = table.set_index(["indicator", "breakdown", "domain"]).loc[proportions.index]
    small = proportions["nchs_flag"].str.contains("n_eff_kg_below_30")
    assert (after.loc[small[small].index, "reason"] == "nchs_n_eff_kg_below_30").all()
    assert after.loc[small[small].index, "estimate"].isna().all()
    present = proportions.index[proportions["nchs_flag"] == "present"]
    assert not after.loc[present, "suppressed"].all()  # what the rules present stays (unless protected)


@pytest.mark.parametrize("method, scipy_method", [("clopper-pearson", "exact"), ("wilson", "wilson")])
def test_an_unweighted_instruments_shares_have_exact_intervals(method, scipy_method):
    """An instrument that is never weighted (no population to weight it to): its shares carry the interval the
    study chooses on their respondents, Clopper-Pearson (R's binom.test) or Wilson (prop.test, correct = FALSE),
    here against scipy's own binomtest; no degrees of freedom, no Korn-Graubard size. A weighted instrument's
    shares keep Korn-Graubard."""
    from scipy.stats import binomtest

    parents = _parents(120)
    inputs = IndicatorInputs(samples={"parent": Sample(parents, weighted_role=False)}, indicators=_indicators(),
                             breakdowns={"neighbourhood": "wijk"}, unweighted_interval=method,
                             min_percentage_n=10)  # every published share a percentage
    table, _ = indicator_table(inputs)
    shares = table[(table["unit"] == "proportion") & table["estimate"].notna()]
    assert len(shares) >= 5 and set(shares["ci_method"]) == {method}
    for row in shares.itertuples():
        successes = round(row.estimate * row.n)
        interval = binomtest(successes, int(row.n)).proportion_ci(method=scipy_method)
        assert (row.ci_low, row.ci_high) == pytest.approx((interval.low, interval.high), rel=1e-9, abs=1e-12)
        assert pd.isna(row.df) and pd.isna(row.n_eff_kg)
    weighted, _ = indicator_table(_inputs(parents))
    assert set(weighted.loc[(weighted["unit"] == "proportion") & weighted["estimate"].notna(), "ci_method"]) == {"beta"}
