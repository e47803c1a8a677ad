"""clean_<instrument>_responses: typed, pseudonymised, consenting responses of one wave, one asset per
instrument the study declares."""

import dagster as dg

from pipelines.defs.keys import StudyGraph
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource


def _clean_asset(graph: StudyGraph, instrument_name: str) -> dg.AssetsDefinition:
    study_id = graph.study_id

    @dg.asset(
        key=graph.clean_key(instrument_name),
        deps=[graph.key("raw_responses"), graph.key("codebook")],
        partitions_def=graph.partitions,
        group_name=graph.group("clean"),
        kinds={"duckdb"},
        pool=graph.pool,
        description=(
            f"Table ``clean.{instrument_name}_responses``: one row per consenting {instrument_name.replace('_', ' ')}"
            " response of the wave (latest version), answer codes typed, the token replaced by a keyed"
            " pseudonym (``respondent_id``). Free text stays in the raw layer. Source: ``raw.responses``."
        ),
    )
    def _asset(context: dg.AssetExecutionContext, study: StudyResource,
               warehouse: WarehouseResource) -> dg.MaterializeResult:
        from pipelines.stages.clean import clean_wave

        config = study.load(study_id)
        if instrument_name not in config.instrument_names:  # the study changed since the definitions were loaded
            return dg.MaterializeResult(metadata={"rows": 0, "note": f"not an instrument of study {config.study_id}"
                                                                     " any more: reload the definitions"})
        with warehouse.connect(study_id) as con:
            return dg.MaterializeResult(metadata=clean_wave(con, config, context.partition_key, instrument_name))

    return _asset


def clean_assets(graph: StudyGraph) -> list:
    return [_clean_asset(graph, name) for name in graph.instruments]
