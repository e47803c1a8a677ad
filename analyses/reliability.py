"""Scale reliability: Cronbach's alpha with its confidence interval, from pingouin."""

from __future__ import annotations

import math

import pandas as pd

MIN_CASES = 3  # below this pingouin's interval is undefined


def cronbach_alpha(items: pd.DataFrame, level: float = 0.95) -> dict[str, float]:
    """Alpha on the complete cases of ``items`` (one column per item), with pingouin's Feldt interval.

    Returns ``n`` (complete cases), ``alpha``, ``ci_low`` and ``ci_high``; alpha is missing for fewer than
    two items, fewer than ``MIN_CASES`` cases, or items without variance."""
    complete = items.dropna()
    result = {"n": len(complete), "alpha": math.nan, "ci_low": math.nan, "ci_high": math.nan}
    if items.shape[1] < 2 or len(complete) < MIN_CASES or (complete.var(ddof=1) == 0).any():
        return result
    import pingouin as pg  # loaded when alpha is computed: it pulls in matplotlib

    alpha, (low, high) = pg.cronbach_alpha(data=complete, ci=level)
    return result | {"alpha": float(alpha), "ci_low": float(low), "ci_high": float(high)}
