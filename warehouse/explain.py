"""Where a published number comes from (``toegang explain``): one cell of ``indicators.indicators`` with the
loads, responses, quality exclusions, versions, weighting and formula behind it.

Reads the study's warehouse (a read-only connection) and its folder, nothing else: no Dagster, no statistics.
A withheld cell is explained by its decision and rule only: neither its value nor its size (a hidden cell's
n would tell what the suppression hides), whatever the row still stores.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from instruments.catalogue import Measure, resolve
from instruments.conditions import Condition
from instruments.model import Instrument, InstrumentError
from instruments.study import Study
from instruments.vocabulary import LANGUAGE_NAMES
from warehouse.connection import connect
from warehouse.indicators import file_version
from warehouse.paths import Locations

ALL = "all"  # the overall row's breakdown and domain (warehouse/schema.py, indicators.indicators)
SHOWN_IDS = 10  # ids listed when an indicator is unknown
SOURCES = {"file": "export file", "limesurvey": "LimeSurvey API"}
CI_METHODS = {
    "beta": "Korn-Graubard (Clopper-Pearson on the effective size n*, df-adjusted, capped at n; R's svyciprop "
            "method 'beta')",
    "logit": "logit interval with t on the domain's df (R's svyciprop method 'logit')",
    "wald": "Wald: estimate +/- 1.96 x SE (R's confint)",
    "clopper-pearson": "exact Clopper-Pearson on the respondents (R's binom.test)",
    "wilson": "Wilson score interval on the respondents (R's prop.test without continuity correction)",
    "none": "no interval",
}


class ExplainError(ValueError):
    """Bad input (an unknown indicator, wave, breakdown or category) or a study without a warehouse yet."""


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    """The cell explained: its keys, whether it is withheld, and the sections ``render`` prints."""

    study_id: str
    wave: str
    indicator: str
    breakdown: str
    domain: str
    suppressed: bool
    sections: tuple[Section, ...]


def explain(study: Study, locations: Locations, indicator: str, wave: str, breakdown: str | None = None,
            domain: str | None = None, code_version: str | None = None) -> Explanation:
    """The cell (``indicator``, ``wave``, ``breakdown`` = ``domain``; the overall row when both are None)
    explained from the warehouse at ``locations`` and the study folder; ``code_version`` is this checkout's,
    compared with the one the row records."""
    if wave not in study.waves:
        raise ExplainError(f"study {study.study_id} has no wave {wave!r} (its waves: {', '.join(study.waves)})")
    if (breakdown is None) != (domain is None) and ALL not in (breakdown, domain):
        given = "--breakdown" if breakdown is not None else "--domain"
        raise ExplainError(f"{given} needs {'--domain' if given == '--breakdown' else '--breakdown'}: a cell is a "
                           "breakdown and one of its categories (both default to the overall row, 'all')")
    breakdown, domain = breakdown or ALL, domain or ALL
    if not locations.warehouse.is_file() or not locations.raw.is_file():
        raise ExplainError(f"no warehouse of study {study.study_id} at {locations.home}: run `toegang run "
                           f"--study {study.study_id}` first")
    with connect(locations, read_only=True) as con:
        row = _cell(con, study, indicator, wave, breakdown, domain)
        return _explanation(con, study, row, code_version)


def _json(record: dict | None, key: str) -> dict:
    """A JSON column of a record as a mapping (DuckDB returns JSON as text)."""
    value = (record or {}).get(key)
    return json.loads(value) if isinstance(value, str) else dict(value or {})


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> list[dict]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values)) for values in cursor.fetchall()]


def _listed(values: Sequence[str], limit: int = SHOWN_IDS) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")


def _cell(con: duckdb.DuckDBPyConnection, study: Study, indicator: str, wave: str, breakdown: str,
          domain: str) -> dict:
    """The indicator row, or an ExplainError listing what exists at the first key that does not."""
    ids = [i for (i,) in con.execute("SELECT DISTINCT indicator FROM indicators.indicators WHERE study_id = ? "
                                     "AND wave = ? ORDER BY indicator", [study.study_id, wave]).fetchall()]
    if not ids:
        raise ExplainError(f"wave {wave} of study {study.study_id} has no indicators in the warehouse yet: run "
                           f"`toegang run --study {study.study_id} --wave {wave}` first")
    if indicator not in ids:
        measure = indicator.split(".")[0]
        alike = [i for i in ids if i.split(".")[0] == measure] or ids
        raise ExplainError(f"no indicator {indicator!r} in wave {wave}; indicators: {_listed(alike)}")
    cells = con.execute("SELECT breakdown, domain FROM indicators.indicators WHERE study_id = ? AND wave = ? "
                        "AND indicator = ? ORDER BY breakdown = 'all' DESC, breakdown, domain",
                        [study.study_id, wave, indicator]).fetchall()
    breakdowns = list(dict.fromkeys(b for b, _ in cells))
    if breakdown not in breakdowns:
        raise ExplainError(f"{indicator} (wave {wave}) has no breakdown {breakdown!r}; its breakdowns: "
                           f"{', '.join(breakdowns)}")
    domains = [d for b, d in cells if b == breakdown]
    if domain not in domains:
        raise ExplainError(f"{indicator} (wave {wave}) by {breakdown} has no category {domain!r}; its categories: "
                           f"{_listed(domains, 20)}")
    return _records(con, "SELECT * FROM indicators.indicators WHERE study_id = ? AND wave = ? AND indicator = ? "
                         "AND breakdown = ? AND domain = ?", [study.study_id, wave, indicator, breakdown, domain])[0]


def _explanation(con: duckdb.DuckDBPyConnection, study: Study, row: dict, code_version: str | None) -> Explanation:
    wave = row["wave"]
    measure = study.catalogue.measures.get(row["measure"])
    instruments = _instruments_of(study, row, measure)
    diagnostics = _records(con, "SELECT * FROM weighted.weighting_diagnostics WHERE study_id = ? AND wave = ?",
                           [study.study_id, wave])
    diagnostics = diagnostics[0] if diagnostics else None
    built = {name: _built(study, name, wave) for name in instruments}  # each questionnaire read once: YAML is slow
    sections = (
        _cell_section(con, study, row, measure),
        _responses_section(row),
        _loads_section(con, study, wave, instruments),
        _quality_section(con, study, wave, instruments),
        _versions_section(con, study, row, built, diagnostics, code_version),
        _weighting_section(study, row, diagnostics),
        _formula_section(con, study, row, measure, built, diagnostics),
    )
    return Explanation(study.study_id, wave, row["indicator"], row["breakdown"], row["domain"],
                       bool(row["suppressed"]), sections)


def _built(study: Study, name: str, wave: str) -> Instrument | None:
    """The questionnaire as the study folder fields it in the wave now; None when it no longer builds (it is
    reported, not raised: the warehouse still holds what was published)."""
    try:
        return study.instrument(name, wave)
    except InstrumentError:
        return None


def _instruments_of(study: Study, row: dict, measure: Measure | None) -> list[str]:
    """The instruments whose respondents the cell rests on: its own, or both sides of a difference."""
    if row["instrument"] in study.instrument_names:
        return [row["instrument"]]
    if measure is not None and measure.of:
        sides = [study.catalogue.measures.get(name) for name in measure.of]
        return list(dict.fromkeys(m.instrument for m in sides if m is not None and m.instrument))
    return list(study.instrument_names)


def _language(labels: dict) -> str | None:
    """The language texts are shown in: English where the study has it, else its first."""
    return "en" if "en" in labels else next(iter(labels), None)


def _text(labels: dict | None) -> str:
    lang = _language(labels or {})
    return labels[lang] if lang else ""


def _label(study: Study, row: dict, measure: Measure | None) -> str:
    if measure is None:
        return "(the study's catalogue no longer has this measure)"
    return _worded(study, row, measure, measure.label)


def _worded(study: Study, row: dict, measure: Measure, texts: dict) -> str:
    """One of a measure's texts for the row's subject and dimension, in English (else the first language)."""
    lang = _language(texts)
    if lang is None:
        return ""
    subject = row["service"] or row["theme"]
    name = ""
    if subject and measure.subject_list:
        try:
            name = study.subjects(measure.subject_list, row["wave"]).get(subject, {}).get(lang, subject)
        except (KeyError, ValueError):  # the subject list changed since: its code
            name = subject
    words = {d.code: d.words for d in study.framework.dimensions} if study.framework else {}
    dimension = words.get(row["dimension"], {}).get(lang, row["dimension"] or "")
    try:
        return texts[lang].format(subject=name, dimension=dimension)
    except (KeyError, IndexError, ValueError):
        return texts[lang]


def _domain_label(con: duckdb.DuckDBPyConnection, study: Study, row: dict) -> str:
    """The category in words, from the codebook's answer labels (or the language's name)."""
    if row["breakdown"] == ALL:
        return ""
    known = study.breakdowns.get(row["breakdown"])
    found = []
    if known is not None:
        found = con.execute("SELECT label_en, label_nl, label_fr FROM clean.answer_labels WHERE study_id = ? AND "
                            "wave = ? AND variable = ? AND code = ? LIMIT 1",
                            [study.study_id, row["wave"], known.column, row["domain"]]).fetchall()
    if found:
        return next((text for text in found[0] if text), "")
    return _text(LANGUAGE_NAMES.get(row["domain"]))


def _number(value: object) -> str:
    return "missing" if value is None or value != value else f"{float(value):.6g}"


def _value(row: dict) -> str:
    estimate = row["estimate"]
    if row["unit"] == "count" or row["as_count"]:
        count = row["numerator"] if row["as_count"] else estimate
        return f"{_number(count)} of {row['n']}, published as a count"
    shown = _number(estimate)
    if row["unit"] == "proportion" and estimate is not None:
        shown += f" ({100 * estimate:.1f}%)"
    return f"{shown}, unit {row['unit']}"


def _cell_section(con: duckdb.DuckDBPyConnection, study: Study, row: dict, measure: Measure | None) -> Section:
    lines = [f"indicator:  {row['indicator']}: {_label(study, row, measure)}",
             f"instrument: {row['instrument']}" + ("" if row["weighted"] else " (unweighted)"),
             f"wave:       {row['wave']}"]
    if row["breakdown"] == ALL:
        lines.append("cell:       overall (breakdown all, category all)")
    else:
        words = _domain_label(con, study, row)
        lines.append(f"cell:       {row['breakdown']} = {row['domain']}" + (f" ({words})" if words else ""))
    if row["suppressed"]:
        lines.append("decision:   withheld: neither its value nor its number of respondents is published")
        lines.append(f"rule:       {_rule(con, study, row)}")
        return Section("The cell", tuple(lines))
    lines.append(f"value:      {_value(row)}")
    if row["se"] is not None and row["se"] == row["se"]:
        lines.append(f"SE:         {_number(row['se'])}")
    if row["ci_low"] is not None and row["ci_low"] == row["ci_low"]:
        lines.append(f"95% CI:     {_number(row['ci_low'])} to {_number(row['ci_high'])}")
    lines.append(f"ci_method:  {row['ci_method']}: {CI_METHODS.get(row['ci_method'], 'as the row names it')}")
    if row["nchs_flag"]:
        lines.append(f"NCHS flag:  {row['nchs_flag']} ({_nchs(study, row['nchs_flag'])})")
    if row["low_n_eff"]:
        lines.append(f"flag:       effective sample under publication.yaml low_n_eff = "
                     f"{study.publication.low_n_eff:g}")
    return Section("The cell", tuple(lines))


def _nchs(study: Study, flag: str) -> str:
    if flag == "present":
        return "every NCHS presentation rule lets it through"
    action = study.publication.proportions.get("action", "flag")
    return f"the NCHS rules it meets; publication.yaml proportions action is {action}: published, marked on the pages"


def _rule(con: duckdb.DuckDBPyConnection, study: Study, row: dict) -> str:
    """Why the cell is withheld, in words, with the threshold of publication.yaml it applies."""
    reason = row["reason"] or ""
    rules = study.publication
    if reason == "primary":
        return (f"primary small-cell suppression (reason {reason}): fewer than publication.yaml min_cell = "
                f"{rules.min_cell} respondents")
    if reason == "secondary":
        return (f"secondary suppression (reason {reason}): withheld so that no hidden cell can be worked out "
                "from published ones (through its breakdown's other categories and overall cell, or a link of "
                f"indicators.yaml) to within publication.yaml disclosure_tolerance = {rules.disclosure_tolerance:g}")
    if reason.startswith("alpha_"):
        alpha = con.execute("SELECT alpha FROM indicators.reliability WHERE study_id = ? AND wave = ? AND service "
                            "IS NOT DISTINCT FROM ? AND dimension IS NOT DISTINCT FROM ? AND language = 'all'",
                            [study.study_id, row["wave"], row["service"] or row["theme"],
                             row["dimension"]]).fetchall()
        value = f", {alpha[0][0]:.3f} on unweighted complete cases," if alpha and alpha[0][0] is not None else ""
        state = "could not be computed for" if reason == "alpha_not_computable" else "is below"
        return (f"the index gate (reason {reason}): the scale's Cronbach's alpha{value} {state} publication.yaml "
                f"min_alpha = {rules.min_alpha:g}")
    if reason.endswith("_withheld"):
        return (f"a difference whose side is withheld (reason {reason}): it is published only when both "
                "estimates it subtracts are")
    if "_n_below_" in reason:
        instrument, minimum = reason.rsplit("_n_below_", 1)
        setting = ("min_group_for_index" if minimum == str(rules.min_group_for_index) else
                   "min_percentage_n" if minimum == str(rules.min_percentage_n) else "its minimum")
        return (f"an unweighted instrument's minimum (reason {reason}): {instrument}'s means, indices and the "
                f"gaps built on them are published only from publication.yaml {setting} = {minimum} respondents")
    if reason.startswith("nchs_"):
        return (f"the NCHS presentation standards for proportions (reason {reason}): the rule "
                f"{reason[len('nchs_'):]} of publication.yaml proportions (action: suppress)")
    return f"reason {reason or 'not recorded'}"


def _responses_section(row: dict) -> Section:
    if row["suppressed"]:
        return Section("Responses behind the cell", (
            "not shown: the cell is withheld, and its number of respondents would tell what it hides",))
    lines = [f"n:          {row['n']} respondents in the denominator (unweighted)"]
    if row["numerator"] is not None:
        lines.append(f"numerator:  {row['numerator']} respondents counted, of n")
    if row["n_eff"] is not None and row["n_eff"] == row["n_eff"]:
        lines.append(f"n_eff:      {_number(row['n_eff'])} (Kish: (sum w)^2 / sum w^2), design effect "
                     f"{_number(row['deff'])}")
    if row["n_eff_kg"] is not None and row["n_eff_kg"] == row["n_eff_kg"]:
        lines.append(f"n*:         {_number(row['n_eff_kg'])} (Korn-Graubard effective size), df {row['df']}")
    elif row["df"] is not None:
        lines.append(f"df:         {row['df']}")
    return Section("Responses behind the cell", tuple(lines))


def _when(value: object) -> str:
    return value.isoformat(sep=" ", timespec="seconds") if isinstance(value, datetime) else str(value)


def _loads_section(con: duckdb.DuckDBPyConnection, study: Study, wave: str, instruments: list[str]) -> Section:
    marks = ", ".join("?" for _ in instruments)
    loads = _records(con, f"SELECT * FROM raw.loads WHERE study_id = ? AND wave = ? AND instrument IN ({marks}) "
                          "ORDER BY load_seq", [study.study_id, wave, *instruments])
    lines = []
    for load in loads:
        if not load["responses_inserted"]:
            continue
        lines.append(f"{load['load_id']}  {SOURCES.get(load['source'], load['source'])} {load['origin']}, survey "
                     f"{load['survey_id']} ({load['instrument']}), fetched {_when(load['fetched_at'])}: "
                     f"{load['responses_received']} rows received, {load['responses_inserted']} new or edited")
    idle = [load for load in loads if not load["responses_inserted"]]
    if idle:
        lines.append(f"{len(idle)} more load(s) found nothing new (the last fetched "
                     f"{_when(idle[-1]['fetched_at'])})")
    purges = con.execute("SELECT kind, purged_at, responses FROM raw.purges WHERE study_id = ? AND (wave = ? OR "
                         "wave IS NULL) ORDER BY purged_at", [study.study_id, wave]).fetchall()
    for kind, purged_at, responses in purges:
        lines.append(f"purge ({kind}) at {_when(purged_at)}: {responses} responses erased (raw.purges)")
    return Section(f"Loads of wave {wave} (raw.loads)", tuple(lines) or ("none recorded",))


def _quality_section(con: duckdb.DuckDBPyConnection, study: Study, wave: str, instruments: list[str]) -> Section:
    lines = []
    weighted = set(study.weighted_instruments)
    for instrument in instruments:
        report = con.execute("SELECT survey_id, flag, responses, flagged FROM meta.quality_report WHERE study_id = ? "
                             "AND wave = ? AND instrument = ? ORDER BY survey_id, flag",
                             [study.study_id, wave, instrument]).fetchall()
        surveys = dict.fromkeys(s for s, *_ in report)
        for survey in surveys:
            rows = [r for r in report if r[0] == survey]
            flags = ", ".join(f"{flag} {flagged}" for _, flag, _, flagged in rows)
            lines.append(f"{instrument}, survey {survey}: {rows[0][2]} clean responses; flagged: {flags}")
        kept_out = con.execute("SELECT count(*) FILTER (WHERE excluded_from_weighting), count(*) FILTER (WHERE "
                               "incomplete) FROM clean.quality_flags WHERE study_id = ? AND wave = ? AND instrument "
                               "= ?", [study.study_id, wave, instrument]).fetchone()
        if instrument in weighted:
            lines.append(f"{instrument}: {kept_out[0]} responses kept out of the weighting base by a quality rule "
                         "(instruments/shared/quality.yaml or the study's quality.yaml)")
        else:
            lines.append(f"{instrument}: unweighted; its indicators read its complete responses ({kept_out[1]} "
                         "incomplete left out)")
    return Section(f"Quality of wave {wave} (meta.quality_report, clean.quality_flags)",
                   tuple(lines) or ("no quality report",))


def _versions_section(con: duckdb.DuckDBPyConnection, study: Study, row: dict, built: dict[str, Instrument | None],
                      diagnostics: dict | None, code_version: str | None) -> Section:
    wave = row["wave"]
    lines = []
    for instrument, definition in built.items():
        loaded = [v for (v,) in con.execute("SELECT DISTINCT instrument_version FROM raw.loads WHERE study_id = ? AND "
                                            "wave = ? AND instrument = ? ORDER BY 1",
                                            [study.study_id, wave, instrument]).fetchall()]
        now = definition.version if definition is not None else None
        state = ("the study folder's is the same" if loaded == [now] else
                 f"the study folder's is now {now}" if now else "the study folder's no longer builds")
        lines.append(f"instrument {instrument}: {', '.join(loaded) or 'no load'} (loads); {state}")
    lines.append(f"rows' instrument versions: {row['instrument_version']}")
    margins = row["margins_version"]
    survey = next((s for s in study.surveys_in(wave) if s.instrument in study.weighted_instruments and s.margins),
                  None)
    if margins is None:
        lines.append("margins: none (the wave is not weighted)")
    else:
        note = "" if row["weighted"] else " (the wave's; this cell is unweighted)"
        current = file_version(survey.margins) if survey is not None and survey.margins.is_file() else None
        state = ("the same as the study folder's" if current == margins else
                 f"the study folder's file is now {current}: the published rows predate it" if current else
                 "the study folder has no margins file for the wave now")
        name = survey.margins.name if survey is not None else "margins file"
        lines.append(f"margins: {name} version {margins}{note}; {state}")
        for variable, source in _json(diagnostics, "margins_sources").items():
            lines.append(f"  {variable}: {source}")
    stated = row["code_version"]
    if code_version is None:
        lines.append(f"code: {stated} (recorded on the row)")
    else:
        same = "the same as this checkout's" if code_version == stated else f"this checkout is {code_version}"
        lines.append(f"code: {stated} (recorded on the row); {same}")
    lines.append(f"run: {row['run_id']} (the Dagster run that wrote the row)")
    return Section("Versions", tuple(lines))


def _weighting_section(study: Study, row: dict, diagnostics: dict | None) -> Section:
    title = f"Weighting of wave {row['wave']} (weighted.weighting_diagnostics)"
    if not row["weighted"]:
        return Section(title, (f"none for this cell: {row['instrument']} is reported unweighted (w = 1)",))
    if diagnostics is None:
        return Section(title, ("no diagnostics recorded for the wave",))
    d = diagnostics
    design = _json(d, "design")
    trim = design.get("trim")
    declared = design.get("design") or {}
    errors = _json(d, "margin_errors")
    lines = [f"base:        {d['n']} respondents ({d['excluded']} clean respondents left out: incomplete, a "
             "margin unanswered or a quality rule)",
             f"weights:     sum {_number(d['weight_sum'])} (persons), min {_number(d['min_weight'])}, max "
             f"{_number(d['max_weight'])}, CV {_number(d['cv'])}",
             f"n_eff:       {_number(d['n_eff'])} (Kish), design effect {_number(d['deff'])}",
             "trimming:    " + (f"bounds {trim[0]:g} to {trim[1]:g} times the mean, {d['trimmed']} weights changed"
                               if trim else "off"),
             f"convergence: {d['sweeps']} raking sweeps; largest margin error {_number(d['max_margin_error'])} "
             f"(raked), {_number(d['max_final_margin_error'])} (final)",
             "margins:     " + (", ".join(errors) or "none recorded"),
             "design:      " + (", ".join(f"{k} {v}" for k, v in declared.items()) or "none declared (equal "
                                                                                       "probability)")]
    return Section(title, tuple(lines))


def _condition(condition: Condition) -> str:
    """A universe in the questionnaire's words: export columns and answer codes."""
    if condition.kind == "in":
        values = condition.values[0] if len(condition.values) == 1 else "(" + ", ".join(condition.values) + ")"
        verb = "=" if len(condition.values) == 1 else "in"
        return " or ".join(f"{column} {verb} {values}" for column in condition.columns)
    joiner = " or " if condition.kind == "any" else " and "
    return "(" + joiner.join(_condition(p) for p in condition.parts) + ")"


