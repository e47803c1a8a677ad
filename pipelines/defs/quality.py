"""quality_flags and quality_report: every response checked by the rules in
``instruments/definitions/quality.yaml``; nothing is deleted."""

import dagster as dg
import pandas as pd
import yaml

from analyses.quality import FLAGS, QualityInputs, QualityRules, quality_flags as compute_flags
from instruments.loader import DEFINITIONS
from instruments.model import Instrument
from pipelines.defs.clean import clean_field_actor_responses, clean_parent_responses
from pipelines.defs.partitions import wave_partitions
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from warehouse.tables import read_table, replace_wave

INSTRUMENTS = ("parent", "field_actor")


def quality_rules() -> QualityRules:
    return QualityRules.from_mapping(yaml.safe_load((DEFINITIONS / "quality.yaml").read_text(encoding="utf-8")))


def quality_inputs(instrument: Instrument) -> QualityInputs:
    columns = [c for c in instrument.columns() if not c.free_text]
    arrays: dict[str, list[str]] = {}
    for c in columns:
        if c.question.type == "F":
            arrays.setdefault(c.question.code, []).append(c.variable)
    ranges = {c.variable: (c.question.minimum, c.question.maximum) for c in columns
              if c.question.type == "N" and (c.question.minimum is not None or c.question.maximum is not None)}
    answers = [c.variable for c in columns if c.question.code != "consent"]
    return QualityInputs(arrays, ranges, answers)


@dg.asset(deps=[clean_parent_responses, clean_field_actor_responses], partitions_def=wave_partitions,
          group_name="clean", kinds={"duckdb"}, pool=WAREHOUSE_POOL)
def quality_flags(context: dg.AssetExecutionContext, study: StudyResource,
                  warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Table ``clean.quality_flags``: one row per clean response of the wave with a flag per rule
    (incomplete, speeding, straightlining, duplicate, out of range) and whether the rules keep it out of
    the weighting base. Source: ``clean.*_responses``; total time from LimeSurvey's timings
    (``interviewtime``) when exported, else from its start and last-action stamps."""
    config = study.load()
    wave = context.partition_key
    rules = quality_rules()
    frames = []
    with warehouse.connect() as con:
        for name in INSTRUMENTS:
            if not any(s.instrument == name for s in config.surveys_in(wave)):
                continue
            rows = read_table(con, "clean", f"{name}_responses", study_id=config.study_id, wave=wave)
            rows = rows.sort_values(["survey_id", "submitted_at", "response_id"], kind="stable", na_position="last")
            # LimeSurvey's timings when the export has them, else the span from start to last action.
            span = (rows["last_action_at"] - rows["started_at"]).dt.total_seconds()
            rows["duration_seconds"] = rows["interview_seconds"].astype(float).fillna(span)
            flags = compute_flags(rows, quality_inputs(study.instrument(name, wave)), rules)
            frames.append(pd.concat([rows[["survey_id", "response_id", "respondent_id"]], flags], axis=1)
                          .assign(instrument=name))
        table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        count = replace_wave(con, "clean", "quality_flags", table, study_id=config.study_id, wave=wave)
    counts = {flag: int(table[flag].sum()) for flag in FLAGS} if count else {}
    return dg.MaterializeResult(metadata={"responses": count, **counts,
                                          "excluded_from_weighting": int(table["excluded_from_weighting"].sum()) if count else 0})


@dg.asset(deps=[quality_flags], partitions_def=wave_partitions, group_name="clean", kinds={"duckdb"},
          pool=WAREHOUSE_POOL)
def quality_report(context: dg.AssetExecutionContext, study: StudyResource,
                   warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Table ``meta.quality_report``: per survey, wave and flag, how many responses it caught."""
    config = study.load()
    wave = context.partition_key
    with warehouse.connect() as con:
        flags = read_table(con, "clean", "quality_flags", study_id=config.study_id, wave=wave)
        report = (flags.melt(id_vars=["instrument", "survey_id"], value_vars=list(FLAGS), var_name="flag",
                             value_name="flagged")
                  .groupby(["instrument", "survey_id", "flag"], as_index=False)
                  .agg(responses=("flagged", "size"), flagged=("flagged", "sum")))
        replace_wave(con, "meta", "quality_report", report, study_id=config.study_id, wave=wave)
    return dg.MaterializeResult(metadata={"report": dg.MetadataValue.md(report.to_markdown(index=False))
                                          if not report.empty else "no responses"})
