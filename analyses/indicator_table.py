"""The indicators table: every indicator of a study's catalogue, overall and per breakdown, with its uncertainty
and its disclosure control (DOMAIN.md sections 3 and 5). Pure: DataFrames in, DataFrames out.

Each indicator is the weighted mean of a respondent-level variable derived here from one instrument's clean
columns (a 0/1 for shares, a 0-100 score for scale indices, the value for a mean), missing outside the
indicator's universe, so that ``analyses.estimates.survey_mean`` treats the universe as a domain of the whole
design: Taylor linearisation, calibration-aware for raked weights, Korn-Graubard intervals on each domain's own
degrees of freedom for proportions (with the NCHS presentation flags of ``analyses.standards``) and Wald
otherwise. Counts ("12 of 18") are never weighted; differences between two instruments' estimates (the
perception gap) have SE = sqrt(SE_a^2 + SE_b^2). What an indicator reads (its column, codes, universe, scale
items) is resolved from the questionnaire by the caller (``pipelines/stages/indicators.py``): nothing here
knows a study's words.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from analyses.comparisons import compare_means, compare_proportion
from analyses.disclosure import MIN_CELL_SIZE, Parts, Ratio, protect_links
from analyses.estimates import Design, survey_means
from analyses.reliability import cronbach_alpha
from analyses.sensitivity import COLUMNS as SENSITIVITY_COLUMNS
from analyses.sensitivity import channel_sensitivity
from analyses.small_samples import proportion_interval
from analyses.standards import ProportionStandards, flags_of, suppressed_by
from analyses.weighting import Margins, ReplicateWeights

ALL = "all"
BOTH = "both"  # the instrument of a difference between two instruments
MIN_GROUP = 30  # DOMAIN.md: unweighted samples' percentages, indices and gaps only from n >= 30
MIN_ALPHA = 0.70
LOW_N_EFF = 30
BLOCK = 16  # derived variables held in memory at once: 16 x 8 bytes per respondent
STATISTICS = ("estimate", "se", "ci_low", "ci_high", "n_eff", "deff", "n_eff_kg")
ESTIMATED = ("share", "mean", "scale_index")  # kinds estimated in the design; "count" and "difference" are not
COLUMNS = ["indicator", "measure", "service", "theme", "dimension", "instrument", "breakdown", "domain",
           "estimate", "se", "ci_low", "ci_high", "n", "n_eff", "deff", "unit", "ci_method", "df", "n_eff_kg",
           "weighted", "low_n_eff", "nchs_flag", "suppressed", "reason", "numerator", "as_count"]
COMPARISON_COLUMNS = ["indicator", "breakdown", "test", "groups", "statistic", "df1", "df2", "p_value", "p_adjusted",
                      "effect_size", "effect_measure", "n", "weighted", "note"]
RELIABILITY_COLUMNS = ["service", "dimension", "language", "items", "n", "alpha", "ci_low", "ci_high"]


@dataclass(frozen=True)
class Clause:
    """A condition over clean columns: ``in`` (any of ``variables`` holds one of ``values``; booleans for the
    clean booleans of yes/no and multiple-choice items, codes otherwise), ``any`` or ``all`` of ``parts``."""

    kind: str
    variables: tuple[str, ...] = ()
    values: tuple = ()
    parts: tuple[Clause, ...] = ()

    def columns(self) -> set[str]:
        return set(self.variables).union(*(p.columns() for p in self.parts))


def holds(clause: Clause, frame: pd.DataFrame) -> pd.Series:
    """Three-valued: True, False, or missing where a value it needs is missing (a page never reached)."""
    if clause.kind == "in":
        result = pd.Series(False, index=frame.index, dtype="boolean")
        for variable in clause.variables:
            values = frame[variable] if variable in frame else pd.Series(pd.NA, index=frame.index, dtype=object)
            test = pd.Series(values.isin(list(clause.values)).to_numpy(dtype=bool), index=frame.index, dtype="boolean")
            result = result | test.mask(values.isna().to_numpy())
        return result
    parts = [holds(part, frame) for part in clause.parts]
    result = parts[0]
    for part in parts[1:]:
        result = (result | part) if clause.kind == "any" else (result & part)
    return result


@dataclass(frozen=True)
class ScaleItem:
    """One item of a scale: its clean column and polarity ("-": reversed)."""

    variable: str
    polarity: str = "+"


@dataclass(frozen=True)
class Indicator:
    """One published indicator: a measure of the catalogue for one subject (and dimension), resolved to the
    clean columns of its instrument's wave, e.g. ``access_index.S01.<dimension>``."""

    name: str
    measure: str
    kind: str  # share, mean, scale_index, count, difference
    unit: str  # proportion, mean, index, count, difference
    instrument: str
    service: str | None = None
    theme: str | None = None
    dimension: str | None = None
    headline: bool = False
    label: Mapping[str, str] = field(default_factory=dict)
    description: Mapping[str, str] = field(default_factory=dict)
    numerator: Mapping[str, str] = field(default_factory=dict)  # who is counted, in words per language
    denominator: Mapping[str, str] = field(default_factory=dict)  # among whom (the universe), in words
    variable: str | None = None  # the item's clean column (share, mean, count of an item)
    codes: frozenset = frozenset()  # the answers counted (share); numbers for a scale
    invalid: frozenset = frozenset()  # answer codes that are no substantive answer ("don't know")
    low: float | None = None  # the numeric range of the item or scale
    high: float | None = None
    reverse: bool = False
    items: tuple[ScaleItem, ...] = ()  # a scale (per dimension)
    universe: Clause | None = None
    shown: Clause | None = None  # the item's conditions: not shown counts as outside the codes
    at_least: float | None = None  # count
    of: tuple[str, str] | None = None  # difference: the two indicators' names
    breakdowns: tuple[str, ...] | None = None  # None: every breakdown of its instrument
    single_item: bool = False  # a scale index of a one-item dimension, published as the item's mean


