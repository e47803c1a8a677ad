"""dashboard_site: the static, multilingual dashboard built from the indicator tables."""


import dagster as dg

from analyses import MIN_CELL_SIZE
from dashboards.site import SiteContent, write_site
from pipelines.defs.indicators import SCHEMA, TABLE, awareness_by_neighbourhood
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource
from warehouse.tables import read_table


@dg.asset(deps=[awareness_by_neighbourhood], group_name="publish", kinds={"plotly", "html"})
def dashboard_site(context: dg.AssetExecutionContext, study: StudyResource,
                   warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The folder ``site/`` (``TOEGANG_SITE``): one page per language (nl, fr, en) with awareness of
    each service by neighbourhood for every wave: chart, text summary and data table. Aggregates only.
    Source: ``indicators.awareness_by_neighbourhood``.
    """
    config = study.load()
    instrument = study.instrument("parent", config.waves[-1])
    with warehouse.connect() as con:
        table = read_table(con, SCHEMA, TABLE, study_id=config.study_id)
    if table.empty:
        raise dg.Failure(f"no indicators for study {config.study_id!r}: materialise the waves first")
    content = SiteContent(
        study_title=config.title,
        indicators=table.sort_values(["wave"], kind="stable"),
        services={s.code: s.labels for s in config.catalogue().services},
        areas={a.code: a.labels for a in instrument.question("wijk").answers},
        instrument_versions=dict(table.groupby("wave")["instrument_version"].first()),
        min_n=MIN_CELL_SIZE,
    )
    site = warehouse.locations().site
    pages = write_site(site, content)
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return dg.MaterializeResult(
        metadata={
            "site": dg.MetadataValue.path(str(site.resolve())),
            "pages": [str(p) for p in pages],
            "bytes": size,
        }
    )
