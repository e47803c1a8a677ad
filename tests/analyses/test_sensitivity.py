"""analyses/sensitivity.py: each channel's row is the estimate without that channel's parents."""

import numpy as np
import pandas as pd
import pytest

from analyses.estimates import survey_mean
from analyses.sensitivity import channel_sensitivity


def test_each_channel_row_is_the_estimate_without_its_parents():
    rng = np.random.default_rng(11)
    n = 300
    frame = pd.DataFrame({"w": rng.uniform(0.5, 3, n), "wijk": rng.choice(["W01", "W02"], n),
                          "kanaal": rng.choice(["school", "clinic", "online"], n, p=[0.5, 0.47, 0.03]),
                          "knows": (rng.random(n) < 0.6).astype(float)})
    calibration = {"wijk": {"W01": 500.0, "W02": 700.0}}
    table = channel_sensitivity(frame, ["knows"], "kanaal", weight="w", calibration=calibration, min_n=12)
    overall = survey_mean(frame, "knows", weight="w", calibration=calibration).iloc[0]
    assert list(table["channel"]) == ["clinic", "online", "school"]
    assert list(table["suppressed"]) == [False, True, False]
    for row in table.itertuples():
        inside = frame["kanaal"] == row.channel
        without = survey_mean(frame.assign(y=frame["knows"].where(~inside)), "y", weight="w",
                              calibration=calibration).iloc[0]
        assert row.estimate_all == pytest.approx(overall["estimate"], rel=1e-12)
        if inside.sum() < 12:  # "online" (10 parents): nothing about it is shown
            assert row.suppressed and pd.isna(row.n_channel) and pd.isna(row.estimate_without)
            continue
        assert not row.suppressed and row.n_channel == inside.sum()
        assert row.estimate_without == pytest.approx(without["estimate"], rel=1e-12)
        assert row.difference == pytest.approx(without["estimate"] - overall["estimate"], rel=1e-9)
        assert (row.ci_low_without, row.ci_high_without) == pytest.approx((without["ci_low"], without["ci_high"]),
                                                                          rel=1e-10)
