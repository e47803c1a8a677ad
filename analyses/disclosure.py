"""Disclosure control for published tables (DOMAIN.md section 5, "Small cells").

No published cell may rest on fewer than ``min_n`` respondents. When a group of cells also publishes a
total, one suppressed cell could be recovered by subtraction, so the next-smallest cell in the group is
suppressed too (secondary suppression).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

MIN_CELL_SIZE = 10
PRIMARY = "primary"
SECONDARY = "secondary"


def suppress_small_cells(
    table: pd.DataFrame,
    *,
    n: str = "n",
    values: Sequence[str] = ("numerator", "estimate"),
    groups: Sequence[str] = (),
    total: str | None = None,
    min_n: int = MIN_CELL_SIZE,
) -> pd.DataFrame:
    """Return a copy of ``table`` with small cells blanked and a ``suppression`` column.

    ``n`` is the unweighted number of respondents behind each cell. Within each group of ``groups``, the
    cells where column ``total`` is true are totals over the others: if exactly one non-total cell of a
    group is suppressed, the smallest remaining one is suppressed as well. Suppressed cells keep their row
    (a gap, never a zero) with ``n`` and ``values`` set to missing.
    """
    out = table.copy()
    out["suppression"] = pd.Series([None] * len(out), index=out.index, dtype="object")
    out.loc[out[n] < min_n, "suppression"] = PRIMARY
    if total is not None:
        parts = out[~out[total].astype(bool)]
        grouped = parts.groupby(list(groups), sort=False, dropna=False) if groups else [((), parts)]
        for _, cells in grouped:
            if (cells["suppression"] == PRIMARY).sum() == 1:
                candidates = cells[cells["suppression"].isna()]
                if not candidates.empty:
                    out.loc[candidates[n].idxmin(), "suppression"] = SECONDARY
    hidden = out["suppression"].notna()
    for column in (n, *values):
        nullable = "Int64" if pd.api.types.is_integer_dtype(out[column]) else "Float64"
        out[column] = out[column].astype(nullable)
        out.loc[hidden, column] = pd.NA
    return out
