"""Weight: the respondents of a study's weighted instrument in a wave, raked to the population margins its survey
names in the study file; the weights and the weighting's diagnostics go to the weighted layer (``warehouse.weighted``), which the checks read."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from analyses import PopulationMargins, ReplicateWeights, WeightingError, margins_from_csv, rake, replicate_weights
from instruments.study import Design, Study, Survey
from warehouse import weighted
from warehouse.clean import read_respondents
from warehouse.tables import read_table


def weighted_instrument(study: Study) -> str | None:
    """The study's weighted instrument (a study has at most one), or None."""
    return next(iter(study.weighted_instruments), None)


# Replicate weights per respondent a jackknife may make (one per PSU): beyond, the bootstrap's are as good for far
# less (a jackknife without PSUs deletes one respondent at a time).
MAX_JACKKNIFE = 2000
# The design columns a declared design adds to the weighting base (``with_design``): a leading underscore, so no
# clean column (a letter first) can be one.
DESIGN_WEIGHT, STRATUM_SIZE = "_design_weight", "_stratum_size"


def weighted_survey(study: Study, wave: str) -> Survey | None:
    """The wave's survey of the weighted instrument that names the margins (and the design) it is raked to."""
    name = weighted_instrument(study)
    return next((s for s in study.surveys_in(wave) if s.instrument == name and s.margins), None)


def design_arguments(design: Design) -> dict[str, str | None]:
    """The columns of a frame made by ``with_design`` that ``rake``, ``replicate_weights`` and the estimates take
    (``base_weight``, ``strata``, ``psu``, ``fpc``)."""
    sized = design.stratum_sizes is not None
    return {"base_weight": DESIGN_WEIGHT if sized else design.base_weight, "strata": design.strata,
            "psu": design.psu, "fpc": STRATUM_SIZE if sized else design.fpc}


def with_design(frame: pd.DataFrame, survey: Survey, population: PopulationMargins) -> pd.DataFrame:
    """The weighting base with its declared design resolved: with ``stratum_sizes: margins``, each respondent's
    stratum population N_h (``STRATUM_SIZE``, the fpc) and design weight N_h / n_h (``DESIGN_WEIGHT``), n_h the
    stratum's respondents in ``frame``. A design column missing for a respondent is refused, naming it."""
    design = survey.design
    where = f"survey {survey.survey_id} (wave {survey.wave})"
    for column in design.columns():
        missing = int(frame[column].isna().sum())
        if missing:
            raise WeightingError(f"{where}: design column {column!r} is missing for {missing} respondents of the "
                                 "weighting base")
    if design.stratum_sizes is None:
        return frame
    sizes = population.margins.get(design.strata)
    if sizes is None:
        raise WeightingError(f"{where}: design stratum_sizes: margins, but {survey.margins.name} has no totals of "
                             f"the strata column {design.strata!r}")
    strata = frame[design.strata].astype(str)
    unknown = sorted(set(strata) - {str(c) for c in sizes})
    if unknown:
        raise WeightingError(f"{where}: strata {', '.join(unknown[:10])} of {design.strata!r} have no population "
                             f"total in {survey.margins.name}")
    size = strata.map({str(c): float(t) for c, t in sizes.items()}).to_numpy(dtype=float)
    counts = strata.map(strata.value_counts()).to_numpy(dtype=float)
    over = sorted({str(c) for c, n, N in zip(strata, counts, size) if n > N})
    if over:  # more respondents than population: the margins are not the strata's populations
        raise WeightingError(f"{where}: strata {', '.join(over[:10])} of {design.strata!r} have more respondents than "
                             f"their population total in {survey.margins.name}: stratum sizes must be the "
                             "population the stratum's respondents were drawn from")
    return frame.assign(**{STRATUM_SIZE: size, DESIGN_WEIGHT: size / counts})


def weighting_config(study: Study, wave: str) -> dict:
    """What a wave's weights are made under, as recorded beside them: its survey's declared design and the
    study's trimming."""
    survey = weighted_survey(study, wave)
    return {"design": survey.design.config() if survey else {}, "trim": list(study.trim) if study.trim else None}


