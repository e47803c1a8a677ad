"""Population margins: validate a margins table and turn it into the mapping ``rake`` takes.

A margins file has one row per category: ``variable, category, population_count`` (or
``population_share``), ``source, reference_year`` (DOMAIN.md section 4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analyses.weighting import Margins, WeightingError

REQUIRED = ("variable", "category", "source", "reference_year")


@dataclass(frozen=True)
class PopulationMargins:
    margins: Margins
    control_total: float
    sources: dict[str, str]  # variable -> "source (year)"


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    def number(value: object) -> float:
        try:
            return float(value)
        except (TypeError, ValueError, OverflowError):
            return float("nan")

    values = frame[column].map(number).astype(float)
    bad = frame.loc[values.isna(), ["variable", "category"]]
    if not bad.empty:
        raise WeightingError(f"{column} is not a number for " + ", ".join(
            f"{r.variable}={r.category}" for r in bad.head(10).itertuples()))
    return values


def margins_from_table(table: pd.DataFrame, *, categories: Mapping[str, set[str]] | None = None,
                       total: float | None = None, tolerance: float = 1e-6) -> PopulationMargins:
    """Check and convert a margins table.

    Shares must sum to 1 within each variable and need ``total`` (persons); counts must give every
    variable the same total. With ``categories`` (from the codebook: variable -> answer codes), every
    category must be a known code and every code must have a row.
    """
    missing = [c for c in REQUIRED if c not in table.columns]
    has_counts, has_shares = "population_count" in table.columns, "population_share" in table.columns
    if missing or not (has_counts or has_shares):
        raise WeightingError(f"margins need columns {', '.join(REQUIRED)} and population_count or "
                             f"population_share; missing: {', '.join(missing) or 'population_count/share'}")
    if table.empty:
        raise WeightingError("margins have no rows")
    frame = table.copy()
    empty = [c for c in REQUIRED if frame[c].isna().any() or (frame[c].astype(str).str.strip() == "").any()]
    if empty:
        raise WeightingError(f"margins have empty cells in {', '.join(empty)}")
    frame["variable"] = frame["variable"].astype(str)
    frame["category"] = frame["category"].astype(str)
    duplicated = frame[frame.duplicated(["variable", "category"])]
    if not duplicated.empty:
        raise WeightingError("margins list a category twice: " + ", ".join(
            f"{r.variable}={r.category}" for r in duplicated.itertuples()))
    if has_counts and frame["population_count"].notna().all():
        values = _numbers(frame, "population_count")
    else:
        if not has_shares:
            raise WeightingError("population_count has empty cells and there is no population_share")
        shares = _numbers(frame, "population_share")
        sums = shares.groupby(frame["variable"]).sum()
        wrong = sums[(sums - 1).abs() > tolerance]
        if not wrong.empty:
            raise WeightingError("population shares must sum to 1 within each variable: " + ", ".join(
                f"{v} sums to {s:.6g}" for v, s in wrong.items()))
        if total is None:
            raise WeightingError("margins given as shares need a control total (persons)")
        values = shares * total
    if not ((values > 0) & (values < float("inf"))).all():
        raise WeightingError("population totals must be positive and finite")
    frame["value"] = values
    totals = frame.groupby("variable", sort=False)["value"].sum()
    reference = float(totals.iloc[0])
    disagree = totals[((totals - reference).abs() / reference) > tolerance]
    if not disagree.empty:
        raise WeightingError("the margins' totals disagree: " + ", ".join(f"{v}: {t:g}" for v, t in totals.items()))
    if categories is not None:
        for variable, group in frame.groupby("variable", sort=False):
            known = categories.get(variable)
            if known is None:
                raise WeightingError(f"margin variable {variable!r} is not a question of the codebook")
            unknown = sorted(set(group["category"]) - set(known))
            absent = sorted(set(known) - set(group["category"]))
            if unknown or absent:
                raise WeightingError(f"margin {variable!r}: categories not in the codebook: {', '.join(unknown) or 'none'}; "
                                     f"codebook categories without a total: {', '.join(absent) or 'none'}")
    margins = {v: dict(zip(g["category"], g["value"].astype(float))) for v, g in frame.groupby("variable", sort=False)}
    sources = {v: f"{g['source'].iloc[0]} ({g['reference_year'].iloc[0]})" for v, g in frame.groupby("variable", sort=False)}
    return PopulationMargins(margins, reference, sources)


def margins_from_csv(data: bytes, source: str, **options) -> PopulationMargins:
    """Read a margins file's bytes (CSV, UTF-8, with or without BOM, CRLF or LF) and check it as
    ``margins_from_table`` does; every problem is a ``WeightingError`` naming ``source``."""
    import io

    try:
        table = pd.read_csv(io.BytesIO(data), dtype={"category": str}, encoding="utf-8-sig")
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise WeightingError(f"{source}: not a readable margins CSV ({str(exc).splitlines()[0][:200]})") from None
    try:
        return margins_from_table(table, **options)
    except WeightingError as exc:
        raise WeightingError(f"{source}: {exc}") from None
