"""clean_<instrument>_responses: typed, pseudonymised, consenting responses of one wave."""

import dagster as dg

from pipelines.defs.keys import clean_key
from pipelines.defs.partitions import wave_partitions
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from pipelines.stages import INSTRUMENTS
from pipelines.stages.clean import clean_wave

CLEAN_DEPS = [dg.AssetKey("raw_responses"), dg.AssetKey("codebook")]


def _clean_asset(instrument_name: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=clean_key(instrument_name),
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
        config = study.load()
        if instrument_name not in config.instrument_names:
            return dg.MaterializeResult(metadata={"rows": 0, "note": f"not an instrument of study {config.study_id}"})
        with warehouse.connect() as con:
            return dg.MaterializeResult(metadata=clean_wave(con, config, context.partition_key, instrument_name))

    return _asset


CLEAN_ASSETS = [_clean_asset(name) for name in INSTRUMENTS]