def single_item_means(indicators: Sequence[Indicator]) -> list[Indicator]:
    """An index needs a scale: at least two items, whose reliability (Cronbach's alpha) can be checked. A scale
    index over one item is published as that item's mean score (reversed for a negative item), marked as a
    single item; a difference with such a side is dropped (an index minus a 1-5 mean means nothing)."""
    out, single = [], set()
    for indicator in indicators:
        if indicator.kind == "scale_index" and len(indicator.items) == 1:
            item, (low, high) = indicator.items[0], _range(indicator)
            indicator = replace(indicator, kind="mean", unit="mean", variable=item.variable, low=low, high=high,
                                reverse=item.polarity == "-", items=(), single_item=True)
            single.add(indicator.name)
        out.append(indicator)
    return [i for i in out if not (i.kind == "difference" and set(i.of or ()) & single)]


@dataclass(frozen=True)
class Sample:
    """One instrument's respondents of a wave: the weighted base with ``weight`` (and the margins it was raked
    to, and the columns of its sampling design), or every complete response unweighted. With ``replicates``
    (replicate weights of these rows), the variance comes from them instead (``analyses.estimates.Design``)."""

    frame: pd.DataFrame
    weight: str | None = None
    calibration: Margins | None = None
    weighted_role: bool = False  # a weighted instrument: indices need alpha; else counts, and n >= min_group
    broken_down: bool = True
    base_weight: str | None = None  # design weights the raking started from
    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None
    replicates: ReplicateWeights | None = None

    @property
    def design_columns(self) -> list[str]:
        """The frame's columns its design reads: the weight and the design's columns."""
        if self.replicates is not None:
            return []
        return [c for c in (self.weight, self.base_weight, self.strata, self.psu, self.fpc) if c]

    def design(self, frame: pd.DataFrame) -> Design:
        """The sample's design resolved on ``frame`` (these rows, with the design's columns)."""
        if self.replicates is not None:
            return Design(frame, replicates=self.replicates)
        return Design(frame, self.weight, self.strata, self.psu, self.fpc, self.calibration,
                      base_weight=self.base_weight)


@dataclass(frozen=True)
class IndicatorInputs:
    samples: Mapping[str, Sample]  # instrument -> its respondents
    indicators: Sequence[Indicator]
    breakdowns: Mapping[str, str] = field(default_factory=dict)  # breakdown name -> clean column
    min_n: int = MIN_CELL_SIZE
    min_group: int = MIN_GROUP
    min_alpha: float = MIN_ALPHA
    low_n_eff: float = LOW_N_EFF
    standards: ProportionStandards = ProportionStandards()  # NCHS rules for a weighted instrument's proportions
    # An unweighted instrument's proportions (``weighted_role`` false): exact intervals on its respondents
    # (analyses.small_samples).
    unweighted_interval: str = "clopper-pearson"
    # An unweighted instrument's proportions on fewer respondents are published as counts ("12 of 18"): the
    # numerator and n, without a percentage or an interval.
    min_percentage_n: int = MIN_GROUP
    links: Sequence[Ratio | Parts] = ()  # arithmetic links between measures (analyses.disclosure)
    tolerance: float = 0.01  # no hidden cell may be learnt more closely than this (on a 0-1 scale)


