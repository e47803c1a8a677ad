"""Statistics for small unweighted samples: exact and score intervals for a proportion, Fisher's exact test.

Pure functions on counts (no weights, no design): for a panel of a few dozen parents or a table of counts where
the survey estimators' large-sample intervals and chi-squared tests do not hold. Proportions are on 0-1. Each
function equals the R function its docstring names (tests/fixtures/r_small, made by make_expected.R).
"""

from typing import Literal

import numpy as np
from scipy import special, stats
from scipy.stats.contingency import odds_ratio

# R's fisher.test counts a table as "no more probable" than the observed within a relative tolerance: 1e-7 for
# 2 x 2 (its relErr), FEXACT's 3.45254e-7 on the log scale for larger tables. Exact ties (symmetric tables) are
# then counted although their floating-point probabilities differ in the last digits.
_REL_TOL_2X2 = 1e-7
_LOG_TOL_RXC = 3.45254e-7
MAX_TABLES = 1_000_000
"""The most tables with the observed margins `fisher_test` enumerates (under a second and about 150 MB at this size)."""
_CHUNK = 4_000_000


def proportion_interval(
    x: int | np.ndarray,
    n: int | np.ndarray,
    *,
    method: Literal["clopper-pearson", "wilson"] = "clopper-pearson",
    level: float = 0.95,
) -> tuple[float, float] | tuple[np.ndarray, np.ndarray]:
    """Two-sided confidence interval for a proportion x / n of a simple random sample, on 0-1.

    x and n are counts (integers, 0 <= x <= n), scalars or arrays that broadcast (a whole table in one call);
    arrays in give arrays out. n = 0 gives NaN limits: no respondent, no interval.

    - ``"clopper-pearson"``: the exact interval from beta quantiles, low = Beta(a/2; x, n - x + 1) and
      high = Beta(1 - a/2; x + 1, n - x), with low = 0 at x = 0 and high = 1 at x = n (Clopper and Pearson 1934,
      Biometrika 26, p. 404); R's ``binom.test(x, n, conf.level = level)$conf.int``. Never narrower than asked for.
    - ``"wilson"``: the score interval, (p + z^2/2n +- z sqrt(p(1 - p)/n + z^2/4n^2)) / (1 + z^2/n) with
      z = Phi^-1(1 - a/2) (Wilson 1927, JASA 22, p. 209); R's ``prop.test(x, n, correct = FALSE)$conf.int``.
      It holds 0 at x = 0 and 1 at x = n too, and is shorter than Clopper-Pearson.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, not {level!r}")
    if method not in ("clopper-pearson", "wilson"):
        raise ValueError(f"method must be 'clopper-pearson' or 'wilson', not {method!r}")
    scalar = np.ndim(x) == 0 and np.ndim(n) == 0
    x_arr, n_arr = _counts(x, "x"), _counts(n, "n")
    x_arr, n_arr = np.broadcast_arrays(x_arr, n_arr)
    if np.any(x_arr > n_arr):
        raise ValueError("x must not exceed n")
    alpha = 1 - level
    empty = n_arr == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "clopper-pearson":
            low = np.where(x_arr == 0, 0.0, stats.beta.ppf(alpha / 2, x_arr, n_arr - x_arr + 1))
            high = np.where(x_arr == n_arr, 1.0, stats.beta.ppf(1 - alpha / 2, x_arr + 1, n_arr - x_arr))
        else:
            z = stats.norm.ppf(1 - alpha / 2)
            p = x_arr / n_arr
            z22n = z**2 / (2 * n_arr)
            half = z * np.sqrt(p * (1 - p) / n_arr + z22n / (2 * n_arr))
            # R sets the limit at 0 (1) exactly where p is; the formula gives it up to rounding
            low = np.where(x_arr == 0, 0.0, (p + z22n - half) / (1 + 2 * z22n))
            high = np.where(x_arr == n_arr, 1.0, (p + z22n + half) / (1 + 2 * z22n))
    low, high = np.where(empty, np.nan, low), np.where(empty, np.nan, high)
    if scalar:
        return float(low), float(high)
    return low, high


def fisher_test(table: np.ndarray | list[list[int]], *, max_tables: int = MAX_TABLES) -> dict[str, object]:
    """Fisher's exact test of independence for an r x c table of counts, as R's ``fisher.test(table)``.

    The p-value is two-sided: the total probability, under independence with the row and column sums fixed
    (the multivariate hypergeometric), of every table no more probable than the observed one, within R's
    relative tolerance (1e-7 for 2 x 2, FEXACT's 3.45254e-7 otherwise). It is computed by enumerating every
    table with the observed margins, for all sizes (R uses the network algorithm, FEXACT: Mehta and Patel 1986,
    ACM TOMS 12, p. 154, for larger tables; same sum). Beyond ``max_tables`` tables a ValueError is raised:
    a simulated p-value is not offered.

    Returns a dict with ``p_value``, ``n_tables`` (tables enumerated) and ``shape``; for a 2 x 2 table also
    ``odds_ratio``, the conditional maximum-likelihood estimate (not ad/bc), and ``ci_low``/``ci_high``, its
    exact 95% interval (Cornfield 1956; scipy's ``odds_ratio(kind="conditional")``). The estimate is 0 or inf
    where the observed cell is at the edge of its range, with the interval's matching end 0 or inf. For a table
    with an empty row or column (p = 1, interval 0 to inf) the estimate is NaN, where R returns 0.
    """
    counts = np.asarray(table)
    if counts.ndim != 2 or min(counts.shape) < 2:
        raise ValueError(f"table must be two-dimensional with at least 2 rows and 2 columns, not shape {counts.shape}")
    counts = _counts(counts, "table").astype(np.int64)
    if counts.sum() == 0:
        raise ValueError("table has no counts")
    if counts.shape == (2, 2):
        log_tol = np.log1p(_REL_TOL_2X2)
    else:
        log_tol = _LOG_TOL_RXC
    p_value, n_tables = _exact_p(counts, log_tol, max_tables)
    result: dict[str, object] = {"p_value": p_value, "n_tables": n_tables, "shape": counts.shape}
    if counts.shape == (2, 2):
        estimate = odds_ratio(counts, kind="conditional")
        ci = estimate.confidence_interval(confidence_level=0.95)
        result |= {"odds_ratio": float(estimate.statistic), "ci_low": float(ci.low), "ci_high": float(ci.high)}
    return result


def _counts(values, name: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise ValueError(f"{name} must hold whole counts")
        arr = arr.astype(np.int64)
    elif arr.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold whole counts, not {arr.dtype}")
    if np.any(arr < 0):
        raise ValueError(f"{name} must not be negative")
    return arr


def _compositions(total: int, caps: np.ndarray) -> np.ndarray:
    """Every vector of non-negative integers summing to `total` with entry i at most caps[i] (K x len(caps))."""
    if len(caps) == 1:
        return np.array([[total]] if total <= caps[0] else [], dtype=np.int64).reshape(-1, 1)
    blocks = []
    for first in range(min(total, int(caps[0])) + 1):
        rest = _compositions(total - first, caps[1:])
        blocks.append(np.column_stack([np.full(len(rest), first, dtype=np.int64), rest]))
    return np.concatenate(blocks)


def _exact_p(counts: np.ndarray, log_tol: float, max_tables: int) -> tuple[float, int]:
    # The set of tables is the same transposed; fewer rows means fewer compositions per column.
    if counts.shape[0] > counts.shape[1]:
        counts = counts.T
    row_sums, col_sums = counts.sum(axis=1), counts.sum(axis=0)
    columns = [_compositions(int(c), row_sums) for c in col_sums[:-1]]
    log_fact = special.gammaln(np.arange(counts.sum() + 1) + 1)
    log_const = log_fact[row_sums].sum() + log_fact[col_sums].sum() - log_fact[counts.sum()]
    # Breadth-first over all but the last column: the remaining row sums and the sum of log(cell!) so far.
    remaining = row_sums[None, :]
    partial = np.zeros(1)
    for comps in columns:
        comp_log = log_fact[comps].sum(axis=1)
        step = max(1, _CHUNK // len(comps))  # bounds the states x compositions mask in memory
        parts_p, parts_r = [], []
        for start in range(0, len(remaining), step):
            block = remaining[start:start + step]
            state, comp = np.nonzero(np.all(comps[None, :, :] <= block[:, None, :], axis=2))
            parts_p.append(partial[start + state] + comp_log[comp])
            parts_r.append(block[state] - comps[comp])
            # Every partial table completes to at least one table: more partial ones, more tables.
            if sum(map(len, parts_r)) > max_tables:
                raise ValueError(
                    f"the {counts.shape[0]} x {counts.shape[1]} table's margins allow more than {max_tables} tables, "
                    "the most fisher_test enumerates; merge categories (a simulated p-value is not offered)")
        partial, remaining = np.concatenate(parts_p), np.concatenate(parts_r)
    log_p = log_const - partial - log_fact[remaining].sum(axis=1)  # the last column is what remains
    observed = log_const - log_fact[counts].sum()
    p_value = float(np.exp(log_p[log_p <= observed + log_tol]).sum())
    return min(p_value, 1.0), int(log_p.size)
