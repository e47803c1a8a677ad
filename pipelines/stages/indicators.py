"""Indicators: the whole indicator catalogue for a wave (with the reliability table behind the index gate, the
group comparisons and the channel sensitivity), the differences between waves, and the small-cell rule."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from analyses.catalogue import load_catalogue
from analyses.comparisons import wave_differences
from analyses.indicator_table import (IndicatorInputs, ScaleItem, group_comparisons, indicator_table,
                                     parent_columns)
from instruments.model import Instrument
from instruments.study import Study
from pipelines.stages.weight import wave_margins, weighted_instrument
from pipelines.version import code_version
from warehouse import indicators as layer
from warehouse import weighted
from warehouse.clean import SURVEY_LANGUAGE, read_respondents
from warehouse.tables import read_table

# The breakdowns whose categories are compared, and whose channels are left out one at a time.
AREA, CHANNEL = "neighbourhood", "channel"


def scale_items(study: Study, parent: Instrument, field_actor: Instrument) -> list[ScaleItem]:
    """The accessibility items of the parent questionnaire, with their field-actor mirrors as clean columns."""
    framework = study.framework.name if study.framework else None
    mirrors = {c.name: c.variable for c in field_actor.columns()}
    return [ScaleItem(variable=c.variable, service=c.question.subject, dimension=c.subquestion.dimension(framework),
                      polarity=c.subquestion.polarity or "+", mirror=mirrors.get(c.subquestion.mirror))
            for c in parent.columns()
            if c.subquestion is not None and c.subquestion.dimension(framework) and c.question.subject]


def subjects(study: Study, wave: str) -> tuple[dict, dict]:
    """Services and themes (codes -> names per language): the subjects of the lists of each role."""
    by_role = {}
    for subject_list in study.lists.values():
        by_role.setdefault(subject_list.role, study.subjects(subject_list.name, wave))
    return by_role.get("service", {}), by_role.get("theme", {})


def roles(study: Study) -> tuple[str, str]:
    """The weighted instrument and the other one."""
    primary = weighted_instrument(study) or study.instrument_names[0]
    return primary, next((n for n in study.instrument_names if n != primary), primary)


def dimensions_of(items: list[ScaleItem]) -> dict[str, list[str]]:
    """Service -> its accessibility dimensions, in questionnaire order."""
    dimensions: dict[str, list[str]] = {}
    for item in items:
        if item.dimension not in dimensions.setdefault(item.service, []):
            dimensions[item.service].append(item.dimension)
    return dimensions


def wave_indicators(study: Study, wave: str) -> tuple[list, list[ScaleItem]]:
    """The catalogue's indicators for the wave's questionnaires (its services, themes and dimensions), and
    the scale items they read."""
    primary, other = roles(study)
    parent, field_actor = study.instrument(primary, wave), study.instrument(other, wave)
    services, themes = subjects(study, wave)
    items = scale_items(study, parent, field_actor)
    words = {d.code: d.words for d in study.framework.dimensions} if study.framework else {}
    return load_catalogue(study.catalogue_path).indicators(services, themes, dimensions_of(items), words), items


def _file_version(path: Path | None) -> str | None:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12] if path else None


def read_inputs(con: duckdb.DuckDBPyConnection, study: Study, wave: str) -> tuple[IndicatorInputs, list[str]]:
    """What the indicator table of a wave reads: the weighted parents' columns the catalogue needs (all parents,
    unweighted, when the wave has no weights), the complete field actors, the indicators and the design; and the
    instrument versions of those rows."""
    indicators, items = wave_indicators(study, wave)
    population = wave_margins(study, wave)
    primary, other = roles(study)
    is_weighted = population is not None and weighted.has_weights(con, primary, study.study_id, wave)
    calibration = population.margins if is_weighted else None
    # The survey language always: Cronbach's alpha is also reported per language.
    columns = ["instrument_version", SURVEY_LANGUAGE,
               *parent_columns(indicators, items, study.breakdown_columns, calibration)]
    parents = (weighted.read_respondents(con, primary, study.study_id, wave, columns) if is_weighted
               else read_respondents(con, primary, study.study_id, wave, columns))
    actors = read_table(con, "clean", f"{other}_responses", study_id=study.study_id, wave=wave)
    # A fixed order: a rerun sums the same numbers in the same order, to the last bit.
    actors = actors[actors["complete"]].sort_values(["survey_id", "response_id"], kind="stable")
    inputs = IndicatorInputs(
        parents=parents, field_actors=actors.reset_index(drop=True), indicators=indicators, items=items,
        breakdowns=study.breakdown_columns, weight="weight" if is_weighted else None, calibration=calibration,
        min_n=study.publication.min_cell, min_field_actors=study.publication.min_group_for_index,
        min_alpha=study.publication.min_alpha)
    return inputs, sorted(set(parents["instrument_version"]) | set(actors["instrument_version"]))


def indicator_wave(con: duckdb.DuckDBPyConnection, study: Study, wave: str, run_id: str) -> dict:
    """Replace the wave's rows of the indicator layer: every indicator overall and per breakdown (weighted
    estimate, calibration-aware SE, interval, n, n_eff, deff, suppression), Cronbach's alpha, the group
    comparisons and the channel sensitivity, each stamped with ``run_id`` and what reproduces it."""
    inputs, versions = read_inputs(con, study, wave)
    table, reliability = indicator_table(inputs, language=SURVEY_LANGUAGE)
    margins_file = next((s.margins for s in study.surveys_in(wave)
                         if s.instrument == weighted_instrument(study) and s.margins), None)
    table = table.assign(run_id=run_id, instrument_version=",".join(versions),
                         margins_version=_file_version(margins_file) if inputs.weight else None,
                         code_version=code_version())
    tests, sensitivity = group_comparisons(inputs, table, area=AREA, channel=CHANNEL)
    rows = layer.write_wave(con, study.study_id, wave, {
        "indicators": table, "reliability": reliability, "comparisons": tests.assign(run_id=run_id),
        "channel_sensitivity": sensitivity.assign(run_id=run_id)})
    return {"rows": rows, "indicators": int(table["indicator"].nunique()), "suppressed": int(table["suppressed"].sum()),
            "parents": len(inputs.parents), "field_actors": len(inputs.field_actors), "weighted": inputs.weight is not None}


def differences(con: duckdb.DuckDBPyConnection, study: Study) -> dict:
    """Replace the study's ``indicators.wave_differences``: every published estimate minus the same one in
    the previous wave."""
    result = wave_differences(layer.read(con, "indicators", study.study_id))
    rows = layer.write_differences(con, study.study_id, result)
    return {"rows": rows, "p_below_0.05": int((result["p_value"] < 0.05).sum()) if not result.empty else 0}


def small_cells(con: duckdb.DuckDBPyConnection, study: Study) -> list[str]:
    """Published cells resting on fewer than the study's ``min_cell`` respondents, as "wave / indicator / ..."."""
    return [" / ".join(map(str, row)) for row in layer.small_cells(con, study.study_id, study.publication.min_cell)]
