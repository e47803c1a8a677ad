"""A grid of indicator rows: categories down (table rows, chart bars) and series across (table columns,
chart colours and patterns), such as neighbourhoods by wave or indicators by wave."""

from __future__ import annotations

from dataclasses import dataclass

from collections.abc import Mapping
from typing import Any

import pandas as pd

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Matrix:
    categories: tuple[tuple[str, str], ...]  # (code, label), top to bottom
    series: tuple[tuple[str, str], ...]  # (code, label), left to right
    # (category, series) -> indicator row (a dict, or a pd.Series: both are read by column name); absent: not measured
    cells: dict[tuple[str, str], Row]
    unit: str

    def cell(self, category: str, series: str) -> Row | None:
        return self.cells.get((category, series))

    def published(self, series: str, skip: str | None = None) -> list[tuple[str, Row]]:
        """(category label, row) of the cells of ``series`` that carry a value, but category ``skip``."""
        out = []
        for code, label in self.categories:
            row = self.cell(code, series)
            if code != skip and row is not None and not row["suppressed"]:
                out.append((label, row))
        return out

    def hidden(self) -> int:
        return sum(bool(row["suppressed"]) for row in self.cells.values())


def records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as plain dicts of Python values: the pages read each cell's columns tens of thousands of times,
    which iterrows' Series make slow; one array of objects is several times faster than ``to_dict("records")``
    on frames this small."""
    columns = list(rows.columns)
    return [dict(zip(columns, values)) for values in rows.to_numpy(dtype=object).tolist()]


def matrix(rows: pd.DataFrame, category: str, series: str, category_labels: dict[str, str],
           series_labels: dict[str, str]) -> Matrix:
    """Categories and series in the order of the label mappings; codes without a label come last, named
    by their code."""
    return matrix_of(records(rows), category, series, category_labels, series_labels)


def matrix_of(rows: list[Row], category: str, series: str, category_labels: dict[str, str],
              series_labels: dict[str, str]) -> Matrix:
    """``matrix`` of rows already made dicts (``records``): the pages make each indicator's once, not once per
    chart."""
    categories, serieses = {r[category] for r in rows}, {r[series] for r in rows}
    cat_codes = [c for c in category_labels if c in categories]
    cat_codes += sorted(categories - set(cat_codes))
    ser_codes = [s for s in series_labels if s in serieses]
    ser_codes += sorted(serieses - set(ser_codes))
    units = sorted({r["unit"] for r in rows})
    if len(units) != 1:
        raise ValueError(f"one chart shows one unit, got {units}")
    cells = {(str(r[category]), str(r[series])): r for r in rows}
    return Matrix(
        categories=tuple((c, category_labels.get(c, c)) for c in cat_codes),
        series=tuple((s, series_labels.get(s, s)) for s in ser_codes),
        cells=cells,
        unit=units[0],
    )
