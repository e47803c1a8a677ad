"""Key findings: the differences the statistics support, as candidates for a page's few sentences.

Three kinds of candidate, each with a two-sided p-value:

- ``pair``: two categories of a compared breakdown in one wave. On a weighted sample, the difference of the two
  domain means with its design-based SE, sqrt(var(a) + var(b) - 2 cov(a, b)), the covariance from the
  linearised scores of both domain means (calibration-aware, as ``analyses.estimates``; or from replicate
  weights), and a t test on the design's degrees of freedom: R's ``svyby(..., covmat = TRUE)`` with
  ``svycontrast``. On an unweighted sample, Fisher's exact test of the two groups' counts for a 0/1 variable and
  Welch's t test for a score (the groups are independent simple random samples).
- ``change``: an estimate against the same one in the previous wave (``analyses.comparisons.wave_differences``:
  independent samples, z test).
- ``benchmark``: the latest whole-sample estimate against a value the study declares, a one-sample test on the
  row's SE, t on its degrees of freedom (z where the row has none).

``findings`` corrects the whole family of candidates by Holm's method (R's ``p.adjust(method = "holm")``) and
keeps at most a handful whose adjusted p is under 5%: the smallest adjusted p first, then the largest test
statistic. No candidate ever rests on a withheld cell or a cell published as a count: the tests run only on
published categories, and ``findings`` checks every cell against the published rows again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analyses.estimates import Design
from analyses.small_samples import fisher_test

PAIR_COLUMNS = ["indicator", "breakdown", "domain_a", "domain_b", "estimate_a", "estimate_b", "difference", "se",
                "df", "statistic", "p_value", "test", "weighted"]
FINDING_COLUMNS = ["kind", "indicator", "breakdown", "wave", "wave_before", "domain", "domain_other", "estimate",
                   "estimate_other", "benchmark", "difference", "statistic", "p_value", "p_adjusted", "rank"]
ALPHA = 0.05
LIMIT = 5


def holm(p_values: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values, as R's ``p.adjust(p, method = "holm")`` (pingouin's): a missing p-value
    stays missing and does not count in the family."""
    import pingouin as pg  # loaded when a family is corrected: it pulls in matplotlib

    p = np.asarray(p_values, dtype=float)
    return np.asarray(pg.multicomp(p, method="holm")[1], dtype=float) if len(p) else np.full(0, np.nan)