def stale_weighting(con: duckdb.DuckDBPyConnection, study: Study, wave: str) -> str | None:
    """Why the wave's stored weights were made under another design or trimming than the study now declares
    (the study file changed since the wave was weighted), or None. Weights stored before designs were recorded
    count as made without a design, under the current trimming."""
    return _stale_reason(study, wave, weighted.read_diagnostics(con, study.study_id))


def _stale_reason(study: Study, wave: str, diagnostics: pd.DataFrame) -> str | None:
    """``stale_weighting`` on the study's stored diagnostics (``weighted.read_diagnostics``), read once."""
    rows = diagnostics[diagnostics["wave"] == wave]
    if rows.empty:
        return None
    current = weighting_config(study, wave)
    stored = rows["design"].iloc[0] or {"design": {}, "trim": current["trim"]}
    if stored == current:
        return None
    return (f"wave {wave} was weighted under design {stored.get('design') or 'none'} and trim "
            f"{stored.get('trim')}, but the study now declares design {current['design'] or 'none'} and trim "
            f"{current['trim']}: weight the wave again (the raking_weights asset, or toegang run)")


def checked_weighting(con: duckdb.DuckDBPyConnection, study: Study, wave: str) -> None:
    """Refuse (WeightingError) to read a wave's weights made under another design than the study's."""
    reason = stale_weighting(con, study, wave)
    if reason:
        raise WeightingError(reason)


def wave_margins(study: Study, wave: str) -> PopulationMargins | None:
    """The population margins of the wave's weighted survey, checked against the codebook's codes."""
    name = weighted_instrument(study)
    survey = weighted_survey(study, wave)
    if survey is None:
        return None
    instrument = study.instrument(name, wave)
    categories = {q.code: {a.code for a in q.answers} for q in instrument.questions if q.answers}
    try:
        data = survey.margins.read_bytes()
    except OSError as exc:
        raise WeightingError(f"{survey.margins}: cannot read the margins file ({exc.strerror or exc})") from None
    return margins_from_csv(data, str(survey.margins), categories=categories)


def weighting_base(respondents: pd.DataFrame, flags: pd.DataFrame, variables: list[str],
                   instrument: str) -> tuple[pd.DataFrame, int]:
    """The respondents the weights are computed for: not kept out by a quality rule (``flags``: rows of
    ``clean.quality_flags``), complete, and every margin variable answered; and how many the quality rules
    let through but the last two conditions left out. Sorted by survey and response, so a rerun sums the same
    numbers in the same order: identical weights to the last bit."""
    excluded = flags[(flags["instrument"] == instrument) & flags["excluded_from_weighting"]]
    keys = ["survey_id", "response_id"]
    kept = respondents[~respondents.set_index(keys).index.isin(excluded.set_index(keys).index)]
    base = kept[kept["complete"].astype(bool) & kept[variables].notna().all(axis=1)]
    return base.sort_values(keys, kind="stable").reset_index(drop=True), len(kept) - len(base)


def margin_errors(frame: pd.DataFrame, population: PopulationMargins, column: str) -> dict[str, float]:
    """Per margin variable, the largest |weighted total - population total| / population total over its
    categories, for the weights in ``column``."""
    return {variable: float(max(abs(got - total) / total for _, total, got in category_totals(frame, variable,
                                                                                              categories, column)))
            for variable, categories in population.margins.items()}


def category_totals(frame: pd.DataFrame, variable: str, categories: dict, column: str) -> list[tuple]:
    """(category, population total, weighted total of ``column``) for each category of a margin."""
    sums = frame.groupby(variable, observed=True)[column].sum()
    return [(category, total, float(sums.get(category, 0.0))) for category, total in categories.items()]


