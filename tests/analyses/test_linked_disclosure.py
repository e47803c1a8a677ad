"""analyses/disclosure.py over links between measures: a hidden cell computed back through a ratio, a complement
or its breakdown is found by the audit, and protect_links hides enough that the audit finds none."""

import numpy as np
import pandas as pd
import pytest

from analyses import Parts, Ratio, audit_disclosure, protect_links

RATIO = Ratio("among", "use", "aware")
COMPLEMENT = Parts(1, ("partly", "unmet"), complete=False)
COLUMNS = ["indicator", "measure", "service", "theme", "dimension", "breakdown", "domain", "n", "estimate",
           "weight_sum", "unit"]


def _survey(sizes=(120, 90, 60, 25), aware=(0.6, 0.5, 0.4, 0.2), seed=3) -> pd.DataFrame:
    """Weighted respondents per area: who knows the service and who used it (only those who know it)."""
    rng = np.random.default_rng(seed)
    parts = []
    for k, (size, rate) in enumerate(zip(sizes, aware)):
        knows = rng.random(size) < rate
        parts.append(pd.DataFrame({"area": f"A{k + 1}", "w": rng.uniform(0.5, 2.5, size), "aware": knows,
                                   "use": knows & (rng.random(size) < 0.5)}))
    return pd.concat(parts, ignore_index=True)


def _cells(frame: pd.DataFrame, use_base: pd.Series | None = None) -> pd.DataFrame:
    """The three measures overall and per area, as the indicator table estimates them: weighted means over each
    measure's universe (``use_base``: who the use rate counts, everyone by default)."""
    everyone = pd.Series(True, index=frame.index)
    measures = {"aware": (frame["aware"], everyone), "use": (frame["use"], everyone if use_base is None else use_base),
                "among": (frame["use"], frame["aware"])}
    rows = []
    for measure, (value, universe) in measures.items():
        domains = [("all", "all", everyone)] + [("area", a, frame["area"] == a) for a in sorted(frame["area"].unique())]
        for breakdown, domain, inside in domains:
            chosen = universe & inside
            w = frame.loc[chosen, "w"]
            rows.append([f"{measure}.S1", measure, "S1", None, None, breakdown, domain, int(chosen.sum()),
                         float((w * value[chosen]).sum() / w.sum()), float(w.sum()), "proportion"])
    return pd.DataFrame(rows, columns=COLUMNS)


def _table(rows) -> pd.DataFrame:
    """Hand-made cells: (indicator, breakdown, domain, n, estimate, weight_sum), the measure before the dot."""
    cells = pd.DataFrame(rows, columns=["indicator", "breakdown", "domain", "n", "estimate", "weight_sum"])
    return cells.assign(measure=cells["indicator"].str.split(".").str[0], service="S1", theme=None, dimension=None,
                        unit="proportion")[COLUMNS]


def _cell(cells, indicator, domain) -> int:
    return cells.index[(cells["indicator"] == indicator) & (cells["domain"] == domain)][0]


def _alone(cells: pd.DataFrame, hidden: pd.Series) -> list:
    """Equations with exactly one hidden cell, counted here from the table alone: each indicator's area
    breakdown with its overall cell, and each ratio triple."""
    flagged = cells.assign(hidden=hidden)
    breakdowns = flagged.groupby("indicator")["hidden"].sum()
    triples = flagged.groupby(["breakdown", "domain"])["hidden"].sum()
    return [*breakdowns[breakdowns == 1].index, *triples[triples == 1].index]


def test_a_hidden_ratio_with_both_sides_published_is_disclosed():
    cells = _cells(_survey())
    small = cells["n"] < 10
    assert list(cells.loc[small, ["indicator", "domain"]].itertuples(index=False)) == [("among.S1", "A4")]
    # The breakdown rule alone hides a second category of the ratio, and nothing of its two sides.
    hidden = small | protect_links(cells, small)
    assert set(cells.loc[hidden, "indicator"]) == {"among.S1"} and hidden.sum() == 2
    assert not audit_disclosure(cells, hidden)["disclosed"].any()
    audit = audit_disclosure(cells, hidden, [RATIO], significant=None)
    through = audit[audit["link"] == "ratio among = use / aware"]
    assert set(through["domain"]) == set(cells.loc[hidden, "domain"])
    assert through["exact"].all() and through["disclosed"].all()
    truth = cells.loc[hidden, "estimate"].to_numpy()
    assert through["low"].to_numpy() == pytest.approx(truth, abs=1e-12)
    assert "estimate" not in audit and set(audit.columns) == {"indicator", "breakdown", "domain", "link", "low",
                                                               "high", "exact", "disclosed"}


