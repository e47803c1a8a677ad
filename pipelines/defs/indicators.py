"""indicators: the whole indicator catalogue for a wave, with the reliability table behind the index gate."""

import hashlib
from pathlib import Path

import dagster as dg
import pandas as pd

from analyses import MIN_CELL_SIZE
from analyses.catalogue import load_catalogue
from analyses.comparisons import compare_means, compare_proportion, wave_differences as differences
from analyses.indicator_table import (IndicatorInputs, ScaleItem, derive_parent_variables, indicator_table,
                                     parent_columns)
from analyses.sensitivity import channel_sensitivity
from instruments.model import Instrument
from pipelines.defs.clean import clean_field_actor_responses, clean_parent_responses
from pipelines.defs.partitions import wave_partitions
from pipelines.defs.weight import raking_weights, wave_margins
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from pipelines.version import code_version
from warehouse.connection import transaction
from warehouse.clean import read_parents
from warehouse.tables import read_table, replace_wave

# Breakdowns (DOMAIN.md section 3) -> the parent questionnaire's clean columns.
BREAKDOWNS = {"neighbourhood": "wijk", "language": "start_language", "home_language": "thuistaal",
              "education": "opleiding", "child_age": "kindleeftijd", "channel": "kanaal"}


def scale_items(parent: Instrument, field_actor: Instrument) -> list[ScaleItem]:
    """The accessibility items of the parent questionnaire, with their field-actor mirrors as clean columns."""
    mirrors = {c.name: c.variable for c in field_actor.columns()}
    return [ScaleItem(variable=c.variable, service=c.question.service, dimension=c.subquestion.dim_b,
                      polarity=c.subquestion.polarity or "+", mirror=mirrors.get(c.subquestion.mirror))
            for c in parent.columns()
            if c.subquestion is not None and c.subquestion.dim_b and c.question.service]


def subjects(parent: Instrument) -> tuple[dict, dict]:
    """Services (codes -> names per language, from the awareness item) and themes of need."""
    services = {sq.code: dict(sq.labels) for sq in parent.question("kent").subquestions}
    themes = {sq.code: dict(sq.labels) for sq in parent.question("nood").subquestions}
    return services, themes


def dimensions_of(items: list[ScaleItem]) -> dict[str, list[str]]:
    """Service -> its accessibility dimensions, in questionnaire order."""
    dimensions: dict[str, list[str]] = {}
    for item in items:
        if item.dimension not in dimensions.setdefault(item.service, []):
            dimensions[item.service].append(item.dimension)
    return dimensions


def _file_version(path: Path | None) -> str | None:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12] if path else None


