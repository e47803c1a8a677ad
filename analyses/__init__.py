"""Pure analysis functions: DataFrames in, DataFrames out. No I/O, no Dagster."""

from analyses.disclosure import MIN_CELL_SIZE, suppress_small_cells
from analyses.indicators import awareness_by_neighbourhood

__all__ = ["MIN_CELL_SIZE", "awareness_by_neighbourhood", "suppress_small_cells"]
