"""Panel statistics equal R's (tests/fixtures/r_panel, made by its make_expected.R): Wilcoxon's paired
signed-rank test as wilcox.test(after, before, paired = TRUE) with ties and zeros (and its exact path), the exact
McNemar test as binom.test(b, b + c), and on a five-wave panel with drop-outs and late joiners the changes
between waves (pairs merged by pseudonym in R) and each wave's trajectory. A person seen in one wave only never
enters a change; below min_pairs only counts are given."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analyses.panel import mcnemar_exact, paired_change, trajectory, wilcoxon_paired

R_PANEL = Path(__file__).resolve().parents[1] / "fixtures" / "r_panel"
TOL = 1e-6


@pytest.fixture(scope="module")
def expected():
    return json.loads((R_PANEL / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pairs():
    return pd.read_csv(R_PANEL / "pairs.csv")


@pytest.fixture(scope="module")
def panel():
    return pd.read_csv(R_PANEL / "panel.csv", dtype={"respondent_id": str})


CASES = ["ties_and_zeros", "mostly_zeros", "decline", "small_ties", "all_up", "no_ties_exact", "no_ties_approx"]


@pytest.mark.parametrize("case", CASES)
def test_wilcoxon_equals_r(expected, pairs, case):
    want = expected["wilcox"][case]
    rows = pairs[pairs["case"] == case]
    got = wilcoxon_paired(rows["after"].to_numpy(), rows["before"].to_numpy())
    assert got["statistic_V"] == want["V"]
    assert got["p_value"] == pytest.approx(want["p"], rel=TOL, abs=1e-12)
    assert ("exact" in got["method"]) == ("exact" in want["method"])
    assert got["effect_size"] == pytest.approx(want["rank_biserial"], rel=1e-12)


def test_the_cases_cover_ties_zeros_and_both_paths(expected, pairs):
    by_case = {case: rows for case, rows in pairs.groupby("case")}
    assert sum((rows["after"] == rows["before"]).any() for rows in by_case.values()) >= 4  # zero differences
    assert [case for case in CASES if "exact" in expected["wilcox"][case]["method"]] == ["no_ties_exact"]
    assert expected["wilcox"]["decline"]["rank_biserial"] < 0 < expected["wilcox"]["ties_and_zeros"]["V"]
    # A second route: scipy's own approximation with R's options gives R's p where R approximates.
    rows = by_case["ties_and_zeros"]
    approx = stats.wilcoxon(rows["after"], rows["before"], zero_method="wilcox", correction=True, method="approx")
    assert approx.pvalue == pytest.approx(expected["wilcox"]["ties_and_zeros"]["p"], rel=TOL)
    # Without the tie correction of the variance the p-value would differ: the cases can tell.
    d = (rows["after"] - rows["before"]).to_numpy()
    d = d[d != 0]
    n, v = len(d), expected["wilcox"]["ties_and_zeros"]["V"]
    z = (v - n * (n + 1) / 4 - 0.5) / np.sqrt(n * (n + 1) * (2 * n + 1) / 24)
    assert abs(2 * stats.norm.sf(abs(z)) - expected["wilcox"]["ties_and_zeros"]["p"]) > 1e-4


def test_mcnemar_equals_r(expected):
    for want in expected["mcnemar"]:
        assert mcnemar_exact(want["b"], want["c"]) == pytest.approx(want["p"], rel=TOL, abs=1e-12)
    assert mcnemar_exact(0, 7) == pytest.approx(2 * 0.5**7)  # by hand: both tails of the one extreme table


@pytest.mark.parametrize("index", range(8))
def test_paired_change_on_the_panel_equals_r(expected, panel, index):
    want = expected["changes"][index]
    kind = "ordinal" if want["variable"] == "useful" else "binary"
    got = paired_change(panel, want["variable"], before=want["before"], after=want["after"], kind=kind)
    for key in ("n_pairs", "n_before_only", "n_after_only", "n_higher", "n_unchanged", "n_lower"):
        assert got[key] == want[key], key
    n = want["n_pairs"]
    assert (got["share_higher"], got["share_unchanged"], got["share_lower"]) == pytest.approx(
        (want["n_higher"] / n, want["n_unchanged"] / n, want["n_lower"] / n))
    assert got["p_value"] == pytest.approx(want["p"], rel=TOL, abs=1e-12)
    assert got["reason"] is None
    if kind == "ordinal":
        assert got["statistic_V"] == want["V"]
        assert got["effect_size"] == pytest.approx(want["rank_biserial"], rel=1e-12)
        for key in ("median_before", "median_after", "mean_before", "mean_after"):
            assert got[key] == pytest.approx(want[key], rel=1e-12), key
    else:
        assert (got["discordant_0_to_1"], got["discordant_1_to_0"]) == (want["n_higher"], want["n_lower"])
        assert (got["share_before"], got["share_after"]) == pytest.approx((want["share_before"], want["share_after"]))


def test_the_panel_has_drop_outs_and_late_joiners(expected):
    assert all(c["n_before_only"] > 0 and c["n_after_only"] > 0 for c in expected["changes"])


def _pairs(before, after, start=0):
    ids = [f"r{start + i}" for i in range(len(before))]
    return pd.DataFrame({"wave": ["w1"] * len(ids) + ["w2"] * len(ids), "respondent_id": ids * 2,
                         "item": list(before) + list(after)})


BEFORE = [1, 2, 2, 3, 3, 3, 4, 2, 1, 5, 4, 2]
AFTER = [2, 3, 2, 4, 5, 3, 4, 3, 1, 4, 5, 4]


def test_a_person_in_one_wave_only_never_counts_in_a_change():
    pairs = _pairs(BEFORE, AFTER)
    alone = pd.DataFrame({"wave": ["w1", "w1", "w2", "w2"], "respondent_id": ["gone", "blank", "new", "blank"],
                          "item": [1, 5, 5, np.nan]})  # "blank" answered before, not after
    got = paired_change(pd.concat([pairs, alone]), "item", before="w1", after="w2")
    alone_only = paired_change(pairs, "item", before="w1", after="w2")
    assert (got["n_pairs"], got["n_before_only"], got["n_after_only"]) == (12, 2, 1)
    assert (alone_only["n_before_only"], alone_only["n_after_only"]) == (0, 0)
    for key in ("statistic_V", "p_value", "mean_before", "mean_after", "median_before", "share_higher"):
        assert got[key] == alone_only[key], key
    assert got["mean_before"] == pytest.approx(np.mean(BEFORE)) and got["mean_after"] == pytest.approx(np.mean(AFTER))
    assert (got["n_higher"], got["n_unchanged"], got["n_lower"]) == (7, 4, 1)
    # Unpaired, the one-wave persons would move the means: the test above can fail.
    assert np.mean(BEFORE + [1, 5]) != pytest.approx(got["mean_before"])


def test_below_min_pairs_counts_only():
    frame = pd.concat([_pairs(BEFORE[:9], AFTER[:9]),
                       pd.DataFrame({"wave": ["w2"], "respondent_id": ["late"], "item": [3]})])
    got = paired_change(frame, "item", before="w1", after="w2")
    assert (got["n_pairs"], got["n_before_only"], got["n_after_only"]) == (9, 0, 1)
    for key in ("n_higher", "share_higher", "share_unchanged", "share_lower", "p_value", "statistic_V",
                "effect_size", "mean_before", "median_after"):
        assert got[key] is None, key
    assert "9 pairs" in got["reason"] and "10" in got["reason"]
    tested = paired_change(frame, "item", before="w1", after="w2", min_pairs=9)
    assert tested["reason"] is None and tested["p_value"] is not None and tested["share_higher"] == 5 / 9

    binary = _pairs([0, 1, 0, 0, 1], [1, 1, 1, 0, 0])
    got = paired_change(binary, "item", before="w1", after="w2", kind="binary")
    assert got["n_pairs"] == 5 and got["p_value"] is None and got["discordant_0_to_1"] is None
    assert got["share_before"] is None and "fewer than 10" in got["reason"]


def test_binary_change_by_hand():
    before = [0] * 8 + [1] * 6
    after = [1, 1, 1, 1, 1, 0, 0, 0] + [1, 1, 1, 1, 0, 1]
    got = paired_change(_pairs(before, after), "item", before="w1", after="w2", kind="binary")
    assert (got["discordant_0_to_1"], got["discordant_1_to_0"]) == (5, 1)
    assert got["p_value"] == pytest.approx(2 * (1 + 6) / 2**6)  # P(X <= 1) doubled, X ~ Bin(6, 1/2)
    assert (got["share_before"], got["share_after"]) == pytest.approx((6 / 14, 10 / 14))
    assert got["share_higher"] == pytest.approx(5 / 14) and got["test"].startswith("exact McNemar")


def test_no_pair_changed_gives_shares_and_no_test():
    got = paired_change(_pairs(BEFORE, BEFORE), "item", before="w1", after="w2")
    assert got["share_unchanged"] == 1 and got["p_value"] is None and got["statistic_V"] is None
    assert got["reason"] == "no pair changed: no test"


@pytest.mark.parametrize("variable", ["useful", "shared"])
def test_trajectory_equals_r(expected, panel, variable):
    got = trajectory(panel, variable)
    level = "share" if variable == "shared" else "mean"
    assert list(got.columns) == ["wave", "n", level, "stayed", "joined", "returned", "dropped"]
    for row, want in zip(got.to_dict("records"), expected["trajectory"][variable], strict=True):
        assert row[level] == pytest.approx(want["mean"], rel=1e-12)
        for key in ("wave", "n", "stayed", "joined", "returned", "dropped"):
            assert row[key] == want[key], (key, want["wave"])
    assert (got["n"] == got["stayed"] + got["joined"] + got["returned"]).all()


def test_trajectory_counts_a_late_joiner_a_drop_out_and_a_return():
    frame = pd.DataFrame({"wave": [1, 1, 1, 2, 2, 2, 3, 3, 3],
                          "respondent_id": ["a", "b", "c", "a", "b", "d", "a", "c", "d"],
                          "item": [2, 4, 3, 3, 5, 1, 4, 4, np.nan]})  # d joins at 2, skips the item at 3
    got = trajectory(frame, "item", waves=[1, 2, 3, 4])
    assert got.to_dict("list") == {
        "wave": [1, 2, 3, 4], "n": [3, 3, 2, 0], "mean": pytest.approx([3, 3, 4, np.nan], nan_ok=True),
        "stayed": [0, 2, 1, 0], "joined": [3, 1, 0, 0], "returned": [0, 0, 1, 0], "dropped": [0, 1, 2, 2]}
    reversed_order = trajectory(frame, "item", waves=[3, 2, 1])
    # Waves come in the order given: at 1, "c" returns (seen at 3, not at 2).
    assert (list(reversed_order["joined"]), list(reversed_order["returned"])) == ([2, 2, 0], [0, 0, 1])


def test_refusals():
    frame = _pairs(BEFORE, AFTER)
    with pytest.raises(ValueError, match="more than once"):
        paired_change(pd.concat([frame, frame.iloc[:1]]), "item", before="w1", after="w2")
    with pytest.raises(ValueError, match="other than 0 and 1"):
        paired_change(frame, "item", before="w1", after="w2", kind="binary")
    with pytest.raises(ValueError, match="same wave"):
        paired_change(frame, "item", before="w1", after="w1")
    with pytest.raises(ValueError, match="no rows"):
        paired_change(frame, "item", before="w1", after="w9")
    with pytest.raises(ValueError, match="cannot be followed"):
        trajectory(frame.assign(respondent_id=frame["respondent_id"].where(frame.index != 0)), "item")


def test_panel_changes_are_each_wave_against_the_one_before_and_the_last_against_the_first():
    from analyses.panel import CHANGE_COLUMNS, panel_changes, wave_pairs

    assert wave_pairs(["a", "b"]) == [("a", "b")]
    assert wave_pairs(["a", "b", "c", "d"]) == [("a", "b"), ("b", "c"), ("c", "d"), ("a", "d")]
    rng = np.random.default_rng(4)
    frame = pd.DataFrame([{"wave": w, "respondent_id": f"p{i}", "score": float(rng.integers(1, 6)),
                           "applied": float(rng.integers(0, 2))}
                          for w in ("a", "b", "c") for i in range(16) if not (w == "b" and i < 3)])
    table = panel_changes(frame, {"score": "ordinal", "applied": "binary"}, ["a", "b", "c"], min_pairs=14)
    assert list(table.columns) == CHANGE_COLUMNS and len(table) == 6
    for row in table.itertuples():
        kind = "ordinal" if row.variable == "score" else "binary"
        one = paired_change(frame, row.variable, before=row.before, after=row.after, kind=kind, min_pairs=14)
        assert (row.n_pairs, row.n_before_only, row.n_after_only) == (one["n_pairs"], one["n_before_only"],
                                                                     one["n_after_only"])
        if one["n_pairs"] < 14:  # a -> b and b -> c have 13 pairs: counts only
            assert row.reason.startswith("13 pairs, fewer than 14") and pd.isna(row.share_higher)
            continue
        assert row.p_value == pytest.approx(one["p_value"]) and row.share_higher == one["share_higher"]
        assert row.value_before == pytest.approx(one["mean_before" if kind == "ordinal" else "share_before"])
        if kind == "ordinal":
            assert row.statistic == one["statistic_V"] and row.effect_measure == one["effect_size_name"]
        else:
            assert pd.isna(row.statistic) and pd.isna(row.effect_measure)


def test_what_would_give_away_a_small_group_beside_each_waves_figure_is_withheld():
    """Each wave's own figure (everyone present) is published beside the change on the pairs: the pairs' levels
    would give the figure of those at one wave only, and a yes/no change's net count would too when the other
    such group is empty. Those are withheld where the group is under min_cell (but not empty)."""
    from analyses.panel import panel_changes

    rng = np.random.default_rng(8)

    def frame(dropped: int, joined: int) -> pd.DataFrame:
        rows = [{"wave": w, "respondent_id": f"p{i}", "yes": float(rng.integers(0, 2)),
                 "score": float(rng.integers(1, 6))}
                for w in ("a", "b") for i in range(20 + dropped + joined)
                if not (w == "a" and i >= 20 + dropped) and not (w == "b" and 20 <= i < 20 + dropped)]
        return pd.DataFrame(rows)

    def change(data, variable, kind, **rules):
        return panel_changes(data, {variable: kind}, ["a", "b"], min_pairs=10, min_cell=10, **rules).iloc[0]

    dropped_only = frame(3, 0)  # 3 left, nobody joined: wave a's count less the pairs' and their net change
    binary = change(dropped_only, "yes", "binary")
    assert (binary.n_pairs, binary.n_before_only, binary.n_after_only) == (20, 3, 0)
    assert pd.isna(binary.n_higher) and pd.isna(binary.p_value) and pd.isna(binary.value_before)
    assert "change withheld: 3 person(s) seen at one wave only, fewer than 10" in binary.reason
    ordinal = change(dropped_only, "score", "ordinal")  # a scale's direction and test do not add up to a mean
    assert ordinal.n_higher is not None and not pd.isna(ordinal.p_value) and pd.isna(ordinal.value_before)
    assert pd.isna(ordinal.median_after) and ordinal.reason.startswith("levels withheld")
    both = change(frame(3, 4), "yes", "binary")  # only the difference of two small groups: levels withheld
    assert not pd.isna(both.n_higher) and pd.isna(both.value_before) and both.reason.startswith("levels withheld")
    whole = change(frame(0, 0), "yes", "binary")
    assert not pd.isna(whole.value_before) and whole.reason is None
    large = change(frame(12, 0), "yes", "binary")  # a group of min_cell or more may be worked out
    assert not pd.isna(large.value_before) and not pd.isna(large.n_higher)
    few = change(frame(0, 0), "score", "ordinal", min_level_n=30)  # means only from min_group_for_index pairs
    assert pd.isna(few.value_before) and not pd.isna(few.p_value) and "fewer than 30 for a mean" in few.reason
