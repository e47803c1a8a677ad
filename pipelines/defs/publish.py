"""dashboard_site: the static, multilingual dashboard built from the indicator rows, their catalogue, the
codebook's labels and the method's aggregates."""

import dagster as dg

from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from pipelines.stages.publish import NothingToPublish, publish_site, site_content


@dg.asset(deps=[dg.AssetKey("indicators"), dg.AssetKey("codebook"), dg.AssetKey("raking_weights"),
                dg.AssetKey("quality_report")], group_name="publish", kinds={"plotly", "html"}, pool=WAREHOUSE_POOL)
def dashboard_site(study: StudyResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The folder ``site/`` (``TOEGANG_SITE``): per language (nl, fr, en) an overview of the headline
    indicators, a page per accessibility dimension, neighbourhoods (with a tile map), parents versus field
    actors, the trend across waves, method and data quality, and downloads (CSV, Parquet). Aggregates only.
    Source: ``indicators.indicators`` with the catalogue's names (``analyses/catalogue.yaml``); labels from
    ``meta.codebook``; the weighting diagnostics and quality aggregates for the method page.
    """
    try:
        with warehouse.connect() as con:
            content = site_content(con, study.load())
    except NothingToPublish as exc:
        raise dg.Failure(str(exc)) from None
    site = warehouse.locations().site
    metadata = publish_site(site, content)
    return dg.MaterializeResult(metadata={"site": dg.MetadataValue.path(str(site.resolve())), **metadata})
