"""raking_weights: the respondents of a wave's weighted instrument raked to the population margins named in the
study file; its checks read the stored weighting diagnostics (``weighted.weighting_diagnostics``)."""

import dagster as dg

from pipelines.defs.keys import StudyGraph, run_wave
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource


def weight_assets(graph: StudyGraph) -> list:
    study_id = graph.study_id

    @dg.asset(key=graph.key("raking_weights"), deps=[*graph.clean_keys, graph.key("quality_flags")],
              partitions_def=graph.partitions, group_name=graph.group("weight"), kinds={"duckdb"}, pool=graph.pool)
    def raking_weights(context: dg.AssetExecutionContext, study: StudyResource,
                       warehouse: WarehouseResource) -> dg.MaterializeResult:
        """Tables ``weighted.<instrument>_weights``: one row per respondent of the wave's weighted instrument in
        the weighting base (complete responses that answered every margin variable and that no quality rule keeps
        out), with the raked weight in persons and, when the study trims, the trimmed final weight; and
        ``weighted.weighting_diagnostics``. Source: the clean responses, ``clean.quality_flags`` and the wave's
        margins file."""
        from pipelines.stages.weight import weight_wave

        with warehouse.connect(study_id) as con:
            return dg.MaterializeResult(metadata=weight_wave(con, study.load(study_id), context.partition_key))

    # Each check judges the wave of its run: an old wave's state never blocks a new one.
    @dg.asset_check(asset=raking_weights, blocking=True,
                    description="The raked weights (before any trimming) meet every population margin within 1e-6.")
    def weights_meet_margins(context: dg.AssetCheckExecutionContext, study: StudyResource,
                             warehouse: WarehouseResource) -> dg.AssetCheckResult:
        from pipelines.stages.weight import MARGIN_TOLERANCE, margin_errors_by_wave, margin_misses, stale_diagnostics

        wave, config = run_wave(context), study.load(study_id)  # a study folder is read and checked whole: once
        with warehouse.connect(study_id) as con:
            worst = margin_errors_by_wave(con, config, final=False, wave=wave)
            stale = stale_diagnostics(con, config, wave=wave)
            failed = {k: v for k, v in worst.items() if v > MARGIN_TOLERANCE}
            misses = margin_misses(con, config, wave) if failed and wave else []
            findings = [*stale.values(), *(misses or [f"{k}: the raked weights miss the margin by {v:.2e} (relative)"
                                                     for k, v in failed.items()])]
        return dg.AssetCheckResult(
            passed=not findings, severity=dg.AssetCheckSeverity.ERROR,
            description="\n".join(findings) or None,
            metadata={"largest_relative_error": worst, "failed": failed, "stale_waves": sorted(stale),
                      "next": (f"check the wave's margins file and the study's weighting settings, then "
                               f"toegang run --study {study_id}" + (f" --wave {wave}" if wave else "")) if findings else None})

    @dg.asset_check(asset=raking_weights,
                    description="After trimming, the final weights miss the margins by at most 1% (a warning: "
                                "trimming trades exact margins for variance).")
    def trimmed_weights_near_margins(context: dg.AssetCheckExecutionContext, study: StudyResource,
                                     warehouse: WarehouseResource) -> dg.AssetCheckResult:
        from pipelines.stages.weight import margin_errors_by_wave

        config = study.load(study_id)
        with warehouse.connect(study_id) as con:
            deviation = margin_errors_by_wave(con, config, final=True, wave=run_wave(context))
        return dg.AssetCheckResult(passed=all(v <= 0.01 for v in deviation.values()),
                                   severity=dg.AssetCheckSeverity.WARN,
                                   metadata={"trimming": str(config.trim), "largest_relative_deviation": deviation})

    @dg.asset_check(asset=raking_weights, blocking=True,
                    description="Every weight is positive and finite.")
    def weights_positive_and_finite(context: dg.AssetCheckExecutionContext, study: StudyResource,
                                    warehouse: WarehouseResource) -> dg.AssetCheckResult:
        from pipelines.stages.weight import invalid_weights

        with warehouse.connect(study_id) as con:
            bad = invalid_weights(con, study.load(study_id), wave=run_wave(context))
        return dg.AssetCheckResult(
            passed=not bad, severity=dg.AssetCheckSeverity.ERROR,
            description=f"{len(bad)} weights are not positive and finite (response ids "
                        f"{', '.join(map(str, bad[:10]))})" if bad else None,
            metadata={"offending_response_ids": bad[:50]})

    @dg.asset_check(asset=raking_weights,
                    description="The effective sample size of each wave is at least the study's minimum "
                                "(weighting: min_effective_sample, default 30).")
    def effective_sample_size(context: dg.AssetCheckExecutionContext, study: StudyResource,
                              warehouse: WarehouseResource) -> dg.AssetCheckResult:
        from pipelines.stages.weight import effective_sizes

        config, wave = study.load(study_id), run_wave(context)
        with warehouse.connect(study_id) as con:
            n_eff = {w: v for w, v in effective_sizes(con, config).items() if wave is None or w == wave}
        low = {w: v for w, v in n_eff.items() if v < config.min_effective_sample}
        return dg.AssetCheckResult(passed=not low, severity=dg.AssetCheckSeverity.WARN,
                                   metadata={"n_eff": n_eff, "minimum": config.min_effective_sample})

    return [raking_weights, weights_meet_margins, trimmed_weights_near_margins, weights_positive_and_finite,
            effective_sample_size]
