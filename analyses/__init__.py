"""Pure analysis functions: DataFrames in, DataFrames out. No I/O, no Dagster."""

from analyses.disclosure import MIN_CELL_SIZE, Parts, Ratio, audit_disclosure, protect_links, suppress_small_cells
from analyses.estimates import survey_mean, survey_total
from analyses.indicator_table import Indicator, IndicatorInputs, Sample, ScaleItem, indicator_table
from analyses.margins import PopulationMargins, margins_from_csv, margins_from_table
from analyses.panel import paired_change, trajectory
from analyses.quality import QualityInputs, QualityRules, quality_flags
from analyses.reliability import cronbach_alpha
from analyses.small_samples import fisher_test, proportion_interval
from analyses.weighting import (
    RakingResult,
    ReplicateWeights,
    WeightingError,
    kish_n_eff,
    rake,
    replicate_columns,
    replicate_weights,
)

__all__ = [
    "Indicator",
    "IndicatorInputs",
    "MIN_CELL_SIZE",
    "Parts",
    "PopulationMargins",
    "QualityInputs",
    "QualityRules",
    "RakingResult",
    "Ratio",
    "ReplicateWeights",
    "Sample",
    "ScaleItem",
    "WeightingError",
    "audit_disclosure",
    "cronbach_alpha",
    "fisher_test",
    "indicator_table",
    "kish_n_eff",
    "margins_from_csv",
    "margins_from_table",
    "paired_change",
    "proportion_interval",
    "protect_links",
    "quality_flags",
    "rake",
    "replicate_columns",
    "replicate_weights",
    "suppress_small_cells",
    "survey_mean",
    "survey_total",
    "trajectory",
]