def weight_wave(con: duckdb.DuckDBPyConnection, study: Study, wave: str) -> dict:
    """Rake the wave's weighting base to its margins (trimming when the study trims) and replace its rows of
    ``weighted.<instrument>_weights`` and ``weighted.weighting_diagnostics``; a wave without margins gets none."""
    name = weighted_instrument(study)
    if name is None:
        return {"weighted": False, "reason": "the study has no weighted instrument"}
    population = wave_margins(study, wave)
    if population is None:
        weighted.write_wave(con, study.study_id, wave, name, pd.DataFrame(columns=list(weighted.WEIGHT_COLUMNS)),
                            None)
        return {"weighted": False, "reason": "no margins for this wave"}
    variables = list(population.margins)
    survey = weighted_survey(study, wave)
    design_columns = [c for c in survey.design.columns() if c not in variables]
    # Only the columns raking reads (a million respondents' questionnaires would not fit as text).
    parents = read_respondents(con, name, study.study_id, wave,
                               ["respondent_id", "complete", *variables, *design_columns])
    flags = read_table(con, "clean", "quality_flags", study_id=study.study_id, wave=wave)
    base, incomplete = weighting_base(parents, flags, variables, name)
    base = with_design(base, survey, population)
    arguments = design_arguments(survey.design)
    result = rake(base, population.margins, base_weight=arguments["base_weight"], trim=study.trim)
    replicates = None
    if survey.design.variance == "replicates":  # each replicate raked (and trimmed) again, as the full sample
        if survey.design.method == "bootstrap":  # Rao-Wu's rescaling has no finite population correction
            arguments = {**arguments, "fpc": None}
        psus = base[arguments["psu"]].nunique() if arguments["psu"] else len(base)
        if survey.design.method == "jackknife" and psus > MAX_JACKKNIFE:
            raise WeightingError(f"survey {survey.survey_id} (wave {wave}): a jackknife of {psus} PSUs makes {psus} "
                                 f"replicate weights per respondent (at most {MAX_JACKKNIFE}): declare the psu, or use "
                                 "replicates: {method: bootstrap, count: 200, seed: ...}")
        # In pseudonym order: replicates are numbered by their PSUs' first row, and the microdata carry them, so
        # that order must not be LimeSurvey's response order (the link to the raw layer's tokens).
        ordered = base.sort_values("respondent_id", kind="stable")
        replicates = replicate_weights(ordered, population.margins, **arguments, method=survey.design.method,
                                       replicates=survey.design.count, seed=survey.design.seed, trim=study.trim)
    frame = base[["survey_id", "response_id", "respondent_id", *variables]].assign(
        weight=result.weights.to_numpy(),
        raked_weight=(result.raked_weights if result.raked_weights is not None else result.weights).to_numpy())
    raked, final = margin_errors(frame, population, "raked_weight"), margin_errors(frame, population, "weight")
    diagnostics = {
        "n": result.n, "excluded": len(parents) - len(base), "weight_sum": result.weight_sum, "n_eff": result.n_eff,
        "deff": result.deff, "cv": result.cv, "min_weight": result.min_weight, "max_weight": result.max_weight,
        "trimmed": int((frame["weight"] != frame["raked_weight"]).sum()), "sweeps": result.iterations,
        "max_margin_error": max(raked.values()), "max_final_margin_error": max(final.values()),
        "margin_errors": {v: [raked[v], final[v]] for v in variables}, "margins_sources": population.sources,
        "design": weighting_config(study, wave),
    }
    rows = weighted.write_wave(con, study.study_id, wave, name, frame, diagnostics, replicates=replicates)
    return {"weighted": True, "rows": rows, "excluded_from_weighting": incomplete,
            "design": survey.design.variance if not replicates else f"{replicates.method}, {replicates.count} "
                                                                   "replicate weights",
            "iterations": result.iterations, "max_margin_error": result.max_margin_error, "n": result.n,
            "weight_sum": result.weight_sum, "n_eff": round(result.n_eff, 3), "deff_weighting": round(result.deff, 4),
            "min_weight": result.min_weight, "max_weight": result.max_weight, "cv": round(result.cv, 4),
            "trimmed_low": result.trimmed_low, "trimmed_high": result.trimmed_high,
            "margins_sources": population.sources}


def stored_replicates(con: duckdb.DuckDBPyConnection, study: Study, wave: str, frame: pd.DataFrame) -> ReplicateWeights:
    """The wave's stored replicate weights of the weighted respondents in ``frame`` (with ``survey_id``,
    ``response_id`` and ``weight``), aligned to its rows; refused when the wave has none or misses some."""
    name = weighted_instrument(study)
    wide, design = weighted.read_replicates(con, name, study.study_id, wave)
    if design is None:
        raise WeightingError(f"wave {wave}: the design asks for replicate weights, but the weighted layer has none; "
                             "weight the wave again")
    keys = ["survey_id", "response_id"]
    aligned = frame[keys].merge(wide, on=keys, how="left", validate="one_to_one")
    if aligned[design["columns"]].isna().any(axis=None):
        raise WeightingError(f"wave {wave}: some weighted respondents have no replicate weights; weight the wave "
                             "again")
    return ReplicateWeights(weights=aligned[design["columns"]].set_axis(frame.index), full=frame["weight"],
                            scale=float(design["scale"]), rscales=np.asarray(design["rscales"], dtype=float),
                            method=design["method"], seed=design["seed"])


