"""indicators and wave_differences: the whole indicator catalogue per wave, and the changes between waves."""

import dagster as dg

from pipelines.defs.keys import CLEAN_KEYS

from pipelines.defs.partitions import wave_partitions
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from pipelines.stages.indicators import differences, indicator_wave, small_cells


@dg.asset(
    deps=[*CLEAN_KEYS, dg.AssetKey("raking_weights")],
    partitions_def=wave_partitions,
    group_name="indicators",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
)
def indicators(context: dg.AssetExecutionContext, study: StudyResource,
               warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Table ``indicators.indicators``: every indicator of ``analyses/catalogue.yaml`` for the wave, overall
    and per neighbourhood, survey language, home language, education, age of the youngest child and
    recruitment channel: weighted estimate, calibration-aware SE, 95% interval (logit for proportions,
    Wald otherwise), n, n_eff, deff; small cells, unreliable indices (alpha < 0.7) and field-actor figures on
    fewer than 30 suppressed with the reason. And ``indicators.reliability`` (Cronbach's alpha per service and
    dimension), ``indicators.comparisons`` and ``indicators.channel_sensitivity``. Each row carries the run id
    and the instrument, margins and code versions.
    Sources: ``clean.parent_responses``, ``clean.field_actor_responses``, ``weighted.parent_weights``."""
    with warehouse.connect() as con:
        return dg.MaterializeResult(metadata=indicator_wave(con, study.load(), context.partition_key,
                                                            context.run.run_id))


@dg.asset_check(asset=indicators, blocking=True,
                description="No published indicator cell rests on fewer than 10 respondents.")
def no_small_indicator_cells(study: StudyResource, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        cells = small_cells(con, study.load())
    return dg.AssetCheckResult(passed=not cells, severity=dg.AssetCheckSeverity.ERROR,
                               metadata={"offending_cells": cells[:50]})


@dg.asset(deps=[indicators], group_name="indicators", kinds={"duckdb"}, pool=WAREHOUSE_POOL)
def wave_differences(study: StudyResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Table ``indicators.wave_differences``: every published estimate (overall and per category) minus the
    same one in the previous wave, with SE = sqrt(SE_1^2 + SE_2^2), a 95% interval and a z test. Not
    partitioned: it reads every wave of ``indicators.indicators``."""
    with warehouse.connect() as con:
        return dg.MaterializeResult(metadata=differences(con, study.load()))