def needed_columns(indicators: Sequence[Indicator], instrument: str, breakdowns: Mapping[str, str],
                   calibration: Margins | None = None) -> list[str]:
    """The columns of ``instrument``'s clean table its indicators read: a caller can load only these (a million
    respondents' whole questionnaire would not fit in memory as text)."""
    wanted = [*breakdowns.values(), *(calibration or {})]
    for indicator in indicators:
        if indicator.instrument != instrument:
            continue
        wanted += [indicator.variable] if indicator.variable else []
        wanted += [item.variable for item in indicator.items]
        for clause in (indicator.universe, indicator.shown):
            wanted += sorted(clause.columns()) if clause is not None else []
    return list(dict.fromkeys(wanted))


def numbers(values: pd.Series | None, index: pd.Index) -> pd.Series:
    """Answer codes as floats ("4" -> 4.0), other codes ("DK") and missing values as NaN. A categorical
    column converts its few categories, not its million values."""
    if values is None:
        return pd.Series(np.nan, index=index)
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = pd.to_numeric(pd.Series(values.cat.categories, dtype=object), errors="coerce")
        lookup = np.append(categories.to_numpy(dtype=float, na_value=np.nan), np.nan)  # code -1 -> NaN
        return pd.Series(lookup[values.cat.codes.to_numpy()], index=values.index)
    if pd.api.types.is_float_dtype(values):
        return pd.Series(values.to_numpy(dtype=float, na_value=np.nan), index=values.index)
    return pd.to_numeric(values, errors="coerce").astype(float)


def item_scores(frame: pd.DataFrame, items: Sequence[ScaleItem], low: float = 1.0, high: float = 5.0) -> pd.DataFrame:
    """Item answers as numbers ``low``-``high``, reversed (low + high - x) for negative items; "don't know" and
    "not applicable" (any non-numeric code) are missing, never the middle."""
    scores = {}
    for item in items:
        values = numbers(frame.get(item.variable), frame.index)
        values = values.where(values.between(low, high))
        scores[item.variable] = (low + high) - values if item.polarity == "-" else values
    return pd.DataFrame(scores, index=frame.index, dtype=float)


def dimension_scores(scores: pd.DataFrame, low: float = 1.0, high: float = 5.0) -> tuple[pd.Series, pd.Series]:
    """Per respondent: valid on the scale (answered at least ceil(2k/3) of its k items), and the 0-100 score
    s = 100 (mean - low) / (high - low) of the items answered (missing where not valid)."""
    k = scores.shape[1]
    valid = scores.notna().sum(axis=1) >= math.ceil(2 * k / 3)
    score = (100 * (scores.mean(axis=1) - low) / (high - low)).where(valid)
    return valid, score


def _range(indicator: Indicator) -> tuple[float, float]:
    return (indicator.low if indicator.low is not None else 1.0, indicator.high if indicator.high is not None else 5.0)


def _universe(indicator: Indicator, frame: pd.DataFrame) -> pd.Series:
    if indicator.universe is None:
        return pd.Series(True, index=frame.index)
    return holds(indicator.universe, frame).fillna(False).astype(bool)


def variable(indicator: Indicator, frame: pd.DataFrame) -> pd.Series:
    """The respondent-level variable whose (weighted) mean the indicator is; missing outside its universe."""
    universe = _universe(indicator, frame)
    if indicator.items:
        low, high = _range(indicator)
        scores = item_scores(frame, indicator.items, low, high)
        valid, score = dimension_scores(scores, low, high)
        inside = universe & valid
        if indicator.kind == "share":
            hit = scores.isin([float(c) for c in indicator.codes]).any(axis=1)
            return hit.astype(float).where(inside)
        return score.where(inside)
    values = frame[indicator.variable] if indicator.variable in frame else pd.Series(pd.NA, index=frame.index,
                                                                                     dtype=object)
    if indicator.kind == "share":
        answered = values.notna() & ~values.isin(list(indicator.invalid))
        result = values.isin(list(indicator.codes)).astype(float).where(answered & universe)
        if indicator.shown is not None:
            not_shown = holds(indicator.shown, frame).eq(False).fillna(False).astype(bool)
            result = result.mask(~answered & not_shown & universe, 0.0)
        return result
    score = numbers(values, frame.index)
    if indicator.low is not None and indicator.high is not None:
        score = score.where(score.between(indicator.low, indicator.high))
        if indicator.reverse:
            score = (indicator.low + indicator.high) - score
    return score.where(universe)


def _variables(inputs: IndicatorInputs, instrument: str,
               indicators: Sequence[Indicator]) -> Iterator[tuple[str, pd.Series]]:
    frame = inputs.samples[instrument].frame
    for indicator in indicators:
        yield indicator.name, pd.to_numeric(variable(indicator, frame), errors="coerce").astype(float)


