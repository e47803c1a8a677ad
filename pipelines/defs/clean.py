"""clean_<instrument>_responses: typed, pseudonymised, consenting responses of one wave."""

import dagster as dg

from pipelines.defs.partitions import wave_partitions
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from pipelines.stages import FIELD_ACTOR, PARENT
from pipelines.stages.clean import clean_wave

CLEAN_DEPS = [dg.AssetKey("raw_responses"), dg.AssetKey("codebook")]


def _clean_asset(instrument_name: str) -> dg.AssetsDefinition:
    @dg.asset(
        name=f"clean_{instrument_name}_responses",
        deps=CLEAN_DEPS,
        partitions_def=wave_partitions,
        group_name="clean",
        kinds={"duckdb"},
        pool=WAREHOUSE_POOL,
        description=(
            f"Table ``clean.{instrument_name}_responses``: one row per consenting {instrument_name.replace('_', ' ')}"
            " response of the wave (latest version), answer codes typed, the token replaced by a keyed"
            " pseudonym (``respondent_id``). Free text stays in the raw layer. Source: ``raw.responses``."
        ),
    )
    def _asset(context: dg.AssetExecutionContext, study: StudyResource,
               warehouse: WarehouseResource) -> dg.MaterializeResult:
        with warehouse.connect() as con:
            return dg.MaterializeResult(metadata=clean_wave(con, study.load(), context.partition_key,
                                                            instrument_name))

    return _asset


clean_parent_responses = _clean_asset(PARENT)
clean_field_actor_responses = _clean_asset(FIELD_ACTOR)
