"""awareness_by_neighbourhood: the first published indicator, unweighted, small cells suppressed."""


import dagster as dg

from analyses import MIN_CELL_SIZE, awareness_by_neighbourhood as compute_awareness
from pipelines.defs.clean import clean_parent_responses
from pipelines.defs.weight import raking_weights, wave_margins
from pipelines.defs.partitions import wave_partitions
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from warehouse.tables import read_table, replace_wave

SCHEMA, TABLE = "indicators", "awareness_by_neighbourhood"


@dg.asset(
    deps=[clean_parent_responses, raking_weights],
    partitions_def=wave_partitions,
    group_name="indicators",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
)
def awareness_by_neighbourhood(context: dg.AssetExecutionContext, study: StudyResource,
                               warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Table ``indicators.awareness_by_neighbourhood``: one row per wave, service and neighbourhood
    (plus ``ALL``): parents who answered the awareness item (``n``, unweighted), the weighted share aware
    (``estimate``, 0-1) with its calibration-aware SE and 95% logit interval, ``n_eff`` and ``deff``.
    Weighted with ``weighted.parent_weights`` where the wave has margins, else unweighted (``weighted``).
    Cells under 10 respondents are blanked, with a secondary suppression so a hidden cell cannot be
    derived from the total. Source: ``clean.parent_responses``, ``weighted.parent_weights``.
    """
    config = study.load()
    wave = context.partition_key
    instrument = study.instrument("parent", wave)
    services = [sq.code for sq in instrument.question("kent").subquestions]
    population = wave_margins(study, wave)
    with warehouse.connect() as con:
        parents = read_table(con, "clean", "parent_responses", study_id=config.study_id, wave=wave)
        weights = read_table(con, "weighted", "parent_weights", study_id=config.study_id, wave=wave)
        # A fixed order: a rerun sums the same numbers in the same order, to the last bit.
        parents = parents.sort_values(["survey_id", "response_id"], kind="stable").reset_index(drop=True)
        if population is not None and not weights.empty:
            # The weighting base (complete, flagged responses left out) with its raking weights.
            parents = parents.merge(weights[["survey_id", "response_id", "weight"]], on=["survey_id", "response_id"])
            table = compute_awareness(parents, services, weight="weight", calibration=population.margins,
                                      min_n=MIN_CELL_SIZE)
        else:
            table = compute_awareness(parents, services, min_n=MIN_CELL_SIZE)
        table["instrument_version"] = ",".join(sorted(parents["instrument_version"].unique()))
        rows = replace_wave(con, SCHEMA, TABLE, table, study_id=config.study_id, wave=wave)
    return dg.MaterializeResult(
        metadata={"rows": rows, "suppressed_cells": int(table["suppression"].notna().sum()),
                  "parents": len(parents)}
    )


@dg.asset_check(asset=awareness_by_neighbourhood, blocking=True,
                description="No published cell rests on fewer than 10 respondents.")
def no_small_cells_published(context: dg.AssetCheckExecutionContext, study: StudyResource,
                             warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        rows = con.execute(
            f"""SELECT wave, service, neighbourhood, n FROM {SCHEMA}.{TABLE}
                WHERE study_id = ? AND suppression IS NULL AND (n IS NULL OR n < ?)""",
            [study.load().study_id, MIN_CELL_SIZE],
        ).fetchall()
    return dg.AssetCheckResult(
        passed=not rows,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"offending_cells": [f"{w}/{s}/{a}: n={n}" for w, s, a, n in rows][:50]},
    )