def derive_variables(inputs: IndicatorInputs, instrument: str,
                     indicators: Sequence[Indicator] | None = None) -> pd.DataFrame:
    """One column per estimated indicator of ``instrument`` (of ``indicators``, by default all), on its
    sample's index, missing outside each indicator's universe."""
    chosen = [i for i in (inputs.indicators if indicators is None else indicators)
              if i.instrument == instrument and i.kind in ESTIMATED]
    return pd.DataFrame(dict(_variables(inputs, instrument, chosen)), index=inputs.samples[instrument].frame.index,
                        dtype=float)


def _estimates(frame: pd.DataFrame, variables: list[str], breakdowns: Mapping[str, str],
               design: Design) -> dict[str, pd.DataFrame]:
    """Every variable overall and per breakdown, in one design (resolved once for every block)."""
    # Korn-Graubard intervals for proportions, on each domain's own degrees of freedom (analyses.estimates).
    parts = [survey_means(frame, variables, design=design, ci="auto", df="domain").assign(breakdown=ALL, domain=ALL)]
    for breakdown, column in breakdowns.items():
        if column not in frame:
            continue
        cells = survey_means(frame, variables, by=column, design=design, ci="auto", df="domain")
        cells = cells[cells[column].notna()]
        parts.append(cells.rename(columns={column: "domain"}).assign(breakdown=breakdown,
                                                                     domain=lambda t: t["domain"].astype(str)))
    table = pd.concat(parts, ignore_index=True)
    return {v: rows.drop(columns="variable") for v, rows in table.groupby("variable", sort=False)}


def _rows(indicator: Indicator, table: pd.DataFrame, instrument: str, weighted: bool,
          ci_method: str | None = None) -> pd.DataFrame:
    """``ci_method``: the interval of rows estimated elsewhere (counts, differences); estimates carry theirs."""
    table = table.assign(indicator=indicator.name, measure=indicator.measure, service=indicator.service,
                         theme=indicator.theme, dimension=indicator.dimension, instrument=instrument,
                         unit=indicator.unit, weighted=weighted)
    return table if ci_method is None else table.assign(ci_method=ci_method)


def _prepared(sample: Sample, indicators: Sequence[Indicator], breakdowns: Mapping[str, str]) -> Sample:
    """Text answers as categoricals (a view of the frame, not a copy): each scale's indicators read them twice,
    and a categorical converts its few codes, not every row. The breakdown and margin columns too: hundreds
    of estimates then group rows without hashing text again."""
    frame = sample.frame.copy(deep=False)
    grouping = [c for c in dict.fromkeys([*breakdowns.values(), *(sample.calibration or {})]) if c in frame]
    scale = [item.variable for i in indicators for item in i.items if item.variable in frame]
    for column in dict.fromkeys([*grouping, *scale]):
        if not (isinstance(frame[column].dtype, pd.CategoricalDtype)
                or pd.api.types.is_numeric_dtype(frame[column]) and column not in grouping):
            frame[column] = frame[column].astype("category")
    return replace(sample, frame=frame)


def _breakdowns_of(inputs: IndicatorInputs, sample: Sample) -> dict[str, str]:
    return dict(inputs.breakdowns) if sample.broken_down else {}


def _estimated_rows(inputs: IndicatorInputs, instrument: str, sample: Sample) -> list[pd.DataFrame]:
    chosen = [i for i in inputs.indicators if i.instrument == instrument and i.kind in ESTIMATED]
    if not chosen:
        return []
    breakdowns = _breakdowns_of(inputs, sample)
    frame = sample.frame
    grouping = [c for c in dict.fromkeys([*breakdowns.values(), *(sample.calibration or {})]) if c in frame]
    base = frame[list(dict.fromkeys([*grouping, *sample.design_columns]))]
    design = sample.design(base)
    by_name = {i.name: i for i in chosen}
    parts = []

    def estimate(block: dict[str, pd.Series]) -> None:
        estimates = _estimates(base.assign(**block), list(block), breakdowns, design)
        for name in block:
            indicator = by_name[name]
            rows = estimates[name]
            if indicator.breakdowns is not None:
                rows = rows[rows["breakdown"].isin([ALL, *indicator.breakdowns])]
            if not sample.weighted_role:  # an unweighted instrument (a weighted one's NCHS rules need n_eff_kg)
                rows = _exact_intervals(rows, inputs.unweighted_interval)
            parts.append(_rows(indicator, rows, instrument, sample.weight is not None))

    # The derived variables a block at a time: a million respondents never hold all of them at once.
    block: dict[str, pd.Series] = {}
    for name, values in _variables(inputs, instrument, chosen):
        block[name] = values
        if len(block) == BLOCK:
            estimate(block)
            block = {}
    if block:
        estimate(block)
    return parts


