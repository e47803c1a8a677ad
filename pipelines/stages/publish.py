"""Publish: the static, multilingual dashboard built from the indicator rows, their catalogue, the codebook's
labels and the method's aggregates (aggregates only: never a respondent's row)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd

from analyses.findings import candidates, findings
from analyses.standards import ProportionStandards
from dashboards.areas import AreaShapes, projected
from dashboards.model import MethodFacts, SiteContent, checked_indicators, proportion_rules
from dashboards.pages.common import main_rows
from dashboards.site import write_site
from instruments.study import Study
from instruments.vocabulary import LANGUAGE_NAMES, LANGUAGES
from pipelines.stages.indicators import wave_indicators
from pipelines.stages.weight import weighted_instrument, weighted_survey
from warehouse import indicators as layer
from warehouse import weighted
from warehouse.changes import published_changes
from warehouse.clean import SURVEY_LANGUAGE

# MethodFacts.designs: one row per weighted wave (dashboards/model.py says what each column holds).
DESIGN_COLUMNS = ("wave", "variance", "strata", "breakdown", "stratum_sizes", "method", "replicates")


class NothingToPublish(RuntimeError):
    pass


def breakdown_labels(con: duckdb.DuckDBPyConnection, study: Study) -> dict[str, dict[str, dict[str, str]]]:
    """Breakdown -> category code -> label per language: the answers of the question behind it in the codebook
    (of an instrument that is broken down, its latest wave), or the languages' names for the survey language."""
    labels = {}
    broken_down = [role.name for role in study.instruments if role.breakdowns]
    for breakdown, column in study.breakdown_columns.items():
        if column == SURVEY_LANGUAGE:
            labels[breakdown] = LANGUAGE_NAMES
            continue
        found = con.execute(
            """SELECT answers FROM meta.codebook WHERE study_id = ? AND list_contains(?, instrument) AND variable = ?
               ORDER BY wave DESC, instrument LIMIT 1""", [study.study_id, broken_down, column]).fetchall()
        if found and found[0][0]:
            labels[breakdown] = {a["code"]: {lang: a[lang] for lang in LANGUAGES} for a in json.loads(found[0][0])}
    return labels


def indicator_catalogue(study: Study, waves: list[str]) -> dict:
    """Indicator name -> its catalogue entry (labels, description, dimension, unit, headline), over every wave:
    a service added in a later wave has its indicators too."""
    entries = {}
    for wave in waves:
        entries |= {i.name: i for i in wave_indicators(study, wave)}
    return entries


def variance_designs(con: duckdb.DuckDBPyConnection, study: Study, waves: list[str]) -> pd.DataFrame:
    """One row per weighted wave (``DESIGN_COLUMNS``): how its standard errors are estimated, as the indicator
    stage does. The design its survey declares (stratified or not, and by which breakdown's column), and of
    replicate weights the method and count the weighting stage stored."""
    # The design rows only: the weights themselves are not needed to name them.
    stored = weighted.read_replicate_designs(con, weighted_instrument(study), study.study_id)
    breakdowns: dict[str, str] = {}
    for name, column in study.breakdown_columns.items():
        breakdowns.setdefault(column, name)  # the first in publication order
    rows = []
    for wave in waves:
        survey = weighted_survey(study, wave)
        if survey is None:  # weighted once, no longer in the study's configuration
            continue
        design = survey.design
        method, count = ("", pd.NA)
        if design.variance == "replicates":
            if wave not in stored:
                raise RuntimeError(f"wave {wave}: the design asks for replicate weights, but the weighted layer has "
                                   "none; weight the wave again")
            method, count = str(stored[wave]["method"]), int(stored[wave]["replicates"])
        rows.append({"wave": str(wave), "variance": design.variance, "strata": design.strata or "",
                     "breakdown": breakdowns.get(design.strata, "") if design.strata else "",
                     "stratum_sizes": design.stratum_sizes == "margins", "method": method, "replicates": count})
    frame = pd.DataFrame(rows, columns=list(DESIGN_COLUMNS))
    frame["replicates"] = frame["replicates"].astype("Int64")
    return frame


