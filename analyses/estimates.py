"""Design-based estimates of means and proportions with honest standard errors.

Variance method: Taylor linearisation (Binder 1983; Lumley 2010, "Complex Surveys", ch. 2-3), as R's
``survey`` package computes it. The linearised score of a (domain) mean is z_i = w_i d_i (y_i - ybar) /
sum(w d), with d_i = 1 in the domain and with y observed, else 0 (a domain keeps the full design).
With ``calibration`` (the margins the weights were raked to), the scores are first replaced by their
residuals from iterated post-stratification on each margin, swept until they stop changing, as
``survey::svyrecvar`` does for a raked design: within each category c, z_i <- z_i - w_i * mean_c(z_j / w_j).
The variance is then the stratified, clustered, with-replacement variance of the scores summed per PSU,
times (1 - n_h / N_h) where a finite population correction is given.

Confidence intervals (``ci``). For 0/1 variables, by default (``ci="auto"`` or ``"beta"``) the Korn-Graubard
interval (Korn and Graubard 1998; R's ``svyciprop(method = "beta")``): the effective size
n* = p(1 - p) / var, times (t(a/2, n - 1) / t(a/2, df))^2 with n the domain's respondents and df its degrees
of freedom, capped at n; when p is 0 or 1 (variance 0) n* = n; then the Clopper-Pearson limits
Beta(a/2; n* p, n* (1 - p) + 1) and Beta(1 - a/2; n* p + 1, n* (1 - p)). It never has zero width and stays
inside [0, 1]. ``ci="logit"``: the interval of ``svyciprop(method = "logit")`` with t on df. For means (and
``ci="wald"``): estimate +/- z * SE, as ``confint``.
Degrees of freedom (``df``): ``"domain"`` (default) the domain's own PSUs minus its strata, counting the rows
in the domain with a value (R's ``degf`` of the subset, which ``svyciprop`` uses on a subset); ``"design"``
the whole design's PSUs minus strata (Stata's choice).
``deff`` is the design effect against simple random sampling without replacement of the same size from
a population of sum(w), as ``svymean(deff = TRUE)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import sparse, stats

from analyses.weighting import ReplicateWeights, category_codes, kish_n_eff

Margins = Mapping[str, Mapping[object, float]]


def _calibrate(scores: np.ndarray, weights: np.ndarray, groups: list[np.ndarray], tol: float = 1e-12,
               max_sweeps: int = 1000, base: np.ndarray | None = None) -> np.ndarray:
    """Residuals of the scores after iterated post-stratification on every margin (R's raking
    adjustment in ``svyrecvar``); ``groups`` holds each margin's category code per row.

    Works on u = z / w, for which the step z <- z - w * mean_c(z / w) is simply u <- u - mean_c(u); with
    design weights ``base``, the means are weighted by them (the sweeps then converge to the least-squares
    residual weighted by the design weights, as ``calibrate(calfun = "raking")``)."""
    positive = weights > 0
    u = np.where(positive, scores / np.where(positive, weights, 1.0), 0.0)
    d = np.ones(len(u)) if base is None else base
    counts = [np.bincount(codes, weights=d * positive) for codes in groups]
    scale = max(float(np.max(np.abs(scores))), 1e-300)
    largest_weight = float(np.max(weights))
    for _ in range(max_sweeps):
        largest_step = 0.0
        for codes, n in zip(groups, counts):
            means = np.bincount(codes, weights=u * d, minlength=len(n)) / np.where(n > 0, n, 1)
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


def _centred_totals(scores: np.ndarray, strata: np.ndarray, psu: np.ndarray | None, fpc: np.ndarray | None
                    ) -> tuple[np.ndarray, np.ndarray, sparse.csr_matrix, np.ndarray]:
    """The columns of ``scores`` (n x k) summed per PSU and centred within strata, with each PSU's stratum,
    the PSU -> stratum summing matrix and each stratum's factor n_h / (n_h - 1) (times 1 - n_h / N_h with
    an fpc; 0 for a lone PSU). Sparse products: k columns cost about one."""
    n = scores.shape[0]
    if psu is None:
        totals, stratum = scores, strata
    else:
        key = strata.astype(np.int64) * (int(psu.max()) + 1) + psu.astype(np.int64)
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        to_psu = sparse.csr_matrix((np.ones(n), (inverse, np.arange(n))), shape=(len(first), n))
        totals, stratum = to_psu @ scores, strata[first]
    k = int(strata.max()) + 1
    to_stratum = sparse.csr_matrix((np.ones(len(stratum)), (stratum, np.arange(len(stratum)))),
                                   shape=(k, len(stratum)))
    n_h = np.bincount(stratum, minlength=k).astype(float)
    means = (to_stratum @ totals) / np.where(n_h > 0, n_h, 1)[:, None]
    factor = np.where(n_h > 1, n_h / np.where(n_h > 1, n_h - 1, 1), 0.0)
    if fpc is not None:
        population = np.zeros(k)
        population[strata] = fpc
        factor = factor * (1 - n_h / np.where(population > 0, population, np.inf))
    return totals - means[stratum], stratum, to_stratum, factor


def _variances(scores: np.ndarray, strata: np.ndarray, psu: np.ndarray | None, fpc: np.ndarray | None) -> np.ndarray:
    """``_variance`` of every column of ``scores`` (n x k) at once."""
    centred, _, to_stratum, factor = _centred_totals(scores, strata, psu, fpc)
    return factor @ (to_stratum @ centred**2)


def _covariance(scores: np.ndarray, strata: np.ndarray, psu: np.ndarray | None, fpc: np.ndarray | None) -> np.ndarray:
    """The covariance matrix of the totals of the columns of ``scores`` (n x k): ``_variances`` is its
    diagonal. Cross-products of the centred PSU totals, summed with their stratum's factor."""
    centred, stratum, _, factor = _centred_totals(scores, strata, psu, fpc)
    covariance = (centred.T * factor[stratum]) @ centred
    return (covariance + covariance.T) / 2  # symmetric to the last bit