def test_after_protect_links_no_hidden_cell_is_reconstructable():
    cells = _cells(_survey())
    small = cells["n"] < 10
    secondary = protect_links(cells, small, [RATIO], tolerance=0.01)
    hidden = small | secondary
    # Each hidden ratio cell took one side of its triple along, and that side a second category of its own.
    assert set(cells.loc[secondary, "measure"]) > {"among"}
    assert _alone(cells, hidden) == []
    audit = audit_disclosure(cells, hidden, [RATIO])
    assert len(audit) > 0 and not audit["disclosed"].any()
    assert set(audit["link"]) == {"ratio among = use / aware", "breakdown area: all = sum of category share x category"}
    assert not protect_links(cells, hidden, [RATIO], tolerance=0.01).any()


def test_a_ratio_on_bases_a_respondent_apart_is_caught_though_not_exact():
    frame = _survey()
    # A parent of A1 who knows the service skipped the use item: the use rate leaves them out, the awareness
    # rate counts them, so use / aware misses the share among the aware by a little.
    skipped = frame.index[(frame["area"] == "A1") & frame["aware"] & ~frame["use"]][:1]
    cells = _cells(frame, use_base=~frame.index.isin(skipped))
    hidden = pd.Series(False, index=cells.index)
    hidden[[_cell(cells, "among.S1", "A1"), _cell(cells, "among.S1", "A2")]] = True
    audit = audit_disclosure(cells, hidden, [RATIO], significant=None)
    row = audit[(audit["link"] == str(RATIO)) & (audit["domain"] == "A1")].iloc[0]
    truth = cells.at[_cell(cells, "among.S1", "A1"), "estimate"]
    assert 1e-9 < abs(row["low"] - truth) < 0.01 and row["low"] == row["high"]
    assert not row["exact"] and row["disclosed"]


def test_a_category_hidden_alone_is_recovered_from_its_overall():
    cells = _table([("rate.S1", "all", "all", 100, 0.42, 1000.0), ("rate.S1", "area", "A1", 50, 0.5, 480.0),
                    ("rate.S1", "area", "A2", 42, 0.35, 470.0), ("rate.S1", "area", "A3", 8, 0.0, 50.0),
                    ("rate.S1", "area", "A4", 0, np.nan, 0.0)])
    cells.loc[0, "estimate"] = (480 * 0.5 + 470 * 0.35 + 50 * 0.0) / 1000  # the overall: the categories' mean
    small = cells["n"] < 10
    # A4 has no respondents, so no value to protect A3 with: A3 is alone, and computed back.
    audit = audit_disclosure(cells, small, significant=None)
    assert list(audit["domain"]) == ["A3"] and audit["exact"].all() and audit["disclosed"].all()
    secondary = protect_links(cells, small)
    assert list(cells.loc[secondary, "domain"]) == ["A2"]  # the smallest published category, not the overall
    assert not audit_disclosure(cells, small | secondary)["disclosed"].any()


def test_two_hidden_categories_of_comparable_shares_stay_hidden_unless_their_sum_gives_them_away():
    def table(low_values):
        a3, a4 = low_values
        rows = [("rate.S1", "area", "A1", 50, 0.5, 400.0), ("rate.S1", "area", "A2", 40, 0.35, 350.0),
                ("rate.S1", "area", "A3", 9, a3, 130.0), ("rate.S1", "area", "A4", 8, a4, 120.0)]
        overall = sum(r[4] * r[5] for r in rows) / 1000
        return _table([("rate.S1", "all", "all", 107, overall, 1000.0), *rows])

    cells = table((0.3, 0.6))
    small = cells["n"] < 10
    audit = audit_disclosure(cells, small)
    assert list(audit["domain"]) == ["A3", "A4"] and not audit["disclosed"].any()
    truth = cells.loc[small, "estimate"].to_numpy()
    assert (audit["low"].to_numpy() <= truth).all() and (truth <= audit["high"].to_numpy()).all()
    assert (audit["high"] - audit["low"] > 0.5).all()
    # Both 0: the overall leaves nothing for them, and [0, 1] pins both at 0.
    zeros = table((0.0, 0.0))
    found = audit_disclosure(zeros, small)
    assert found["disclosed"].all() and (found["high"] < 1e-5).all()
    assert not protect_links(zeros, small).any()  # two hidden: the count rule is met
    more = protect_links(zeros, small, tolerance=0.01)
    assert list(zeros.loc[more, "domain"]) == ["A2"]
    assert not audit_disclosure(zeros, small | more)["disclosed"].any()


