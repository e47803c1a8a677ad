"""exports: the published tables as CSV and Parquet, pseudonymised microdata as SPSS and Parquet, and the
reviewed quotes, in ``<TOEGANG_HOME>/exports/<study>/``."""

import dagster as dg

from pipelines.defs.keys import CLEAN_KEYS

from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from pipelines.stages.exports import export_content, write_exports


@dg.asset(deps=[dg.AssetKey("indicators"), dg.AssetKey("wave_differences"), *CLEAN_KEYS],
          group_name="publish", kinds={"parquet", "csv"}, pool=WAREHOUSE_POOL)
def exports(study: StudyResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Folder ``exports/<study>/``: the published tables (``indicators/``), pseudonymised microdata per wave
    and instrument as SPSS ``.sav`` with labels and Parquet, without free text (``microdata/``), and the
    quotes a reviewer cleared (``quotes/``). Replaced whole on every run (``pipelines/stages/exports.py``)."""
    config = study.load()
    target = warehouse.locations().exports / config.study_id
    with warehouse.connect() as con:
        content = export_content(con, config)
    metadata = write_exports(config, content, target)
    return dg.MaterializeResult(metadata={"folder": dg.MetadataValue.path(str(target.resolve())), **metadata})