def _exact_intervals(rows: pd.DataFrame, method: str) -> pd.DataFrame:
    """An unweighted sample's proportions (rows whose interval is Korn-Graubard's, a 0/1 variable) with the exact
    interval on their respondents instead: Clopper-Pearson (R's ``binom.test``) or Wilson (``prop.test``
    without continuity correction). Without weights there is no design effect to carry, and these are the
    intervals of small samples; they need no degrees of freedom."""
    shares = rows["ci_method"] == "beta"
    if not shares.any():
        return rows
    n = rows.loc[shares, "n"].to_numpy(dtype=float)
    successes = np.round(rows.loc[shares, "estimate"].to_numpy(dtype=float) * n)
    low, high = proportion_interval(successes, n, method=method)
    rows = rows.assign(numerator=np.nan)
    rows.loc[shares, ["ci_low", "ci_high", "ci_method", "numerator"]] = pd.DataFrame(
        {"ci_low": low, "ci_high": high, "ci_method": method, "numerator": successes}, index=rows.index[shares])
    rows.loc[shares, ["df", "n_eff_kg"]] = np.nan
    return rows


def _count_rows(inputs: IndicatorInputs) -> list[pd.DataFrame]:
    """Counts: how many respondents (valid, in the universe) reach the threshold, of n. Never weighted."""
    out = []
    for indicator in inputs.indicators:
        sample = inputs.samples.get(indicator.instrument)
        if indicator.kind != "count" or sample is None or sample.frame.empty:
            continue
        universe = _universe(indicator, sample.frame)
        if indicator.items:
            low, high = _range(indicator)
            _, score = dimension_scores(item_scores(sample.frame, indicator.items, low, high), low, high)
        else:
            score = numbers(sample.frame.get(indicator.variable), sample.frame.index)
        valid = score.where(universe).dropna()
        table = pd.DataFrame({"breakdown": [ALL], "domain": [ALL],
                              "estimate": [float((valid >= indicator.at_least).sum())], "n": [len(valid)]})
        out.append(_rows(indicator, table, indicator.instrument, False, "none"))
    return out


def reliability_table(inputs: IndicatorInputs, language: str | None = None) -> pd.DataFrame:
    """Cronbach's alpha of each scale behind a weighted instrument's scale index, on the wave's unweighted
    complete cases of the index's universe (overall, and per ``language`` column value as a diagnostic)."""
    rows = []
    seen = set()
    for indicator in inputs.indicators:
        sample = inputs.samples.get(indicator.instrument)
        if indicator.kind != "scale_index" or sample is None or not sample.weighted_role:
            continue
        subject = indicator.service or indicator.theme
        if (indicator.instrument, subject, indicator.dimension) in seen:
            continue
        seen.add((indicator.instrument, subject, indicator.dimension))
        low, high = _range(indicator)
        inside = _universe(indicator, sample.frame)
        scores = item_scores(sample.frame, indicator.items, low, high)[inside.to_numpy()]
        groups = [(ALL, scores)]
        if language and language in sample.frame:
            langs = sample.frame.loc[scores.index, language]
            groups += [(str(code), scores[langs == code]) for code in sorted(langs.dropna().unique())]
        for group, data in groups:
            rows.append({"service": subject, "dimension": indicator.dimension, "language": group,
                         "items": len(indicator.items), **cronbach_alpha(data)})
    return pd.DataFrame(rows, columns=RELIABILITY_COLUMNS)


def alpha_reason(alpha: float, minimum: float) -> str | None:
    if pd.isna(alpha):
        return "alpha_not_computable"
    return None if alpha >= minimum else f"alpha_below_{minimum:g}"


def n_reason(instrument: str, minimum: int) -> str:
    return f"{instrument}_n_below_{minimum}"


def _standards(table: pd.DataFrame, inputs: IndicatorInputs) -> pd.Series:
    """The NCHS flag of each proportion of a weighted instrument (``analyses.standards``): the rules it meets,
    joined by ';', or 'present'; missing for every other row."""
    weighted_roles = {name for name, s in inputs.samples.items() if s.weighted_role}
    kinds = {i.name: i.kind for i in inputs.indicators}
    applies = (table["unit"] == "proportion") & table["indicator"].map(kinds).isin(ESTIMATED) \
        & table["instrument"].isin(weighted_roles)
    flags = pd.Series([None] * len(table), index=table.index, dtype="object")
    flags[applies] = flags_of(table[applies], inputs.standards)
    return flags


