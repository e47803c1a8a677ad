"""Indicators: the study's indicator catalogue resolved against each wave's questionnaires and computed (with
the reliability table behind the index gate, the group comparisons and the sensitivity check), the differences
between waves, and the small-cell rule."""

from __future__ import annotations


import duckdb
import pandas as pd

from analyses.comparisons import wave_differences
from analyses.disclosure import Parts, Ratio, audit_disclosure
from analyses.findings import pair_differences
from analyses.indicator_table import (ALL, BOTH, Clause, Indicator, IndicatorInputs, Sample, ScaleItem,
                                     group_comparisons, indicator_tables, needed_columns, single_item_means)
from analyses.standards import ProportionStandards
from instruments.catalogue import TEXTS, Measure, dimensions_of, resolve
from instruments.conditions import Condition, em_variable
from instruments.model import Column, Instrument
from instruments.study import Study
from pipelines.stages.weight import (checked_weighting, design_arguments, stored_replicates, wave_margins,
                                     weighted_instrument, weighted_survey, with_design)
from pipelines.version import code_version
from warehouse import indicators as layer
from warehouse import weighted
from warehouse.changes import MadeFrom
from warehouse.clean import SURVEY_LANGUAGE, read_respondents

BOOLEAN_TYPES = ("Y", "M")  # clean booleans: "Y" is True; "N" (yes/no) or "" (an unticked box) is False


def _value(column: Column, code: str) -> object:
    """An answer code as the clean table holds it."""
    if column.question.type in BOOLEAN_TYPES:
        return code == "Y"
    return code


def to_clause(condition: Condition, instrument: Instrument) -> Clause:
    """A questionnaire condition over export columns, as a condition over the clean columns."""
    if condition.kind == "in":
        first = instrument.column(condition.columns[0])
        return Clause("in", tuple(em_variable(c) for c in condition.columns),
                      tuple(dict.fromkeys(_value(first, v) for v in condition.values)))
    return Clause(condition.kind, parts=tuple(to_clause(p, instrument) for p in condition.parts))


def _numeric_range(column: Column) -> tuple[float | None, float | None]:
    """The numbers an item's substantive answers span (1-5 for agree5); a numeric question's min and max."""
    if column.question.type == "N":
        return column.question.minimum, column.question.maximum
    numbers = []
    for answer in column.question.answers:
        try:
            numbers.append(float(answer.code)) if answer.missing is None else None
        except ValueError:
            pass
    return (min(numbers), max(numbers)) if numbers else (None, None)


def _texts(measure: Measure, subject: dict, dimension: dict) -> dict[str, dict[str, str]]:
    """The measure's label, description, numerator and denominator, each per language with the subject's and
    the dimension's names in that language."""
    names = {lang: {"subject": subject.get(lang, ""), "dimension": dimension.get(lang, "")} for lang in measure.label}
    return {key: {lang: text.format(**names[lang]) for lang, text in getattr(measure, key).items()}
            for key in TEXTS}


def wave_indicators(study: Study, wave: str) -> list[Indicator]:
    """The catalogue's indicators for the wave's questionnaires: each measure for each subject of its list
    that exists in the wave (and each dimension its items have), resolved to the clean columns it reads; a
    one-item dimension's index as the item's mean (``single_item_means``)."""
    framework = study.framework.name if study.framework else None
    words = {d.code: d.words for d in study.framework.dimensions} if study.framework else {}
    built = {name: study.instrument(name, wave) for name in study.instrument_names}
    out: list[Indicator] = []
    names: dict[tuple[str, str | None, str | None], Indicator] = {}
    measures = study.catalogue.measures
    for measure in measures.values():
        if measure.kind == "difference":
            continue
        instrument = built[measure.instrument]
        for subject, labels, role in _subjects(study, measure, wave):
            dimensions = dimensions_of(instrument, framework, subject) if measure.per_dimension else [None]
            for dimension in dimensions:
                resolved = resolve(measure, instrument, subject, dimension, framework)
                if resolved is None:
                    continue
                indicator = _indicator(measure, instrument, resolved, subject, role, dimension, labels,
                                       words.get(dimension, {}))
                names[(measure.name, subject, dimension)] = indicator
                out.append(indicator)
    for measure in measures.values():
        if measure.kind != "difference":
            continue
        for subject, labels, role in _subjects(study, measure, wave):
            for dimension in dict.fromkeys(d for (m, s, d) in names if m == measure.of[0] and s == subject):
                sides = [names.get((name, subject, dimension)) for name in measure.of]
                if None in sides:
                    continue
                out.append(Indicator(
                    name=_name(measure, subject, dimension), measure=measure.name, kind=measure.kind,
                    unit=measure.unit, instrument=BOTH, dimension=dimension, headline=measure.headline,
                    **_texts(measure, labels, words.get(dimension, {})), of=(sides[0].name, sides[1].name),
                    breakdowns=measure.breakdowns, **_subject_columns(role, subject)))
    return single_item_means(out)


