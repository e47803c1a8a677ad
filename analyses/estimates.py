"""Design-based estimates of means and proportions with honest standard errors.

Variance method: Taylor linearisation (Binder 1983; Lumley 2010, "Complex Surveys", ch. 2-3), as R's
``survey`` package computes it. The linearised score of a (domain) mean is z_i = w_i d_i (y_i - ybar) /
sum(w d), with d_i = 1 in the domain and with y observed, else 0 (a domain keeps the full design).
With ``calibration`` (the margins the weights were raked to), the scores are first replaced by their
residuals from iterated post-stratification on each margin, swept until they stop changing, as
``survey::svyrecvar`` does for a raked design: within each category c, z_i <- z_i - w_i * mean_c(z_j / w_j).
The variance is then the stratified, clustered, with-replacement variance of the scores summed per PSU,
times (1 - n_h / N_h) where a finite population correction is given. Confidence intervals: for 0/1
variables (``ci="auto"``) the logit interval of ``svyciprop(method = "logit")`` with t on the design's
degrees of freedom (PSUs minus strata); for means, Wald (estimate +/- z * SE) as ``confint``.
``deff`` is the design effect against simple random sampling without replacement of the same size from
a population of sum(w), as ``svymean(deff = TRUE)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analyses.weighting import category_codes

Margins = Mapping[str, Mapping[object, float]]


def _calibrate(scores: np.ndarray, weights: np.ndarray, groups: list[np.ndarray], tol: float = 1e-12,
               max_sweeps: int = 1000) -> np.ndarray:
    """Residuals of the scores after iterated post-stratification on every margin (R's raking
    adjustment in ``svyrecvar``); ``groups`` holds each margin's category code per row.

    Works on u = z / w, for which the step z <- z - w * mean_c(z / w) is simply u <- u - mean_c(u)."""
    positive = weights > 0
    u = np.where(positive, scores / np.where(positive, weights, 1.0), 0.0)
    counts = [np.bincount(codes) for codes in groups]
    scale = max(float(np.max(np.abs(scores))), 1e-300)
    largest_weight = float(np.max(weights))
    for _ in range(max_sweeps):
        largest_step = 0.0
        for codes, n in zip(groups, counts):
            means = np.bincount(codes, weights=u, minlength=len(n)) / np.where(n > 0, n, 1)
            step = means[codes] if positive.all() else means[codes] * positive
            u -= step
            largest_step = max(largest_step, float(np.max(np.abs(means))))
        if largest_step * largest_weight <= tol * scale:
            break
    return u * weights


def _variance(scores: np.ndarray, strata: np.ndarray, psu: np.ndarray | None, fpc: np.ndarray | None) -> float:
    """Stratified, clustered, with-replacement variance of a total of scores (as ``svyrecvar``, one
    stage), vectorised: scores summed per PSU, then centred within strata. ``strata`` and ``psu`` are
    integer codes; a lone PSU in a stratum contributes nothing."""
    if psu is None:  # every row its own PSU
        totals, stratum = scores, strata
    else:
        key = strata.astype(np.int64) * (int(psu.max()) + 1) + psu.astype(np.int64)
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        totals, stratum = np.bincount(inverse, weights=scores), strata[first]
    k = int(strata.max()) + 1
    n_h = np.bincount(stratum, minlength=k).astype(float)
    means = np.bincount(stratum, weights=totals, minlength=k) / np.where(n_h > 0, n_h, 1)
    squares = np.bincount(stratum, weights=(totals - means[stratum]) ** 2, minlength=k)
    factor = np.where(n_h > 1, n_h / np.where(n_h > 1, n_h - 1, 1), 0.0)
    if fpc is not None:
        population = np.zeros(k)
        population[strata] = fpc
        factor = factor * (1 - n_h / np.where(population > 0, population, np.inf))
    return float((factor * squares).sum())


class _Design:
    """The design columns of a frame, resolved once: weights, strata, PSUs, fpc, calibration groups."""

    def __init__(self, frame: pd.DataFrame, weight, strata, psu, fpc, calibration):
        n = len(frame)
        self.n = n
        self.w = frame[weight].to_numpy(dtype=float) if weight else np.ones(n)
        self.strata = pd.factorize(frame[strata])[0] if strata else np.zeros(n, dtype=np.intp)
        self.psu = pd.factorize(frame[psu])[0] if psu else np.arange(n)
        self.fpc = frame[fpc].to_numpy(dtype=float) if fpc else None
        self.groups = [category_codes(frame[v], list(cats)) for v, cats in (calibration or {}).items()]
        if any((g < 0).any() for g in self.groups):
            raise ValueError("calibration: some rows have a value of a margin variable with no population total")
        self.clustered = psu is not None
        n_strata = int(self.strata.max()) + 1 if n else 0
        if self.clustered:
            key = self.strata.astype(np.int64) * (int(self.psu.max()) + 1) + self.psu.astype(np.int64)
            self.degrees_of_freedom = len(np.unique(key)) - n_strata
        else:
            self.degrees_of_freedom = n - n_strata

    def variance(self, scores: np.ndarray) -> float:
        if self.groups:
            scores = _calibrate(scores, self.w, self.groups)
        return _variance(scores, self.strata, self.psu if self.clustered else None, self.fpc)


def score_covariance(frame: pd.DataFrame, scores: np.ndarray, *, weight: str | None = None,
                     strata: str | None = None, psu: str | None = None, fpc: str | None = None,
                     calibration: Margins | None = None) -> tuple[np.ndarray, int]:
    """Design covariance matrix of the totals of several linearised scores (columns of ``scores``), and the
    design's degrees of freedom. The variance is a quadratic form and the calibration a linear projection,
    so cov(a, b) = (V(a + b) - V(a) - V(b)) / 2 is exact."""
    design = _Design(frame, weight, strata, psu, fpc, calibration)
    k = scores.shape[1]
    variances = [design.variance(scores[:, i]) for i in range(k)]
    out = np.diag(variances)
    for i in range(k):
        for j in range(i + 1, k):
            out[i, j] = out[j, i] = (design.variance(scores[:, i] + scores[:, j]) - variances[i] - variances[j]) / 2
    return out, design.degrees_of_freedom


def design_weights(frame: pd.DataFrame, weight: str | None) -> np.ndarray:
    return frame[weight].to_numpy(dtype=float) if weight else np.ones(len(frame))


def _domains(frame: pd.DataFrame, by: str | Sequence[str] | None) -> tuple[list[str], list[tuple[tuple, np.ndarray]]]:
    columns = [by] if isinstance(by, str) else list(by or [])
    if not columns:
        return columns, [((), np.ones(len(frame), dtype=bool))]
    codes, keys = pd.factorize(pd.MultiIndex.from_frame(frame[columns]), sort=True)
    return columns, [(tuple(key), codes == i) for i, key in enumerate(keys)]


def _interval(estimate: float, se: float, method: str, level: float, degrees: int) -> tuple[float, float]:
    if method == "logit" and 0 < estimate < 1:
        t = stats.t.ppf(0.5 + level / 2, degrees)
        centre, half = np.log(estimate / (1 - estimate)), t * se / (estimate * (1 - estimate))
        return float(1 / (1 + np.exp(-(centre - half)))), float(1 / (1 + np.exp(-(centre + half))))
    z = stats.norm.ppf(0.5 + level / 2)
    return estimate - z * se, estimate + z * se


def _estimate(frame, variable, weight, strata, psu, fpc, calibration, by, ci, level, total: bool) -> pd.DataFrame:
    design = _Design(frame, weight, strata, psu, fpc, calibration)
    y = pd.to_numeric(frame[variable], errors="coerce").to_numpy(dtype=float)
    observed = ~np.isnan(y)
    y0 = np.where(observed, y, 0.0)
    binary = bool(observed.any()) and bool(np.all((y[observed] == 0) | (y[observed] == 1)))
    method = ("logit" if binary and not total else "wald") if ci == "auto" else ci
    columns, domains = _domains(frame, by)
    rows = []
    for key, in_domain in domains:
        d = in_domain & observed
        wd = design.w * d
        weight_sum = wd.sum()
        n = int(d.sum())
        if weight_sum <= 0:  # nobody in the domain answered
            rows.append((*key, np.nan, np.nan, np.nan, np.nan, 0, 0.0, np.nan))
            continue
        mean = float((wd * y0).sum() / weight_sum)
        if total:
            estimate, scores = float((wd * y0).sum()), wd * y0
        else:
            estimate, scores = mean, wd * (y0 - mean) / weight_sum
        variance = design.variance(scores)
        se = float(np.sqrt(variance))
        n_eff = float(weight_sum**2 / (wd**2).sum())
        # Against SRS without replacement of n from N = sum of weights, as svymean(deff = TRUE).
        deff = np.nan
        if n > 1 and weight_sum > n:
            unit_variance = float((wd * (y0 - mean) ** 2).sum() / weight_sum) * n / (n - 1)
            srs = unit_variance * (weight_sum - n) / (weight_sum * n) * (weight_sum**2 if total else 1.0)
            deff = variance / srs if srs > 0 else np.nan
        low, high = _interval(estimate, se, method, level, design.degrees_of_freedom)
        rows.append((*key, estimate, se, low, high, n, n_eff, deff))
    return pd.DataFrame(rows, columns=[*columns, "estimate", "se", "ci_low", "ci_high", "n", "n_eff", "deff"])


def survey_mean(
    frame: pd.DataFrame,
    variable: str,
    *,
    weight: str | None = None,
    strata: str | None = None,
    psu: str | None = None,
    fpc: str | None = None,
    calibration: Margins | None = None,
    by: str | Sequence[str] | None = None,
    ci: str = "auto",
    level: float = 0.95,
) -> pd.DataFrame:
    """Weighted mean (or proportion, for a 0/1 variable) of ``variable``, overall or per domain of ``by``.

    ``weight``, ``strata``, ``psu``, ``fpc`` and ``by`` name columns of ``frame``; ``fpc`` holds the
    population size of the stratum (or the number of population clusters for a one-stage cluster
    design), as in R. ``calibration`` is the margins mapping the weights were raked to (as given to
    ``analyses.weighting.rake``): the standard errors then account for the raking (see the module).
    ``ci``: "auto" (logit for 0/1, Wald otherwise), "logit" or "wald".

    Returns the ``by`` columns, then ``estimate, se, ci_low, ci_high, n, n_eff, deff`` (``n``
    unweighted respondents with a value; ``n_eff`` Kish's effective size). Proportions are on a 0-1
    scale. Rows with a missing ``variable`` are left out as a domain: the design stays whole.
    """
    return _estimate(frame, variable, weight, strata, psu, fpc, calibration, by, ci, level, total=False)


def survey_total(
    frame: pd.DataFrame,
    variable: str,
    *,
    weight: str | None = None,
    strata: str | None = None,
    psu: str | None = None,
    fpc: str | None = None,
    calibration: Margins | None = None,
    by: str | Sequence[str] | None = None,
    ci: str = "wald",
    level: float = 0.95,
) -> pd.DataFrame:
    """Weighted total of ``variable`` (in persons for a 0/1 variable), with the same design arguments
    and result columns as ``survey_mean``; the interval is Wald."""
    return _estimate(frame, variable, weight, strata, psu, fpc, calibration, by, ci, level, total=True)