def test_a_partial_complement_bounds_a_hidden_part():
    rows = [("partly.T1", "all", "all", 200, 0.985, 2100.0), ("unmet.T1", "all", "all", 200, 0.008, 2100.0)]
    cells = _table(rows).assign(service=None, theme="T1")
    hidden = cells["indicator"] == "unmet.T1"
    audit = audit_disclosure(cells, hidden, [COMPLEMENT])
    assert audit[["link", "low", "high", "exact", "disclosed"]].values.tolist() == [
        ["parts 1 >= partly + unmet", 0.0, pytest.approx(0.015, abs=1e-6), False, True]]
    # With another answer at 0.1, the bound says less than the tolerance: not disclosed.
    wider = cells.assign(estimate=[0.885, 0.008])
    assert not audit_disclosure(wider, hidden, [COMPLEMENT])["disclosed"].any()
    # Bounds force nothing by the count rule; the audit's tolerance hides the other part.
    assert not protect_links(cells, hidden, [COMPLEMENT]).any()
    assert list(cells.loc[protect_links(cells, hidden, [COMPLEMENT], tolerance=0.01), "indicator"]) == ["partly.T1"]


def test_published_values_are_read_with_six_significant_digits():
    a, b = 0.123456789, 0.456789123
    cells = _table([("among.S1", "all", "all", 5, a / b, 400.0), ("use.S1", "all", "all", 900, a, 1000.0),
                    ("aware.S1", "all", "all", 900, b, 1000.0)])
    hidden = cells["indicator"] == "among.S1"
    six = audit_disclosure(cells, hidden, [RATIO]).iloc[0]
    written = 0.123457 / 0.456789
    assert six["low"] < written < six["high"] and 0 < six["high"] - six["low"] < 1e-5
    assert six["low"] <= a / b <= six["high"]
    assert six["disclosed"] and not six["exact"]  # 0.123457 / 0.456789 is 7e-7 off: learnt, not reproduced
    exact = audit_disclosure(cells, hidden, [RATIO], significant=None).iloc[0]
    assert exact["exact"] and exact["low"] == exact["high"]
    one = audit_disclosure(cells, hidden, [RATIO], significant=1).iloc[0]  # 0.1 / 0.5: r in [0.09, 0.33]
    assert (one["low"], one["high"]) == (pytest.approx(0.05 / 0.55), pytest.approx(0.15 / 0.45))
    assert not one["disclosed"]


def test_the_cascade_through_a_ratio_reaches_a_fixpoint():
    rows = []
    sizes = {"among": [5, 30, 12, 40], "use": [60, 45, 50, 80], "aware": [61, 71, 51, 81]}
    for measure, ns in sizes.items():
        rows.append((f"{measure}.S1", "all", "all", sum(ns), 0.3, 100.0))
        rows += [(f"{measure}.S1", "area", f"A{k + 1}", n, 0.3, 25.0) for k, n in enumerate(ns)]
    cells = _table(rows)
    small = cells["n"] < 10
    secondary = protect_links(cells, small, [RATIO])
    hidden = small | secondary
    # among A1 (primary) takes its smallest side use A1 along, and among A3 (its smallest category); use A1
    # takes use A2 (the smallest use category), whose triple then loses among A2; among A3 takes use A3.
    assert sorted(cells.loc[hidden, "indicator"] + " " + cells.loc[hidden, "domain"]) == [
        "among.S1 A1", "among.S1 A2", "among.S1 A3", "use.S1 A1", "use.S1 A2", "use.S1 A3"]
    assert _alone(cells, hidden) == []
    assert not protect_links(cells, hidden, [RATIO]).any()
    assert not (hidden & (cells["breakdown"] == "all")).any()


def test_tables_side_by_side_are_protected_each_on_its_own():
    first = _cells(_survey(seed=3))
    second = _cells(_survey(sizes=(100, 80, 70, 30), aware=(0.5, 0.5, 0.3, 0.15), seed=4))
    both = pd.concat([first.assign(wave="1"), second.assign(wave="2")], ignore_index=True)
    small = both["n"] < 10
    together = protect_links(both, small, [RATIO], by=["wave"], tolerance=0.01)
    apart = [protect_links(cells, cells["n"] < 10, [RATIO], tolerance=0.01) for cells in (first, second)]
    assert together.tolist() == apart[0].tolist() + apart[1].tolist() and together.any()
    audit = audit_disclosure(both, small | together, [RATIO], by=["wave"])
    assert list(audit.columns[:2]) == ["wave", "indicator"] and set(audit["wave"]) == {"1", "2"}
    assert not audit["disclosed"].any()
