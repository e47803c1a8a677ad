"""analyses/quality.py: hand-made responses catch each flag; flags never remove a row."""

import pandas as pd
import pytest

from analyses.quality import QualityInputs, QualityRules, quality_flags

INPUTS = QualityInputs(arrays={"dr": [f"dr_{i}" for i in range(8)]}, ranges={"kinderen": (0, 15)},
                       answers=["wijk", "kinderen", *[f"dr_{i}" for i in range(8)]])


def _row(rid, respondent, seconds=600, complete=True, wijk="W01", kinderen=1.0, items=("1", "2", "3", "4", "5", "2", "3", "4")):
    return {"response_id": rid, "respondent_id": respondent, "complete": complete, "duration_seconds": seconds,
            "wijk": wijk, "kinderen": kinderen, **{f"dr_{i}": v for i, v in enumerate(items)}}


@pytest.fixture
def flags():
    frame = pd.DataFrame([
        _row(1, "a"),
        _row(2, "b", seconds=60, wijk="W04"),                      # speeder: under 30% of the median
        _row(3, "c", items=("4",) * 8),                            # straightliner
        _row(4, "a", wijk="W02"),                                  # the same respondent again
        _row(5, "e", wijk="W03", items=("1", "1", "2", "2", "3", "3", "4", "4")),
        _row(6, "f", wijk="W03", items=("1", "1", "2", "2", "3", "3", "4", "4")),  # identical to 5
        _row(7, "g", kinderen=40.0, items=("2", "3", "4", "5", "1", "2", "3", "5")),  # out of range
        _row(8, "h", complete=False, seconds=None, items=(None,) * 8),  # incomplete
    ])
    return frame, quality_flags(frame, INPUTS, QualityRules())


def test_each_flag_on_hand_made_responses(flags):
    frame, out = flags
    assert out["flags"].tolist() == ["", "speeding", "straightlining", "duplicate", "", "duplicate",
                                     "out_of_range", "incomplete"]


def test_rules_decide_what_leaves_the_weighting_base(flags):
    frame, out = flags
    assert out["excluded_from_weighting"].tolist() == [False, True, False, True, False, True, False, True]
    stricter = quality_flags(frame, INPUTS, QualityRules(exclude_from_weighting=("straightlining",)))
    assert stricter["excluded_from_weighting"].tolist() == [False, False, True, False, False, False, False, False]
    assert len(out) == len(frame) and out.index.equals(frame.index)  # nothing removed


def test_rules_file_is_read_and_checked():
    rules = QualityRules.from_mapping({"speeding": {"fraction_of_median": 0.5}, "exclude_from_weighting": ["speeding"]})
    assert rules.speeding_fraction == 0.5 and rules.exclude_from_weighting == ("speeding",)
    with pytest.raises(ValueError, match="unknown flags to exclude: too_fast"):
        QualityRules.from_mapping({"exclude_from_weighting": ["too_fast"]})


def test_a_respondent_kept_from_several_responses_is_a_duplicate():
    frame = pd.DataFrame([_row(1, "a"), _row(2, "b", wijk="W02")]).assign(responses_by_respondent=[2, 1])
    out = quality_flags(frame, INPUTS, QualityRules())
    assert out["duplicate"].tolist() == [True, False]