def method_facts(con: duckdb.DuckDBPyConnection, study: Study) -> MethodFacts:
    """Aggregates only: counts per wave, the stored weighting diagnostics, quality flags, instrument versions,
    how each weighted wave's standard errors are estimated, and what changed since each wave's previous run."""
    study_id = study.study_id
    diagnostics = weighted.read_diagnostics(con, study_id)
    weighting = diagnostics.rename(columns={"weight_sum": "sum_w", "min_weight": "w_min", "max_weight": "w_max"})[
        ["wave", "n", "sum_w", "n_eff", "deff", "w_min", "w_max", "cv", "trimmed"]]
    quality = con.execute(
        """SELECT wave, instrument, flag, sum(responses) AS responses, sum(flagged) AS flagged
           FROM meta.quality_report WHERE study_id = ? GROUP BY ALL ORDER BY ALL""", [study_id]).df()
    samples = (quality.groupby(["wave", "instrument"], as_index=False)["responses"].max()
               if not quality.empty else pd.DataFrame())
    versions = con.execute(
        """SELECT DISTINCT wave, instrument, instrument_version AS version FROM meta.codebook
           WHERE study_id = ? ORDER BY ALL""", [study_id]).df()
    designs = variance_designs(con, study, [str(w) for w in diagnostics["wave"]])
    changes, changed_cells = published_changes(con, study_id)
    return MethodFacts(samples=samples, weighting=weighting, quality=quality, versions=versions, designs=designs,
                       changes=changes, changed_cells=changed_cells)


def site_content(con: duckdb.DuckDBPyConnection, study: Study) -> SiteContent:
    """Everything the site shows, read from the warehouse; ``NothingToPublish`` before any wave is in."""
    rows = layer.read(con, "indicators", study.study_id)
    if rows.empty:
        raise NothingToPublish(f"no indicators for study {study.study_id!r}: materialise the waves first")
    content = SiteContent(study_title=study.title, indicators=rows,
                          catalogue=indicator_catalogue(study, sorted(rows["wave"].unique())),
                          domains=breakdown_labels(con, study), method=method_facts(con, study),
                          min_n=study.publication.min_cell, min_group=study.publication.min_group_for_index,
                          min_percentage_n=study.publication.min_percentage_n, min_pairs=study.publication.min_pairs,
                          proportions=proportion_rules(ProportionStandards(**study.publication.proportions)),
                          shapes=study_shapes(study), **panel_content(con, study), **study_words(study))
    return replace(content, findings=key_findings(con, study, content))


def study_shapes(study: Study) -> dict[str, AreaShapes]:
    """Breakdown -> its areas' polygons projected to a plane, for each mapped breakdown that ships GeoJSON."""
    return {b.name: projected({a.code: a.rings for a in b.areas.areas}, b.areas.schematic)
            for b in study.breakdowns.values() if b.map and b.areas}


def key_findings(con: duckdb.DuckDBPyConnection, study: Study, content: SiteContent) -> pd.DataFrame:
    """The overview's family of candidate findings with Holm's adjusted p and the rank of those it says
    (``analyses.findings``): the tested pairs of the compared breakdowns' categories, the changes since the
    previous wave and the benchmarks, of the headline indicators the overview shows (and any indicator of the
    main pages with a benchmark), on the rows as the site publishes them."""
    rows = checked_indicators(content.indicators, content.catalogue)
    shown = main_rows(replace(content, indicators=rows))
    names = {n for n in shown["indicator"].unique() if content.entry(n).headline or n in study.benchmarks}
    family = candidates(shown, layer.read(con, "pair_differences", study.study_id),
                        layer.read(con, "wave_differences", study.study_id),
                        {name: b.value for name, b in study.benchmarks.items()}, indicators=sorted(names),
                        compared=[b.name for b in study.breakdowns.values() if b.compare])
    return findings(family)


def panel_content(con: duckdb.DuckDBPyConnection, study: Study) -> dict:
    """A panel's changes and presence per wave, as the site reads them (no study id or run id); nothing for a
    study without a panel instrument."""
    if not any(role.panel for role in study.instruments):
        return {}
    tables = {name: layer.read(con, name, study.study_id).drop(columns=["study_id", "run_id"], errors="ignore")
              for name in ("panel_changes", "panel_trajectory")}
    return tables


