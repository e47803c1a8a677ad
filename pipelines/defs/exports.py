"""exports: the published tables as CSV and Parquet, pseudonymised microdata as SPSS and Parquet, and the
reviewed quotes, in ``<TOEGANG_HOME>/<study>/exports/``."""

import dagster as dg

from pipelines.defs.keys import StudyGraph
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource


def export_assets(graph: StudyGraph) -> list:
    study_id = graph.study_id

    @dg.asset(key=graph.key("exports"),
              deps=[graph.key("indicators"), graph.key("wave_differences"), graph.key("raking_weights"),
                    *graph.clean_keys, *([graph.key("panel_changes")] if graph.panels else [])],
              group_name=graph.group("publish"), kinds={"parquet", "csv"}, pool=graph.pool)
    def exports(study: StudyResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
        """Folder ``exports/`` of the study's home: the published tables (``indicators/``), pseudonymised
        microdata per wave and instrument as SPSS ``.sav`` with labels and Parquet, without free text, with the
        final weight and any replicate weights (and their design as JSON) of a weighted wave (``microdata/``),
        and the quotes a reviewer cleared (``quotes/``). Replaced whole on every run
        (``pipelines/stages/exports.py``)."""
        from pipelines.stages.exports import export_content, write_exports

        config = study.load(study_id)
        target = warehouse.locations(study_id).exports
        with warehouse.connect(study_id) as con:
            content = export_content(con, config)
        metadata = write_exports(config, content, target)
        return dg.MaterializeResult(metadata={"folder": dg.MetadataValue.path(str(target.resolve())), **metadata})

    return [exports]
