"""Raking (iterative proportional fitting) of survey weights to population margins.

Weights are in persons: after raking they sum to the population total. The algorithm is the one of
R's ``survey::rake`` (post-stratify on each margin in turn until the margins stop moving; Deville,
Särndal & Sautory 1993, "Generalized raking procedures", JASA 88:1013-1020), vectorised with numpy:
one ``bincount`` per margin and sweep, no loop over respondents. Converged raking has one solution,
so the weights agree with R's to the precision of the stopping rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

Margins = Mapping[str, Mapping[object, float]]  # variable -> category -> population total (persons)
REPLICATE_PREFIX = "repw_"  # replicate weight columns: repw_001, repw_002, ... (as in the microdata exports)


class WeightingError(ValueError):
    """Raking cannot give trustworthy weights; the message says why."""


@dataclass(frozen=True)
class RakingResult:
    weights: pd.Series  # final weights, aligned to the frame's index
    iterations: int  # full sweeps over all margins
    max_margin_error: float  # largest |weighted total - population total| / population total, before trimming
    converged: bool
    n: int
    weight_sum: float
    n_eff: float  # Kish: (sum w)^2 / sum w^2
    deff: float  # design effect due to weighting: n / n_eff = 1 + CV^2 (CV with divisor n)
    min_weight: float
    max_weight: float
    cv: float
    trimmed_low: int = 0  # weights raised to the lower bound
    trimmed_high: int = 0  # weights lowered to the upper bound
    raked_weights: pd.Series | None = None  # before trimming, when trimming was asked for


def replicate_columns(count: int) -> list[str]:
    """The names of ``count`` replicate weight columns, numbered from 1 and zero-padded to at least 3 digits
    (``repw_001``), so they sort in replicate order."""
    width = max(3, len(str(count)))
    return [f"{REPLICATE_PREFIX}{r:0{width}d}" for r in range(1, count + 1)]


@dataclass(frozen=True)
class ReplicateWeights:
    """Replicate weights of a sample (``replicate_weights``): each replicate's analysis weights, raked again
    from its replicate base weights when the full sample is raked, and how their estimates combine into a
    variance: scale x sum_r rscales_r (theta_r - centre)^2, as R's ``svrVar``."""

    weights: pd.DataFrame  # one column per replicate (``replicate_columns``), aligned to the frame's index
    full: pd.Series  # the full sample's analysis weights
    scale: float
    rscales: np.ndarray  # one per replicate
    method: str  # "JKn", "JK1" or "bootstrap"
    seed: int | None = None

    @property
    def count(self) -> int:
        return self.weights.shape[1]

    def variance(self, replicate_estimates: np.ndarray, full_estimate: np.ndarray | float | None = None,
                 mse: bool = False) -> np.ndarray:
        """The variance of each column of ``replicate_estimates`` (replicates x k, one estimate per replicate
        and statistic). Centred on the mean of the replicates with rscales > 0 (R's default), or with ``mse``
        on ``full_estimate``, the full sample's estimates."""
        thetas = np.asarray(replicate_estimates, dtype=float)
        thetas = thetas.reshape(len(thetas), -1)
        if mse:
            if full_estimate is None:
                raise ValueError("variance(mse=True) needs the full sample's estimate")
            centre = np.broadcast_to(np.asarray(full_estimate, dtype=float), thetas.shape[1:])
        else:
            centre = thetas[self.rscales > 0].mean(axis=0)
        return self.scale * (self.rscales[:, None] * (thetas - centre) ** 2).sum(axis=0)


def kish_n_eff(weight_sum: float | np.ndarray, square_sum: float | np.ndarray) -> float | np.ndarray:
    """Kish's effective sample size (respondents): ``(sum w)^2 / sum w^2`` (Kish 1992, "Weighting for
    unequal Pi", Journal of Official Statistics 8:183-200). Takes the two sums, not the weights: the callers
    sum in their own way (one total, or one per domain with ``bincount``), and a number they publish must
    not move by a rounding. Scalars or numpy arrays of sums, one per domain."""
    return weight_sum**2 / square_sum


