"""The indicators table: every indicator of the catalogue, overall and per breakdown, with its uncertainty and
its disclosure control (DOMAIN.md sections 3 and 5). Pure: DataFrames in, DataFrames out.

Each indicator is the weighted mean of a respondent-level variable derived here (a 0/1 for proportions, a
0-100 score for indices, 1-5 for a mean), missing outside the indicator's universe, so that
``analyses.estimates.survey_mean`` treats the universe as a domain of the whole design: Taylor
linearisation, calibration-aware for raked weights, logit intervals for proportions and Wald otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from analyses.catalogue import Indicator
from analyses.comparisons import compare_means, compare_proportion
from analyses.disclosure import MIN_CELL_SIZE, suppress_small_cells
from analyses.estimates import Design, survey_mean, survey_means
from analyses.reliability import cronbach_alpha
from analyses.sensitivity import channel_sensitivity
from analyses.weighting import Margins

ALL = "all"
MIN_FIELD_ACTORS = 30  # DOMAIN.md: field-actor percentages and gaps only from n >= 30
MIN_ALPHA = 0.70
AGREE_SCORE = 75.0  # a 0-100 score of 75 is an item mean of 4, "agree"
LOW_N_EFF = 30
BLOCK = 16  # derived variables held in memory at once: 16 x 8 bytes per parent
STATISTICS = ("estimate", "se", "ci_low", "ci_high", "n_eff", "deff")
COLUMNS = ["indicator", "measure", "service", "theme", "dimension", "instrument", "breakdown", "domain",
           "estimate", "se", "ci_low", "ci_high", "n", "n_eff", "deff", "unit", "ci_method", "weighted",
           "low_n_eff", "suppressed", "reason"]
COMPARISON_COLUMNS = ["indicator", "breakdown", "test", "groups", "statistic", "df1", "df2", "p_value", "p_adjusted",
                      "effect_size", "effect_measure", "n", "weighted", "note"]


@dataclass(frozen=True)
class ScaleItem:
    """One accessibility item about a service: its clean column, dimension, polarity and mirror."""

    variable: str
    service: str
    dimension: str
    polarity: str = "+"
    mirror: str | None = None  # the field-actor column of the mirrored item


@dataclass(frozen=True)
class Columns:
    """How clean columns are named; ``{service}`` and ``{theme}`` are codes."""

    aware: str = "kent_{service}"
    used: str = "gebruik_{service}"
    satisfaction: str = "tevreden_{service}"
    need: str = "nood_{theme}"
    support: str = "steun_{theme}"
    no_support: str = "N"
    partial_support: str = "D"


@dataclass(frozen=True)
class IndicatorInputs:
    parents: pd.DataFrame  # one row per parent of the base
    field_actors: pd.DataFrame  # one row per field actor
    indicators: Sequence[Indicator]
    items: Sequence[ScaleItem]
    breakdowns: Mapping[str, str] = field(default_factory=dict)  # breakdown name -> parents' column
    weight: str | None = None
    calibration: Margins | None = None
    columns: Columns = Columns()
    min_n: int = MIN_CELL_SIZE
    min_field_actors: int = MIN_FIELD_ACTORS
    min_alpha: float = MIN_ALPHA


def parent_columns(indicators: Sequence[Indicator], items: Sequence[ScaleItem], breakdowns: Mapping[str, str],
                   calibration: Margins | None = None, columns: Columns = Columns()) -> list[str]:
    """The parents' columns the indicators read: a caller can load only these (a million parents' whole
    questionnaire would not fit in memory as text)."""
    wanted = [*breakdowns.values(), *(calibration or {})]
    for indicator in indicators:
        if indicator.service:
            wanted += [columns.aware.format(service=indicator.service), columns.used.format(service=indicator.service),
                       columns.satisfaction.format(service=indicator.service)]
        if indicator.theme:
            wanted += [columns.need.format(theme=indicator.theme), columns.support.format(theme=indicator.theme)]
    wanted += [item.variable for item in items]
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


def item_scores(frame: pd.DataFrame, items: Sequence[ScaleItem], column: str = "variable") -> pd.DataFrame:
    """Item answers as numbers 1-5, reversed (6 - x) for negative items; "don't know" and "not
    applicable" (any non-numeric code) are missing, never 3."""
    scores = {}
    for item in items:
        name = getattr(item, column)
        values = numbers(frame.get(name), frame.index)
        values = values.where(values.between(1, 5))
        scores[name] = 6 - values if item.polarity == "-" else values
    return pd.DataFrame(scores, index=frame.index, dtype=float)


