"""Raking (iterative proportional fitting) of survey weights to population margins.

Weights are in persons: after raking they sum to the population total. The algorithm is the one of
R's ``survey::rake`` (post-stratify on each margin in turn until the margins stop moving; Deville,
Särndal & Sautory 1993, "Generalized raking procedures", JASA 88:1013-1020), vectorised with numpy:
one ``bincount`` per margin and sweep, no loop over respondents. Converged raking has one solution,
so the weights agree with R's to the precision of the stopping rule.

``replicate_weights`` makes jackknife or bootstrap replicate weights of a (stratified, clustered) sample
and rakes every replicate again, as R's ``rake`` does on an ``as.svrepdesign`` design: the replicates'
spread then carries the raking's own variance (Valliant, Dever & Kreuter 2018, "Practical Tools for Designing
and Weighting Survey Samples", 2nd ed., ch. 15).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

Margins = Mapping[str, Mapping[object, float]]  # variable -> category -> population total (persons)
REPLICATE_PREFIX = "repw_"  # replicate weight columns: repw_001, repw_002, ... (as in the microdata exports)
MAX_REPLICATE_BYTES = 2 * 1024**3  # largest n x R matrix of replicate weights (float64) replicate_weights makes
BOOTSTRAP_REPLICATES = 200  # replicate_weights' bootstrap default (R's as.svrepdesign: 50)


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
    seed: int | None = None  # the bootstrap's seed (drawn and kept when none was given); None for the jackknife
    iterations: np.ndarray | None = None  # raking sweeps of each replicate (None when not raked)
    max_margin_error: float | None = None  # largest relative margin error of any replicate, before trimming

    @property
    def count(self) -> int:
        return self.weights.shape[1]

    @functools.cached_property
    def degrees_of_freedom(self) -> int:
        """R's ``degf`` of a replicate design: the rank of its replicate weights less one, whatever subset is
        estimated on. The rank from the singular values of the weights' R factor (one QR of n x R, not an SVD
        of it), counted with numpy's ``matrix_rank`` tolerance."""
        matrix = self.weights.to_numpy(dtype=float)
        if not matrix.size:
            return 0
        triangle = np.linalg.qr(matrix, mode="r") if matrix.shape[0] > matrix.shape[1] else matrix
        values = np.linalg.svd(triangle, compute_uv=False)
        tolerance = values.max(initial=0.0) * max(matrix.shape) * np.finfo(float).eps
        return int((values > tolerance).sum()) - 1

    def variance(self, replicate_estimates: np.ndarray, full_estimate: np.ndarray | float | None = None,
                 mse: bool = False) -> np.ndarray:
        """The variance of each column of ``replicate_estimates`` (replicates x k, one estimate per replicate
        and statistic). Centred on the mean of the replicates with rscales > 0 (R's default), or with ``mse``
        on ``full_estimate``, the full sample's estimates."""
        centred = self._centred(replicate_estimates, full_estimate, mse)
        return self.scale * (self.rscales[:, None] * centred**2).sum(axis=0)

    def covariance(self, replicate_estimates: np.ndarray, full_estimate: np.ndarray | None = None,
                   mse: bool = False) -> np.ndarray:
        """The covariance matrix of the columns of ``replicate_estimates`` (``variance`` is its diagonal)."""
        centred = self._centred(replicate_estimates, full_estimate, mse)
        return self.scale * (centred.T * self.rscales) @ centred

    def _centred(self, replicate_estimates, full_estimate, mse: bool) -> np.ndarray:
        thetas = np.asarray(replicate_estimates, dtype=float)
        thetas = thetas.reshape(len(thetas), -1)
        if mse:
            if full_estimate is None:
                raise ValueError("variance(mse=True) needs the full sample's estimate")
            centre = np.broadcast_to(np.asarray(full_estimate, dtype=float), thetas.shape[1:])
        else:
            centre = thetas[self.rscales > 0].mean(axis=0)
        return thetas - centre


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
           max_iter: int) -> tuple[int, float, tuple[int, int]]:
    """Rakes ``w`` in place until the largest relative margin error is below ``tol`` or ``max_iter`` sweeps
    are done; returns the sweeps, that error (converged when it is below ``tol``) and where the last sweep
    found it (margin, category). Zero weights stay zero: every category must hold some weight (the callers
    check)."""
    # Each sweep measures every margin just before adjusting it: when all were already within ``tol``,
    # the weights have converged (and that sweep moved them by less than ``tol``).
    iterations, error, where = 0, np.inf, (0, 0)
    while error >= tol and iterations < max_iter:
        error = 0.0
        for m, (_, c, t) in enumerate(codes):
            sums = np.bincount(c, weights=w, minlength=len(t))
            relative = np.abs(sums - t) / t
            i = int(np.argmax(relative))
            if relative[i] > error:
                error, where = float(relative[i]), (m, i)
            w *= (t / sums)[c]
        iterations += 1
    return iterations, error, where


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
    iterations, error, _ = _sweep(w, codes, tol, max_iter)
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