@dg.asset(
    deps=[clean_parent_responses, clean_field_actor_responses, raking_weights],
    partitions_def=wave_partitions,
    group_name="indicators",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
)
def indicators(context: dg.AssetExecutionContext, study: StudyResource,
               warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Table ``indicators.indicators``: every indicator of ``analyses/catalogue.yaml`` for the wave, overall
    and per neighbourhood, survey language, home language, education, age of the youngest child and
    recruitment channel: weighted estimate, calibration-aware SE, 95% interval (logit for proportions,
    Wald otherwise), n, n_eff, deff; small cells, unreliable indices (alpha < 0.7) and field-actor figures on
    fewer than 30 suppressed with the reason. And ``indicators.reliability``: Cronbach's alpha per service and
    dimension. Each row carries the run id and the instrument, margins and code versions.
    Sources: ``clean.parent_responses``, ``clean.field_actor_responses``, ``weighted.parent_weights``."""
    config = study.load()
    wave = context.partition_key
    parent, field_actor = study.instrument("parent", wave), study.instrument("field_actor", wave)
    services, themes = subjects(parent)
    items = scale_items(parent, field_actor)
    dimensions = dimensions_of(items)
    catalogue = load_catalogue()
    population = wave_margins(study, wave)
    margins_file = next((s.margins for s in config.surveys_in(wave) if s.instrument == "parent" and s.margins), None)
    indicators_ = catalogue.indicators(services, themes, dimensions)
    with warehouse.connect() as con:
        weighted = population is not None and con.execute(
            "SELECT count(*) FROM weighted.parent_weights WHERE study_id = ? AND wave = ?",
            [config.study_id, wave]).fetchall()[0][0] > 0
        calibration = population.margins if weighted else None
        parents = read_parents(con, config.study_id, wave,
                               ["instrument_version", *parent_columns(indicators_, items, BREAKDOWNS, calibration)],
                               weighted=weighted)
        actors = read_table(con, "clean", "field_actor_responses", study_id=config.study_id, wave=wave)
        # A fixed order: a rerun sums the same numbers in the same order, to the last bit.
        actors = actors[actors["complete"]].sort_values(["survey_id", "response_id"], kind="stable")
        inputs = IndicatorInputs(
            parents=parents, field_actors=actors.reset_index(drop=True), indicators=indicators_, items=items,
            breakdowns=BREAKDOWNS, weight="weight" if weighted else None, calibration=calibration,
            min_n=MIN_CELL_SIZE)
        table, reliability = indicator_table(inputs, language="start_language")
        versions = sorted(set(parents["instrument_version"]) | set(actors["instrument_version"]))
        table = table.assign(run_id=context.run.run_id, instrument_version=",".join(versions),
                             margins_version=_file_version(margins_file) if weighted else None,
                             code_version=code_version())
        tests, sensitivity = group_comparisons(inputs, table)
        rows = replace_wave(con, "indicators", "indicators", table, study_id=config.study_id, wave=wave)
        replace_wave(con, "indicators", "reliability", reliability, study_id=config.study_id, wave=wave)
        replace_wave(con, "indicators", "comparisons", tests.assign(run_id=context.run.run_id),
                     study_id=config.study_id, wave=wave)
        replace_wave(con, "indicators", "channel_sensitivity", sensitivity.assign(run_id=context.run.run_id),
                     study_id=config.study_id, wave=wave)
    return dg.MaterializeResult(metadata={
        "rows": rows, "indicators": int(table["indicator"].nunique()),
        "suppressed": int(table["suppressed"].sum()), "parents": len(parents), "field_actors": len(actors),
        "weighted": weighted})


def group_comparisons(inputs: IndicatorInputs, table) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Neighbourhood comparisons of the headline proportions (chi-square, Rao-Scott) and of the published
    access indices (Welch, Kruskal-Wallis, Holm-corrected pairs); and the channel sensitivity of the headline
    indicators."""
    published = set(table.loc[(table["breakdown"] == "all") & ~table["suppressed"], "indicator"])
    compared = [i for i in inputs.indicators if i.name in published
                and (i.headline or i.measure.kind == "access_index")]
    derived = derive_parent_variables(inputs, compared)  # only these: a million parents, few columns
    area, channel = BREAKDOWNS["neighbourhood"], BREAKDOWNS["channel"]
    design = [c for c in {area, channel, *(inputs.calibration or {})} if c in inputs.parents]
    frame = pd.concat([inputs.parents[design + ([inputs.weight] if inputs.weight else [])], derived], axis=1)
    headline = [i.name for i in compared if i.headline and i.name in derived]
    indices = [i.name for i in compared if i.measure.kind == "access_index"]
    rows = []
    for name in headline:
        rows += [dict(r, indicator=name) for r in compare_proportion(
            frame, name, area, weight=inputs.weight, calibration=inputs.calibration, min_n=inputs.min_n)]
    for name in indices:
        rows += [dict(r, indicator=name) for r in compare_means(frame, name, area, min_n=inputs.min_n)]
    tests = pd.DataFrame(rows).assign(breakdown="neighbourhood") if rows else pd.DataFrame(
        columns=["indicator", "breakdown", "test", "groups", "statistic", "df1", "df2", "p_value", "p_adjusted",
                 "effect_size", "effect_measure", "n", "weighted", "note"])
    sensitivity = channel_sensitivity(frame, headline, channel, weight=inputs.weight,
                                      calibration=inputs.calibration, min_n=inputs.min_n)
    return tests, sensitivity


@dg.asset(deps=[indicators], group_name="indicators", kinds={"duckdb"}, pool=WAREHOUSE_POOL)
def wave_differences(study: StudyResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Table ``indicators.wave_differences``: every published estimate (overall and per category) minus the
    same one in the previous wave, with SE = sqrt(SE_1^2 + SE_2^2), a 95% interval and a z test. Not
    partitioned: it reads every wave of ``indicators.indicators``."""
    config = study.load()
    with warehouse.connect() as con:
        table = read_table(con, "indicators", "indicators", study_id=config.study_id)
        result = differences(table).assign(study_id=config.study_id)
        with transaction(con):
            con.execute("DELETE FROM indicators.wave_differences WHERE study_id = ?", [config.study_id])
            if not result.empty:
                con.register("incoming_differences", result)
                con.execute("INSERT INTO indicators.wave_differences BY NAME SELECT * FROM incoming_differences")
                con.unregister("incoming_differences")
    significant = int((result["p_value"] < 0.05).sum()) if not result.empty else 0
    return dg.MaterializeResult(metadata={"rows": len(result), "p_below_0.05": significant})


@dg.asset_check(asset=indicators, blocking=True,
                description="No published indicator cell rests on fewer than 10 respondents.")
def no_small_indicator_cells(study: StudyResource, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        rows = con.execute(
            """SELECT wave, indicator, breakdown, domain, n FROM indicators.indicators
               WHERE study_id = ? AND NOT suppressed AND unit <> 'difference' AND (n IS NULL OR n < ?)""",
            [study.load().study_id, MIN_CELL_SIZE],
        ).fetchall()
    return dg.AssetCheckResult(passed=not rows, severity=dg.AssetCheckSeverity.ERROR,
                               metadata={"offending_cells": [" / ".join(map(str, r)) for r in rows][:50]})
