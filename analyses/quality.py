"""Data-quality flags per response. Pure: a clean frame in, one row of flags per response out.

Flags: ``incomplete`` (never submitted), ``speeding`` (total time under a fraction of the wave's median),
``straightlining`` (an array answered with one code throughout), ``duplicate`` (the same respondent again,
or identical answers), ``out_of_range`` (a number outside the question's bounds). Nothing is removed;
the weighting stage leaves out the flags the rules name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

FLAGS = ("incomplete", "speeding", "straightlining", "duplicate", "out_of_range")


@dataclass(frozen=True)
class QualityRules:
    speeding_fraction: float = 0.3
    straightlining_min_items: int = 6
    duplicate_same_token: bool = True
    duplicate_identical_answers: bool = True
    out_of_range: bool = True
    exclude_from_weighting: tuple[str, ...] = ("incomplete", "speeding", "duplicate")

    @classmethod
    def from_mapping(cls, doc: Mapping) -> QualityRules:
        unknown = set(doc.get("exclude_from_weighting", [])) - set(FLAGS)
        if unknown:
            raise ValueError(f"quality rules: unknown flags to exclude: {', '.join(sorted(unknown))}")
        return cls(
            speeding_fraction=float(doc.get("speeding", {}).get("fraction_of_median", 0.3)),
            straightlining_min_items=int(doc.get("straightlining", {}).get("min_items", 6)),
            duplicate_same_token=bool(doc.get("duplicates", {}).get("same_token", True)),
            duplicate_identical_answers=bool(doc.get("duplicates", {}).get("identical_answers", True)),
            out_of_range=bool(doc.get("out_of_range", True)),
            exclude_from_weighting=tuple(doc.get("exclude_from_weighting", cls.exclude_from_weighting)),
        )


@dataclass(frozen=True)
class QualityInputs:
    """What the rules need to know about the questionnaire."""

    arrays: Mapping[str, Sequence[str]] = field(default_factory=dict)  # question -> its item columns
    ranges: Mapping[str, tuple[float | None, float | None]] = field(default_factory=dict)  # column -> bounds
    answers: Sequence[str] = ()  # substantive answer columns, for identical-answer duplicates


def quality_flags(frame: pd.DataFrame, inputs: QualityInputs, rules: QualityRules = QualityRules(),
                  *, duration: str = "duration_seconds", respondent: str = "respondent_id") -> pd.DataFrame:
    """One row per row of ``frame`` (same index): a boolean column per flag, ``flags`` (their names,
    comma-separated) and ``excluded_from_weighting``. Rows are taken in ``frame``'s order: the first
    of two duplicates is kept, later ones are flagged."""
    out = pd.DataFrame(index=frame.index)
    out["incomplete"] = ~frame["complete"].astype(bool)
    times = frame[duration].astype(float)
    median = times[frame["complete"].astype(bool)].median()
    out["speeding"] = (times < rules.speeding_fraction * median).fillna(False) if np.isfinite(median) else False
    straight = pd.Series(False, index=frame.index)
    for columns in inputs.arrays.values():
        items = frame[list(columns)]
        answered = items.notna().sum(axis=1)
        same = items.nunique(axis=1, dropna=True) == 1
        straight |= (answered >= rules.straightlining_min_items) & same
    out["straightlining"] = straight
    duplicate = pd.Series(False, index=frame.index)
    if rules.duplicate_same_token:
        duplicate |= frame[respondent].duplicated(keep="first")
        if "responses_by_respondent" in frame.columns:  # the clean stage kept one of several
            duplicate |= frame["responses_by_respondent"].fillna(1).astype(int) > 1
    if rules.duplicate_identical_answers and inputs.answers:
        answered = frame[list(inputs.answers)]
        has_answers = answered.notna().any(axis=1)
        duplicate |= answered.astype(str).duplicated(keep="first") & has_answers
    out["duplicate"] = duplicate
    outside = pd.Series(False, index=frame.index)
    if rules.out_of_range:
        for column, (low, high) in inputs.ranges.items():
            values = frame[column].astype(float)
            if low is not None:
                outside |= (values < low).fillna(False)
            if high is not None:
                outside |= (values > high).fillna(False)
    out["out_of_range"] = outside
    out = out.astype(bool)
    out["flags"] = out[list(FLAGS)].apply(lambda row: ",".join(f for f in FLAGS if row[f]), axis=1)
    out["excluded_from_weighting"] = out[list(rules.exclude_from_weighting)].any(axis=1) if rules.exclude_from_weighting else False
    return out
