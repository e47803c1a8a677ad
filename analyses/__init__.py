"""Pure analysis functions: DataFrames in, DataFrames out. No I/O, no Dagster."""

from analyses.disclosure import MIN_CELL_SIZE, suppress_small_cells
from analyses.estimates import survey_mean, survey_total
from analyses.indicators import awareness_by_neighbourhood
from analyses.margins import PopulationMargins, margins_from_csv, margins_from_table
from analyses.quality import QualityInputs, QualityRules, quality_flags
from analyses.weighting import RakingResult, WeightingError, rake

__all__ = [
    "MIN_CELL_SIZE",
    "PopulationMargins",
    "QualityInputs",
    "QualityRules",
    "RakingResult",
    "WeightingError",
    "awareness_by_neighbourhood",
    "margins_from_csv",
    "margins_from_table",
    "quality_flags",
    "rake",
    "suppress_small_cells",
    "survey_mean",
    "survey_total",
]
