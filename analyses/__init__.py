"""Pure analysis functions: DataFrames in, DataFrames out. No I/O, no Dagster.

The names below load their module on first use (PEP 562): ``import analyses`` costs nothing, and ``from analyses
import rake`` loads the weighting, not pingouin's plotting stack or the survey tests."""

import importlib
import sys
import types

_HOMES = {
    "analyses.disclosure": ("MIN_CELL_SIZE", "Parts", "Ratio", "audit_disclosure", "protect_links",
                            "suppress_small_cells"),
    "analyses.estimates": ("survey_mean", "survey_total"),
    "analyses.indicator_table": ("Indicator", "IndicatorInputs", "Sample", "ScaleItem", "indicator_table"),
    "analyses.margins": ("PopulationMargins", "margins_from_csv", "margins_from_table"),
    "analyses.panel": ("paired_change", "trajectory"),
    "analyses.quality": ("QualityInputs", "QualityRules", "quality_flags"),
    "analyses.reliability": ("cronbach_alpha",),
    "analyses.small_samples": ("fisher_test", "proportion_interval"),
    "analyses.weighting": ("RakingResult", "ReplicateWeights", "WeightingError", "kish_n_eff", "rake",
                           "replicate_columns", "replicate_weights"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str):
    if name not in _HOME_OF:
        raise AttributeError(f"module 'analyses' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME_OF[name]), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME_OF})


class _Package(types.ModuleType):
    """Importing a submodule binds it on the package under its name; ``indicator_table`` is also the name of the
    function the package offers, which keeps it (``from analyses.indicator_table import ...`` is unchanged)."""

    def __setattr__(self, name: str, value) -> None:
        if name in _HOME_OF and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