@dataclass(frozen=True)
class _Design:
    """PSUs numbered stratum by stratum (strata in order of first appearance, PSUs in order of first
    appearance within their stratum: the order of R's ``jknweights`` replicates)."""

    psu: np.ndarray  # each row's PSU
    first_row: np.ndarray  # each PSU's first row
    sizes: np.ndarray  # n_h: sampled PSUs of each stratum
    starts: np.ndarray  # first PSU of each stratum
    population: np.ndarray | None  # N_h: PSUs of each stratum in the population (fpc)
    labels: list  # each stratum's value

    def stratum_name(self, h: int) -> str:
        return "the sample" if self.labels == [None] else f"stratum {self.labels[h]!r}"


def _column(frame: pd.DataFrame, name: str, role: str) -> pd.Series:
    if name not in frame.columns:
        raise WeightingError(f"{role} {name!r} is not a column of the data")
    missing = int(frame[name].isna().sum())
    if missing:
        raise WeightingError(f"{role} {name!r} is missing for {missing} respondents; every respondent needs one")
    return frame[name]


def _design(frame: pd.DataFrame, strata: str | None, psu: str | None, fpc: str | None) -> _Design:
    n = len(frame)
    if n == 0:
        raise WeightingError("no respondents to make replicate weights of")
    if strata is None:
        row_stratum, labels = np.zeros(n, dtype=np.intp), [None]
    else:
        row_stratum, uniques = pd.factorize(_column(frame, strata, "strata").to_numpy(), sort=False)
        labels = list(uniques)
    raw = np.arange(n) if psu is None else pd.factorize(_column(frame, psu, "psu").to_numpy(), sort=False)[0]
    # PSUs are nested in strata (R's nest = TRUE): a PSU label used in two strata is two PSUs.
    appearance = pd.factorize(row_stratum * (int(raw.max()) + 1) + raw, sort=False)[0]
    first_row = np.unique(appearance, return_index=True)[1]
    order = np.argsort(row_stratum[first_row], kind="stable")  # stratum by stratum, keeping first appearance
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    first_row = first_row[order]
    sizes = np.bincount(row_stratum[first_row], minlength=len(labels))
    design = _Design(rank[appearance], first_row, sizes, np.concatenate([[0], np.cumsum(sizes)[:-1]]), None, labels)
    if fpc is None:
        return design
    values = pd.to_numeric(_column(frame, fpc, "fpc"), errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise WeightingError(f"fpc {fpc!r} must be a number (the population size) for every respondent")
    bounds = pd.Series(values).groupby(row_stratum).agg(["min", "max"]).to_numpy()
    for h in np.flatnonzero(bounds[:, 0] != bounds[:, 1]):
        raise WeightingError(f"fpc {fpc!r} must be one population size per stratum: {design.stratum_name(h)} "
                             f"has several ({bounds[h, 0]:g} and {bounds[h, 1]:g})")
    for h in np.flatnonzero(bounds[:, 0] < sizes):
        raise WeightingError(
            f"fpc {fpc!r}: {design.stratum_name(h)} has {sizes[h]} sampled PSUs but a population of "
            f"{bounds[h, 0]:g}; fpc is the population's number of PSUs (of persons when each respondent is a "
            "PSU), not a sampling fraction")
    return replace(design, population=bounds[:, 0])


def _no_lonely_psu(design: _Design, keep: np.ndarray) -> None:
    for h in np.flatnonzero(keep & (design.sizes < 2)):
        raise WeightingError(
            f"{design.stratum_name(h)} has only one PSU: no replicate can leave it out and keep the stratum's "
            "estimate; collapse it with a similar stratum (R's survey stops here too, survey.lonely.psu = 'fail')")


def _replicate_fault(frame: pd.DataFrame, design: _Design, deleted: np.ndarray | None, r: int, count: int,
                     psu: str | None) -> str:
    name = f"replicate {r + 1} ({replicate_columns(count)[r]}"
    if deleted is None:
        return name + ")"
    row = design.first_row[deleted[r]]
    what = f"respondent {frame.index[row]!r}" if psu is None else f"PSU {frame[psu].iloc[row]!r}"
    return f"{name}, without {what})"


def replicate_weights(
    frame: pd.DataFrame,
    margins: Margins | None,
    *,
    base_weight: str | None,
    strata: str | None = None,
    psu: str | None = None,
    fpc: str | None = None,
    method: str = "jackknife",
    replicates: int | None = None,
    seed: int | None = None,
    trim: tuple[float, float] | None = None,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> ReplicateWeights:
    """Replicate weights of a sample, each replicate raked again to ``margins``, as R's ``survey::rake`` rakes
    the replicates of an ``as.svrepdesign`` design.

    ``base_weight`` names the design weights (persons; None: all 1). ``strata`` and ``psu`` name the design's
    strata and primary sampling units (None: one stratum; each respondent its own PSU); PSUs are nested in
    strata. ``fpc`` names each stratum's population size N_h in PSUs (persons when each respondent is a PSU),
    as R's ``svydesign(fpc = )``; f_h = n_h / N_h.

    ``method="jackknife"``, with strata (JKn, R's ``jknweights``): one replicate per PSU, which gets weight 0
    while the other PSUs of its stratum are multiplied by n_h / (n_h - 1); scale 1, rscales
    (1 - f_h)(n_h - 1) / n_h. Without strata (JK1, R's ``jk1weights``): scale (1 - f)(n - 1) / n, rscales 1.
    Replicates are in R's order (strata, then PSUs within a stratum, by first appearance). A stratum sampled
    whole (N_h = n_h) gets no replicate (it has no sampling variance: R drops them, survey.drop.replicates);
    any other stratum with a single PSU is refused, as R's default ``survey.lonely.psu = "fail"`` does.
    ``replicates`` must be None (the PSUs decide). ``seed`` is not used.

    ``method="bootstrap"``: Rao and Wu's rescaling bootstrap with n_h - 1 PSUs drawn with replacement in
    each stratum (Rao & Wu 1988, "Resampling inference with complex survey data", JASA 83:231-241; Rao, Wu &
    Yue 1992, Survey Methodology 18:209-217), as R's ``subbootweights`` (``as.svrepdesign(type =
    "subbootstrap")``): a PSU drawn k times has its weights multiplied by k n_h / (n_h - 1); scale
    1 / (R - 1), rscales 1, no finite population correction (``fpc`` is refused). ``replicates`` defaults to
    200 (``BOOTSTRAP_REPLICATES``). The draws come from ``numpy.random.default_rng(seed)``: the same seed
    gives the same weights, but not R's (its generator differs). Without a seed one is drawn and kept in
    ``.seed``, so any result can be made again.

    Each replicate's base weights (design weight x multiplier) are raked to ``margins`` as ``rake`` rakes the
    full sample (same ``tol`` and ``max_iter``; every replicate must converge on its own, where R only checks
    the full sample); weights of 0 stay 0. ``margins=None``: no raking, the replicates' base weights are the
    analysis weights. ``trim=(low, high)`` then trims each replicate as ``rake`` trims the full sample, with
    bounds from the mean of the replicate's own nonzero weights (its respondents' mean weight, as the full
    sample's bounds come from all its respondents'); zero weights stay zero. (R's ``trimWeights`` for
    replicate designs uses the full sample's bounds and raises the zeros; it is not followed.)

    ``.full`` is the full sample's weights: ``rake(frame, margins, base_weight=..., trim=...)``'s (or the
    base weights, trimmed when asked, without margins). Raises ``WeightingError`` naming the replicate and
    the margin category when a replicate leaves a category without weight or does not converge, and when
    the weights would take more than 2 GiB (n x R x 8 bytes).
    """
    if method not in ("jackknife", "bootstrap"):
        raise WeightingError(f"method must be 'jackknife' or 'bootstrap', got {method!r}")
    if trim is not None:
        _check_trim(trim)
    codes = _codes(frame, margins) if margins is not None else []
    base = _base_weights(frame, base_weight)
    design = _design(frame, strata, psu, fpc)
    if method == "jackknife":
        if replicates is not None:
            raise WeightingError(f"the jackknife makes one replicate per PSU; replicates={replicates} is for the "
                                 "bootstrap")
        kind, scale, rscales, deleted = _jackknife(design, stratified=strata is not None)
        count, seed, multipliers = len(deleted), None, _jackknife_multipliers(design, deleted)
    else:
        if fpc is not None:
            raise WeightingError("the Rao-Wu bootstrap has no finite population correction: leave out fpc, or use "
                                 "the jackknife")
        count = BOOTSTRAP_REPLICATES if replicates is None else int(replicates)
        if count < 2:
            raise WeightingError(f"the bootstrap needs at least 2 replicates, got {replicates}")
        _no_lonely_psu(design, np.ones(len(design.sizes), dtype=bool))
        # A drawn seed is kept in the warehouse's BIGINT: 63 bits.
        seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> 1) if seed is None else seed
        kind, scale, rscales, deleted = "bootstrap", 1 / (count - 1), np.ones(count), None
        multipliers = _bootstrap_multipliers(design, count, seed)
    n = len(frame)
    if n * count * 8 > MAX_REPLICATE_BYTES:
        raise WeightingError(
            f"{count} replicates of {n} respondents would take {n * count * 8 / 2**30:.1f} GiB of weights (more "
            f"than {MAX_REPLICATE_BYTES / 2**30:.0f} GiB): use method='bootstrap' with fewer replicates"
            + (" (the jackknife makes one per PSU)" if method == "jackknife" else ""))
    if codes:
        full = _rake(frame, codes, base_weight=base_weight, max_iter=max_iter, tol=tol, trim=trim).weights
    else:
        w = base.copy()
        if trim is not None:
            _trim(w, trim)
        full = pd.Series(w, index=frame.index, name="weight")

    # One replicate at a time, each a row of an R x n array (the DataFrame then wraps it without a copy): a
    # replicate's weights stay in cache through its sweeps, and nothing bigger than the result is held.
    out = np.empty((count, n))
    iterations = np.zeros(count, dtype=np.intp)
    worst = 0.0
    for r, multiplier in enumerate(multipliers):
        w = out[r]
        np.multiply(base, multiplier[design.psu], out=w)
        if codes:
            fault = functools.partial(_replicate_fault, frame, design, deleted, r, count, psu)
            for variable, c, t in codes:
                empty = np.flatnonzero(np.bincount(c, weights=w, minlength=len(t)) == 0)
                if len(empty):
                    raise WeightingError(
                        f"{fault()} leaves no weight in margin {variable!r} category "
                        f"{list(margins[variable])[empty[0]]!r}, so it cannot be raked to that category's total; "
                        "collapse the category into a neighbouring one")
            iterations[r], error, (m, i) = _sweep(w, codes, tol, max_iter)
            if error >= tol:
                variable = codes[m][0]
                raise WeightingError(f"{fault()}: raking did not converge in {max_iter} iterations: margin "
                                     f"{variable!r} category {list(margins[variable])[i]!r} was still off by "
                                     f"{error:.3g} (relative) in the last sweep; check the margins and sparse "
                                     "categories")
            worst = max(worst, _errors(w, codes))
        if trim is not None:
            _trim(w, trim)
    weights = pd.DataFrame(out.T, index=frame.index, columns=replicate_columns(count), copy=False)
    return ReplicateWeights(weights=weights, full=full, scale=scale, rscales=rscales, method=kind, seed=seed,
                            iterations=iterations if codes else None, max_margin_error=worst if codes else None)


def _jackknife(design: _Design, stratified: bool) -> tuple[str, float, np.ndarray, np.ndarray]:
    """The jackknife's kind, scale and rscales, and the PSU each replicate deletes (R's ``jknweights`` and
    ``jk1weights`` with fpctype "population")."""
    sizes = design.sizes
    sampled = sizes / design.population if design.population is not None else np.zeros(len(sizes))
    keep = sampled < 1  # a stratum sampled whole has no sampling variance: no replicate, as in R
    if not keep.any():
        raise WeightingError("every stratum was sampled whole (fpc = its sample size): there is no sampling "
                             "variance to replicate")
    _no_lonely_psu(design, keep)
    deleted = np.flatnonzero(np.repeat(keep, sizes))  # PSUs are numbered stratum by stratum
    shrink = ((1 - sampled) * (sizes - 1) / sizes)[np.repeat(np.arange(len(sizes)), sizes)[deleted]]
    if stratified:
        return "JKn", 1.0, shrink, deleted
    return "JK1", float(shrink[0]), np.ones(len(deleted)), deleted


def _jackknife_multipliers(design: _Design, deleted: np.ndarray) -> Iterator[np.ndarray]:
    """Each replicate's PSU multipliers: 0 for its deleted PSU, n_h / (n_h - 1) for the rest of its
    stratum, 1 elsewhere. One array, rewritten for each replicate."""
    multiplier = np.ones(int(design.sizes.sum()))
    ends = design.starts + design.sizes
    for p in deleted:
        h = int(np.searchsorted(ends, p, side="right"))
        multiplier[:] = 1.0
        multiplier[design.starts[h]:ends[h]] = design.sizes[h] / (design.sizes[h] - 1)
        multiplier[p] = 0.0
        yield multiplier


def _bootstrap_multipliers(design: _Design, count: int, seed: int) -> Iterator[np.ndarray]:
    """Each replicate's PSU multipliers: n_h - 1 PSUs drawn with replacement in each stratum, a PSU drawn k
    times multiplied by k n_h / (n_h - 1) (R's ``subbootstratum``). Replicate after replicate from one
    generator: a seed's first k replicates are the same whatever the count."""
    rng = np.random.default_rng(seed)
    sizes = design.sizes
    draws = np.repeat(sizes, sizes - 1)  # each draw's stratum size
    offsets = np.repeat(design.starts, sizes - 1)  # each draw's stratum's first PSU
    rescale = np.repeat(sizes / (sizes - 1), sizes)
    for _ in range(count):
        yield np.bincount(offsets + rng.integers(0, draws), minlength=len(rescale)) * rescale
