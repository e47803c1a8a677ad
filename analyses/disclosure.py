"""Disclosure control for published tables (DOMAIN.md section 5, "Small cells").

No published cell may rest on fewer than ``min_n`` respondents (primary suppression), and no hidden cell may be
computed back from published ones (secondary suppression). Cells are tied together by equations, each holding
cell by cell, in the same subject, dimension, breakdown and category:

- a breakdown: the overall ('all') cell of an indicator is the weighted mean of its categories' cells,
  all = sum_k s_k v_k with s_k the category's share of the weights. Every estimated indicator has it.
- ``Ratio(r, a, b)``: r = a / b (a rate among a subgroup is the overall rate over the subgroup's share).
- ``Parts(whole, parts)``: the parts add up to the whole (a number, or a measure's cell); with
  ``complete=False`` other answers exist and they add up to at most the whole.

One hidden cell alone in an exact equation is solved from the others, so ``protect_links`` hides more cells
until no instance of an exact equation has exactly one; ``audit_disclosure`` tries every instance on every
hidden cell as an attacker holding the published (rounded) values would, bounds included, and says which
cells it pins down.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_CELL_SIZE = 10
PRIMARY = "primary"
SECONDARY = "secondary"
ALL = "all"  # the overall domain of a breakdown
CELL = ["service", "theme", "dimension", "breakdown", "domain"]  # what a link matches cells on
RANGES = {"proportion": (0.0, 1.0), "index": (0.0, 100.0)}  # other units: no bound known
AUDIT_COLUMNS = ["indicator", "breakdown", "domain", "link", "low", "high", "exact", "disclosed"]
EXACT = 1e-9


@dataclass(frozen=True)
class Ratio:
    """Measure ``ratio`` = measure ``numerator`` / measure ``denominator`` in every cell."""

    ratio: str
    numerator: str
    denominator: str

    def __str__(self) -> str:
        return f"ratio {self.ratio} = {self.numerator} / {self.denominator}"


@dataclass(frozen=True)
class Parts:
    """The measures ``parts`` add up to ``whole`` (a number, or a measure's name) in every cell; to at most the
    whole when not ``complete``."""

    whole: float | str
    parts: tuple[str, ...]
    complete: bool = True

    def __str__(self) -> str:
        whole = self.whole if isinstance(self.whole, str) else f"{self.whole:g}"
        return f"parts {whole} {'=' if self.complete else '>='} {' + '.join(self.parts)}"


@dataclass(frozen=True)
class _Instance:
    """One equation over cells (positions in the table): linear, sum(coefs x) + slack = constant with the slack
    in ``slack``; or, without ``coefs``, a ratio over (ratio, numerator, denominator)."""

    link: str
    rows: np.ndarray
    coefs: np.ndarray | None = None
    constant: float = 0.0
    slack: tuple[float, float] = (0.0, 0.0)

    @property
    def exact(self) -> bool:
        return self.slack == (0.0, 0.0)


def _instances(cells: pd.DataFrame, links: Sequence[Ratio | Parts], by: Sequence[str]) -> list[_Instance]:
    """Every instance of the breakdown equation and of ``links`` in ``cells``, breakdown shares from
    ``weight_sum`` where the cells have it. A cell without respondents is in none: it has no value, and a
    category without respondents has no share of its breakdown."""
    keys = [*by, "indicator", "measure", *CELL]
    keyed = cells[keys].astype(object).where(cells[keys].notna(), "").assign(_row=np.arange(len(cells)))
    keyed = keyed[_numbers(cells["n"]) != 0]
    weights = _numbers(cells["weight_sum"]) if "weight_sum" in cells else np.full(len(cells), np.nan)
    out = []
    overall = keyed["breakdown"] == ALL
    totals = {tuple(row[:-1]): row[-1]
              for row in keyed.loc[overall, [*by, "indicator", "_row"]].itertuples(index=False)}
    for key, group in keyed[~overall].groupby([*by, "indicator", "breakdown"], sort=False):
        total = totals.get(tuple(key[:-1]))
        if total is not None:
            rows = group["_row"].to_numpy()
            shares = weights[rows] / weights[rows].sum()
            out.append(_Instance(f"breakdown {key[-1]}: all = sum of category share x category",
                                 np.append(rows, total), np.append(shares, -1.0)))
    for link in links:
        if isinstance(link, Ratio):
            for rows in _matched(keyed, [link.ratio, link.numerator, link.denominator], by):
                out.append(_Instance(str(link), rows))
            continue
        measures = [*link.parts, *([link.whole] if isinstance(link.whole, str) else [])]
        coefs = np.array([1.0] * len(link.parts) + [-1.0] * (len(measures) - len(link.parts)))
        constant = 0.0 if isinstance(link.whole, str) else float(link.whole)
        slack = (0.0, 0.0) if link.complete else (0.0, math.inf)  # the other answers' share
        out += [_Instance(str(link), rows, coefs, constant, slack) for rows in _matched(keyed, measures, by)]
    return out


def _matched(keyed: pd.DataFrame, measures: Sequence[str], by: Sequence[str]) -> np.ndarray:
    """The positions of the cells of ``measures`` that share a subject, dimension, breakdown and category, one
    row per cell they all have."""
    frame = None
    for i, measure in enumerate(measures):
        cells = keyed.loc[keyed["measure"] == measure, [*by, *CELL, "_row"]].rename(columns={"_row": f"_{i}"})
        frame = cells if frame is None else frame.merge(cells, on=[*by, *CELL])
    return frame[[f"_{i}" for i in range(len(measures))]].to_numpy(dtype=int)


def _mask(hidden: pd.Series | np.ndarray, cells: pd.DataFrame) -> np.ndarray:
    if not isinstance(hidden, pd.Series):
        return np.asarray(hidden, dtype=bool)
    return hidden.reindex(cells.index).fillna(False).to_numpy(dtype=bool)


def _order(cells: pd.DataFrame) -> np.ndarray:
    """Each cell's place in the order of hiding: categories before overall cells, then the smallest n, then
    table order."""
    n = np.nan_to_num(_numbers(cells["n"]), nan=np.inf)
    rank = np.empty(len(cells), dtype=int)
    rank[np.lexsort((np.arange(len(cells)), n, (cells["breakdown"] == ALL).to_numpy()))] = np.arange(len(cells))
    return rank


def _settle(instances: list[_Instance], done: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Hide cells (in ``done``, in place) until no instance of an exact equation has exactly one hidden."""
    exact = [i for i in instances if i.exact]
    if not exact:
        return done
    owner = np.concatenate([np.full(len(i.rows), k) for k, i in enumerate(exact)])
    members = np.concatenate([i.rows for i in exact])
    while True:  # the hidden set only grows, so this ends
        pending = np.flatnonzero(np.bincount(owner, weights=done[members], minlength=len(exact)) == 1)
        if not len(pending):
            return done
        for k in pending:
            rows = exact[k].rows
            if done[rows].sum() == 1:  # a cell hidden for an earlier instance may have settled it
                free = rows[~done[rows]]
                done[free[np.argmin(rank[free])]] = True


def protect_links(cells: pd.DataFrame, hidden: pd.Series, links: Sequence[Ratio | Parts] = (), *,
                  by: Sequence[str] = (), tolerance: float | None = None, significant: int | None = 6) -> pd.Series:
    """The cells to hide besides ``hidden`` so that no hidden cell can be computed back from published ones.

    ``cells``: one row per cell, with columns ``indicator``, ``measure``, ``service``, ``theme``,
    ``dimension``, ``breakdown``, ``domain`` (``'all'`` for the overall cell) and ``n`` (unweighted
    respondents), and ``by`` (e.g. the wave) when it holds several tables. ``hidden``: a boolean Series on
    ``cells``' index. While an instance of an exact equation (a breakdown, a ratio, complete parts) has exactly
    one hidden cell, its published cell with the smallest ``n`` is hidden too (a category before an overall
    cell; ties in table order). With ``tolerance``, then also while ``audit_disclosure`` (with ``significant``
    and ``tolerance``; ``cells`` then need its columns too) learns a hidden cell from bounds, e.g. two hidden
    categories whose weighted sum is known to be 0, or partial parts: the equation it learns it from loses
    one more published cell, and the rule above runs again. Returns the secondary cells, a boolean Series on
    ``cells``' index.
    """
    start = _mask(hidden, cells)
    instances = _instances(cells, links, by)
    rank = _order(cells)
    done = _settle(instances, start.copy(), rank)
    valued = np.isfinite(_numbers(cells["estimate"])) if tolerance is not None else None
    while tolerance is not None:
        leaks = [k for k, _, _, _, _, disclosed in _attack(cells, done, instances, significant, tolerance)
                 if disclosed]
        if not leaks:
            break
        before = done.copy()
        for k in dict.fromkeys(leaks):
            rows = instances[k].rows
            if (done[rows] == before[rows]).all():  # one more cell per equation and round
                free = rows[~done[rows] & valued[rows]]
                done[free[np.argmin(rank[free])]] = True
        done = _settle(instances, done, rank)
    return pd.Series(done & ~start, index=cells.index)


def _numbers(values: pd.Series) -> np.ndarray:
    """Floats, missing (nullable or not) as NaN."""
    return pd.to_numeric(values, errors="coerce").astype(float).to_numpy()


def _published(values: np.ndarray, significant: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Values as a download writes them (``%.<significant>g``) and half their last digit's unit: the true
    value lies within that of the written one."""
    if significant is None:
        return values, np.zeros_like(values)
    written = np.array([float(f"{v:.{significant}g}") if np.isfinite(v) else np.nan for v in values])
    with np.errstate(divide="ignore"):
        digit = 10.0 ** (np.floor(np.log10(np.abs(written))) - significant + 1)
    return written, np.where(written == 0, 0.0, 0.5 * digit)


def _linear(instance: _Instance, j: int, lo: np.ndarray, hi: np.ndarray) -> tuple[float, float]:
    """Bounds of member ``j`` of a linear instance, the others within [lo, hi] (interval arithmetic)."""
    others = np.arange(len(instance.rows)) != j
    c, low, high = instance.coefs[others], lo[others], hi[others]
    with np.errstate(invalid="ignore"):
        least = np.where(c >= 0, c * low, c * high).sum()
        most = np.where(c >= 0, c * high, c * low).sum()
    rest = (instance.constant - instance.slack[1] - most, instance.constant - instance.slack[0] - least)
    return _product(rest, (1 / instance.coefs[j],) * 2)


def _product(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    with np.errstate(invalid="ignore"):
        ends = [x * y for x in a for y in b]
    return (-math.inf, math.inf) if any(math.isnan(e) for e in ends) else (min(ends), max(ends))


def _quotient(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    if b[0] > 0 or b[1] < 0:
        return _product(a, (1 / b[1], 1 / b[0]))
    if a[0] >= 0 and b[0] >= 0 and b[1] > 0:  # a divisor that may be 0: no upper bound
        return a[0] / b[1], math.inf
    return -math.inf, math.inf


def _bounds(instance: _Instance, j: int, lo: np.ndarray, hi: np.ndarray) -> tuple[float, float]:
    """Bounds of member ``j`` of ``instance``, the others within [lo, hi]; a ratio's members are r, a, b."""
    if instance.coefs is not None:
        return _linear(instance, j, lo, hi)
    r, a, b = ((lo[i], hi[i]) for i in range(3))
    return (_quotient(a, b), _product(r, b), _quotient(a, r))[j]


def _attack(cells: pd.DataFrame, hidden: np.ndarray, instances: list[_Instance], significant: int | None,
            tolerance: float) -> list[tuple[int, int, float, float, bool, bool]]:
    """(instance, cell, low, high, exact, disclosed) for each hidden cell of each instance with a published
    cell: see ``audit_disclosure``."""
    missing = {"estimate", "weight_sum"} - set(cells)
    if missing:
        raise ValueError(f"the disclosure audit needs the cells' {', '.join(sorted(missing))}")
    truth = _numbers(cells["estimate"])
    known = ~hidden & np.isfinite(truth)
    written, half = _published(np.where(known, truth, np.nan), significant)
    units = cells["unit"] if "unit" in cells else pd.Series(None, index=cells.index)
    bounds = np.array([RANGES.get(u, (-math.inf, math.inf)) for u in units], dtype=float).reshape(-1, 2)
    lo, hi = np.where(known, written - half, bounds[:, 0]), np.where(known, written + half, bounds[:, 1])
    # The tolerance is on a 0-1 scale: a proportion's; an index's is as many points of its 0-100 range.
    width = bounds[:, 1] - bounds[:, 0]
    scale = tolerance * np.where(np.isfinite(width), width, 1.0)
    found = []
    for k, instance in enumerate(instances):
        rows = instance.rows
        if known[rows].all() or not known[rows].any():
            continue
        for j in np.flatnonzero(hidden[rows] & np.isfinite(truth[rows])):
            low, high = _bounds(instance, j, lo[rows], hi[rows])
            low, high = max(low, bounds[rows[j], 0]), min(high, bounds[rows[j], 1])
            # The one unknown of an exact equation, solved from the written values themselves.
            alone = instance.exact and known[rows].sum() == len(rows) - 1
            point = _bounds(instance, j, written[rows], written[rows])[0] if alone else math.nan
            true = truth[rows[j]]
            exact = bool(abs(point - true) <= EXACT)
            found.append((k, int(rows[j]), low, high, exact,
                          exact or bool(low >= true - scale[rows[j]] and high <= true + scale[rows[j]])))
    return found


def audit_disclosure(cells: pd.DataFrame, hidden: pd.Series, links: Sequence[Ratio | Parts] = (), *,
                     by: Sequence[str] = (), significant: int | None = 6, tolerance: float = 0.01) -> pd.DataFrame:
    """What an attacker learns of each hidden cell from each equation it is in, from the published cells alone.

    ``cells`` as for ``protect_links``, with every cell's true ``estimate`` (hidden ones too), its
    ``weight_sum`` (the weights, in persons, of the cell's universe; its respondents for an unweighted
    instrument) and ``unit`` (a proportion lies in [0, 1] and an index in [0, 100], which bounds a hidden cell;
    other units are unbounded). The published values are read as written with ``significant`` digits (None:
    exactly), and each category's share of its breakdown as known (raking margins are published). One row per
    hidden cell and equation instance with a published cell: ``link`` (the equation), ``low`` and ``high``
    (what the published cells allow), ``exact`` (the one unknown of an exact equation, solved, is within 1e-9
    of the truth) and ``disclosed`` (exact, or [low, high] within ``tolerance`` of the truth: learnt to 0.01 on
    a 0-1 scale; for an index, ``tolerance`` times its 0-100 range; other units, ``tolerance`` itself). No
    column holds a hidden cell's true value. Each equation is tried on its own (bounds are not carried from
    one equation into another).
    """
    instances = _instances(cells, links, by)
    found = _attack(cells, _mask(hidden, cells), instances, significant, tolerance)
    where = [*by, "indicator", "breakdown", "domain"]
    rows = [{**{c: cells[c].iat[row] for c in where}, "link": instances[k].link, "low": low, "high": high,
             "exact": exact, "disclosed": disclosed} for k, row, low, high, exact, disclosed in found]
    return pd.DataFrame(rows, columns=[*by, *AUDIT_COLUMNS])


def suppress_small_cells(
    table: pd.DataFrame,
    *,
    n: str = "n",
    values: Sequence[str] = ("numerator", "estimate"),
    groups: Sequence[str] = (),
    total: str | None = None,
    min_n: int = MIN_CELL_SIZE,
) -> pd.DataFrame:
    """Return a copy of ``table`` with small cells blanked and a ``suppression`` column.

    ``n`` is the unweighted number of respondents behind each cell. Within each group of ``groups``, the
    cells where column ``total`` is true are totals over the others: if exactly one non-total cell of a
    group is suppressed, the smallest remaining one is suppressed as well. Suppressed cells keep their row
    (a gap, never a zero) with ``n`` and ``values`` set to missing.
    """
    out = table.copy()
    out["suppression"] = pd.Series([None] * len(out), index=out.index, dtype="object")
    out.loc[out[n] < min_n, "suppression"] = PRIMARY
    if total is not None:
        parts = out[~out[total].astype(bool)]
        grouped = parts.groupby(list(groups), sort=False, dropna=False) if groups else [((), parts)]
        for _, cells in grouped:
            if (cells["suppression"] == PRIMARY).sum() == 1:
                candidates = cells[cells["suppression"].isna()]
                if not candidates.empty:
                    out.loc[candidates[n].idxmin(), "suppression"] = SECONDARY
    hidden = out["suppression"].notna()
    for column in (n, *values):
        nullable = "Int64" if pd.api.types.is_integer_dtype(out[column]) else "Float64"
        out[column] = out[column].astype(nullable)
        out.loc[hidden, column] = pd.NA
    return out