class _Projection:
    """The limit of ``_calibrate``'s sweeps in one step. With every weight positive, each sweep is the
    orthogonal projection u <- u - mean_c(u) onto the complement of one margin's category indicators, and
    alternating projections converge to the projection onto the complement of their joint span (von Neumann):
    the least-squares residual of u on every margin's indicators. So the residual is computed directly from
    the C x C cross-table of the margins (C categories in all): one pass over the rows instead of dozens.

    With design weights d (``base``) the fit is weighted by them: r = w (u - A b), b = (A'DA)^+ A'D u, R's
    ``calibrate(calfun = "raking")`` residuals g d (z - A b) (w = g d). Without, d = 1: R's ``rake()``."""

    def __init__(self, groups: list[np.ndarray], base: np.ndarray | None = None):
        self.groups = groups
        self.base = base
        self.offsets = np.cumsum([0] + [int(g.max()) + 1 for g in groups])
        self.inverse = np.linalg.pinv(self.cross(base))  # the margins' indicators are collinear: a pseudo-inverse

    def cross(self, weights: np.ndarray | None = None) -> np.ndarray:
        """X' diag(weights) X for the indicators X of every margin's categories (unweighted: X'X)."""
        groups = self.groups
        size = int(self.offsets[-1])
        cross = np.zeros((size, size))
        for a, (ga, oa) in enumerate(zip(groups, self.offsets)):
            for b, (gb, ob) in enumerate(zip(groups, self.offsets)):
                if b < a:
                    continue
                block = np.bincount(ga * (int(gb.max()) + 1) + gb, weights=weights,
                                    minlength=(int(ga.max()) + 1) * (int(gb.max()) + 1))
                block = block.reshape(int(ga.max()) + 1, int(gb.max()) + 1)
                cross[oa:oa + block.shape[0], ob:ob + block.shape[1]] = block
                cross[ob:ob + block.shape[1], oa:oa + block.shape[0]] = block.T
        return cross

    def residuals_matrix(self, scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """``residuals`` of every column of ``scores`` (n x k) at once."""
        if not hasattr(self, "_indicators"):
            n = len(weights)
            columns = np.concatenate([g + self.offsets[i] for i, g in enumerate(self.groups)])
            rows = np.tile(np.arange(n), len(self.groups))
            self._indicators = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)),
                                                 shape=(n, int(self.offsets[-1])))
        u = scores / weights[:, None]
        weighted = u if self.base is None else u * self.base[:, None]
        fitted = self._indicators @ (self.inverse @ (self._indicators.T @ weighted))
        return (u - fitted) * weights[:, None]

    def residuals(self, scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
        u = scores / weights
        weighted = u if self.base is None else u * self.base
        totals = np.concatenate([np.bincount(g, weights=weighted,
                                             minlength=int(self.offsets[i + 1] - self.offsets[i]))
                                 for i, g in enumerate(self.groups)])
        coefficients = self.inverse @ totals
        fitted = sum(coefficients[self.offsets[i]:self.offsets[i + 1]][g] for i, g in enumerate(self.groups))
        return (u - fitted) * weights


class Design:
    """The design columns of a frame, resolved once: weights, strata, PSUs, fpc, calibration groups, design
    weights (``base_weight``: the weights before raking, which the calibration residuals are weighted by), or
    instead replicate weights (``replicates``: ``analyses.weighting.ReplicateWeights`` of these rows, whose
    full-sample weights are the weights). ``survey_means(..., design=)`` reuses one for several calls on the
    same rows (other variables, other domains), e.g. an indicator table computed a block of variables at a time."""

    def __init__(self, frame: pd.DataFrame, weight=None, strata=None, psu=None, fpc=None, calibration=None, *,
                 base_weight: str | None = None, replicates: ReplicateWeights | None = None, mse: bool = False):
        n = len(frame)
        self.n = n
        self.mse = mse  # replicates: centre their spread on the full-sample estimate, not their mean
        self.index = frame.index  # survey_means(design=) checks that a frame's rows are these, in this order
        self.replicates = replicates
        self.replicate_matrix = None
        if replicates is not None:
            if any(a is not None for a in (weight, strata, psu, fpc, calibration, base_weight)):
                raise ValueError("replicates= carries the whole design: give no weight, strata, psu, fpc, "
                                 "calibration or base_weight with it")
            same = replicates.weights.index.equals(frame.index)
            if not same:
                missing = frame.index.difference(replicates.weights.index)
                if len(missing):
                    raise ValueError(f"replicates: {len(missing)} rows of the frame have no replicate weights")
            rows = replicates.weights if same else replicates.weights.loc[frame.index]
            # Row-major: the sparse products read a respondent's replicate weights together (a column-major copy
            # would be copied again on every product).
            self.replicate_matrix = np.ascontiguousarray(rows.to_numpy(dtype=float))
            self.w = (replicates.full if same else replicates.full.loc[frame.index]).to_numpy(dtype=float)
        else:
            self.w = frame[weight].to_numpy(dtype=float) if weight else np.ones(n)
        self.base = frame[base_weight].to_numpy(dtype=float) if base_weight else None
        if self.base is not None and not (np.isfinite(self.base).all() and (self.base > 0).all()):
            raise ValueError(f"base weight {base_weight!r} must be positive and finite for every row")
        self.strata = pd.factorize(frame[strata])[0] if strata else np.zeros(n, dtype=np.intp)
        self.psu = pd.factorize(frame[psu])[0] if psu else np.arange(n)
        self.fpc = frame[fpc].to_numpy(dtype=float) if fpc else None
        self.groups = [category_codes(frame[v], list(cats)) for v, cats in (calibration or {}).items()]
        if any((g < 0).any() for g in self.groups):
            raise ValueError("calibration: some rows have a value of a margin variable with no population total")
        self.projection = _Projection(self.groups, self.base) if self.groups and (self.w > 0).all() else None
        self.clustered = psu is not None
        # One stratum, no clusters, no replicates: the variance of a mean is a few sums.
        self.independent_rows = strata is None and psu is None and fpc is None and replicates is None
        # Each row's PSU, told apart across strata (a PSU code may recur in another stratum).
        self.psu_key = (self.strata.astype(np.int64) * (int(self.psu.max()) + 1) + self.psu.astype(np.int64)
                        if self.clustered and n else None)
        self.degrees_of_freedom = self.domain_degrees(np.ones(n, dtype=bool))

    def domain_degrees(self, rows: np.ndarray) -> int:
        """The degrees of freedom of the rows where ``rows`` (a boolean mask) holds: their PSUs minus their
        strata, as R's ``degf`` of a subset (of every row: the design's). With replicate weights, the design's
        whatever the rows: the number of replicates less one, as R's ``degf`` of a replicate design (the rank
        of its replicate weights less one, which for a jackknife is its PSUs less its strata or one)."""
        if self.replicates is not None:
            return self.replicate_degrees
        strata = self.strata[rows]
        if not len(strata):
            return 0
        psus = len(np.unique(self.psu_key[rows])) if self.clustered else len(strata)
        return psus - len(np.unique(strata))

    @property
    def replicate_degrees(self) -> int:
        return self.replicates.degrees_of_freedom  # computed once per set of replicate weights

    def _residuals(self, scores: np.ndarray) -> np.ndarray:
        """The scores (n x k) replaced by their calibration residuals when the weights were raked."""
        if self.projection is not None:
            return self.projection.residuals_matrix(scores, self.w)
        if self.groups:
            return np.column_stack([_calibrate(scores[:, i], self.w, self.groups, base=self.base)
                                    for i in range(scores.shape[1])])
        return scores

    def variances(self, scores: np.ndarray) -> np.ndarray:
        """The variance of each column of ``scores`` (n x k): Taylor linearisation (not for replicates)."""
        if scores.shape[1] == 1:  # one domain: counting sums beat building the sparse indicators
            return np.array([self.variance(scores[:, 0])])
        return _variances(self._residuals(scores), self.strata, self.psu if self.clustered else None, self.fpc)

    def covariance(self, scores: np.ndarray) -> np.ndarray:
        """The covariance matrix of the totals of the columns of ``scores`` (n x k)."""
        return _covariance(self._residuals(scores), self.strata, self.psu if self.clustered else None, self.fpc)

    def variance(self, scores: np.ndarray) -> float:
        if self.projection is not None:
            scores = self.projection.residuals(scores, self.w)
        elif self.groups:
            scores = _calibrate(scores, self.w, self.groups, base=self.base)
        return _variance(scores, self.strata, self.psu if self.clustered else None, self.fpc)

    def replicate_ratios(self, numerators: np.ndarray, denominators: np.ndarray | None) -> np.ndarray:
        """Each replicate's estimate of the ratios sum(w_r x) / sum(w_r v) of the columns of ``numerators`` and
        ``denominators`` (n x k; totals when None): replicates x k, as matrix products per block of columns."""
        top = self.replicate_matrix.T @ numerators
        if denominators is None:
            return top
        bottom = self.replicate_matrix.T @ denominators
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)

    def mean_covariance(self, values: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The weighted means of the columns of ``values`` (n x k) over the rows where ``rows`` holds, and
        their covariance matrix: from the linearised scores, or from each replicate's means."""
        w = self.w * rows
        total = w.sum()
        means = (w[:, None] * values).sum(axis=0) / total
        if self.replicates is None:
            return means, self.covariance(w[:, None] * (values - means[None, :]) / total)
        inside = rows.astype(float)
        thetas = self.replicate_ratios(values * inside[:, None], np.repeat(inside[:, None], values.shape[1], 1))
        return means, self.replicates.covariance(thetas, means, mse=self.mse)




def _domains(frame: pd.DataFrame, by: str | Sequence[str] | None) -> tuple[list[str], list[tuple[tuple, np.ndarray]]]:
    columns = [by] if isinstance(by, str) else list(by or [])
    if not columns:
        return columns, [((), np.ones(len(frame), dtype=bool))]
    if len(columns) == 1:  # the common case: no MultiIndex (and cheap on a categorical column)
        codes, keys = pd.factorize(frame[columns[0]], sort=True)
        return columns, [((key,), codes == i) for i, key in enumerate(keys)]
    codes, keys = pd.factorize(pd.MultiIndex.from_frame(frame[columns]), sort=True)
    return columns, [(tuple(key), codes == i) for i, key in enumerate(keys)]


CI_METHODS = ("auto", "beta", "logit", "wald")
DF_CHOICES = ("domain", "design")


def _checked(ci: str, df: str) -> None:
    if ci not in CI_METHODS:
        raise ValueError(f"ci={ci!r}: choose one of {', '.join(CI_METHODS)}")
    if df not in DF_CHOICES:
        raise ValueError(f"df={df!r}: choose one of {', '.join(DF_CHOICES)}")


def _korn_graubard_sizes(p: np.ndarray, variance: np.ndarray, n: np.ndarray, degrees: np.ndarray,
                         level: float) -> np.ndarray:
    """``korn_graubard_n_eff`` of arrays (one t quantile call for all of them)."""
    p, variance, n, degrees = (np.asarray(x, dtype=float) for x in (p, variance, n, degrees))
    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = stats.t.ppf(alpha / 2, n - 1) / stats.t.ppf(alpha / 2, degrees)
        size = np.minimum(p * (1 - p) / variance * ratio**2, n)
    size = np.where((n >= 2) & (degrees >= 1), size, np.nan)
    alike = (variance <= 0) | (p == 0) | (p == 1)  # all answers alike: the variance is 0 (up to rounding)
    size = np.where(alike, n, size)
    return np.where((n >= 1) & (p >= 0) & (p <= 1), size, np.nan)


def korn_graubard_n_eff(estimate: float, variance: float, n: int, degrees: float, level: float = 0.95) -> float:
    """Korn and Graubard's effective size: p(1 - p) / var, times (t(a/2, n - 1) / t(a/2, df))^2, capped at n;
    n when the variance is 0 (p is 0 or 1). NaN when no t quantile exists (n < 2 or df < 1)."""
    return float(_korn_graubard_sizes(estimate, variance, n, degrees, level))


def _intervals(rows: pd.DataFrame, method: str, level: float, binary: bool) -> pd.DataFrame:
    """``rows`` (estimate, se, n, df per domain) with ``ci_low``, ``ci_high`` and, for a 0/1 variable,
    ``n_eff_kg`` filled for all domains at once: Korn-Graubard (``beta``), logit with t on df, or Wald."""
    p, se = rows["estimate"].to_numpy(dtype=float), rows["se"].to_numpy(dtype=float)
    n, degrees = rows["n"].to_numpy(dtype=float), rows["df"].to_numpy(dtype=float)
    alpha = 1 - level
    size = _korn_graubard_sizes(p, se**2, n, degrees, level) if binary else np.full(len(rows), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "beta":
            usable = size > 0
            low = np.where(p <= 0, 0.0, stats.beta.ppf(alpha / 2, size * p, size * (1 - p) + 1))
            high = np.where(p >= 1, 1.0, stats.beta.ppf(1 - alpha / 2, size * p + 1, size * (1 - p)))
            return rows.assign(n_eff_kg=size, ci_low=np.where(usable, low, np.nan),
                               ci_high=np.where(usable, high, np.nan))
        z = stats.norm.ppf(0.5 + level / 2)
        low, high = p - z * se, p + z * se
        if method == "logit":
            inside = (p > 0) & (p < 1)
            t = np.where(degrees >= 1, stats.t.ppf(0.5 + level / 2, np.maximum(degrees, 1)), np.nan)
            centre, half = np.log(p / (1 - p)), t * se / (p * (1 - p))
            low = np.where(inside, 1 / (1 + np.exp(-(centre - half))), low)
            high = np.where(inside, 1 / (1 + np.exp(-(centre + half))), high)
    return rows.assign(n_eff_kg=size, ci_low=low, ci_high=high)


def _method(ci: str, binary: bool, total: bool = False) -> str:
    """The interval a variable gets: ``auto`` is Korn-Graubard for a 0/1 mean, Wald otherwise; ``beta`` and
    ``logit`` apply to 0/1 means only (anything else gets Wald)."""
    if total or not binary:
        return "wald"
    return "beta" if ci == "auto" else ci


RESULT_COLUMNS = ["estimate", "se", "ci_low", "ci_high", "n", "n_eff", "deff", "df", "n_eff_kg", "ci_method",
                  "weight_sum"]


def _estimate(frame, variable, weight, strata, psu, fpc, calibration, by, ci, level, total: bool,
              df: str = "domain", base_weight=None, replicates=None, mse=False) -> pd.DataFrame:
    _checked(ci, df)
    design = Design(frame, weight, strata, psu, fpc, calibration, base_weight=base_weight, replicates=replicates,
                    mse=mse)
    return _with_intervals(_estimate_in(design, frame, variable, _domains(frame, by), ci, total, df), level)


def _with_intervals(table: pd.DataFrame, level: float) -> pd.DataFrame:
    """The rows of ``_estimate_in`` or ``_means_by_sums`` (of one variable or several) with their intervals,
    computed in one pass per method (a scipy quantile call costs about a millisecond)."""
    filled = [_intervals(rows, method, level, binary)
              for (method, binary), rows in table.groupby(["ci_method", "_binary"], sort=False)]
    return (pd.concat(filled) if filled else table).sort_index().drop(columns="_binary")


def _srs_deff(variance: float, spread, n: int, weight_sum: float, total: bool = False) -> float:
    """The design effect against simple random sampling without replacement of n from N = the sum of the weights,
    as ``svymean(deff = TRUE)``; ``spread()`` gives the weighted variance of the values, sum w (y - m)^2 / sum w
    (called only where the effect exists: n > 1 and N > n)."""
    if not (n > 1 and weight_sum > n):
        return np.nan
    unit_variance = spread() * n / (n - 1)
    srs = unit_variance * (weight_sum - n) / (weight_sum * n) * (weight_sum**2 if total else 1.0)
    return variance / srs if srs > 0 else np.nan


def _estimate_in(design: Design, frame, variable, domains, ci, total: bool, df: str = "domain") -> pd.DataFrame:
    """Each domain's estimate, SE, n, n_eff, deff and df; the intervals are left to ``_with_intervals``
    (``_binary`` says whether the variable is 0/1, for Korn-Graubard's size)."""
    y = pd.to_numeric(frame[variable], errors="coerce").to_numpy(dtype=float)
    observed = ~np.isnan(y)
    y0 = np.where(observed, y, 0.0)
    binary = bool(observed.any()) and bool(np.all((y[observed] == 0) | (y[observed] == 1)))
    method = _method(ci, binary, total)
    columns, domains = domains
    found, scores, masks = [], [], []
    for key, in_domain in domains:
        d = in_domain & observed
        wd = design.w * d
        weight_sum = wd.sum()
        if weight_sum <= 0:  # nobody in the domain answered
            found.append((key, None))
            continue
        mean = float((wd * y0).sum() / weight_sum)
        estimate = float((wd * y0).sum()) if total else mean
        scores.append(wd * y0 if total else wd * (y0 - mean) / weight_sum)
        masks.append(d)
        degrees = design.domain_degrees(d) if df == "domain" else design.degrees_of_freedom
        found.append((key, (wd, weight_sum, int(d.sum()), mean, estimate, degrees)))
    # Every domain's variance in one pass over the design (or over its replicates).
    if not scores:
        variances = iter([])
    elif design.replicates is None:
        variances = iter(design.variances(np.column_stack(scores)))
    else:
        thetas = design.replicate_ratios(np.column_stack([d * y0 for d in masks]),
                                         None if total else np.column_stack(masks).astype(float))
        full = np.array([stats_[4] for _, stats_ in found if stats_ is not None])
        variances = iter(design.replicates.variance(thetas, full, mse=design.mse))
    rows = []
    for key, stats_ in found:
        if stats_ is None:
            rows.append((*key, np.nan, np.nan, np.nan, np.nan, 0, 0.0, np.nan, 0, np.nan, method, 0.0))
            continue
        wd, weight_sum, n, mean, estimate, degrees = stats_
        variance = float(next(variances))
        se = float(np.sqrt(variance))
        n_eff = float(kish_n_eff(weight_sum, (wd**2).sum()))
        # Against SRS without replacement of n from N = sum of weights, as svymean(deff = TRUE).
        deff = _srs_deff(variance, lambda: float((wd * (y0 - mean) ** 2).sum() / weight_sum), n, weight_sum, total)
        rows.append((*key, estimate, se, np.nan, np.nan, n, n_eff, deff, degrees, np.nan, method, float(weight_sum)))
    return pd.DataFrame(rows, columns=[*columns, *RESULT_COLUMNS]).assign(_binary=binary and not total)


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
    df: str = "domain",
    base_weight: str | None = None,
    replicates: ReplicateWeights | None = None,
    mse: bool = False,
) -> pd.DataFrame:
    """Weighted mean (or proportion, for a 0/1 variable) of ``variable``, overall or per domain of ``by``.

    ``weight``, ``strata``, ``psu``, ``fpc`` and ``by`` name columns of ``frame``; ``fpc`` holds the
    population size of the stratum (or the number of population clusters for a one-stage cluster
    design), as in R. ``calibration`` is the margins mapping the weights were raked to (as given to
    ``analyses.weighting.rake``): the standard errors then account for the raking (see the module);
    ``base_weight`` names the design weights the raking started from: the calibration residuals are then
    weighted by them (R's ``calibrate(calfun = "raking")``; without, R's ``rake()``).
    ``replicates`` (``analyses.weighting.replicate_weights`` of these rows) replaces all of these: the estimate
    uses the full-sample weights and the variance the spread of the replicates' estimates (``mse``: around the
    full-sample estimate instead of their mean); ``df`` is then the replicate design's (R's ``degf``).
    ``ci``: "auto" (Korn-Graubard for 0/1, Wald otherwise), "beta" (Korn-Graubard), "logit" or "wald";
    ``df``: "domain" (each domain's own degrees of freedom) or "design" (the whole design's); see the module.

    Returns the ``by`` columns, then ``estimate, se, ci_low, ci_high, n, n_eff, deff, df, n_eff_kg,
    ci_method, weight_sum`` (``n`` unweighted respondents with a value; ``n_eff`` Kish's effective size;
    ``df`` the degrees of freedom of the domain (or design), which the beta and logit intervals use (Wald's z
    does not); ``n_eff_kg`` Korn-Graubard's effective size, for 0/1 variables; ``ci_method`` the interval's;
    ``weight_sum`` the weights of the domain's respondents with a value). Proportions are on a 0-1 scale.
    Rows with a missing ``variable`` are left out as a domain: the design stays whole.
    """
    return _estimate(frame, variable, weight, strata, psu, fpc, calibration, by, ci, level, total=False, df=df,
                     base_weight=base_weight, replicates=replicates, mse=mse)


def survey_means(
    frame: pd.DataFrame,
    variables: Sequence[str],
    *,
    weight: str | None = None,
    strata: str | None = None,
    psu: str | None = None,
    fpc: str | None = None,
    calibration: Margins | None = None,
    by: str | Sequence[str] | None = None,
    ci: str = "auto",
    level: float = 0.95,
    design: Design | None = None,
    df: str = "domain",
    base_weight: str | None = None,
    replicates: ReplicateWeights | None = None,
    mse: bool = False,
) -> pd.DataFrame:
    """``survey_mean`` of several variables in one design (resolved once): the rows of each, with a
    ``variable`` column first. For tables of many indicators. ``design``: the same design arguments
    already resolved on these rows (``Design(frame, weight, strata, psu, fpc, calibration, ...)``)."""
    _checked(ci, df)
    if design is None:
        design = Design(frame, weight, strata, psu, fpc, calibration, base_weight=base_weight,
                        replicates=replicates, mse=mse)
    elif any(a is not None for a in (weight, strata, psu, fpc, calibration, base_weight, replicates)):
        raise ValueError("survey_means: give either design= or the design's columns, not both")
    elif design.n != len(frame) or not design.index.equals(frame.index):
        raise ValueError(f"survey_means: the design's rows ({design.n}) are not the frame's ({len(frame)} rows): "
                         "resolve the design on the same rows, in the same order")
    by_columns = [by] if isinstance(by, str) else list(by or [])
    if design.replicates is not None and len(by_columns) <= 1:
        parts = [_means_by_replicates(design, frame, list(variables), _domain_codes(frame, by), ci)]
    elif design.independent_rows and (not design.groups or design.projection is not None) and len(by_columns) <= 1:
        domains = _domain_codes(frame, by)  # once for every variable
        parts = [_means_by_sums(design, frame, v, domains, ci, df).assign(variable=v) for v in variables]
    else:
        domains = _domains(frame, by)
        parts = [_estimate_in(design, frame, v, domains, ci, False, df).assign(variable=v) for v in variables]
    columns = [*by_columns, *RESULT_COLUMNS]
    if not parts:
        return pd.DataFrame(columns=["variable", *columns])
    # Every variable's and domain's intervals at once.
    return _with_intervals(pd.concat(parts, ignore_index=True), level)[["variable", *columns]]


def _domain_codes(frame: pd.DataFrame, by) -> tuple[list[str], np.ndarray, list[tuple]]:
    columns = [by] if isinstance(by, str) else list(by or [])
    if columns:
        codes, keys = pd.factorize(frame[columns[0]], sort=True)
        return columns, codes, [(k,) for k in keys]
    return columns, np.zeros(len(frame), dtype=np.intp), [()]


def _means_by_replicates(design: Design, frame: pd.DataFrame, variables: list[str], domains, ci: str) -> pd.DataFrame:
    """``_estimate_in`` of several variables at once from replicate weights: the rows sorted by domain once, each
    domain's replicate sums of every variable one matrix product (its rows of the replicate weights by the
    variables' values), not a vector per domain and variable. The rows of each variable, with ``variable``."""
    columns, codes, keys = domains
    k, b = len(keys), len(variables)
    values = np.column_stack([pd.to_numeric(frame[v], errors="coerce").to_numpy(dtype=float) for v in variables]) \
        if b else np.zeros((len(frame), 0))
    observed = ~np.isnan(values)
    y0 = np.where(observed, values, 0.0)
    binary = [bool(o.any()) and bool(np.all((y[o] == 0) | (y[o] == 1))) for y, o in zip(values.T, observed.T)]
    w, valid = design.w, codes >= 0
    # One sparse matrix holds each row's values and observed flags in its domain's rows: its product with the
    # replicate weights is every domain's replicate sums (numerator and denominator) at once. Zeros (a 0 answer,
    # a row outside the universe) are left out: they add nothing, and the product costs its entries x replicates.
    rows = np.flatnonzero(valid)
    targets = codes[rows][:, None] * (2 * b) + np.arange(2 * b)[None, :]
    entries = np.concatenate([y0[rows], observed[rows].astype(float)], axis=1)
    kept = entries != 0
    sums = sparse.csr_matrix((entries[kept], (targets[kept], np.broadcast_to(rows[:, None], kept.shape)[kept])),
                             shape=(k * 2 * b, len(frame)))
    totals = np.asarray(sums @ design.replicate_matrix).T.reshape(-1, k, 2, b)  # replicate x domain x (y, n)
    top, bottom = totals[:, :, 0, :], totals[:, :, 1, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        thetas = np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)

    cells = (codes[rows][:, None] * b + np.arange(b)[None, :]).ravel()  # (domain, variable) of each entry

    def by_domain(weights):  # (k x b) sums over each domain's rows with a value, one bincount for all
        return np.bincount(cells, weights=weights[rows].ravel(), minlength=k * b).reshape(k, b)

    ones = observed.astype(float)
    count, W, Wy = by_domain(ones), by_domain(w[:, None] * ones), by_domain(w[:, None] * y0)
    Wyy, S2 = by_domain(w[:, None] * y0 * y0), by_domain((w * w)[:, None] * ones)
    has = W > 0
    m = np.where(has, Wy / np.where(has, W, 1), np.nan)
    variance = design.replicates.variance(thetas.reshape(len(thetas), -1), m.reshape(-1), mse=design.mse)
    variance = variance.reshape(k, b)
    degrees = design.replicate_degrees
    rows = []
    for j, variable in enumerate(variables):
        method = _method(ci, binary[j])
        for d, key in enumerate(keys):
            if not has[d, j]:
                rows.append((variable, *key, np.nan, np.nan, np.nan, np.nan, 0, 0.0, np.nan, 0, np.nan, method, 0.0,
                             binary[j]))
                continue
            n_d, weight_sum, mean = int(count[d, j]), float(W[d, j]), float(m[d, j])
            deff = _srs_deff(variance[d, j], lambda: float((Wyy[d, j] - 2 * mean * Wy[d, j] + mean**2 * weight_sum)
                                                           / weight_sum), n_d, weight_sum)
            rows.append((variable, *key, mean, float(np.sqrt(max(variance[d, j], 0.0))), np.nan, np.nan, n_d,
                         float(kish_n_eff(weight_sum, S2[d, j])), deff, degrees, np.nan, method, weight_sum, binary[j]))
    return pd.DataFrame(rows, columns=["variable", *columns, *RESULT_COLUMNS, "_binary"])


def _means_by_sums(design: Design, frame: pd.DataFrame, variable: str, domains, ci: str,
                   df: str = "domain") -> pd.DataFrame:
    """``_estimate_in`` for a design of independent rows in one stratum (no strata, PSUs or fpc), from sums.

    The score of a domain mean is z = w d (y - m) / W; with raking, its residual r = z - w X b with
    b = (X'DX)^+ X'D(z / w), D the design weights or 1 (see ``_Projection``); and the variance is
    n/(n-1) (sum r^2 - (sum r)^2 / n). Each term is a sum over the domain, or over a domain and a margin
    category, of 1, y, w^2, w^2 y, w^2 y^2: a few passes over the rows serve every domain, instead of a vector
    of scores per domain."""
    w = design.w
    n = len(w)
    values = frame[variable]
    y = (values.to_numpy(dtype=float, na_value=np.nan) if pd.api.types.is_float_dtype(values)
         else pd.to_numeric(values, errors="coerce").to_numpy(dtype=float))
    observed = ~np.isnan(y)
    binary = bool(observed.any()) and bool(np.all((y[observed] == 0) | (y[observed] == 1)))
    method = _method(ci, binary)
    columns, codes, keys = domains
    k = len(keys)
    valid = observed & (codes >= 0)
    cv, yv, wv = codes[valid], y[valid], w[valid]
    dv = None if design.base is None else design.base[valid]  # the design weights weight the residuals' fit
    w2 = wv * wv

    def by_domain(values):
        return np.bincount(cv, weights=values, minlength=k)

    count, W, Wy, Wyy = by_domain(None), by_domain(wv), by_domain(wv * yv), by_domain(wv * yv * yv)
    S2, S2y, S2yy = by_domain(w2), by_domain(w2 * yv), by_domain(w2 * yv * yv)
    has = W > 0
    m = np.where(has, Wy / np.where(has, W, 1), np.nan)
    safe_w = np.where(has, W, 1)
    z2 = (S2yy - 2 * m * S2y + m * m * S2) / safe_w**2
    total_r = np.zeros(k)
    r2 = z2.copy()
    projection = design.projection
    if projection is not None:
        xu, xwz = [], []
        for i, g in enumerate(projection.groups):
            size = int(projection.offsets[i + 1] - projection.offsets[i])
            key = cv * size + g[valid]

            def cells(values, size=size, key=key):
                return np.bincount(key, weights=values, minlength=k * size).reshape(k, size)

            xu.append((cells(yv if dv is None else dv * yv) - m[:, None] * cells(dv)) / safe_w[:, None])
            xwz.append((cells(w2 * yv) - m[:, None] * cells(w2)) / safe_w[:, None])
        xu, xwz = np.concatenate(xu, axis=1), np.concatenate(xwz, axis=1)
        beta = xu @ projection.inverse.T  # one row of coefficients per domain
        if not hasattr(design, "_w2_cross"):
            design._w2_cross = projection.cross(w * w)
            design._xw = np.concatenate([np.bincount(g, weights=w, minlength=int(projection.offsets[i + 1]
                                                                                 - projection.offsets[i]))
                                         for i, g in enumerate(projection.groups)])
        r2 = z2 - 2 * np.einsum("dc,dc->d", beta, xwz) + np.einsum("dc,ce,de->d", beta, design._w2_cross, beta)
        total_r = -beta @ design._xw
    variance = n / (n - 1) * (r2 - total_r**2 / n) if n > 1 else np.full(k, np.nan)
    rows = []
    for d, key in enumerate(keys):
        if not has[d]:
            rows.append((*key, np.nan, np.nan, np.nan, np.nan, 0, 0.0, np.nan, 0, np.nan, method, 0.0))
            continue
        se = float(np.sqrt(max(variance[d], 0.0)))
        n_d, weight_sum = int(count[d]), float(W[d])
        deff = _srs_deff(variance[d], lambda: float((Wyy[d] - 2 * m[d] * Wy[d] + m[d] ** 2 * W[d]) / W[d]), n_d,
                         weight_sum)
        degrees = n_d - 1 if df == "domain" else design.degrees_of_freedom  # independent rows, one stratum
        rows.append((*key, float(m[d]), se, np.nan, np.nan, n_d, float(kish_n_eff(W[d], S2[d])), deff, degrees,
                     np.nan, method, weight_sum))
    return pd.DataFrame(rows, columns=[*columns, *RESULT_COLUMNS]).assign(_binary=binary)


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
    base_weight: str | None = None,
    replicates: ReplicateWeights | None = None,
    mse: bool = False,
) -> pd.DataFrame:
    """Weighted total of ``variable`` (in persons for a 0/1 variable), with the same design arguments
    and result columns as ``survey_mean``; the interval is Wald."""
    return _estimate(frame, variable, weight, strata, psu, fpc, calibration, by, ci, level, total=True, df="design",
                     base_weight=base_weight, replicates=replicates, mse=mse)