def _suppress(table: pd.DataFrame, inputs: IndicatorInputs, alpha: pd.DataFrame) -> pd.DataFrame:
    """The index gate, the unweighted samples' minimum, the NCHS rules where the study suppresses by them,
    and primary and secondary small-cell suppression."""
    table = table.copy()
    table["suppressed"] = False
    table["reason"] = pd.Series([None] * len(table), index=table.index, dtype="object")
    table["nchs_flag"] = _standards(table, inputs)
    if inputs.standards.action == "suppress":
        code = table["nchs_flag"].map(lambda flags: suppressed_by(flags.split(";"), inputs.standards),
                                      na_action="ignore")
        hit = code.notna()
        table.loc[hit, "suppressed"] = True
        table.loc[hit, "reason"] = "nchs_" + code[hit]
    weighted_roles = {name for name, s in inputs.samples.items() if s.weighted_role}
    # The index gate: a weighted instrument's scale index is published only where its scale is reliable.
    # (single_item_means leaves no one-item index: each has a scale of at least two items)
    gate = {(row.service, row.dimension): alpha_reason(row.alpha, inputs.min_alpha)
            for row in alpha[alpha["language"] == ALL].itertuples() if row.items >= 2}
    kinds = {i.name: i.kind for i in inputs.indicators}
    kind = table["indicator"].map(kinds)
    is_index = (kind == "scale_index") & table["instrument"].isin(weighted_roles)
    for position in table.index[is_index]:
        subject = table.at[position, "service"] if pd.notna(table.at[position, "service"]) \
            else table.at[position, "theme"]
        reason = gate.get((subject, table.at[position, "dimension"]), "alpha_not_computable")
        if reason:
            table.loc[position, ["suppressed", "reason"]] = [True, reason]
    # Unweighted samples: counts always; means and indices only from min_group respondents; proportions below
    # min_percentage_n as their count of n ("12 of 18": the share is in plain sight, its interval is not given).
    table["as_count"] = False
    share = table["numerator"].notna()
    for instrument in set(inputs.samples) - weighted_roles:
        mine = (table["instrument"] == instrument) & kind.isin(ESTIMATED) & ~table["suppressed"]
        small = mine & ~share & (table["n"] < inputs.min_group)
        table.loc[small, ["suppressed", "reason"]] = [True, n_reason(instrument, inputs.min_group)]
        counted = mine & share & (table["n"] < inputs.min_percentage_n)
        table.loc[counted, "as_count"] = True
        table.loc[counted, ["se", "ci_low", "ci_high"]] = np.nan
        table.loc[counted, "ci_method"] = "none"
    # Small cells, then secondary suppression until no hidden cell, whatever hid it, can be worked out from
    # published ones: through a breakdown's categories and its overall cell, or a link between measures
    # (analyses.disclosure), to within the tolerance.
    small = ~table["suppressed"] & (table["n"] < inputs.min_n)
    table.loc[small, ["suppressed", "reason"]] = [True, "primary"]
    estimated = kind.isin(ESTIMATED)
    cells = table[estimated]
    # significant=None: the Parquet downloads keep every digit of a published value.
    secondary = protect_links(cells, cells["suppressed"], inputs.links, tolerance=inputs.tolerance,
                              significant=None)
    table.loc[secondary.index[secondary], ["suppressed", "reason"]] = [True, "secondary"]
    small = table["reason"].isin(["primary", "secondary"])
    for column in STATISTICS:
        table[column] = table[column].astype("Float64")
        table.loc[table["suppressed"], column] = pd.NA
    table.loc[table["suppressed"], "nchs_flag"] = None
    table["numerator"] = table["numerator"].astype("Float64").round().astype("Int64")
    table.loc[table["suppressed"], ["numerator", "as_count"]] = [pd.NA, False]
    table["n"] = table["n"].astype("Float64")
    table["df"] = table["df"].astype("Float64")
    # A cell's size is itself a small number; its degrees of freedom (n - 1 without clusters) would tell it.
    hidden_size = small | (table["n"] < inputs.min_n)
    table.loc[hidden_size, ["n", "df"]] = pd.NA
    return table


