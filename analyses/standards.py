"""When a proportion is reliable enough to present: the NCHS data presentation standards for proportions
(Parker et al. 2017, "National Center for Health Statistics Data Presentation Standards for Proportions",
Vital Health Stat 2(175)), on the Korn-Graubard interval (``analyses.estimates``).

In order, for an estimate p with Korn-Graubard effective size n*, interval width w = high - low and degrees of
freedom df:
1. n* under ``min_n_eff_kg`` (30): suppress;
2. w at least ``max_width`` (0.30): suppress;
3. w at most ``present_width`` (0.05): present;
4. otherwise, w over ``max_relative_width`` (130%) of p: suppress; else w over that share of 1 - p: present
   with a footnote (the complement would not be presentable);
5. whatever the outcome, df under ``min_df`` (8), or p exactly 0 or 1: flag for statistical review.

A study chooses to ``suppress`` what the rules would suppress, or only to ``flag`` it (the row is published
with its flag and the dashboard marks it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SUPPRESS = "suppress"
FLAG = "flag"
ACTIONS = (SUPPRESS, FLAG)
PRESENT = "present"  # the flag of a proportion every rule lets through


@dataclass(frozen=True)
class ProportionStandards:
    action: str = FLAG
    min_n_eff_kg: float = 30
    present_width: float = 0.05
    max_width: float = 0.30
    max_relative_width: float = 1.30
    min_df: int = 8

    def __post_init__(self):
        if self.action not in ACTIONS:
            raise ValueError(f"action {self.action!r}: choose {' or '.join(ACTIONS)}")

    def codes(self) -> dict[str, str]:
        """Each rule's code, as the rows carry it, and what it leads to."""
        return {f"n_eff_kg_below_{self.min_n_eff_kg:g}": SUPPRESS,
                f"width_{self.max_width:g}_or_more": SUPPRESS,
                f"relative_width_above_{100 * self.max_relative_width:g}": SUPPRESS,
                f"complement_width_above_{100 * self.max_relative_width:g}": "footnote",
                f"df_below_{self.min_df}": "review",
                "estimate_0_or_1": "review"}


def proportion_flags(estimate, low, high, n_eff_kg, df, rules: ProportionStandards) -> list[str]:
    """The codes of the rules one proportion meets (``rules.codes()``); empty when it is presented plainly.
    An estimate without an interval (no Korn-Graubard size) counts as resting on too few."""
    row = pd.DataFrame([{"estimate": estimate, "ci_low": low, "ci_high": high, "n_eff_kg": n_eff_kg, "df": df}])
    flags = flags_of(row, rules).iloc[0]
    return [] if flags in (None, PRESENT) else flags.split(";")


def flags_of(rows: pd.DataFrame, rules: ProportionStandards) -> pd.Series:
    """The codes of the rules each row of ``rows`` (estimate, ci_low, ci_high, n_eff_kg, df) meets, joined by
    ';', or ``PRESENT``; missing without an estimate. Computed a column at a time."""
    def column(name):
        return pd.to_numeric(rows[name], errors="coerce").astype(float).to_numpy()

    p, low, high, size, df = (column(c) for c in ("estimate", "ci_low", "ci_high", "n_eff_kg", "df"))
    n_size, wide, relative, complement, few_df, extreme = rules.codes()
    width = high - low
    small = np.isnan(size) | np.isnan(width) | (size < rules.min_n_eff_kg)
    between = ~small & (width > rules.present_width) & (width < rules.max_width)
    found = [(n_size, small), (wide, ~small & (width >= rules.max_width)),
             (relative, between & (width > rules.max_relative_width * p)),
             (complement, between & ~(width > rules.max_relative_width * p)
              & (width > rules.max_relative_width * (1 - p))),
             (few_df, np.isnan(df) | (df < rules.min_df)), (extreme, (p == 0) | (p == 1))]
    has = ~np.isnan(p)
    text = [";".join(code for code, hit in found if hit[i]) or PRESENT if has[i] else None for i in range(len(p))]
    return pd.Series(text, index=rows.index, dtype="object")


def suppressed_by(flags: list[str], rules: ProportionStandards) -> str | None:
    """The first code among ``flags`` that suppresses, or None."""
    outcome = rules.codes()
    return next((code for code in flags if outcome.get(code) == SUPPRESS), None)