def domain_covariance(design: Design, values: np.ndarray, codes: np.ndarray, k: int
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The weighted mean of ``values`` in each of the ``k`` domains ``codes`` (0..k-1; -1 outside every domain;
    rows without a value are left out as a domain, the design stays whole), their covariance matrix, and each
    domain's respondents with a value. A domain without any has a missing mean and missing covariances."""
    observed = ~np.isnan(values)
    y0 = np.where(observed, values, 0.0)
    masks = np.column_stack([(codes == d) & observed for d in range(k)]).astype(float)
    weights = design.w[:, None] * masks
    totals = weights.sum(axis=0)
    has = totals > 0
    means = np.where(has, (weights * y0[:, None]).sum(axis=0) / np.where(has, totals, 1), np.nan)
    covariance = np.full((k, k), np.nan)
    kept = np.flatnonzero(has)
    if len(kept):
        if design.replicates is None:
            scores = weights[:, kept] * (y0[:, None] - means[kept][None, :]) / totals[kept][None, :]
            inner = design.covariance(scores)
        else:
            thetas = design.replicate_ratios(masks[:, kept] * y0[:, None], masks[:, kept])
            inner = design.replicates.covariance(thetas, means[kept], mse=design.mse)
        covariance[np.ix_(kept, kept)] = inner
    return means, covariance, masks.sum(axis=0).astype(int)


def _group_codes(column: pd.Series, categories: Sequence[str] | None) -> tuple[list[str], np.ndarray]:
    """The categories of ``column`` present, as text, in sorted order (``categories``: only these), and each row's
    code among them (-1: missing or another). A categorical column of text is read as it is, so a caller testing
    many variables on one breakdown hashes its labels once (a million labels, once per indicator, cost seconds)."""
    labels = column
    if not (isinstance(column.dtype, pd.CategoricalDtype) and pd.api.types.is_string_dtype(column.cat.categories)):
        labels = column.astype("string").astype("category")
    names = [str(name) for name in labels.cat.categories]
    codes = labels.cat.codes.to_numpy()
    used = np.bincount(codes[codes >= 0], minlength=len(names)) > 0
    present = {name for name, here in zip(names, used) if here}
    chosen = sorted(present if categories is None else set(map(str, categories)) & present)
    position = {name: i for i, name in enumerate(chosen)}
    lookup = np.array([position.get(name, -1) for name in names] + [-1], dtype=np.intp)  # code -1 stays -1
    return chosen, lookup[codes]


def design_pairs(frame: pd.DataFrame, variable: str, group: str, design: Design,
                 categories: Sequence[str] | None = None) -> list[dict]:
    """Every pair (a, b), a before b in sorted order, of the categories of ``group`` (``categories``: only these,
    as text) on a weighted design: the difference a - b of the domain means of ``variable``, its SE from the
    design's covariance, t = difference / SE and its two-sided p on the design's degrees of freedom."""
    chosen, codes = _group_codes(frame[group], categories)
    values = pd.to_numeric(frame[variable], errors="coerce").to_numpy(dtype=float)
    means, covariance, counts = domain_covariance(design, values, codes, len(chosen))
    degrees = float(design.degrees_of_freedom)
    rows = []
    for i in range(len(chosen)):
        for j in range(i + 1, len(chosen)):
            if not (counts[i] and counts[j]):
                continue
            difference = float(means[i] - means[j])
            variance = float(covariance[i, i] + covariance[j, j] - 2 * covariance[i, j])
            se = float(np.sqrt(max(variance, 0.0)))
            statistic = difference / se if se > 0 else np.nan
            p = float(2 * stats.t.sf(abs(statistic), degrees)) if se > 0 and degrees >= 1 else np.nan
            rows.append({"domain_a": chosen[i], "domain_b": chosen[j], "estimate_a": float(means[i]),
                         "estimate_b": float(means[j]), "difference": difference, "se": se, "df": degrees,
                         "statistic": statistic, "p_value": p, "test": "design_t", "weighted": True})
    return rows


def unweighted_pairs(frame: pd.DataFrame, variable: str, group: str,
                     categories: Sequence[str] | None = None) -> list[dict]:
    """``design_pairs`` of an unweighted sample: for a 0/1 variable Fisher's exact test of the two groups' counts
    (R's ``fisher.test``; no SE or df), for a score Welch's t test (R's ``t.test``: SE sqrt(s_a^2/n_a +
    s_b^2/n_b), Welch-Satterthwaite df)."""
    data = pd.DataFrame({"g": frame[group].astype("string"),
                         "y": pd.to_numeric(frame[variable], errors="coerce")}).dropna()
    present = set(data["g"].unique())
    chosen = sorted(present if categories is None else set(map(str, categories)) & present)
    binary = bool(len(data)) and bool(data["y"].isin([0.0, 1.0]).all())
    groups = {c: data.loc[data["g"] == c, "y"].to_numpy(dtype=float) for c in chosen}
    rows = []
    for i, a in enumerate(chosen):
        for b in chosen[i + 1:]:
            ya, yb = groups[a], groups[b]
            row = {"domain_a": a, "domain_b": b, "estimate_a": float(ya.mean()), "estimate_b": float(yb.mean()),
                   "difference": float(ya.mean() - yb.mean()), "weighted": False}
            if binary:
                table = np.array([[ya.sum(), len(ya) - ya.sum()], [yb.sum(), len(yb) - yb.sum()]]).round()
                found = fisher_test(table.astype(int))
                # Exact: no SE and no test statistic to rank by (the odds ratio is no |t|).
                row.update(se=np.nan, df=np.nan, statistic=np.nan, p_value=float(found["p_value"]),
                           test="fisher_exact")
            elif len(ya) > 1 and len(yb) > 1:
                va, vb = ya.var(ddof=1) / len(ya), yb.var(ddof=1) / len(yb)
                se = float(np.sqrt(va + vb))
                degrees = float((va + vb) ** 2 / (va**2 / (len(ya) - 1) + vb**2 / (len(yb) - 1))) if se > 0 \
                    else np.nan
                statistic = row["difference"] / se if se > 0 else np.nan
                row.update(se=se, df=degrees, statistic=statistic,
                           p_value=float(2 * stats.t.sf(abs(statistic), degrees)) if se > 0 else np.nan,
                           test="welch_t")
            else:
                continue
            rows.append(row)
    return rows


def _published(rows: pd.DataFrame) -> pd.DataFrame:
    """The cells a finding may rest on: published with a value, not as a count ("12 of 18")."""
    as_count = rows["as_count"].fillna(False).astype(bool) if "as_count" in rows else False
    keep = ~rows["suppressed"].fillna(True).astype(bool) & rows["estimate"].notna() & ~as_count
    return rows[keep]


def _cells(rows: pd.DataFrame) -> dict[tuple[str, str, str, str], pd.Series]:
    keys = zip(rows["wave"].astype(str), rows["indicator"].astype(str), rows["breakdown"].astype(str),
               rows["domain"].astype(str))
    return dict(zip(keys, (row for _, row in rows.iterrows())))


def candidates(rows: pd.DataFrame, pairs: pd.DataFrame, changes: pd.DataFrame,
               benchmarks: Mapping[str, float], *, indicators: Sequence[str], compared: Sequence[str]) -> pd.DataFrame:
    """The page's family of candidate findings (``FINDING_COLUMNS`` but the adjusted p and the rank), about the
    indicators ``indicators`` only: the pairs of categories of the breakdowns ``compared`` (``pairs``, with a
    ``wave`` column: ``PAIR_COLUMNS``), their whole-sample changes between waves (``changes``:
    ``wave_differences``' rows) and the latest published whole-sample estimate of an indicator with a benchmark
    against it (waves in text order). ``rows``: the published indicator rows; a candidate whose cells are not all published (withheld,
    or a count) is none."""
    wanted = set(indicators)
    cells = _cells(_published(rows[rows["indicator"].isin(wanted)]))
    out = []
    for pair in (pairs.itertuples() if not pairs.empty else ()):
        a = cells.get((str(pair.wave), pair.indicator, pair.breakdown, str(pair.domain_a)))
        b = cells.get((str(pair.wave), pair.indicator, pair.breakdown, str(pair.domain_b)))
        if pair.breakdown not in compared or a is None or b is None or pd.isna(pair.p_value):
            continue
        out.append({"kind": "pair", "indicator": pair.indicator, "breakdown": pair.breakdown,
                    "wave": str(pair.wave), "domain": str(pair.domain_a), "domain_other": str(pair.domain_b),
                    "estimate": float(a["estimate"]), "estimate_other": float(b["estimate"]),
                    "difference": float(pair.difference), "statistic": _float(pair.statistic),
                    "p_value": float(pair.p_value)})
    for change in (changes.itertuples() if not changes.empty else ()):
        if change.breakdown != "all" or pd.isna(change.p_value):
            continue
        after = cells.get((str(change.wave_after), change.indicator, "all", "all"))
        before = cells.get((str(change.wave_before), change.indicator, "all", "all"))
        if after is None or before is None:
            continue
        out.append({"kind": "change", "indicator": change.indicator, "breakdown": "all", "wave": str(change.wave_after),
                    "wave_before": str(change.wave_before), "domain": "all", "domain_other": "all",
                    "estimate": float(after["estimate"]), "estimate_other": float(before["estimate"]),
                    "difference": float(change.difference), "statistic": float(change.difference / change.se),
                    "p_value": float(change.p_value)})
    # A benchmark is where the indicator stands now: its latest published whole-sample estimate.
    latest = {}
    for (wave, indicator, breakdown, _), row in cells.items():
        if breakdown == "all" and indicator in benchmarks and wave >= latest.get(indicator, ("", None))[0]:
            latest[indicator] = (wave, row)
    for indicator, (wave, row) in sorted(latest.items()):
        found = benchmark_test(row, benchmarks[indicator])
        if found is None:
            continue
        out.append({"kind": "benchmark", "indicator": indicator, "breakdown": "all", "wave": wave, "domain": "all",
                    "estimate": float(row["estimate"]), "benchmark": float(benchmarks[indicator]), **found})
    frame = pd.DataFrame(out, columns=FINDING_COLUMNS[:-2])
    return frame.sort_values(["kind", "indicator", "breakdown", "wave", "domain", "domain_other"],
                             kind="stable").reset_index(drop=True)


def _float(value: object) -> float:
    return np.nan if value is None or pd.isna(value) else float(value)


def benchmark_test(row: Mapping, value: float) -> dict | None:
    """The published estimate of ``row`` against ``value``: t = (estimate - value) / SE on the row's degrees of
    freedom (z where it has none), two-sided. None without an SE."""
    se = row.get("se")
    if se is None or pd.isna(se) or float(se) <= 0:
        return None
    difference = float(row["estimate"]) - float(value)
    statistic = difference / float(se)
    degrees = row.get("df")
    if degrees is not None and not pd.isna(degrees) and float(degrees) >= 1:
        p = 2 * stats.t.sf(abs(statistic), float(degrees))
    else:
        p = 2 * stats.norm.sf(abs(statistic))
    return {"difference": difference, "statistic": statistic, "p_value": float(p)}


def findings(family: pd.DataFrame, *, alpha: float = ALPHA, limit: int = LIMIT) -> pd.DataFrame:
    """``family`` (``candidates``) with Holm's adjusted p over all of it, and ``rank`` 1, 2, ... for the at most
    ``limit`` candidates whose adjusted p is under ``alpha``: smallest adjusted p first, then the largest |t|
    (missing for the others)."""
    out = family.assign(p_adjusted=holm(family["p_value"].to_numpy(dtype=float)), rank=pd.NA)
    passed = out[out["p_adjusted"] < alpha]
    order = passed.assign(_size=-passed["statistic"].abs().fillna(0)).sort_values(["p_adjusted", "_size"],
                                                                                 kind="stable").index[:limit]
    out.loc[order, "rank"] = range(1, len(order) + 1)
    out["rank"] = out["rank"].astype("Int64")
    return out[FINDING_COLUMNS]


def pair_differences(inputs, table: pd.DataFrame, compare: Sequence[str]) -> pd.DataFrame:
    """``design_pairs`` (a weighted sample) or ``unweighted_pairs`` of every headline indicator of an instrument
    that is broken down, between the categories of each breakdown of ``compare`` that ``table`` (the wave's
    indicator rows) publishes as a value: never a withheld category, nor one published as a count. ``inputs``:
    the wave's ``analyses.indicator_table.IndicatorInputs``. ``PAIR_COLUMNS``."""
    from analyses.indicator_table import ALL, ESTIMATED, derive_variables

    shown = _published(table) if not table.empty else table
    categories = shown.groupby(["indicator", "breakdown"])["domain"].agg(lambda d: sorted(map(str, d))).to_dict()
    published = {name for (name, breakdown) in categories if breakdown == ALL}
    rows = []
    for instrument, sample in inputs.samples.items():
        chosen = [i for i in inputs.indicators if i.instrument == instrument and i.headline and i.kind in ESTIMATED
                  and i.name in published]
        if not sample.broken_down or not chosen:
            continue
        columns = [inputs.breakdowns[b] for b in compare if inputs.breakdowns.get(b) in sample.frame]
        if not columns:
            continue
        derived = derive_variables(inputs, instrument, chosen)
        kept = [c for c in dict.fromkeys([*columns, *(sample.calibration or {}), *sample.design_columns])
                if c in sample.frame]
        frame = pd.concat([sample.frame[kept], derived], axis=1)
        design = sample.design(frame) if sample.weight is not None or sample.replicates is not None else None
        for column in columns:  # each breakdown's labels hashed once for all its indicators (the design has read them)
            frame[column] = frame[column].astype("string").astype("category")
        for breakdown in compare:
            column = inputs.breakdowns.get(breakdown)
            if column not in frame:
                continue
            for indicator in chosen:
                allowed = categories.get((indicator.name, breakdown), [])
                if len(allowed) < 2:
                    continue
                found = (design_pairs(frame, indicator.name, column, design, allowed) if design is not None
                         else unweighted_pairs(frame, indicator.name, column, allowed))
                rows += [dict(r, indicator=indicator.name, breakdown=breakdown) for r in found]
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)
