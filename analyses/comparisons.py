"""Comparisons between groups (neighbourhoods, waves) with their tests and effect sizes.

pingouin's tests (chi-square of independence, Welch ANOVA, Kruskal-Wallis, pairwise tests with Holm's
correction) treat the respondents as a simple random sample: they ignore the weights and the design, and say
so in their ``note``. ``rao_scott`` is the design-based test for a weighted two-way table, as R's
``svychisq``: Pearson's X^2 of the table scaled to the sample size, corrected by the design effects of the
cell proportions (second-order, an F test; and the first-order chi-square), with calibration-aware
covariances for raked weights.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analyses.estimates import Design, Margins
from analyses.small_samples import fisher_test

IGNORES_WEIGHTS = "unweighted: treats the respondents as a simple random sample"
DESIGN_BASED = "design-based: weights, raking and design taken into account"
Z95 = stats.norm.ppf(0.975)


def _treatment(codes: np.ndarray, levels: int) -> np.ndarray:
    return np.stack([(codes == i).astype(float) for i in range(1, levels)], axis=1) if levels > 1 else \
        np.zeros((len(codes), 0))


def rao_scott(frame: pd.DataFrame, row: str, column: str, *, weight: str | None = None, strata: str | None = None,
              psu: str | None = None, fpc: str | None = None, calibration: Margins | None = None,
              design: Design | None = None) -> dict:
    """Rao-Scott test of independence of ``row`` and ``column`` in a weighted table (R's ``svychisq``).

    ``design``: the design already resolved on these rows (``analyses.estimates.Design``, e.g. with design
    weights or replicate weights), instead of its columns. Rows missing either variable are left out as a
    domain (the design stays whole). Returns ``F``, ``ndf``, ``ddf`` and ``p_F`` (second-order correction, R's
    default ``statistic = "F"``), ``chisq`` (Pearson's X^2 of the weighted table scaled to n), ``df`` and
    ``p_chisq`` (first-order correction), and ``n``."""
    if design is None:
        design = Design(frame, weight, strata, psu, fpc, calibration)
    elif any(a is not None for a in (weight, strata, psu, fpc, calibration)):
        raise ValueError("rao_scott: give either design= or the design's columns, not both")
    elif design.n != len(frame) or not design.index.equals(frame.index):
        raise ValueError(f"rao_scott: the design's rows ({design.n}) are not the frame's ({len(frame)} rows)")
    valid = (frame[row].notna() & frame[column].notna()).to_numpy()
    row_codes, row_levels = pd.factorize(frame[row], sort=True)
    col_codes, col_levels = pd.factorize(frame[column], sort=True)
    nr, nc = len(row_levels), len(col_levels)
    if nr < 2 or nc < 2:
        raise ValueError(f"rao_scott: {row!r} and {column!r} need at least two categories each")
    n = int(valid.sum())
    # Cells in R's order (expand.grid: the row index varies fastest).
    cells = [(i, j) for j in range(nc) for i in range(nr)]
    indicators = np.stack([((row_codes == i) & (col_codes == j) & valid).astype(float) for i, j in cells], axis=1)
    p, v = design.mean_covariance(indicators, valid)
    degrees = design.degrees_of_freedom
    observed = (p * n).reshape(nc, nr).T
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / n
    chisq = float(np.sum((observed - expected) ** 2 / np.where(expected > 0, expected, np.inf)))
    grid_rows = np.array([i for i, _ in cells])
    grid_cols = np.array([j for _, j in cells])
    x1 = np.column_stack([np.ones(len(cells)), _treatment(grid_rows, nr), _treatment(grid_cols, nc)])
    r_dummies, c_dummies = _treatment(grid_rows, nr), _treatment(grid_cols, nc)
    x12 = np.column_stack([r_dummies[:, a] * c_dummies[:, b] for b in range(nc - 1) for a in range(nr - 1)])
    contrast = x12 - x1 @ np.linalg.lstsq(x1, x12, rcond=None)[0]
    inverse = np.diag(np.where(p > 0, 1 / np.where(p > 0, p, 1), 0.0))
    denominator = contrast.T @ (inverse / n) @ contrast
    numerator = contrast.T @ inverse @ v @ inverse @ contrast
    delta = np.linalg.solve(denominator, numerator)
    trace = float(np.trace(delta))
    d0 = trace**2 / float(np.trace(delta @ delta))
    df = (nr - 1) * (nc - 1)
    f = chisq / trace
    return {"F": f, "ndf": d0, "ddf": d0 * degrees, "p_F": float(stats.f.sf(f, d0, d0 * degrees)),
            "chisq": chisq, "df": df, "p_chisq": float(stats.chi2.sf(chisq / (trace / df), df)), "n": n}


def _row(test: str, statistic: float, df1: float | None, df2: float | None, p: float, effect: float | None,
         measure: str | None, groups: str, n: int, weighted: bool, p_adjusted: float | None = None) -> dict:
    return {"test": test, "statistic": float(statistic), "df1": df1, "df2": df2, "p_value": float(p),
            "p_adjusted": p_adjusted, "effect_size": effect, "effect_measure": measure, "groups": groups, "n": n,
            "weighted": weighted, "note": DESIGN_BASED if weighted else IGNORES_WEIGHTS}


def compare_proportion(frame: pd.DataFrame, variable: str, group: str, *, weight: str | None = None,
                       calibration: Margins | None = None, min_n: int = 10, design: Design | None = None) -> list[dict]:
    """A 0/1 variable across groups: pingouin's chi-square of independence (Cramer's V; unweighted) and, on a
    weighted sample, the Rao-Scott F test on the weighted table (its design from ``weight`` and ``calibration``,
    or ``design`` resolved on the frame's rows), on an unweighted one Fisher's exact test. Groups under ``min_n``
    respondents are left out."""
    data = frame[frame[variable].notna() & frame[group].notna()]
    sizes = data[group].value_counts()
    kept = sorted(sizes[sizes >= min_n].index)
    data = data[data[group].isin(kept)]
    if len(kept) < 2 or data[variable].nunique() < 2:
        return []
    groups = ", ".join(map(str, kept))
    table = data.assign(**{variable: data[variable].astype(int).astype(str), group: data[group].astype(str)})
    import pingouin as pg  # loaded when a test runs: it pulls in matplotlib

    with warnings.catch_warnings():  # pingouin warns of small expected counts: said in the row's note instead
        warnings.simplefilter("ignore", UserWarning)
        expected, _, results = pg.chi2_independence(table, x=group, y=variable, correction=False)
    pearson = results[results["test"] == "pearson"].iloc[0]
    rows = [_row("chi2_independence", pearson["chi2"], pearson["dof"], None, pearson["pval"], pearson["cramer"],
                 "cramers_v", groups, len(data), False)]
    if (expected.to_numpy() < 5).any():
        rows[0]["note"] += "; some expected counts under 5: the chi-square p-value is approximate"
    if weight is None and design is None:
        rows.append(_fisher_row(table, variable, group, groups))
    if weight is not None or design is not None:
        # The full frame keeps the design (the group may be a margin itself); rows outside the kept groups
        # are a domain left out.
        if design is None:
            design = Design(frame, weight, None, None, None, calibration)
        grouped = frame.assign(_group=frame[group].where(frame[group].isin(kept)))
        test = rao_scott(grouped, "_group", variable, design=design)
        rows.append(_row("rao_scott_f", test["F"], test["ndf"], test["ddf"], test["p_F"], None, None, groups,
                         test["n"], True))
    return rows


def _fisher_row(table: pd.DataFrame, variable: str, group: str, groups: str) -> dict:
    """Fisher's exact test of the groups' counts (``analyses.small_samples.fisher_test``, as R's ``fisher.test``):
    exact whatever the counts, so an unweighted instrument's small groups are compared without the chi-square's
    approximation; for two groups with its conditional maximum-likelihood odds ratio and exact interval."""
    counts = pd.crosstab(table[group], table[variable]).reindex(columns=["0", "1"], fill_value=0)
    try:
        found = fisher_test(counts.to_numpy())
    except ValueError as exc:  # too many tables to enumerate: say so rather than guess
        row = _row("fisher_exact", np.nan, None, None, np.nan, None, None, groups, int(counts.to_numpy().sum()),
                   False)
        row["note"] += f"; not computed: {exc}"
        return row
    odds = found.get("odds_ratio")
    row = _row("fisher_exact", np.nan if odds is None else odds, None, None, found["p_value"], odds,
               "conditional_odds_ratio" if odds is not None else None, groups, int(counts.to_numpy().sum()), False)
    row["note"] += "; exact (R fisher.test)"
    if odds is not None:
        row["note"] += f"; odds of 1 in {counts.index[1]} against {counts.index[0]}, 95% CI " \
                       f"{found['ci_low']:.3g} to {found['ci_high']:.3g}"
    return row


def compare_means(frame: pd.DataFrame, variable: str, group: str, *, min_n: int = 10) -> list[dict]:
    """A score across groups: Welch's ANOVA (partial eta squared), Kruskal-Wallis (epsilon squared) and
    pairwise Welch t-tests with Holm's correction (Hedges' g), all from pingouin and unweighted."""
    data = frame[[variable, group]].dropna()
    sizes = data[group].value_counts()
    kept = sorted(sizes[sizes >= min_n].index)
    data = data[data[group].isin(kept)].astype({group: str, variable: float})
    if len(kept) < 2:
        return []
    groups = ", ".join(map(str, kept))
    n = len(data)
    import pingouin as pg  # loaded when a test runs: it pulls in matplotlib

    welch = pg.welch_anova(data=data, dv=variable, between=group).iloc[0]
    kruskal = pg.kruskal(data=data, dv=variable, between=group).iloc[0]
    rows = [_row("welch_anova", welch["F"], welch["ddof1"], welch["ddof2"], welch["p_unc"] if "p_unc" in welch
                 else welch["p-unc"], welch["np2"], "partial_eta_squared", groups, n, False),
            _row("kruskal", kruskal["H"], kruskal["ddof1"], None, kruskal["p_unc"] if "p_unc" in kruskal
                 else kruskal["p-unc"], float(kruskal["H"] / (n - 1)), "epsilon_squared",
                 groups, n, False)]
    pairs = pg.pairwise_tests(data=data, dv=variable, between=group, padjust="holm", correction=True,
                              effsize="hedges")
    p_raw = "p_unc" if "p_unc" in pairs else "p-unc"
    p_corr = "p_corr" if "p_corr" in pairs else "p-corr"
    for pair in pairs.to_dict("records"):
        # With two groups pingouin adjusts nothing: the one p-value is its own Holm correction.
        rows.append(_row("pairwise_welch_t", pair["T"], pair["dof"], None, pair[p_raw], pair["hedges"], "hedges_g",
                         f"{pair['A']} vs {pair['B']}", int(sizes[pair["A"]] + sizes[pair["B"]]), False,
                         p_adjusted=pair.get(p_corr, pair[p_raw])))
    return rows


def wave_differences(table: pd.DataFrame, keys: Sequence[str] = ("indicator", "breakdown", "domain")) -> pd.DataFrame:
    """Each published estimate minus the same one in the previous wave, with SE = sqrt(SE_1^2 + SE_2^2)
    (independent samples), a 95% Wald interval and a two-sided z test. Suppressed cells give no difference."""
    published = table[~table["suppressed"].astype(bool) & table["estimate"].notna() & table["se"].notna()]
    waves = sorted(published["wave"].unique())
    out = []
    for before, after in zip(waves, waves[1:]):
        merged = published[published["wave"] == before].merge(
            published[published["wave"] == after], on=list(keys), suffixes=("_before", "_after"))
        if merged.empty:
            continue
        difference = merged["estimate_after"].astype(float) - merged["estimate_before"].astype(float)
        se = np.hypot(merged["se_after"].astype(float), merged["se_before"].astype(float))
        out.append(pd.DataFrame({
            **{k: merged[k] for k in keys}, "unit": merged["unit_after"], "wave_before": before, "wave_after": after,
            "estimate_before": merged["estimate_before"], "estimate_after": merged["estimate_after"],
            "difference": difference, "se": se, "ci_low": difference - Z95 * se, "ci_high": difference + Z95 * se,
            "p_value": 2 * stats.norm.sf(np.abs(difference / se.where(se > 0))),
        }))
    columns = [*keys, "unit", "wave_before", "wave_after", "estimate_before", "estimate_after", "difference", "se",
               "ci_low", "ci_high", "p_value"]
    return pd.concat(out, ignore_index=True)[columns] if out else pd.DataFrame(columns=columns)
