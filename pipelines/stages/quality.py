"""Quality: every clean response of a wave checked by the study's rules (``quality.yaml``, shared or its own)
(nothing is deleted; flagged responses may be kept out of the weighting base), and the count per flag."""

from __future__ import annotations

import duckdb
import pandas as pd
import yaml

from analyses.quality import FLAGS, QualityInputs, QualityRules, quality_flags
from instruments.model import Instrument
from instruments.study import Study
from warehouse.tables import read_table, replace_wave


def quality_rules(study: Study) -> QualityRules:
    """The study's rules; a study that imports none and has none of its own gets the defaults."""
    if study.quality_path is None:
        return QualityRules()
    return QualityRules.from_mapping(yaml.safe_load(study.quality_path.read_text(encoding="utf-8")))


def quality_inputs(instrument: Instrument) -> QualityInputs:
    """The instrument's grids (for straightlining), numeric ranges and answer columns."""
    columns = [c for c in instrument.columns() if not c.free_text]
    arrays: dict[str, list[str]] = {}
    for c in columns:
        if c.question.type == "F":
            arrays.setdefault(c.question.code, []).append(c.variable)
    ranges = {c.variable: (c.question.minimum, c.question.maximum) for c in columns
              if c.question.type == "N" and (c.question.minimum is not None or c.question.maximum is not None)}
    answers = [c.variable for c in columns if c.question.code != "consent"]
    return QualityInputs(arrays, ranges, answers)


def flag_wave(con: duckdb.DuckDBPyConnection, study: Study, wave: str) -> dict:
    """Replace the wave's rows of ``clean.quality_flags``: one per clean response of each instrument, a flag
    per rule and whether the rules keep it out of the weighting base. Total time from LimeSurvey's timings
    (``interviewtime``) when exported, else from the start and last-action stamps."""
    rules = quality_rules(study)
    frames = []
    for name in dict.fromkeys(s.instrument for s in study.surveys_in(wave)):
        rows = read_table(con, "clean", f"{name}_responses", study_id=study.study_id, wave=wave)
        rows = rows.sort_values(["survey_id", "submitted_at", "response_id"], kind="stable", na_position="last")
        span = (rows["last_action_at"] - rows["started_at"]).dt.total_seconds()
        rows["duration_seconds"] = rows["interview_seconds"].astype(float).fillna(span)
        flags = quality_flags(rows, quality_inputs(study.instrument(name, wave)), rules)
        frames.append(pd.concat([rows[["survey_id", "response_id", "respondent_id"]], flags], axis=1)
                      .assign(instrument=name))
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    count = replace_wave(con, "clean", "quality_flags", table, study_id=study.study_id, wave=wave)
    counts = {flag: int(table[flag].sum()) for flag in FLAGS} if count else {}
    return {"responses": count, **counts,
            "excluded_from_weighting": int(table["excluded_from_weighting"].sum()) if count else 0}


def report_wave(con: duckdb.DuckDBPyConnection, study: Study, wave: str) -> pd.DataFrame:
    """Replace the wave's rows of ``meta.quality_report``: per instrument, survey and flag, how many responses
    it caught; returns them."""
    flags = read_table(con, "clean", "quality_flags", study_id=study.study_id, wave=wave)
    report = (flags.melt(id_vars=["instrument", "survey_id"], value_vars=list(FLAGS), var_name="flag",
                         value_name="flagged")
              .groupby(["instrument", "survey_id", "flag"], as_index=False)
              .agg(responses=("flagged", "size"), flagged=("flagged", "sum")))
    replace_wave(con, "meta", "quality_report", report, study_id=study.study_id, wave=wave)
    return report
