"""Accessibility indicators computed from clean response tables. Pure functions on DataFrames.

Proportions are on a 0-1 scale. This first indicator is unweighted; weighted estimates with
confidence intervals replace it once raking weights exist.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analyses.disclosure import suppress_small_cells

ALL_AREAS = "ALL"


def awareness_by_neighbourhood(
    parents: pd.DataFrame,
    services: Sequence[str],
    *,
    area: str = "wijk",
    aware_prefix: str = "kent_",
    min_n: int = 10,
) -> pd.DataFrame:
    """``awareness_rate(X)`` per neighbourhood and for all neighbourhoods together.

    ``parents`` has one row per parent with column ``area`` (neighbourhood code) and a boolean column
    ``<aware_prefix><service>`` per service (missing where the question was not reached). The
    denominator counts parents who answered the awareness item (DOMAIN.md section 3).

    Returns one row per (service, neighbourhood) with ``n`` (parents who answered), ``numerator``
    (parents aware), ``estimate`` (numerator / n) and ``suppression``; the total row has
    neighbourhood ``ALL`` and ``is_total`` true. Small cells are suppressed (see ``analyses.disclosure``).
    """
    rows = []
    known_areas = parents[area].dropna()
    for service in services:
        answered = parents[parents[aware_prefix + service].notna()]
        aware = answered[aware_prefix + service].astype(bool)
        per_area = (
            pd.DataFrame({"neighbourhood": answered[area], "aware": aware})
            .dropna(subset=["neighbourhood"])
            .groupby("neighbourhood", sort=True)["aware"]
            .agg(n="count", numerator="sum")
        )
        for code in sorted(known_areas.unique()):
            n, numerator = (per_area.loc[code] if code in per_area.index else (0, 0))
            rows.append((service, code, False, int(n), int(numerator)))
        rows.append((service, ALL_AREAS, True, int(len(answered)), int(aware.sum())))
    table = pd.DataFrame(rows, columns=["service", "neighbourhood", "is_total", "n", "numerator"])
    table["estimate"] = table["numerator"] / table["n"].where(table["n"] > 0)
    return suppress_small_cells(table, groups=["service"], total="is_total", min_n=min_n)