def category_codes(column: pd.Series, labels: list) -> np.ndarray:
    """The position of each value in ``labels``, -1 where it has none (or is missing). Factorises once
    (hashed, on the bare array) and maps only the few distinct values."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        observed_codes, observed = column.cat.codes.to_numpy(), column.cat.categories
    else:
        observed_codes, observed = pd.factorize(column.to_numpy(), use_na_sentinel=True)
    position = {label: i for i, label in enumerate(labels)}
    lookup = np.array([position.get(value, -1) for value in observed] + [-1], dtype=np.intp)
    return lookup[observed_codes]  # code -1 (missing) picks the trailing -1


def _codes(frame: pd.DataFrame, margins: Margins) -> list[tuple[str, np.ndarray, np.ndarray]]:
    if not margins:
        raise WeightingError("no margins to rake to")
    totals = {variable: float(sum(cats.values())) for variable, cats in margins.items()}
    reference = next(iter(totals.values()))
    inconsistent = {v: t for v, t in totals.items() if not np.isclose(t, reference, rtol=1e-6, atol=0)}
    if inconsistent:
        raise WeightingError(
            "margins are inconsistent: their totals differ ("
            + ", ".join(f"{v}: {t:g}" for v, t in totals.items()) + "); rescale them to one control total")
    out = []
    for variable, categories in margins.items():
        if variable not in frame.columns:
            raise WeightingError(f"margin variable {variable!r} is not a column of the data")
        labels = list(categories)
        targets = np.array([float(categories[c]) for c in labels])
        if (targets <= 0).any() or not np.isfinite(targets).all():
            raise WeightingError(f"margin {variable!r}: population totals must be positive numbers")
        codes = category_codes(frame[variable], labels)
        if (codes < 0).any():
            unknown = sorted({str(v) for v in frame.loc[codes < 0, variable]})
            raise WeightingError(f"margin {variable!r}: {int((codes < 0).sum())} respondents have a value with no "
                                 f"population total ({', '.join(unknown[:10])}); collapse or impute it first")
        counts = np.bincount(codes, minlength=len(labels))
        empty = [str(labels[i]) for i in np.flatnonzero(counts == 0)]
        if empty:
            raise WeightingError(f"margin {variable!r}: no respondents in population category "
                                 f"{', '.join(empty)}; collapse it into a neighbouring category")
        out.append((variable, codes.astype(np.intp), targets))
    return out


def _errors(w: np.ndarray, codes: list[tuple[str, np.ndarray, np.ndarray]]) -> float:
    return max(float(np.max(np.abs(np.bincount(c, weights=w, minlength=len(t)) - t) / t)) for _, c, t in codes)


def _base_weights(frame: pd.DataFrame, base_weight: str | None) -> np.ndarray:
    if base_weight is None:
        return np.ones(len(frame))
    w = frame[base_weight].to_numpy(dtype=float).copy()
    if not np.isfinite(w).all() or (w <= 0).any():
        raise WeightingError(f"base weight {base_weight!r} must be positive and finite for every respondent")
    return w


def _sweep(w: np.ndarray, codes: list[tuple[str, np.ndarray, np.ndarray]], tol: float,
           max_iter: int) -> tuple[int, float]:
    """Rakes ``w`` in place until the largest relative margin error is below ``tol`` or ``max_iter`` sweeps
    are done; returns the sweeps and that error (converged when it is below ``tol``). Zero weights stay zero:
    every category must hold some weight (the callers check)."""
    # Each sweep measures every margin just before adjusting it: when all were already within ``tol``,
    # the weights have converged (and that sweep moved them by less than ``tol``).
    iterations, error = 0, np.inf
    while error >= tol and iterations < max_iter:
        error = 0.0
        for _, c, t in codes:
            sums = np.bincount(c, weights=w, minlength=len(t))
            error = max(error, float(np.max(np.abs(sums - t) / t)))
            w *= (t / sums)[c]
        iterations += 1
    return iterations, error


def _check_trim(trim: tuple[float, float]) -> tuple[float, float]:
    low, high = trim
    if not 0 < low < 1 < high:
        raise WeightingError(f"trim bounds must satisfy 0 < low < 1 < high, got {trim}")
    return low, high


def _trim(w: np.ndarray, trim: tuple[float, float]) -> tuple[int, int]:
    """Bounds the positive weights of ``w`` (in place) to [low, high] x their mean and spreads the trimmed
    amount equally over the untrimmed positive weights, in one pass (R's ``trimWeights(strict = FALSE)``).
    Zero weights (respondents a replicate leaves out) stay zero and do not count in the mean: a replicate's
    mean weight is that of its own respondents, as the full sample's is of all respondents. Returns how
    many weights were raised and lowered."""
    low, high = _check_trim(trim)
    positive = w > 0
    mean = w[positive].mean()
    lower, upper = low * mean, high * mean
    below, above = positive & (w < lower), w > upper
    low_count, high_count = int(below.sum()), int(above.sum())
    if low_count or high_count:
        excess = float(w[above].sum() - upper * high_count) - float(lower * low_count - w[below].sum())
        w[below], w[above] = lower, upper
        inside = positive & ~(below | above)
        w[inside] += excess / inside.sum()
    return low_count, high_count


def rake(
    frame: pd.DataFrame,
    margins: Margins,
    *,
    base_weight: str | None = None,
    max_iter: int = 100,
    tol: float = 1e-10,
    trim: tuple[float, float] | None = None,
) -> RakingResult:
    """Rake ``frame`` to ``margins`` ({variable: {category: population total}}).

    ``base_weight`` names a column of design weights (equal weights when None). Stops when the largest
    relative margin error is below ``tol``; raises ``WeightingError`` after ``max_iter`` sweeps without
    getting there, and when a population category has no respondents, a respondent's category has no
    population total, or the margins' totals disagree. ``trim=(low, high)`` bounds the weights to
    [low, high] x their mean and spreads the trimmed amount equally over the untrimmed weights, in one
    pass, as R's ``trimWeights(strict = FALSE)``; the margins then hold only approximately.
    """
    return _rake(frame, _codes(frame, margins), base_weight=base_weight, max_iter=max_iter, tol=tol, trim=trim)


def _rake(frame: pd.DataFrame, codes: list[tuple[str, np.ndarray, np.ndarray]], *, base_weight: str | None,
          max_iter: int, tol: float, trim: tuple[float, float] | None) -> RakingResult:
    n = len(frame)
    w = _base_weights(frame, base_weight)
    iterations, error = _sweep(w, codes, tol, max_iter)
    if error >= tol:
        raise WeightingError(f"raking did not converge in {max_iter} iterations: the largest margin error "
                             f"is still {error:.3g} (relative); check the margins and sparse categories")
    error = _errors(w, codes)
    raked = w.copy()
    low_count = high_count = 0
    if trim is not None:
        low_count, high_count = _trim(w, trim)
    total = float(w.sum())
    n_eff = kish_n_eff(total, float(np.square(w).sum()))
    index = frame.index
    return RakingResult(
        weights=pd.Series(w, index=index, name="weight"),
        iterations=iterations,
        max_margin_error=error,
        converged=True,
        n=n,
        weight_sum=total,
        n_eff=n_eff,
        deff=n / n_eff,
        min_weight=float(w.min()),
        max_weight=float(w.max()),
        cv=float(w.std() / w.mean()),
        trimmed_low=low_count,
        trimmed_high=high_count,
        raked_weights=pd.Series(raked, index=index, name="raked_weight") if trim is not None else None,
    )
