"""Accessibility indicators computed from clean response tables. Pure functions on DataFrames.

Proportions are on a 0-1 scale; weighted with the raking weights where the wave has margins.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analyses.disclosure import suppress_small_cells
from analyses.estimates import survey_mean
from analyses.weighting import Margins

ALL_AREAS = "ALL"


STATISTICS = ("numerator", "estimate", "se", "ci_low", "ci_high", "n_eff", "deff")


def awareness_by_neighbourhood(
    parents: pd.DataFrame,
    services: Sequence[str],
    *,
    weight: str | None = None,
    calibration: Margins | None = None,
    area: str = "wijk",
    aware_prefix: str = "kent_",
    min_n: int = 10,
) -> pd.DataFrame:
    """``awareness_rate(X)`` per neighbourhood and for all neighbourhoods together, with 95% intervals.

    ``parents`` has one row per parent with column ``area`` (neighbourhood code) and a boolean column
    ``<aware_prefix><service>`` per service (missing where the question was not reached). ``weight``
    names the raking weights and ``calibration`` the margins they were raked to (both None: unweighted).
    The denominator counts parents who answered the awareness item (DOMAIN.md section 3).

    Returns one row per (service, neighbourhood) with ``n`` (parents who answered, unweighted),
    ``numerator`` (sum of the weights of the aware), ``estimate`` (0-1), ``se``, ``ci_low``, ``ci_high``
    (logit, see ``analyses.estimates``), ``n_eff``, ``deff`` and ``suppression``; the total row has
    neighbourhood ``ALL`` and ``is_total`` true. Small cells are suppressed (see ``analyses.disclosure``).
    """
    frame = parents.copy()
    areas = sorted(frame[area].dropna().unique())
    tables = []
    for service in services:
        column = aware_prefix + service
        frame["_aware"] = frame[column].astype("float")
        design = {"weight": weight, "calibration": calibration}
        by_area = survey_mean(frame, "_aware", by=area, **design).set_index(area).reindex(areas)
        overall = survey_mean(frame, "_aware", **design).assign(**{area: ALL_AREAS}).set_index(area)
        table = pd.concat([by_area, overall]).rename_axis("neighbourhood").reset_index()
        table["n"] = table["n"].fillna(0).astype(int)
        weights = frame[weight] if weight else pd.Series(1.0, index=frame.index)
        aware = frame["_aware"] == 1
        sums = weights[aware].groupby(frame.loc[aware, area]).sum()
        table["numerator"] = [float(weights[aware].sum()) if a == ALL_AREAS else float(sums.get(a, 0.0))
                              for a in table["neighbourhood"]]
        tables.append(table.assign(service=service, is_total=table["neighbourhood"] == ALL_AREAS))
    columns = ["service", "neighbourhood", "is_total", "n", *STATISTICS]
    table = pd.concat(tables, ignore_index=True)[columns] if tables else pd.DataFrame(columns=columns)
    table["weighted"] = weight is not None
    return suppress_small_cells(table, values=STATISTICS, groups=["service"], total="is_total", min_n=min_n)