def _difference_rows(table: pd.DataFrame, inputs: IndicatorInputs) -> list[pd.DataFrame]:
    """a - b for each difference, SE = sqrt(SE_a^2 + SE_b^2) (independent samples); withheld when a side is
    withheld or an unweighted side has fewer than min_group respondents."""
    out = []
    overall = table[table["breakdown"] == ALL].set_index("indicator")
    for indicator in inputs.indicators:
        if indicator.kind != "difference" or not indicator.of:
            continue
        if any(name not in overall.index for name in indicator.of):
            continue
        sides = [overall.loc[name] for name in indicator.of]
        reason = None
        for side in sides:
            sample = inputs.samples.get(side["instrument"])
            unweighted = sample is not None and not sample.weighted_role
            if unweighted and (pd.isna(side["n"]) or side["n"] < inputs.min_group):
                reason = n_reason(side["instrument"], inputs.min_group)
            elif unweighted and bool(side["as_count"]):  # a count has no interval to carry into a difference
                reason = n_reason(side["instrument"], inputs.min_percentage_n)
            elif side["suppressed"]:
                reason = f"{side['instrument']}_{side['unit']}_withheld"
            if reason:
                break
        a, b = sides
        row = {"breakdown": ALL, "domain": ALL, "n": a["n"], "n_eff": np.nan, "deff": np.nan, "df": np.nan,
               "n_eff_kg": np.nan}
        if reason is None:
            estimate = float(a["estimate"] - b["estimate"])
            se = float(math.hypot(a["se"], b["se"]))
            row.update(estimate=estimate, se=se, ci_low=estimate - 1.959963984540054 * se,
                       ci_high=estimate + 1.959963984540054 * se)
        weighted = any(bool(side["weighted"]) for side in sides)
        frame = _rows(indicator, pd.DataFrame([row]), BOTH, weighted, "wald")
        out.append(frame.assign(suppressed=reason is not None, reason=reason, nchs_flag=None, numerator=pd.NA,
                                as_count=False))
    return out


@dataclass(frozen=True)
class IndicatorTables:
    indicators: pd.DataFrame  # what is published (``COLUMNS``)
    reliability: pd.DataFrame  # Cronbach's alpha behind the index gate (``RELIABILITY_COLUMNS``)
    # Never published: every estimated cell's own estimate and the weights of its respondents (``BASIS_COLUMNS``),
    # what the disclosure audit needs to tell whether a hidden cell can be worked out from the published ones.
    basis: pd.DataFrame


BASIS_COLUMNS = ["indicator", "breakdown", "domain", "estimate", "weight_sum"]