def _subjects(study: Study, measure: Measure, wave: str) -> list[tuple[str | None, dict, str | None]]:
    if measure.subject_list is None:
        return [(None, {}, None)]
    role = study.lists[measure.subject_list].role
    return [(code, labels, role) for code, labels in study.subjects(measure.subject_list, wave).items()]


def _name(measure: Measure, subject: str | None, dimension: str | None) -> str:
    return ".".join(p for p in (measure.name, subject, dimension) if p)


def _subject_columns(role: str | None, subject: str | None) -> dict:
    """The subject's code in the indicator tables' column of its list's role (service or theme)."""
    return {role: subject} if role and subject else {}


def _indicator(measure: Measure, instrument: Instrument, resolved, subject: str | None, role: str | None,
               dimension: str | None, labels: dict, dimension_words: dict) -> Indicator:
    item = resolved.item
    low = high = None
    codes: tuple = ()
    invalid: tuple = ()
    if item is not None:
        low, high = _numeric_range(item)
        codes = tuple(_value(item, c) for c in measure.codes)
        invalid = tuple(a.code for a in item.question.answers if a.missing)
    elif resolved.scale:
        low, high = _numeric_range(resolved.scale[0])
        codes = tuple(float(c) for c in measure.codes)
    shown = Clause("all", parts=tuple(to_clause(c, instrument) for c in resolved.shown)) if resolved.shown else None
    return Indicator(
        name=_name(measure, subject, dimension), measure=measure.name, kind=measure.kind, unit=measure.unit,
        instrument=instrument.name, dimension=dimension, headline=measure.headline,
        **_texts(measure, labels, dimension_words), variable=item.variable if item is not None else None,
        codes=frozenset(codes), invalid=frozenset(invalid), low=low, high=high, reverse=measure.reverse,
        items=tuple(ScaleItem(c.variable, c.subquestion.polarity or "+") for c in resolved.scale),
        universe=to_clause(resolved.universe, instrument) if resolved.universe is not None else None,
        shown=shown, at_least=measure.at_least, breakdowns=measure.breakdowns, **_subject_columns(role, subject))


def links(study: Study) -> list[Ratio | Parts]:
    """The catalogue's links between measures, as the disclosure control takes them."""
    return [Ratio(link.ratio, link.numerator, link.denominator) if link.kind == "ratio"
            else Parts(link.whole, tuple(link.parts), link.complete) for link in study.catalogue.links]


def read_inputs(con: duckdb.DuckDBPyConnection, study: Study, wave: str) -> tuple[IndicatorInputs, list[str]]:
    """What the indicator table of a wave reads: for each instrument, the columns its indicators need, of the
    weighted base with its weights (every respondent, unweighted, when the wave has no weights) or, for an
    unweighted instrument, of its complete responses; the indicators and the design; and the instrument
    versions of those rows."""
    indicators = wave_indicators(study, wave)
    population = wave_margins(study, wave)
    breakdowns = study.breakdown_columns
    samples, versions = {}, set()
    surveyed = {s.instrument for s in study.surveys_in(wave)}
    for role in study.instruments:
        # An instrument without a survey in this wave has no respondents in it: none of its indicators.
        if role.name not in surveyed or not any(i.instrument == role.name for i in indicators):
            continue
        own = breakdowns if role.breakdowns else {}
        is_weighted = (role.weighted and population is not None
                       and weighted.has_weights(con, role.name, study.study_id, wave))
        calibration = population.margins if is_weighted else None
        survey = weighted_survey(study, wave) if is_weighted else None
        # The survey language always: Cronbach's alpha is also reported per language.
        columns = ["instrument_version", SURVEY_LANGUAGE, *needed_columns(indicators, role.name, own, calibration),
                   *(survey.design.columns() if survey else [])]
        columns = list(dict.fromkeys(columns))
        design = {}
        if is_weighted:
            checked_weighting(con, study, wave)  # weights made under this design, not one the study has left
            # The design the raking started from, resolved on the same rows: the weighted base.
            frame = with_design(weighted.read_respondents(con, role.name, study.study_id, wave, columns), survey,
                                population)
            design = ({"replicates": stored_replicates(con, study, wave, frame)}
                      if survey.design.variance == "replicates" else design_arguments(survey.design))
        else:
            frame = read_respondents(con, role.name, study.study_id, wave, [*columns, "complete"])
            if not role.weighted:  # an unweighted instrument: its complete responses
                frame = frame[frame["complete"].astype(bool)].drop(columns="complete").reset_index(drop=True)
        samples[role.name] = Sample(frame, "weight" if is_weighted else None, calibration, role.weighted,
                                    role.breakdowns, **design)
        versions |= set(frame["instrument_version"])
    inputs = IndicatorInputs(samples=samples, indicators=indicators, breakdowns=breakdowns,
                             min_n=study.publication.min_cell, min_group=study.publication.min_group_for_index,
                             min_alpha=study.publication.min_alpha, low_n_eff=study.publication.low_n_eff,
                             standards=ProportionStandards(**study.publication.proportions),
                             unweighted_interval=study.publication.unweighted_interval,
                             min_percentage_n=study.publication.min_percentage_n,
                             links=links(study), tolerance=study.publication.disclosure_tolerance)
    return inputs, sorted(versions)


