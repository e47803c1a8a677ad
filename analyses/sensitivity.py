"""How much the headline indicators depend on where parents were recruited (DOMAIN.md section 4: the
recruitment channel as a sensitivity check). For each channel, the indicator is estimated again without the
parents recruited there (a domain of the same weighted design, not re-raked) and set beside the estimate
from everyone."""

from __future__ import annotations

import pandas as pd

from analyses.disclosure import MIN_CELL_SIZE
from analyses.estimates import Design, Margins, survey_means

COLUMNS = ["indicator", "channel", "n_channel", "estimate_all", "estimate_without", "difference",
           "ci_low_without", "ci_high_without", "suppressed"]


def channel_sensitivity(frame: pd.DataFrame, variables: list[str], channel: str, *, weight: str | None = None,
                        calibration: Margins | None = None, min_n: int = MIN_CELL_SIZE,
                        design: Design | None = None) -> pd.DataFrame:
    """One row per variable and channel. A channel with fewer than ``min_n`` respondents in the variable's
    universe is suppressed: the difference would tell about them. ``design``: resolved on the frame's rows
    (``analyses.estimates.Design``), instead of ``weight`` and ``calibration``; None for an unweighted sample."""
    rows = []
    if design is None:
        design = Design(frame, weight, None, None, None, calibration)  # once: every estimate is on these rows

    def mean(values: pd.Series) -> pd.Series:
        return survey_means(pd.DataFrame({"y": values}), ["y"], design=design).iloc[0]

    for variable in variables:
        overall = mean(frame[variable])
        observed = frame[variable].notna()
        for code in sorted(frame[channel].dropna().unique()):
            inside = frame[channel] == code
            n_channel = int((inside & observed).sum())
            without = mean(frame[variable].where(~inside))
            hidden = n_channel < min_n
            rows.append({"indicator": variable, "channel": str(code), "n_channel": None if hidden else n_channel,
                         "estimate_all": overall["estimate"],
                         "estimate_without": None if hidden else without["estimate"],
                         "difference": None if hidden else without["estimate"] - overall["estimate"],
                         "ci_low_without": None if hidden else without["ci_low"],
                         "ci_high_without": None if hidden else without["ci_high"], "suppressed": hidden})
    return pd.DataFrame(rows, columns=COLUMNS)