def dimension_scores(scores: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per respondent: valid on the dimension (answered at least ceil(2k/3) of its k items), and the
    0-100 score s = 100 (mean - 1) / 4 of the items answered (missing where not valid)."""
    k = scores.shape[1]
    valid = scores.notna().sum(axis=1) >= math.ceil(2 * k / 3)
    score = (100 * (scores.mean(axis=1) - 1) / 4).where(valid)
    return valid, score


def _flag(condition: pd.Series, universe: pd.Series) -> pd.Series:
    """A 0/1 variable inside ``universe`` (missing outside)."""
    return condition.astype(float).where(universe.fillna(False).astype(bool))


def _bool(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="boolean")
    return frame[column].astype("boolean")


def derive_parent_variables(inputs: IndicatorInputs, indicators: Sequence[Indicator] | None = None) -> pd.DataFrame:
    """One column per parent indicator (of ``indicators``, by default all of the inputs'), on the parents'
    index, missing outside the indicator's universe."""
    chosen = inputs.indicators if indicators is None else indicators
    return pd.DataFrame(dict(parent_variables(inputs, chosen)), index=inputs.parents.index, dtype=float)


def parent_variables(inputs: IndicatorInputs, indicators: Sequence[Indicator]) -> Iterator[tuple[str, pd.Series]]:
    """``derive_parent_variables`` one indicator at a time, for callers that keep only a few in memory."""
    parents, names = inputs.parents, inputs.columns
    by_subject = {}
    for item in inputs.items:
        by_subject.setdefault((item.service, item.dimension), []).append(item)
    for indicator in indicators:
        kind, service, theme = indicator.measure.kind, indicator.service, indicator.theme
        aware = _bool(parents, names.aware.format(service=service)) if service else None
        used = _bool(parents, names.used.format(service=service)) if service else None
        if kind == "awareness":
            values = _flag(aware.fillna(False), aware.notna())
        elif kind == "use":
            # Not shown the use item because unaware of the service: a non-user.
            use = used.copy()
            use[used.isna() & aware.eq(False).fillna(False)] = False
            values = _flag(use.fillna(False), use.notna())
        elif kind == "use_among_aware":
            values = _flag(used.fillna(False), used.notna() & (aware == True))  # noqa: E712
        elif kind in ("satisfaction", "satisfaction_mean"):
            score = numbers(parents.get(names.satisfaction.format(service=service)), parents.index)
            universe = (used == True) & score.between(1, 5)  # noqa: E712
            values = _flag(score >= 4, universe) if kind == "satisfaction" else score.where(universe.fillna(False))
        elif kind in ("unmet_need_rate", "partly_met_need_rate", "unmet_need_prevalence"):
            need = _bool(parents, names.need.format(theme=theme))
            support = parents.get(names.support.format(theme=theme), pd.Series(pd.NA, index=parents.index))
            wanted = names.partial_support if kind == "partly_met_need_rate" else names.no_support
            got = support == wanted
            if kind == "unmet_need_prevalence":
                # Everyone who answered the need item; a need without an answer on support is unknown.
                known = need.notna() & ~((need == True) & support.isna())  # noqa: E712
                values = _flag((need == True) & got, known)  # noqa: E712
            else:
                values = _flag(got, (need == True) & support.notna())  # noqa: E712
        elif kind in ("barrier", "access_index"):
            items = by_subject.get((service, indicator.dimension), [])
            valid, score = dimension_scores(item_scores(parents, items))
            universe = (aware == True) & valid  # noqa: E712
            if kind == "barrier":
                values = _flag((item_scores(parents, items) <= 2).any(axis=1), universe)
            else:
                values = score.where(universe.fillna(False))
        else:
            continue  # field-actor measures and the gap are computed from the field actors below
        yield indicator.name, pd.to_numeric(values, errors="coerce").astype(float)


def _estimates(frame: pd.DataFrame, variables: list[str], inputs: IndicatorInputs,
               design: Design) -> dict[str, pd.DataFrame]:
    """Every variable overall and per breakdown, in one design (resolved once for every block)."""
    parts = [survey_means(frame, variables, design=design).assign(breakdown=ALL, domain=ALL)]
    for breakdown, column in inputs.breakdowns.items():
        if column not in frame:
            continue
        cells = survey_means(frame, variables, by=column, design=design)
        cells = cells[cells[column].notna()]
        parts.append(cells.rename(columns={column: "domain"}).assign(breakdown=breakdown,
                                                                     domain=lambda t: t["domain"].astype(str)))
    table = pd.concat(parts, ignore_index=True)
    return {v: rows.drop(columns="variable") for v, rows in table.groupby("variable", sort=False)}


def _rows(indicator: Indicator, table: pd.DataFrame, instrument: str, weighted: bool, ci_method: str) -> pd.DataFrame:
    return table.assign(indicator=indicator.name, measure=indicator.measure.name, service=indicator.service,
                        theme=indicator.theme, dimension=indicator.dimension, instrument=instrument,
                        unit=indicator.unit, weighted=weighted, ci_method=ci_method)


def reliability_table(inputs: IndicatorInputs, language: str | None = None) -> pd.DataFrame:
    """Cronbach's alpha per service and dimension, on the wave's unweighted complete cases of parents aware
    of the service (overall, and per ``language`` column value as a diagnostic)."""
    rows = []
    subjects: dict[tuple[str, str], list[ScaleItem]] = {}
    for item in inputs.items:
        subjects.setdefault((item.service, item.dimension), []).append(item)
    for (service, dimension), items in subjects.items():
        aware = _bool(inputs.parents, inputs.columns.aware.format(service=service)) == True  # noqa: E712
        scores = item_scores(inputs.parents, items)[aware.fillna(False).to_numpy()]
        groups = [(ALL, scores)]
        if language and language in inputs.parents:
            langs = inputs.parents.loc[scores.index, language]
            groups += [(str(code), scores[langs == code]) for code in sorted(langs.dropna().unique())]
        for group, data in groups:
            result = cronbach_alpha(data)
            rows.append({"service": service, "dimension": dimension, "language": group, "items": len(items),
                         **result})
    columns = ["service", "dimension", "language", "items", "n", "alpha", "ci_low", "ci_high"]
    return pd.DataFrame(rows, columns=columns)


def _field_actor_rows(inputs: IndicatorInputs, indicators: Sequence[Indicator]) -> list[pd.DataFrame]:
    actors = inputs.field_actors
    out = []
    mirrors: dict[tuple[str, str], list[ScaleItem]] = {}
    for item in inputs.items:
        if item.mirror:
            mirrors.setdefault((item.service, item.dimension), []).append(item)
    for indicator in indicators:
        kind = indicator.measure.kind
        if kind not in ("field_actor_agree", "field_actor_index"):
            continue
        items = mirrors.get((indicator.service, indicator.dimension), [])
        if not items or actors.empty:
            continue
        _, score = dimension_scores(item_scores(actors, items, column="mirror"))
        if kind == "field_actor_agree":
            valid = score.dropna()
            table = pd.DataFrame({"breakdown": [ALL], "domain": [ALL], "estimate": [float((valid >= AGREE_SCORE).sum())],
                                  "n": [len(valid)]})
            out.append(_rows(indicator, table, "field_actor", False, "none"))
        else:
            frame = pd.DataFrame({"s": score})
            table = survey_mean(frame, "s").assign(breakdown=ALL, domain=ALL)
            out.append(_rows(indicator, table, "field_actor", False, "wald"))
    return out


def _gap_rows(table: pd.DataFrame, indicators: Sequence[Indicator], inputs: IndicatorInputs) -> list[pd.DataFrame]:
    """perception_gap = field-actor index - parent index, SE = sqrt(SE_p^2 + SE_a^2) (independent samples)."""
    out = []
    overall = table[table["breakdown"] == ALL].set_index("indicator")
    for indicator in indicators:
        if indicator.measure.kind != "perception_gap":
            continue
        parent = f"access_index.{indicator.service}.{indicator.dimension}"
        actor = f"field_actor_index.{indicator.service}.{indicator.dimension}"
        if parent not in overall.index or actor not in overall.index:
            continue
        p, a = overall.loc[parent], overall.loc[actor]
        row = {"breakdown": ALL, "domain": ALL, "n": a["n"], "n_eff": np.nan, "deff": np.nan}
        reason = None
        if pd.isna(a["n"]) or a["n"] < inputs.min_field_actors:
            reason = "field_actor_n_below_30"
        elif p["suppressed"]:
            reason = "parent_index_withheld"
        if reason is None:
            estimate = float(a["estimate"] - p["estimate"])
            se = float(math.hypot(a["se"], p["se"]))
            row.update(estimate=estimate, se=se, ci_low=estimate - 1.959963984540054 * se,
                       ci_high=estimate + 1.959963984540054 * se)
        frame = _rows(indicator, pd.DataFrame([row]), "both", inputs.weight is not None, "wald")
        out.append(frame.assign(suppressed=reason is not None, reason=reason))
    return out


def _suppress(table: pd.DataFrame, inputs: IndicatorInputs, alpha: pd.DataFrame) -> pd.DataFrame:
    """Primary and secondary small-cell suppression, the field-actor n >= 30 rule and the index gate."""
    table = table.copy()
    table["suppressed"] = False
    table["reason"] = pd.Series([None] * len(table), index=table.index, dtype="object")
    # The index gate: an access index is published only where its dimension is reliable.
    gate = {}
    for row in alpha[alpha["language"] == ALL].itertuples():
        if row.items >= 2:
            gate[(row.service, row.dimension)] = (None if pd.notna(row.alpha) and row.alpha >= inputs.min_alpha
                                                  else "alpha_below_0.7" if pd.notna(row.alpha)
                                                  else "alpha_not_computable")
    is_index = table["measure"] == "access_index"
    for position in table.index[is_index]:
        reason = gate.get((table.at[position, "service"], table.at[position, "dimension"]))
        if reason:
            table.loc[position, ["suppressed", "reason"]] = [True, reason]
    fa_index = (table["measure"] == "field_actor_index") & (table["n"] < inputs.min_field_actors)
    table.loc[fa_index, ["suppressed", "reason"]] = [True, "field_actor_n_below_30"]
    # Small cells: within an indicator and breakdown the cells add up to the 'all' row, so one suppressed
    # cell alone could be recovered; suppress_small_cells then hides the next smallest.
    cells = table[~table["suppressed"]].copy()
    cells["_total"] = False
    checked = suppress_small_cells(cells, values=STATISTICS, groups=["indicator", "breakdown"], total="_total",
                                   min_n=inputs.min_n)
    hidden = checked["suppression"].notna()
    totals_alone = (checked["breakdown"] == ALL) & (checked["suppression"] == "secondary")
    hidden &= ~totals_alone  # an 'all' row is its own group: nothing to recover it from
    table.loc[checked.index[hidden], "suppressed"] = True
    table.loc[checked.index[hidden], "reason"] = checked.loc[hidden, "suppression"]
    small = table["reason"].isin(["primary", "secondary"])
    for column in STATISTICS:
        table[column] = table[column].astype("Float64")
        table.loc[table["suppressed"], column] = pd.NA
    table["n"] = table["n"].astype("Float64")
    table.loc[small | (table["n"] < inputs.min_n), "n"] = pd.NA  # a cell's size is itself a small number
    return table


def indicator_table(inputs: IndicatorInputs, language: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every indicator of ``inputs.indicators`` overall and per breakdown; and the reliability table.

    Returns ``(indicators, reliability)``. ``indicators`` has the columns of ``COLUMNS``: ``n`` is the
    unweighted number of respondents in the denominator, ``suppressed`` rows keep their place with the
    statistics missing and ``reason`` saying why (``primary``/``secondary`` small-cell suppression,
    ``alpha_below_0.7``, ``alpha_not_computable``, ``field_actor_n_below_30``).
    """
    # Text answers of the items as categoricals (a view of the frame, not a copy): each dimension's
    # indicators read them twice, and a categorical converts its few codes, not every row. The breakdown
    # and margin columns too: hundreds of estimates then group rows without hashing text again.
    parents = inputs.parents.copy(deep=False)
    grouping = [c for c in dict.fromkeys([*inputs.breakdowns.values(), *(inputs.calibration or {})]) if c in parents]
    for column in dict.fromkeys([*grouping, *(item.variable for item in inputs.items if item.variable in parents)]):
        if not (isinstance(parents[column].dtype, pd.CategoricalDtype)
                or pd.api.types.is_numeric_dtype(parents[column]) and column not in grouping):
            parents[column] = parents[column].astype("category")
    inputs = replace(inputs, parents=parents)
    base = parents[grouping + ([inputs.weight] if inputs.weight else [])]
    design = Design(base, inputs.weight, None, None, None, inputs.calibration)
    weighted = inputs.weight is not None
    parts = []

    def estimate(block: dict[str, pd.Series]) -> None:
        frame = base.assign(**block)
        estimates = _estimates(frame, list(block), inputs, design)
        for name in block:
            indicator = by_name[name]
            method = "logit" if indicator.unit == "proportion" else "wald"
            parts.append(_rows(indicator, estimates[name], "parent", weighted, method))

    # The derived variables a block at a time: a million parents never hold all of them at once.
    by_name = {indicator.name: indicator for indicator in inputs.indicators}
    block: dict[str, pd.Series] = {}
    for name, values in parent_variables(inputs, inputs.indicators):
        block[name] = values
        if len(block) == BLOCK:
            estimate(block)
            block = {}
    if block:
        estimate(block)
    parts += _field_actor_rows(inputs, inputs.indicators)
    alpha = reliability_table(inputs, language)
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    table = _suppress(table, inputs, alpha)
    gaps = _gap_rows(table, inputs.indicators, inputs)
    if gaps:
        table = pd.concat([table, *gaps], ignore_index=True)
    table["low_n_eff"] = table["n_eff"].astype("Float64") < LOW_N_EFF
    table["n"] = table["n"].astype("Float64").round().astype("Int64")
    return table[COLUMNS].reset_index(drop=True), alpha


def group_comparisons(inputs: IndicatorInputs, table: pd.DataFrame, *, area: str,
                      channel: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Comparisons between the categories of breakdown ``area`` (a breakdown name of ``inputs.breakdowns``)
    of the published headline proportions (chi-square, Rao-Scott) and access indices (Welch, Kruskal-Wallis,
    Holm-corrected pairs); and the sensitivity of the headline indicators to each category of ``channel``.
    A study without that breakdown gets no rows of the kind."""
    published = set(table.loc[(table["breakdown"] == ALL) & ~table["suppressed"], "indicator"])
    compared = [i for i in inputs.indicators if i.name in published
                and (i.headline or i.measure.kind == "access_index")]
    derived = derive_parent_variables(inputs, compared)  # only these: a million parents, few columns
    area_column, channel_column = inputs.breakdowns.get(area), inputs.breakdowns.get(channel)
    design = [c for c in {area_column, channel_column, *(inputs.calibration or {})} if c in inputs.parents]
    frame = pd.concat([inputs.parents[design + ([inputs.weight] if inputs.weight else [])], derived], axis=1)
    headline = [i.name for i in compared if i.headline and i.name in derived]
    indices = [i.name for i in compared if i.measure.kind == "access_index"]
    rows = []
    for name in headline if area_column in frame else ():
        rows += [dict(r, indicator=name) for r in compare_proportion(
            frame, name, area_column, weight=inputs.weight, calibration=inputs.calibration, min_n=inputs.min_n)]
    for name in indices if area_column in frame else ():
        rows += [dict(r, indicator=name) for r in compare_means(frame, name, area_column, min_n=inputs.min_n)]
    tests = pd.DataFrame(rows).assign(breakdown=area) if rows else pd.DataFrame(columns=COMPARISON_COLUMNS)
    sensitivity = channel_sensitivity(frame, headline if channel_column in frame else [], channel_column,
                                      weight=inputs.weight, calibration=inputs.calibration, min_n=inputs.min_n)
    return tests, sensitivity
