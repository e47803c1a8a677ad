"""analyses/standards.py: the NCHS presentation standards for proportions (Parker et al. 2017), rule by rule,
and the column-wise flags equal the row-by-row ones."""

import numpy as np
import pandas as pd
import pytest

from analyses.standards import ProportionStandards, flags_of, proportion_flags, suppressed_by

RULES = ProportionStandards()


@pytest.mark.parametrize(("p", "low", "high", "size", "df", "expected"), [
    (0.50, 0.48, 0.52, 900, 899, []),                                   # at most 0.05 wide: present
    (0.50, 0.40, 0.60, 25, 24, ["n_eff_kg_below_30"]),                  # too few effective respondents
    (0.50, 0.30, 0.65, 60, 59, ["width_0.3_or_more"]),                  # 0.35 wide
    (0.05, 0.01, 0.12, 80, 79, ["relative_width_above_130"]),           # 0.11 wide, over 130% of 0.05
    (0.95, 0.88, 0.99, 80, 79, ["complement_width_above_130"]),         # 0.11 wide, over 130% of 0.05 = 1 - p
    (0.50, 0.44, 0.56, 300, 6, ["df_below_8"]),                         # presentable, but for review
    (0.0, 0.0, 0.0795, 45, 44, ["relative_width_above_130", "estimate_0_or_1"]),  # 0 of 45: 0.08 wide
    (0.0, 0.0, 0.04, 90, 89, ["estimate_0_or_1"]),                      # 0 of 90: narrow, for review
    (1.0, 0.6, 1.0, 8, 7, ["n_eff_kg_below_30", "df_below_8", "estimate_0_or_1"]),
    (0.5, np.nan, np.nan, np.nan, 0, ["n_eff_kg_below_30", "df_below_8"]),  # no interval at all
])
def test_each_rule(p, low, high, size, df, expected):
    assert proportion_flags(p, low, high, size, df, RULES) == expected
    row = pd.DataFrame([{"estimate": p, "ci_low": low, "ci_high": high, "n_eff_kg": size, "df": df}])
    assert flags_of(row, RULES).iloc[0] == (";".join(expected) or "present")


def test_what_suppresses():
    assert suppressed_by(["df_below_8", "width_0.3_or_more"], RULES) == "width_0.3_or_more"
    assert suppressed_by(["complement_width_above_130", "estimate_0_or_1"], RULES) is None
    assert suppressed_by(["present"], RULES) is None


def test_the_study_sets_the_numbers_and_the_codes_follow():
    rules = ProportionStandards(action="suppress", min_n_eff_kg=50, max_width=0.2, min_df=12)
    assert proportion_flags(0.5, 0.4, 0.62, 40, 10, rules) == ["n_eff_kg_below_50", "df_below_12"]
    assert proportion_flags(0.5, 0.4, 0.62, 60, 59, rules) == ["width_0.2_or_more"]
    with pytest.raises(ValueError, match="action 'hide'"):
        ProportionStandards(action="hide")


def _one_by_one(estimate, low, high, n_eff_kg, df, rules=RULES) -> list[str]:
    """The rules as the standard states them, for one proportion: the oracle of the column-wise code."""
    n_size, wide, relative, complement, few_df, extreme = rules.codes()
    flags = []
    if np.isnan(n_eff_kg) or np.isnan(low) or np.isnan(high) or n_eff_kg < rules.min_n_eff_kg:
        flags.append(n_size)
    elif high - low >= rules.max_width:
        flags.append(wide)
    elif high - low > rules.present_width:
        if high - low > rules.max_relative_width * estimate:
            flags.append(relative)
        elif high - low > rules.max_relative_width * (1 - estimate):
            flags.append(complement)
    if np.isnan(df) or df < rules.min_df:
        flags.append(few_df)
    if estimate in (0, 1):
        flags.append(extreme)
    return flags


def test_the_columns_agree_with_the_rows():
    rng = np.random.default_rng(4)
    p = np.concatenate([rng.random(400), [0.0, 1.0, np.nan]])
    half = rng.random(len(p)) * 0.2
    rows = pd.DataFrame({"estimate": p, "ci_low": np.clip(p - half, 0, 1), "ci_high": np.clip(p + half, 0, 1),
                         "n_eff_kg": rng.integers(5, 200, len(p)).astype(float), "df": rng.integers(1, 40, len(p))})
    expected = [None if np.isnan(r.estimate) else
                (";".join(_one_by_one(r.estimate, r.ci_low, r.ci_high, r.n_eff_kg, float(r.df))) or "present")
                for r in rows.itertuples()]
    assert flags_of(rows, RULES).tolist() == expected
    assert len(set(expected)) > 6  # every kind of outcome is exercised