def study_words(study: Study) -> dict:
    """What the site takes from the study's folder: its dimensions, breakdowns and instruments, who answers each
    (its name where the study does not say), and their texts, with the method page's own paragraphs."""
    words: dict[str, dict[str, str]] = {}
    dimensions = study.framework.dimensions if study.framework else ()
    for dimension in dimensions:
        words[f"dim_{dimension.code}"] = dict(dimension.labels)
        if dimension.about:
            words[f"dim_{dimension.code}_about"] = dict(dimension.about)
    if study.other_section:
        words["dim_other"] = dict(study.other_section.title)
        if study.other_section.about:
            words["dim_other_about"] = dict(study.other_section.about)
    for breakdown in study.breakdowns.values():
        words[f"breakdown_{breakdown.name}"] = dict(breakdown.title)
    for role in study.instruments:
        words[f"respondents_{role.name}"] = dict(role.respondents or {lang: role.name for lang in LANGUAGES})
    for part, texts in study.method.items():
        words[f"method_{part}"] = dict(texts)
    for name, benchmark in study.benchmarks.items():
        words[f"benchmark_{name}"] = dict(benchmark.source)
    if study.factsheets.subjects:  # a subject's factsheet is titled with its name (the latest wave's)
        for name in study.lists:
            for wave in reversed(study.waves):
                for code, names in study.subjects(name, wave).items():
                    words.setdefault(f"subject_{code}", dict(names))
    return {"dimensions": tuple(d.code for d in dimensions), "breakdowns": tuple(study.breakdowns),
            "compared": tuple(b.name for b in study.breakdowns.values() if b.compare),
            "checks": tuple(b.name for b in study.breakdowns.values() if b.sensitivity),
            "maps": tuple(b.name for b in study.breakdowns.values() if b.map),
            "instruments": tuple(study.instrument_names),
            "broken_down": tuple(role.name for role in study.instruments if role.breakdowns), "words": words,
            "factsheets": tuple(kind for kind in ("areas", "subjects") if getattr(study.factsheets, kind))}


def publish_site(site: Path, content: SiteContent) -> dict:
    """Write the site to ``site`` (swapped in whole); returns its page count and size. Reads nothing from
    the warehouse, so no connection is held while the pages are drawn."""
    pages = write_site(site, content)
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {"pages": len(pages), "bytes": size}


def publication_blockers(con: duckdb.DuckDBPyConnection, study: Study) -> list[str]:
    """What stops every wave of the study from being published, in words: the blocking checks of each wave's own
    run, read over all waves. A wave's run judges its wave only, so a wave refused by its run would otherwise
    reach the site and the exports through the next run of another wave."""
    from pipelines.stages.indicators import disclosed_cells, small_cells, unaudited_waves
    from pipelines.stages.weight import MARGIN_TOLERANCE, invalid_weights, margin_errors_by_wave, stale_diagnostics

    found = []
    small = small_cells(con, study)
    if small:
        found.append(f"{len(small)} published cells rest on fewer than {study.publication.min_cell} respondents: "
                     + "; ".join(small[:5]))
    disclosed = disclosed_cells(con, study)
    if len(disclosed):  # where only, never the bounds
        found.append(f"{len(disclosed)} hidden cells can be worked out, in waves "
                     f"{', '.join(sorted(map(str, set(disclosed['wave']))))}")
    unaudited = unaudited_waves(con, study)
    if unaudited:
        found.append(f"waves {', '.join(unaudited)} were computed before Toegang kept what the disclosure audit "
                     "reads")
    found += list(stale_diagnostics(con, study).values())
    missed = {k: v for k, v in margin_errors_by_wave(con, study, final=False).items() if v > MARGIN_TOLERANCE}
    if missed:
        found.append("raked weights miss their margins: " + ", ".join(f"{k} by {v:.2e}" for k, v in missed.items()))
    invalid = invalid_weights(con, study)
    if invalid:
        found.append(f"{len(invalid)} stored weights are not positive and finite")
    return found
