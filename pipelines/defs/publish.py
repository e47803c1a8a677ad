"""dashboard_site: the static, multilingual dashboard built from the indicator rows, their catalogue, the
codebook's labels and the method's aggregates."""

import dagster as dg

from pipelines.defs.keys import StudyGraph
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource


def publish_assets(graph: StudyGraph) -> list:
    study_id = graph.study_id

    @dg.asset(key=graph.key("dashboard_site"),
              deps=[graph.key("indicators"), graph.key("wave_differences"), graph.key("codebook"),
                    graph.key("raking_weights"), graph.key("quality_report"), *([graph.key("panel_changes")] if graph.panels else [])],
              group_name=graph.group("publish"), kinds={"plotly", "html"}, pool=graph.pool)
    def dashboard_site(study: StudyResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
        """The folder ``site/<study>/`` (``TOEGANG_SITE/<study>/``): per language (nl, fr, en) an overview of the
        headline indicators, a page per dimension, the breakdowns, the instruments side by side, the trend across
        waves, method and data quality, and downloads (CSV, Parquet). Aggregates only.
        Source: ``indicators.indicators`` with the study's catalogue; labels from ``meta.codebook``; the
        weighting diagnostics and quality aggregates for the method page.
        """
        from pipelines.stages.publish import NothingToPublish, publish_site, site_content

        try:
            with warehouse.connect(study_id) as con:
                content = site_content(con, study.load(study_id))
        except NothingToPublish as exc:
            raise dg.Failure(str(exc)) from None
        site = warehouse.locations(study_id).site
        metadata = publish_site(site, content)
        return dg.MaterializeResult(metadata={"site": dg.MetadataValue.path(str(site.resolve())), **metadata})

    return [dashboard_site]