def indicator_table(inputs: IndicatorInputs, language: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``indicator_tables``' published table and reliability table."""
    tables = indicator_tables(inputs, language)
    return tables.indicators, tables.reliability


def indicator_tables(inputs: IndicatorInputs, language: str | None = None) -> IndicatorTables:
    """Every indicator of ``inputs.indicators`` overall and per breakdown; the reliability table; and the
    unpublished basis of the disclosure audit.

    ``indicators`` has the columns of ``COLUMNS``: ``n`` is the unweighted number of respondents in the
    denominator, ``suppressed`` rows keep their place with the statistics missing and ``reason`` saying why
    (``primary``/``secondary`` small-cell suppression, ``alpha_below_<min>``, ``alpha_not_computable``,
    ``<instrument>_n_below_<min>``, ``<instrument>_<unit>_withheld``, ``nchs_<rule>`` where the study suppresses
    by the NCHS rules).
    Proportions carry a Korn-Graubard interval on the domain's degrees of freedom (``df``, ``n_eff_kg``) and,
    for weighted instruments, their NCHS flag (``nchs_flag``: ``analyses.standards``).
    """
    inputs = replace(inputs, indicators=single_item_means(inputs.indicators))
    samples = {name: _prepared(sample, inputs.indicators, _breakdowns_of(inputs, sample))
               for name, sample in inputs.samples.items()}
    inputs = replace(inputs, samples=samples)
    parts = []
    for name, sample in samples.items():
        parts += _estimated_rows(inputs, name, sample)
    parts += _count_rows(inputs)
    alpha = reliability_table(inputs, language)
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    for column in ("estimate", "n", "df", "weight_sum", "numerator", *STATISTICS):  # counts have no SE
        if column not in table:
            table[column] = np.nan
    estimated = table["indicator"].map({i.name: i.kind for i in inputs.indicators}).isin(ESTIMATED)
    basis = table.loc[estimated, BASIS_COLUMNS].reset_index(drop=True)
    table = _suppress(table, inputs, alpha)
    differences = _difference_rows(table, inputs)
    if differences:
        table = pd.concat([table, *differences], ignore_index=True)
    # A count ("12 of 18") has no percentage whose precision the flag would qualify.
    table["low_n_eff"] = (table["n_eff"].astype("Float64") < inputs.low_n_eff) & ~table["as_count"].astype(bool)
    table["n"] = table["n"].astype("Float64").round().astype("Int64")
    table["df"] = table["df"].astype("Float64").round().astype("Int64")
    return IndicatorTables(table[COLUMNS].reset_index(drop=True), alpha, basis)


def _withheld_categories(table: pd.DataFrame, breakdown: str) -> dict[str, set[str]]:
    """Per indicator, the categories of ``breakdown`` whose cells the table withholds."""
    rows = table[(table["breakdown"] == breakdown) & table["suppressed"]]
    return rows.groupby("indicator")["domain"].agg(set).to_dict()


def _hide_withheld_categories(checks: pd.DataFrame, table: pd.DataFrame, breakdown: str) -> pd.DataFrame:
    """An estimate without a category, beside the estimate from everyone, gives the category's own estimate
    (their weights are known): where the indicators table withholds the category's cell, so is the check."""
    withheld = _withheld_categories(table, breakdown)
    hidden = pd.Series([row.channel in withheld.get(row.indicator, ()) for row in checks.itertuples()],
                       index=checks.index) & ~checks["suppressed"].astype(bool)
    checks = checks.copy()
    for column in ("n_channel", "estimate_without", "difference", "ci_low_without", "ci_high_without"):
        checks[column] = checks[column].astype(object)
        checks.loc[hidden, column] = None
    checks.loc[hidden, "suppressed"] = True
    return checks


def _published_categories(frame: pd.DataFrame, table: pd.DataFrame, breakdown: str, column: str,
                          names: Sequence[str]) -> pd.DataFrame:
    """``frame`` with each indicator's values left out in the categories the table withholds for it: a test's
    group sizes beside the published ones would give a withheld cell's size."""
    withheld = _withheld_categories(table, breakdown)
    codes = frame[column].astype("string")
    return frame.assign(**{name: frame[name].where(~codes.isin(withheld.get(name, set())).fillna(False))
                           for name in names})


def group_comparisons(inputs: IndicatorInputs, table: pd.DataFrame, *, compare: Sequence[str] = (),
                      sensitivity: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Comparisons between the categories of each breakdown of ``compare`` of the published headline
    proportions (chi-square, Rao-Scott) and of the headline means, scale indices and single-item means (Welch,
    Kruskal-Wallis, Holm-corrected pairs), over the categories the table publishes; and the sensitivity of the
    headline proportions to each category of breakdown ``sensitivity``. Only instruments that are broken down;
    a study without those breakdowns gets no rows."""
    published = set(table.loc[(table["breakdown"] == ALL) & ~table["suppressed"], "indicator"])
    rows, sensitivity_parts = [], []
    for instrument, sample in inputs.samples.items():
        if not sample.broken_down:
            continue
        chosen = [i for i in inputs.indicators if i.instrument == instrument and i.name in published
                  and i.kind in ESTIMATED and (i.headline or i.kind == "scale_index" or i.single_item)]
        if not chosen:
            continue
        derived = derive_variables(inputs, instrument, chosen)  # only these: a million respondents, few columns
        columns = [inputs.breakdowns.get(b) for b in (*compare, sensitivity) if b in inputs.breakdowns]
        kept = [c for c in dict.fromkeys([*columns, *(sample.calibration or {})]) if c in sample.frame]
        frame = pd.concat([sample.frame[list(dict.fromkeys([*kept, *sample.design_columns]))], derived], axis=1)
        design = sample.design(frame) if sample.weight is not None else None
        headline = [i.name for i in chosen if i.headline]
        proportions = [i.name for i in chosen if i.headline and i.unit == "proportion"]
        means = [i.name for i in chosen if i.name not in proportions]
        for breakdown in compare:
            column = inputs.breakdowns.get(breakdown)
            if column not in frame:
                continue
            shown = _published_categories(frame, table, breakdown, column, [*proportions, *means])
            found = [dict(r, indicator=name) for name in proportions for r in compare_proportion(
                shown, name, column, design=design, min_n=inputs.min_n)]
            found += [dict(r, indicator=name) for name in means
                      for r in compare_means(shown, name, column, min_n=inputs.min_n)]
            rows += [dict(r, breakdown=breakdown) for r in found]
        column = inputs.breakdowns.get(sensitivity) if sensitivity else None
        if column in frame and headline:
            checks = channel_sensitivity(frame, headline, column, design=design, min_n=inputs.min_n)
            sensitivity_parts.append(_hide_withheld_categories(checks, table, sensitivity))
    tests = pd.DataFrame(rows) if rows else pd.DataFrame(columns=COMPARISON_COLUMNS)
    checks = (pd.concat(sensitivity_parts, ignore_index=True) if sensitivity_parts
              else pd.DataFrame(columns=SENSITIVITY_COLUMNS))
    return tests, checks
