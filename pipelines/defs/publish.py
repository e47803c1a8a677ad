"""dashboard_site: the static, multilingual dashboard built from the indicator rows, their catalogue, the
codebook's labels and the method's aggregates."""


import json

import dagster as dg
import pandas as pd

from analyses import MIN_CELL_SIZE
from dashboards.model import MethodFacts, SiteContent
from dashboards.site import write_site
from analyses.catalogue import load_catalogue
from pipelines.defs.indicators import dimensions_of, indicators, scale_items, subjects
from pipelines.defs.instruments import codebook
from pipelines.defs.quality import quality_report
from pipelines.defs.weight import raking_weights
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from warehouse.tables import read_table

# The codebook question whose answers label each breakdown's categories (the survey language has none).
BREAKDOWN_QUESTIONS = {"neighbourhood": "wijk", "home_language": "thuistaal", "education": "opleiding",
                       "child_age": "kindleeftijd", "channel": "kanaal"}
LANGS = ("nl", "fr", "en")
SURVEY_LANGUAGES = {"nl": {"nl": "Nederlands", "fr": "néerlandais", "en": "Dutch"},
                    "fr": {"nl": "Frans", "fr": "français", "en": "French"},
                    "en": {"nl": "Engels", "fr": "anglais", "en": "English"}}


def breakdown_labels(con, study_id: str) -> dict[str, dict[str, dict[str, str]]]:
    """Breakdown -> category code -> {nl, fr, en}, from the parent codebook's answer lists (latest wave)."""
    labels = {}
    for breakdown, column in BREAKDOWN_QUESTIONS.items():
        found = con.execute(
            """SELECT answers FROM meta.codebook WHERE study_id = ? AND instrument = 'parent' AND column_name = ?
               ORDER BY wave DESC LIMIT 1""",
            [study_id, column],
        ).fetchall()
        if found and found[0][0]:
            labels[breakdown] = {a["code"]: {lang: a[lang] for lang in LANGS} for a in json.loads(found[0][0])}
    return labels | {"language": SURVEY_LANGUAGES}


def indicator_catalogue(study: StudyResource, waves: list[str]) -> dict:
    """Indicator name -> its catalogue entry (labels, description, dimension, unit, headline), over every wave:
    a service added in a later wave has its indicators too."""
    catalogue = load_catalogue()
    entries = {}
    for wave in waves:
        parent, field_actor = study.instrument("parent", wave), study.instrument("field_actor", wave)
        services, themes = subjects(parent)
        entries |= {i.name: i for i in catalogue.indicators(services, themes, dimensions_of(
            scale_items(parent, field_actor)))}
    return entries


def method_facts(con, study_id: str) -> MethodFacts:
    """Aggregates only: counts per wave, weight diagnostics, quality flags, instrument versions."""
    weighting = con.execute(
        """SELECT wave, count(*) AS n, sum(weight) AS sum_w, sum(weight) ^ 2 / sum(weight ^ 2) AS n_eff,
                  count(*) / (sum(weight) ^ 2 / sum(weight ^ 2)) AS deff, min(weight) AS w_min,
                  max(weight) AS w_max, stddev_pop(weight) / avg(weight) AS cv,
                  count(*) FILTER (WHERE weight <> raked_weight) AS trimmed
           FROM weighted.parent_weights WHERE study_id = ? GROUP BY wave ORDER BY wave""", [study_id]).df()
    quality = con.execute(
        """SELECT wave, instrument, flag, sum(responses) AS responses, sum(flagged) AS flagged
           FROM meta.quality_report WHERE study_id = ? GROUP BY ALL ORDER BY ALL""", [study_id]).df()
    samples = (quality.groupby(["wave", "instrument"], as_index=False)["responses"].max()
               if not quality.empty else pd.DataFrame())
    versions = con.execute(
        """SELECT DISTINCT wave, instrument, instrument_version AS version FROM meta.codebook
           WHERE study_id = ? ORDER BY ALL""", [study_id]).df()
    return MethodFacts(samples=samples, weighting=weighting, quality=quality, versions=versions)


@dg.asset(deps=[indicators, codebook, raking_weights, quality_report], group_name="publish",
          kinds={"plotly", "html"}, pool=WAREHOUSE_POOL)
def dashboard_site(context: dg.AssetExecutionContext, study: StudyResource,
                   warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The folder ``site/`` (``TOEGANG_SITE``): per language (nl, fr, en) an overview of the headline
    indicators, a page per accessibility dimension, neighbourhoods (with a tile map), parents versus field
    actors, the trend across waves, method and data quality, and downloads (CSV, Parquet). Aggregates only.
    Source: ``indicators.indicators`` with the catalogue's names (``analyses/catalogue.yaml``); labels from
    ``meta.codebook``; weights and quality aggregates for the method page.
    """
    config = study.load()
    with warehouse.connect() as con:
        rows = read_table(con, "indicators", "indicators", study_id=config.study_id)
        catalogue = indicator_catalogue(study, sorted(rows["wave"].unique()))
        domains = breakdown_labels(con, config.study_id)
        method = method_facts(con, config.study_id)
    if rows.empty:
        raise dg.Failure(f"no indicators for study {config.study_id!r}: materialise the waves first")
    content = SiteContent(study_title=config.title, indicators=rows, catalogue=catalogue, domains=domains,
                          method=method, min_n=MIN_CELL_SIZE)
    site = warehouse.locations().site
    pages = write_site(site, content)
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return dg.MaterializeResult(
        metadata={
            "site": dg.MetadataValue.path(str(site.resolve())),
            "pages": len(pages),
            "bytes": size,
        }
    )
