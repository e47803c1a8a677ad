"""Panel statistics across repeated measurements: the same persons followed across waves by a pseudonym.

A change between two waves is measured on the persons with a value in both waves only (the pairs); those seen
in one of the two waves only are counted beside it (dropped out or skipped, joined late), never mixed in.
``trajectory`` shows each wave's respondents with who stayed, joined, returned and dropped out.

Tests, as R (stats package) computes them:

- ordinal: Wilcoxon's signed-rank test on the pairs, R's ``wilcox.test(after, before, paired = TRUE)``: zero
  differences dropped (Wilcoxon's method), average ranks for ties. As R's default, the exact distribution when
  fewer than 50 pairs changed and no difference is zero or tied; otherwise the normal approximation with
  continuity correction and the tie correction of the variance (Hollander & Wolfe 1973, Nonparametric
  Statistical Methods, pp. 27-33, as ?wilcox.test cites). The statistic is R's V, the sum of the positive ranks (after >
  before). Effect size: the matched-pairs rank-biserial correlation (Kerby 2014, Comprehensive Psychology 3,
  11.IT.3.1), (R+ - R-) / (R+ + R-) over the changed pairs, as pingouin's ``wilcoxon`` reports it (RBC), on -1
  to 1: 1 when every changed pair went up.
- binary (0/1): the exact McNemar test, R's ``binom.test(b, b + c)`` on the discordant pairs (b: 0 -> 1,
  c: 1 -> 0), two-sided at 1/2 (McNemar 1947, Psychometrika 12, 153-157, exact form).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

MIN_PAIRS = 10
WILCOXON = "Wilcoxon signed-rank, paired (R wilcox.test(after, before, paired = TRUE))"
MCNEMAR = "exact McNemar (R binom.test(b, b + c))"
RANK_BISERIAL = "matched-pairs rank-biserial correlation (Kerby 2014; pingouin RBC)"
# R's wilcox.test computes exact p-values below this many non-zero differences (and without ties or zeros).
R_EXACT_BELOW = 50


def _wave_values(frame: pd.DataFrame, variable: str, wave: str, person: str, at) -> pd.Series:
    """Person -> value at wave ``at``, persons without a value left out."""
    rows = frame.loc[frame[wave] == at, [person, variable]]
    if rows[person].isna().any():
        raise ValueError(f"panel: {int(rows[person].isna().sum())} row(s) of wave {at!r} have no {person!r}: "
                         "they cannot be followed across waves")
    doubled = rows[person][rows[person].duplicated()]
    if len(doubled):
        raise ValueError(f"panel: {person!r} {sorted(doubled.unique().tolist())[:5]} appear more than once in "
                         f"wave {at!r}")
    return rows.dropna(subset=[variable]).set_index(person)[variable]


def _check_kind(values: pd.Series, variable: str, kind: str) -> None:
    if not pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        raise ValueError(f"panel: {variable!r} must be numeric (answer codes), not {values.dtype}")
    if kind == "binary" and not values.isin([0, 1]).all():
        raise ValueError(f"panel: {variable!r} has values other than 0 and 1: "
                         f"{sorted(set(values.unique()) - {0, 1})[:5]}")
    if kind not in ("ordinal", "binary"):
        raise ValueError(f"panel: kind must be 'ordinal' or 'binary', not {kind!r}")


def wilcoxon_paired(after: np.ndarray, before: np.ndarray) -> dict:
    """R's ``wilcox.test(after, before, paired = TRUE)``: V (sum of positive ranks), two-sided p, the method
    R would use, and the matched-pairs rank-biserial correlation. Needs at least one non-zero difference."""
    diff = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)
    changed = diff[diff != 0]
    if len(changed) == 0:
        raise ValueError("wilcoxon_paired: no pair changed")
    ranks = stats.rankdata(np.abs(changed))
    exact = len(changed) < R_EXACT_BELOW and len(changed) == len(diff) and len(np.unique(ranks)) == len(ranks)
    method = "exact" if exact else "approx"
    import pingouin as pg  # loaded when a test runs: it pulls in matplotlib

    result = pg.wilcoxon(after, before, zero_method="wilcox", correction=True, method=method).iloc[0]
    return {"statistic_V": float(ranks[changed > 0].sum()), "p_value": float(result["p_val"]),
            "method": "exact" if exact else "normal approximation, continuity and tie corrections",
            "effect_size": float(result["RBC"]), "effect_size_name": RANK_BISERIAL}


def mcnemar_exact(up: int, down: int) -> float:
    """Two-sided p of the exact McNemar test, R's ``binom.test(up, up + down)``. Needs a discordant pair."""
    if up + down == 0:
        raise ValueError("mcnemar_exact: no discordant pair")
    return float(stats.binomtest(up, up + down, 0.5).pvalue)


