"""dashboard_site: the static, multilingual dashboard built from the indicator rows, their catalogue, the
codebook's labels and the method's aggregates."""


import json

import dagster as dg
import pandas as pd

from analyses import MIN_CELL_SIZE
from dashboards.model import MethodFacts, SiteContent
from dashboards.site import write_site
from pipelines.defs.indicators import SCHEMA, TABLE, awareness_by_neighbourhood
from pipelines.defs.instruments import codebook
from pipelines.defs.quality import quality_report
from pipelines.defs.weight import raking_weights
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource
from warehouse.tables import read_table

# The codebook question whose answers label each breakdown's categories.
BREAKDOWN_QUESTIONS = {"neighbourhood": "wijk", "language": "thuistaal", "education": "opleiding",
                       "child_age": "kindleeftijd", "channel": "kanaal"}
LANGS = ("nl", "fr", "en")


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
    return labels


def service_labels(con, study_id: str) -> dict[str, dict[str, str]]:
    """Service code -> {nl, fr, en}, from the awareness item of the codebook (latest wave wins)."""
    rows = con.execute(
        """SELECT subquestion, item_nl, item_fr, item_en FROM meta.codebook
           WHERE study_id = ? AND instrument = 'parent' AND question = 'kent' ORDER BY wave""",
        [study_id],
    ).fetchall()
    return {code: {"nl": nl, "fr": fr, "en": en} for code, nl, fr, en in rows}


def rows_from_awareness(table: pd.DataFrame, services: dict[str, dict[str, str]]) -> tuple[pd.DataFrame, dict]:
    """Stand-in until table ``indicators.indicators`` lands: the awareness table as indicator rows (one
    indicator ``awareness_<service>`` per service, breakdowns ``all`` and ``neighbourhood``) and a
    catalogue for them. The only place that knows the old table's shape."""
    total = table["is_total"].astype(bool)
    rows = pd.DataFrame({
        "study_id": table["study_id"], "wave": table["wave"].astype(str),
        "indicator": "awareness_" + table["service"].astype(str),
        "breakdown": total.map({True: "all", False: "neighbourhood"}),
        "domain": table["neighbourhood"].where(~total, "all"), "instrument": "parent",
        **{c: table[c] for c in ("estimate", "se", "ci_low", "ci_high", "n", "n_eff", "deff", "weighted")},
        "suppressed": table["suppression"].notna(), "reason": table["suppression"], "unit": "proportion",
        "instrument_version": table["instrument_version"],
    })
    heading = {"nl": "Bekendheid: {}", "fr": "Notoriété : {}", "en": "Awareness: {}"}
    about = {"nl": "Aandeel ouders dat {} kent, onder de ouders die de vraag beantwoordden.",
             "fr": "Part des parents qui connaissent {}, parmi les parents ayant répondu à la question.",
             "en": "Share of parents who know {}, among the parents who answered the question."}
    catalogue = {
        f"awareness_{code}": {
            "label": {lang: heading[lang].format(services.get(code, {}).get(lang, code)) for lang in LANGS},
            "description": {lang: about[lang].format(services.get(code, {}).get(lang, code)) for lang in LANGS},
            "dimension": "bekend", "unit": "proportion", "headline": True,
        }
        for code in dict.fromkeys(table["service"].astype(str))
    }
    return rows, catalogue


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


@dg.asset(deps=[awareness_by_neighbourhood, codebook, raking_weights, quality_report], group_name="publish",
          kinds={"plotly", "html"})
def dashboard_site(context: dg.AssetExecutionContext, study: StudyResource,
                   warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The folder ``site/`` (``TOEGANG_SITE``): per language (nl, fr, en) an overview of the headline
    indicators, a page per accessibility dimension, neighbourhoods (with a tile map), parents versus field
    actors, the trend across waves, method and data quality, and downloads (CSV, Parquet). Aggregates only.
    Source: indicator rows (``indicators.awareness_by_neighbourhood`` until ``indicators.indicators``
    lands); labels from ``meta.codebook``; weights and quality aggregates for the method page.
    """
    config = study.load()
    with warehouse.connect() as con:
        table = read_table(con, SCHEMA, TABLE, study_id=config.study_id)
        rows, catalogue = rows_from_awareness(table, service_labels(con, config.study_id))
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
