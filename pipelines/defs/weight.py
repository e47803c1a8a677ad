"""raking_weights: the parents of a wave raked to the population margins named in the study file."""

import dagster as dg
import numpy as np
import pandas as pd

from analyses import WeightingError, margins_from_csv, rake
from pipelines.defs.clean import clean_parent_responses
from pipelines.defs.quality import quality_flags
from pipelines.defs.partitions import wave_partitions
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from warehouse.clean import read_parents
from warehouse.tables import read_table, replace_wave

SCHEMA, TABLE = "weighted", "parent_weights"


def wave_margins(study: StudyResource, wave: str):
    """The population margins of the wave's parent survey, checked against the codebook's codes."""
    config = study.load()
    survey = next((s for s in config.surveys_in(wave) if s.instrument == "parent" and s.margins), None)
    if survey is None:
        return None
    instrument = study.instrument("parent", wave)
    categories = {q.code: {a.code for a in q.answers} for q in instrument.questions if q.answers}
    try:
        data = survey.margins.read_bytes()
    except OSError as exc:
        raise WeightingError(f"{survey.margins}: cannot read the margins file ({exc.strerror or exc})") from None
    return margins_from_csv(data, str(survey.margins), categories=categories)


@dg.asset(deps=[clean_parent_responses, quality_flags], partitions_def=wave_partitions, group_name="weight",
          kinds={"duckdb"}, pool=WAREHOUSE_POOL)
def raking_weights(context: dg.AssetExecutionContext, study: StudyResource,
                   warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Table ``weighted.parent_weights``: one row per parent of the wave in the weighting base
    (complete responses that answered every margin variable and that no quality rule keeps out), with the
    raked weight in persons and,
    when the study trims, the trimmed final weight. Source: ``clean.parent_responses`` and the wave's
    margins file."""
    config = study.load()
    wave = context.partition_key
    population = wave_margins(study, wave)
    with warehouse.connect() as con:
        # Only the columns raking reads (a million parents' questionnaires would not fit as text).
        variables = list(population.margins) if population is not None else []
        parents = read_parents(con, config.study_id, wave, ["respondent_id", "complete", *variables])
        flags = read_table(con, "clean", "quality_flags", study_id=config.study_id, wave=wave)
        excluded = flags[(flags["instrument"] == "parent") & flags["excluded_from_weighting"]]
        parents = parents[~parents.set_index(["survey_id", "response_id"]).index.isin(
            excluded.set_index(["survey_id", "response_id"]).index)]
        if population is None:
            replace_wave(con, SCHEMA, TABLE, pd.DataFrame(columns=["survey_id", "response_id", "respondent_id",
                                                                    "weight", "raked_weight"]),
                         study_id=config.study_id, wave=wave)
            return dg.MaterializeResult(metadata={"weighted": False, "reason": "no margins for this wave"})
        # Sorted, so that a rerun sums the same numbers in the same order: identical weights to the last bit.
        base = parents[parents["complete"].astype(bool) & parents[variables].notna().all(axis=1)]
        base = base.sort_values(["survey_id", "response_id"], kind="stable").reset_index(drop=True)
        result = rake(base, population.margins, trim=config.trim)
        frame = base[["survey_id", "response_id", "respondent_id"]].assign(
            weight=result.weights.to_numpy(),
            raked_weight=(result.raked_weights if result.raked_weights is not None else result.weights).to_numpy())
        rows = replace_wave(con, SCHEMA, TABLE, frame, study_id=config.study_id, wave=wave)
    return dg.MaterializeResult(metadata={
        "weighted": True, "rows": rows, "excluded_from_weighting": len(parents) - len(base),
        "iterations": result.iterations, "max_margin_error": result.max_margin_error,
        "n": result.n, "weight_sum": result.weight_sum, "n_eff": round(result.n_eff, 3),
        "deff_weighting": round(result.deff, 4), "min_weight": result.min_weight, "max_weight": result.max_weight,
        "cv": round(result.cv, 4), "trimmed_low": result.trimmed_low, "trimmed_high": result.trimmed_high,
        "margins_sources": population.sources,
    })


def _weights(warehouse: WarehouseResource, study_id: str) -> pd.DataFrame:
    with warehouse.connect() as con:
        return con.execute(
            f"""SELECT w.wave, w.response_id, w.weight, w.raked_weight, p.* EXCLUDE (study_id, wave, survey_id, response_id)
                FROM {SCHEMA}.{TABLE} w JOIN clean.parent_responses p USING (study_id, wave, survey_id, response_id)
                WHERE w.study_id = ?""", [study_id]).df()


def _margin_deviation(study: StudyResource, warehouse: WarehouseResource, column: str) -> dict[str, float]:
    """Per wave and margin variable: the largest relative gap between weighted and population totals."""
    weights = _weights(warehouse, study.load().study_id)
    deviation: dict[str, float] = {}
    for wave, rows in weights.groupby("wave"):
        population = wave_margins(study, str(wave))
        for variable, categories in (population.margins.items() if population else ()):
            sums = rows.groupby(variable)[column].sum()
            deviation[f"{wave}/{variable}"] = float(max(abs(sums.get(c, 0.0) - t) / t for c, t in categories.items()))
    return deviation


@dg.asset_check(asset=raking_weights, blocking=True,
                description="The raked weights (before any trimming) meet every population margin within 1e-6.")
def weights_meet_margins(study: StudyResource, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    worst = _margin_deviation(study, warehouse, "raked_weight")
    failed = {k: v for k, v in worst.items() if v > 1e-6}
    return dg.AssetCheckResult(
        passed=not failed, severity=dg.AssetCheckSeverity.ERROR,
        metadata={"largest_relative_error": worst, "failed": failed},
    )


@dg.asset_check(asset=raking_weights, description="After trimming, the final weights miss the margins by at "
                                                  "most 1% (a warning: trimming trades exact margins for variance).")
def trimmed_weights_near_margins(study: StudyResource, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    config = study.load()
    deviation = _margin_deviation(study, warehouse, "weight")
    return dg.AssetCheckResult(passed=all(v <= 0.01 for v in deviation.values()),
                               severity=dg.AssetCheckSeverity.WARN,
                               metadata={"trimming": str(config.trim), "largest_relative_deviation": deviation})


@dg.asset_check(asset=raking_weights, blocking=True, description="Every weight is positive and finite.")
def weights_positive_and_finite(study: StudyResource, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    weights = _weights(warehouse, study.load().study_id)
    bad = weights[~np.isfinite(weights["weight"]) | (weights["weight"] <= 0)]
    return dg.AssetCheckResult(passed=bad.empty, severity=dg.AssetCheckSeverity.ERROR,
                               metadata={"offending_response_ids": [int(i) for i in bad["response_id"][:50]]})


@dg.asset_check(asset=raking_weights, description="The effective sample size of each wave is at least the "
                                                  "study's minimum (weighting: min_effective_sample, default 30).")
def effective_sample_size(study: StudyResource, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    config = study.load()
    weights = _weights(warehouse, config.study_id)
    n_eff = {str(w): float(g["weight"].sum() ** 2 / (g["weight"] ** 2).sum()) for w, g in weights.groupby("wave")}
    low = {w: v for w, v in n_eff.items() if v < config.min_effective_sample}
    return dg.AssetCheckResult(passed=not low, severity=dg.AssetCheckSeverity.WARN,
                               metadata={"n_eff": n_eff, "minimum": config.min_effective_sample})