def paired_change(frame: pd.DataFrame, variable: str, *, before, after, wave: str = "wave",
                  person: str = "respondent_id", kind: Literal["ordinal", "binary"] = "ordinal",
                  min_pairs: int = MIN_PAIRS) -> dict:
    """The change of ``variable`` from wave ``before`` to wave ``after`` on the same persons only.

    One row per person and wave (``person`` holds the pseudonym); a person counts in a wave when they have a
    value there. Always returned: ``n_pairs`` (a value in both waves), ``n_before_only`` (dropped out or skipped
    ``after``) and ``n_after_only`` (joined late or skipped ``before``). From ``min_pairs`` pairs on, also the
    counts and shares (0-1, of the pairs) that went up (``higher``: after > before, for binary 0 -> 1), stayed
    and went down (``lower``); whether up is better depends on the item (a learning need, a satisfaction). Then:

    - ordinal: ``median_before``/``median_after`` and ``mean_before``/``mean_after`` of the pairs (answer
      codes), R's ``wilcox.test(after, before, paired = TRUE)`` (``statistic_V``, ``p_value``, ``method``)
      and the rank-biserial ``effect_size`` (see the module's docstring).
    - binary: ``share_before``/``share_after`` of the pairs (0-1), the discordant counts ``discordant_0_to_1``
      (b) and ``discordant_1_to_0`` (c), and ``p_value`` of R's ``binom.test(b, b + c)``.

    Below ``min_pairs`` pairs these are None and ``reason`` says why; when no pair changed the counts and
    shares are there and the test is None (R's ``wilcox.test`` gives NaN, ``binom.test`` refuses n = 0).
    """
    if before == after:
        raise ValueError(f"paired_change: before and after are the same wave {before!r}")
    if frame[frame[wave] == before].empty or frame[frame[wave] == after].empty:
        missing = [w for w in (before, after) if frame[frame[wave] == w].empty]
        raise ValueError(f"paired_change: no rows for wave(s) {missing} in {wave!r}")
    first = _wave_values(frame, variable, wave, person, before)
    second = _wave_values(frame, variable, wave, person, after)
    _check_kind(pd.concat([first, second]), variable, kind)
    both = first.index.intersection(second.index)
    x, y = first.loc[both].to_numpy(dtype=float), second.loc[both].to_numpy(dtype=float)
    result: dict = {
        "variable": variable, "before": before, "after": after, "kind": kind, "n_pairs": int(len(both)),
        "n_before_only": int(len(first.index.difference(both))),
        "n_after_only": int(len(second.index.difference(both))),
        "n_higher": None, "n_unchanged": None, "n_lower": None,
        "share_higher": None, "share_unchanged": None, "share_lower": None,
        "test": WILCOXON if kind == "ordinal" else MCNEMAR, "p_value": None, "reason": None,
    }
    if kind == "ordinal":
        result |= {"median_before": None, "median_after": None, "mean_before": None, "mean_after": None,
                   "statistic_V": None, "method": None, "effect_size": None, "effect_size_name": RANK_BISERIAL}
    else:
        result |= {"share_before": None, "share_after": None, "discordant_0_to_1": None, "discordant_1_to_0": None}
    n = len(both)
    if n < min_pairs:
        result["reason"] = f"{n} pairs, fewer than {min_pairs}: counts only, no shares and no test"
        return result
    up, down = int((y > x).sum()), int((y < x).sum())
    result |= {"n_higher": up, "n_unchanged": n - up - down, "n_lower": down,
               "share_higher": up / n, "share_unchanged": (n - up - down) / n, "share_lower": down / n}
    if kind == "ordinal":
        result |= {"median_before": float(np.median(x)), "median_after": float(np.median(y)),
                   "mean_before": float(x.mean()), "mean_after": float(y.mean())}
        if up + down:
            result |= wilcoxon_paired(y, x)
    else:
        result |= {"share_before": float(x.mean()), "share_after": float(y.mean()),
                   "discordant_0_to_1": up, "discordant_1_to_0": down}
        if up + down:
            result["p_value"] = mcnemar_exact(up, down)
    if up + down == 0:
        result["reason"] = "no pair changed: no test"
    return result


