"""A grid of indicator rows: categories down (table rows, chart bars) and series across (table columns,
chart colours and patterns), such as neighbourhoods by wave or indicators by wave."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Matrix:
    categories: tuple[tuple[str, str], ...]  # (code, label), top to bottom
    series: tuple[tuple[str, str], ...]  # (code, label), left to right
    cells: dict[tuple[str, str], pd.Series]  # (category, series) -> indicator row; absent: not measured
    unit: str

    def cell(self, category: str, series: str) -> pd.Series | None:
        return self.cells.get((category, series))

    def published(self, series: str, skip: str | None = None) -> list[tuple[str, pd.Series]]:
        """(category label, row) of the cells of ``series`` that carry a value, but category ``skip``."""
        out = []
        for code, label in self.categories:
            row = self.cell(code, series)
            if code != skip and row is not None and not row["suppressed"]:
                out.append((label, row))
        return out

    def hidden(self) -> int:
        return sum(bool(row["suppressed"]) for row in self.cells.values())


def matrix(rows: pd.DataFrame, category: str, series: str, category_labels: dict[str, str],
           series_labels: dict[str, str]) -> Matrix:
    """Categories and series in the order of the label mappings; codes without a label come last, named
    by their code."""
    cat_codes = [c for c in category_labels if c in set(rows[category])]
    cat_codes += sorted(set(rows[category]) - set(cat_codes))
    ser_codes = [s for s in series_labels if s in set(rows[series])]
    ser_codes += sorted(set(rows[series]) - set(ser_codes))
    units = sorted(set(rows["unit"]))
    if len(units) != 1:
        raise ValueError(f"one chart shows one unit, got {units}")
    cells = {(str(r[category]), str(r[series])): r for _, r in rows.iterrows()}
    return Matrix(
        categories=tuple((c, category_labels.get(c, c)) for c in cat_codes),
        series=tuple((s, series_labels.get(s, s)) for s in ser_codes),
        cells=cells,
        unit=units[0],
    )