def indicator_wave(con: duckdb.DuckDBPyConnection, study: Study, wave: str, run_id: str) -> dict:
    """Replace the wave's rows of the indicator layer: every indicator overall and per breakdown (weighted
    estimate, calibration-aware SE, interval, n, n_eff, deff, suppression), Cronbach's alpha, the group
    comparisons, the channel sensitivity and the tested pairs of categories, each stamped with ``run_id`` and what
    reproduces it."""
    inputs, versions = read_inputs(con, study, wave)
    tables = indicator_tables(inputs, language=SURVEY_LANGUAGE)
    table, reliability = tables.indicators, tables.reliability
    is_weighted = any(sample.weight is not None for sample in inputs.samples.values())
    margins_file = next((s.margins for s in study.surveys_in(wave)
                         if s.instrument == weighted_instrument(study) and s.margins), None)
    margins_version = layer.file_version(margins_file) if is_weighted and margins_file else None
    table = table.assign(run_id=run_id, instrument_version=",".join(versions), margins_version=margins_version,
                         code_version=code_version())
    # What the run was made from, kept beside the previous run's (`toegang changes`).
    made_from = MadeFrom(run_id=run_id, margins_version=margins_version, code_version=code_version(),
                         instrument_versions={name: sorted(map(str, sample.frame["instrument_version"].unique()))
                                              for name, sample in inputs.samples.items()})
    compared = [b.name for b in study.breakdowns.values() if b.compare]
    check = next((b.name for b in study.breakdowns.values() if b.sensitivity), None)
    tests, sensitivity = group_comparisons(inputs, table, compare=compared, sensitivity=check)
    pairs = pair_differences(inputs, table, compared)
    rows = layer.write_wave(con, study.study_id, wave, {
        "indicators": table, "reliability": reliability, "comparisons": tests.assign(run_id=run_id),
        "channel_sensitivity": sensitivity.assign(run_id=run_id), "pair_differences": pairs.assign(run_id=run_id),
        "disclosure_basis": tables.basis.assign(run_id=run_id)}, made_from=made_from)
    return {"rows": rows, "indicators": int(table["indicator"].nunique()), "suppressed": int(table["suppressed"].sum()),
            "respondents": {name: len(sample.frame) for name, sample in inputs.samples.items()},
            "weighted": is_weighted}


def differences(con: duckdb.DuckDBPyConnection, study: Study) -> dict:
    """Replace the study's ``indicators.wave_differences``: every published estimate minus the same one in
    the previous wave. Not a panel instrument's: its waves are the same persons, not independent samples (their
    change is ``pipelines.stages.panel``'s, on the pairs)."""
    rows = layer.read(con, "indicators", study.study_id)
    panels = [role.name for role in study.instruments if role.panel]
    result = wave_differences(rows[~rows["instrument"].isin(panels)])
    rows = layer.write_differences(con, study.study_id, result)
    return {"rows": rows, "p_below_0.05": int((result["p_value"] < 0.05).sum()) if not result.empty else 0}


AUDIT_KEYS = ["wave", "indicator", "breakdown", "domain"]