def _formula_section(con: duckdb.DuckDBPyConnection, study: Study, row: dict, measure: Measure | None,
                     built: dict[str, Instrument | None], diagnostics: dict | None) -> Section:
    if measure is None:
        return Section("Formula", (f"measure {row['measure']} is no longer in {study.catalogue_path.name}",))
    lines = [f"measure:     {measure.name} ({measure.kind}, {study.catalogue_path.name} line {measure.line})",
             f"numerator:   {_worded(study, row, measure, measure.numerator)}",
             f"denominator: {_worded(study, row, measure, measure.denominator)}"]
    subject, dimension = row["service"] or row["theme"], row["dimension"]
    if measure.of:
        named = [".".join(p for p in (name, subject, dimension) if p) for name in measure.of]
        lines.append(f"difference:  {named[0]} minus {named[1]}")
    else:
        framework = study.framework.name if study.framework else None
        definition = built.get(measure.instrument)
        # None when the questionnaire no longer has the items: the catalogue's words above still hold.
        resolved = resolve(measure, definition, subject, dimension, framework) if definition is not None else None
        if resolved is not None:
            if resolved.item is not None:
                codes = f", counted: {', '.join(measure.codes)}" if measure.codes else ""
                lines.append(f"item:        {resolved.item.name}{codes}")
            if resolved.scale:
                lines.append(f"scale items: {', '.join(c.name for c in resolved.scale)}")
            if resolved.universe is not None:
                lines.append(f"universe:    {_condition(resolved.universe)}")
            if resolved.shown:
                lines.append("not shown:   counted as outside the codes (not_shown: no)")
        if measure.at_least is not None:
            lines.append(f"threshold:   a score of at least {measure.at_least:g}")
        if measure.kind == "scale_index" and row["unit"] == "mean":
            lines.append("single item: the dimension has one item here: published as its mean score (1-5), "
                         "not an index")
    lines.append(f"variance:    {_variance(con, study, row, diagnostics)}")
    return Section("Formula and variance", tuple(lines))


