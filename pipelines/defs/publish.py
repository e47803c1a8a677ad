"""dashboard_site: the static, multilingual dashboard built from the indicator tables."""


import json

import dagster as dg

from analyses import MIN_CELL_SIZE
from dashboards.site import SiteContent, write_site
from pipelines.defs.indicators import SCHEMA, TABLE, awareness_by_neighbourhood
from pipelines.defs.instruments import codebook
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource
from warehouse.tables import read_table


def codebook_labels(con, study_id: str) -> tuple[dict, dict]:
    """Service and neighbourhood labels in nl/fr/en, from the codebook (latest wave wins)."""
    rows = con.execute(
        """SELECT subquestion, item_nl, item_fr, item_en FROM meta.codebook
           WHERE study_id = ? AND instrument = 'parent' AND question = 'kent' ORDER BY wave""",
        [study_id],
    ).fetchall()
    services = {code: {"nl": nl, "fr": fr, "en": en} for code, nl, fr, en in rows}
    answers = con.execute(
        """SELECT answers FROM meta.codebook WHERE study_id = ? AND instrument = 'parent' AND column_name = 'wijk'
           ORDER BY wave DESC LIMIT 1""",
        [study_id],
    ).fetchall()
    areas = {a["code"]: {lang: a[lang] for lang in ("nl", "fr", "en")} for a in json.loads(answers[0][0])} if answers else {}
    return services, areas


@dg.asset(deps=[awareness_by_neighbourhood, codebook], group_name="publish", kinds={"plotly", "html"})
def dashboard_site(context: dg.AssetExecutionContext, study: StudyResource,
                   warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The folder ``site/`` (``TOEGANG_SITE``): one page per language (nl, fr, en) with awareness of
    each service by neighbourhood for every wave: chart, text summary and data table. Aggregates only.
    Source: ``indicators.awareness_by_neighbourhood``; labels from ``meta.codebook``.
    """
    config = study.load()
    with warehouse.connect() as con:
        table = read_table(con, SCHEMA, TABLE, study_id=config.study_id)
        services, areas = codebook_labels(con, config.study_id)
    if table.empty:
        raise dg.Failure(f"no indicators for study {config.study_id!r}: materialise the waves first")
    content = SiteContent(
        study_title=config.title,
        indicators=table.sort_values(["wave"], kind="stable"),
        services=services,
        areas=areas,
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