def audit_cells(con: duckdb.DuckDBPyConnection, study: Study) -> pd.DataFrame:
    """Every estimated cell of every wave as the disclosure audit reads it: the published rows' keys, ``n``,
    ``unit``, whether they are hidden (``suppressed``) and their published estimate, with, from the unpublished
    basis, each hidden cell's own estimate and every cell's weight sum. And, as cells of a breakdown of their
    own, the sensitivity check's estimates without a category: beside everyone's, each gives the category's
    (its weight share is everyone's less the category's)."""
    published = layer.read(con, "indicators", study.study_id)
    basis = layer.read(con, "disclosure_basis", study.study_id)[[*AUDIT_KEYS, "estimate", "weight_sum"]]
    keep = ["indicator", "measure", "service", "theme", "dimension", "breakdown", "domain", "n", "unit",
            "suppressed", "estimate"]
    cells = published[["wave", *keep]].merge(basis, on=AUDIT_KEYS, how="inner", suffixes=("", "_own"))
    # What the attacker reads is what was published; a hidden cell's own estimate is what they must not learn.
    hidden = cells["suppressed"].astype(bool)
    cells["estimate"] = cells["estimate"].astype("Float64").astype(float).where(~hidden, cells["estimate_own"])
    cells = cells.drop(columns="estimate_own")
    checks = layer.read(con, "channel_sensitivity", study.study_id)
    sensitivity = next((b.name for b in study.breakdowns.values() if b.sensitivity), None)
    if sensitivity and not checks.empty:
        keyed = cells.set_index(AUDIT_KEYS)
        extra = []
        for row in checks.itertuples():
            category = (row.wave, row.indicator, sensitivity, row.channel)
            everyone = (row.wave, row.indicator, ALL, ALL)
            if category not in keyed.index or everyone not in keyed.index:
                continue
            inside, whole = keyed.loc[category], keyed.loc[everyone]
            pair = f"{sensitivity} without {row.channel}"
            extra.append({**inside.to_dict(), "wave": row.wave, "indicator": row.indicator, "breakdown": pair,
                          "domain": row.channel})
            extra.append({**whole.to_dict(), "wave": row.wave, "indicator": row.indicator, "breakdown": pair,
                          "domain": "rest", "n": row.n_channel, "suppressed": bool(row.suppressed),
                          "estimate": row.estimate_without, "weight_sum": whole["weight_sum"] - inside["weight_sum"]})
        if extra:
            cells = pd.concat([cells, pd.DataFrame(extra)], ignore_index=True)
    return cells.assign(suppressed=cells["suppressed"].astype(bool))


def disclosed_cells(con: duckdb.DuckDBPyConnection, study: Study, wave: str | None = None) -> pd.DataFrame:
    """Hidden cells an attacker could work out from the published ones (at full precision, as the Parquet
    downloads give them) through a breakdown, a link of the catalogue or the sensitivity check, to within the
    study's disclosure_tolerance: ``analyses.disclosure.audit_disclosure``'s rows that disclose, without their
    bounds. Of every wave, or only ``wave`` (the audit works wave by wave)."""
    cells = audit_cells(con, study)
    if wave is not None:
        cells = cells[cells["wave"] == wave].reset_index(drop=True)
    found = audit_disclosure(cells, cells["suppressed"], links(study), by=["wave"], significant=None,
                             tolerance=study.publication.disclosure_tolerance)
    return found.loc[found["disclosed"], ["wave", "indicator", "breakdown", "domain", "link", "exact"]]


def unaudited_waves(con: duckdb.DuckDBPyConnection, study: Study, wave: str | None = None) -> list[str]:
    """Published waves (of every wave, or only ``wave``) without a disclosure basis (computed before Toegang kept
    one): the audit cannot check them until they are run again."""
    published = set(layer.read(con, "indicators", study.study_id)["wave"])
    audited = set(layer.read(con, "disclosure_basis", study.study_id)["wave"])
    return sorted(w for w in published - audited if wave is None or w == wave)


def small_cells(con: duckdb.DuckDBPyConnection, study: Study, wave: str | None = None) -> list[str]:
    """Published cells (of every wave, or only ``wave``) resting on fewer than the study's ``min_cell``
    respondents, as "wave / indicator / ..."."""
    return [" / ".join(map(str, row)) for row in layer.small_cells(con, study.study_id, study.publication.min_cell)
            if wave is None or str(row[0]) == wave]