def _variance(con: duckdb.DuckDBPyConnection, study: Study, row: dict, diagnostics: dict | None) -> str:
    if row["unit"] == "count":
        return "a count of respondents: no sampling variance is estimated, no interval"
    if row["unit"] == "difference":
        return "SE = sqrt(SE_a^2 + SE_b^2) of the two sides (independent samples); Wald interval"
    if not row["weighted"]:
        interval = CI_METHODS.get(row["ci_method"], row["ci_method"])
        return f"unweighted (w = 1), the respondents' own variance; interval: {interval}"
    survey = next((s for s in study.surveys_in(row["wave"]) if s.instrument == row["instrument"] and s.margins),
                  None)
    if survey is not None and survey.design.variance == "replicates":
        found = []
        if con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND "
                       "schema_name = 'weighted' AND table_name = 'replicate_designs'").fetchone()[0]:
            found = con.execute("SELECT method, replicates FROM weighted.replicate_designs WHERE study_id = ? AND "
                                "wave = ? AND instrument = ?", [study.study_id, row["wave"],
                                                                row["instrument"]]).fetchall()
        used = f"{found[0][0]}, {found[0][1]} replicates" if found else survey.design.method
        return f"replicate weights ({used}) that re-run the raking in every replicate (study.yaml design)"
    margins = ", ".join(_json(diagnostics, "margin_errors")) or "its margins"
    return ("Taylor linearisation, calibration-aware: the scores' residuals after projecting on the raking margins "
            f"({margins}), as R's survey does for a raked design; the domain's own degrees of freedom")


def render(explanation: Explanation) -> str:
    """The explanation as plain text: a heading per section, its lines indented below."""
    cell = "overall" if explanation.breakdown == ALL else f"{explanation.breakdown} = {explanation.domain}"
    out = [f"Where {explanation.indicator}, wave {explanation.wave}, {cell} (study {explanation.study_id}) comes "
           "from"]
    for section in explanation.sections:
        out += ["", section.title, *(f"  {line}" for line in section.lines)]
    return "\n".join(out) + "\n"
