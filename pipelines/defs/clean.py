"""clean_<instrument>_responses: typed, pseudonymised, consenting responses of one wave."""


import dagster as dg

from pipelines.defs.ingest import raw_responses
from pipelines.defs.instruments import codebook
from pipelines.defs.partitions import wave_partitions
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from warehouse.clean import build_clean


def _clean_asset(instrument_name: str) -> dg.AssetsDefinition:
    @dg.asset(
        name=f"clean_{instrument_name}_responses",
        deps=[raw_responses, codebook],
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
        instrument = study.instrument(instrument_name, context.partition_key)
        with warehouse.connect() as con:
            rows = build_clean(con, study_id=config.study_id, wave=context.partition_key, instrument=instrument)
        return dg.MaterializeResult(
            metadata={"rows": rows, "study_id": config.study_id, "instrument_version": instrument.version}
        )

    return _asset


clean_parent_responses = _clean_asset("parent")
clean_field_actor_responses = _clean_asset("field_actor")