# The raked weights must meet each margin to this relative error (the blocking check's bound).
MARGIN_TOLERANCE = 1e-6


def margin_errors_by_wave(con: duckdb.DuckDBPyConnection, study: Study, *, final: bool,
                          wave: str | None = None) -> dict[str, float]:
    """``wave/variable`` -> the stored margin error of the raked (or, with ``final``, the final) weights, of every
    wave or only ``wave``."""
    diagnostics = weighted.read_diagnostics(con, study.study_id)
    return {f"{row.wave}/{variable}": float(errors[1 if final else 0])
            for row in diagnostics.itertuples() if wave is None or str(row.wave) == wave
            for variable, errors in row.margin_errors.items()}


def margin_misses(con: duckdb.DuckDBPyConnection, study: Study, wave: str) -> list[str]:
    """In words, each category of the wave's margins its stored raked weights miss by more than
    ``MARGIN_TOLERANCE``: the population total, the weighted total and the relative error."""
    name, population = weighted_instrument(study), wave_margins(study, wave)
    if name is None or population is None:
        return []
    keys = ["survey_id", "response_id"]
    answers = read_respondents(con, name, study.study_id, wave, list(population.margins))
    weights = weighted.read_weights(con, name, study.study_id, wave).merge(answers, on=keys, how="left")
    lines = []
    for variable, categories in population.margins.items():
        if variable not in weights.columns:
            lines.append(f"wave {wave}, margin {variable}: the clean table has no column {variable}")
            continue
        for category, total, got in category_totals(weights, variable, categories, "raked_weight"):
            if abs(got - total) / total > MARGIN_TOLERANCE:
                lines.append(f"wave {wave}, margin {variable} = {category}: population {total:,.1f}, weighted "
                             f"{got:,.1f} (off by {abs(got - total) / total:.2%})")
    return lines


def stale_diagnostics(con: duckdb.DuckDBPyConnection, study: Study, wave: str | None = None) -> dict[str, str]:
    """Waves (of every wave, or only ``wave``) whose stored diagnostics no longer describe their stored weights
    (weights without diagnostics, as in a warehouse from before the table, diagnostics of another count, as after
    an erasure, or diagnostics without weights), or weights made under another design than the study now declares
    (``stale_weighting``), with the reason: their checks cannot be trusted until the wave is weighted again."""
    name = weighted_instrument(study)
    counts = weighted.weight_counts(con, name, study.study_id) if name else {}
    diagnostics = weighted.read_diagnostics(con, study.study_id)
    described = dict(zip(diagnostics["wave"], diagnostics["n"]))
    stale = {}
    for w in sorted(str(w) for w in set(counts) | set(described)):
        if wave is not None and w != wave:
            continue
        if counts.get(w) != described.get(w):
            stale[w] = (f"wave {w}: {counts.get(w, 0)} stored weights, but the weighting's diagnostics describe "
                        f"{described.get(w, 0)}: weight the wave again")
        elif reason := _stale_reason(study, w, diagnostics):
            stale[w] = reason
    return stale


def effective_sizes(con: duckdb.DuckDBPyConnection, study: Study) -> dict[str, float]:
    """Wave -> Kish effective sample size of its final weights, as stored."""
    diagnostics = weighted.read_diagnostics(con, study.study_id)
    return {str(w): float(n) for w, n in zip(diagnostics["wave"], diagnostics["n_eff"])}


def invalid_weights(con: duckdb.DuckDBPyConnection, study: Study, wave: str | None = None) -> list[int]:
    """Response ids (of every wave, or only ``wave``) whose stored weight is not positive and finite."""
    name = weighted_instrument(study)
    if name is None:
        return []
    weights = weighted.read_weights(con, name, study.study_id, wave)
    return [int(i) for i in weights.loc[~np.isfinite(weights["weight"]) | (weights["weight"] <= 0), "response_id"]]