def trajectory(frame: pd.DataFrame, variable: str, *, wave: str = "wave", person: str = "respondent_id",
               waves: Sequence | None = None) -> pd.DataFrame:
    """Each wave's respondents to ``variable`` and how they came and went; one row per wave, in order.

    ``waves``: the waves in order (default: the wave column's values sorted); other waves' rows are left out
    and a listed wave without rows has n = 0. A person is present in a wave when they have a value there.
    Columns: ``wave``, ``n`` (present), ``mean`` of the answer codes, or ``share`` (0-1) when every value is 0
    or 1, ``stayed`` (present in the previous wave too), ``joined`` (first seen), ``returned`` (seen before,
    not in the previous wave; n = stayed + joined + returned) and ``dropped`` (present in the previous wave,
    not in this one). The first wave's respondents all join. Means are of whoever is present: compare waves
    on the same persons with ``paired_change``.
    """
    order = list(waves) if waves is not None else sorted(frame[wave].dropna().unique())
    if len(set(order)) != len(order):
        raise ValueError(f"trajectory: waves listed twice in {order}")
    values = {w: _wave_values(frame, variable, wave, person, w) for w in order}
    every = pd.concat(values.values()) if order else pd.Series(dtype=float)
    binary = len(every) > 0 and every.isin([0, 1]).all()
    _check_kind(every, variable, "binary" if binary else "ordinal")
    rows, seen, previous = [], set(), None
    for w in order:
        now = set(values[w].index)
        stayed = len(now & previous) if previous is not None else 0
        joined = len(now - seen)
        rows.append({wave: w, "n": len(now), "share" if binary else "mean": values[w].mean() if now else np.nan,
                     "stayed": stayed, "joined": joined, "returned": len(now) - stayed - joined,
                     "dropped": len(previous - now) if previous is not None else 0})
        seen |= now
        previous = now
    return pd.DataFrame(rows, columns=[wave, "n", "share" if binary else "mean", "stayed", "joined", "returned",
                                       "dropped"])


CHANGE_COLUMNS = ["variable", "kind", "before", "after", "n_pairs", "n_before_only", "n_after_only", "n_higher",
                  "n_unchanged", "n_lower", "share_higher", "share_unchanged", "share_lower", "value_before",
                  "value_after", "median_before", "median_after", "test", "statistic", "p_value", "method",
                  "effect_size", "effect_measure", "reason"]


def wave_pairs(waves: Sequence) -> list[tuple]:
    """The changes a panel reports: each wave against the one before, and the last against the first."""
    pairs = list(zip(waves[:-1], waves[1:], strict=True))
    return pairs + [(waves[0], waves[-1])] if len(waves) > 2 else pairs


def panel_changes(frame: pd.DataFrame, variables: dict[str, str], waves: Sequence, *, wave: str = "wave",
                  person: str = "respondent_id", min_pairs: int = MIN_PAIRS, min_cell: int = MIN_PAIRS,
                  min_level_n: int = 0) -> pd.DataFrame:
    """Every variable's changes: ``paired_change`` for each pair of ``wave_pairs(waves)``, as ``CHANGE_COLUMNS``.

    ``variables``: name -> "ordinal" or "binary". ``value_before``/``value_after`` are the pairs' means (ordinal)
    or shares (binary); ``statistic`` is R's V of the Wilcoxon test (none for McNemar's: its p is exact).

    What would give away a small group beside each wave's own published figure (of everyone present) is
    withheld, with the reason said: the pairs' levels (values, medians) when those seen at only one of the two
    waves are fewer than ``min_cell`` but not none (the wave's figure less the pairs' is theirs); a yes/no
    change's counts and test when one of those groups is that small and the other empty (the difference of the
    two waves' figures less the pairs' net change is then the small group's). A scale's levels also need
    ``min_level_n`` pairs (means and indices are published from that many respondents)."""
    changes = []
    for variable, kind in variables.items():
        for before, after in wave_pairs(list(waves)):
            found = paired_change(frame, variable, before=before, after=after, wave=wave, person=person, kind=kind,
                                  min_pairs=min_pairs)
            ordinal = kind == "ordinal"
            row = {**{k: found.get(k) for k in CHANGE_COLUMNS if k in found},
                   "value_before": found.get("mean_before" if ordinal else "share_before"),
                   "value_after": found.get("mean_after" if ordinal else "share_after"),
                   "statistic": found.get("statistic_V"),
                   "effect_measure": found.get("effect_size_name") if found.get("effect_size") is not None else None}
            changes.append(_protected(row, min_cell, min_level_n))
    return pd.DataFrame(changes, columns=CHANGE_COLUMNS)


LEVELS = ("value_before", "value_after", "median_before", "median_after")
CHANGE = ("n_higher", "n_unchanged", "n_lower", "share_higher", "share_unchanged", "share_lower", "statistic",
          "p_value", "method", "effect_size", "effect_measure")


def _protected(row: dict, min_cell: int, min_level_n: int) -> dict:
    """``panel_changes``' rules of what a change may publish beside each wave's own figures."""
    if row["n_higher"] is None:  # fewer than min_pairs pairs: counts of persons only
        return row
    alone = (row["n_before_only"], row["n_after_only"])
    small = [n for n in alone if 0 < n < min_cell]
    if small:
        whole = row["kind"] == "binary" and 0 in alone  # the net change gives the small group away too
        why = f"{'change' if whole else 'levels'} withheld: {min(small)} person(s) seen at one wave only, " \
              f"fewer than {min_cell}"
        if whole:
            row |= dict.fromkeys(CHANGE)
    elif row["kind"] == "ordinal" and row["n_pairs"] < min_level_n:
        why = f"levels withheld: {row['n_pairs']} pairs, fewer than {min_level_n} for a mean"
    else:
        return row
    row |= dict.fromkeys(LEVELS)
    row["reason"] = "; ".join(r for r in (row.get("reason"), why) if r)
    return row
