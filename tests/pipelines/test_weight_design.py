"""The weighting stage's design: stratum sizes from the margins give design weights N_h / n_h and the fpc, and a
design it cannot use is refused naming the survey and what is wrong."""

import re
from pathlib import Path

import pandas as pd
import pytest

from analyses import PopulationMargins, WeightingError
from instruments.study import Design, Survey
from pipelines.stages.weight import DESIGN_WEIGHT, STRATUM_SIZE, design_arguments, with_design

POPULATION = PopulationMargins({"area": {"a": 100.0, "b": 900.0}, "edu": {"low": 400.0, "high": 600.0}}, 1000.0, {})


def _survey(**design) -> Survey:
    return Survey(1, "parent", "2020", margins=Path("margins_2020.csv"), design=Design(**design))


def test_stratum_sizes_give_design_weights_and_fpc():
    frame = pd.DataFrame({"area": ["a", "a", "b", "b", "b"], "edu": ["low", "high", "low", "high", "high"]})
    survey = _survey(strata="area", stratum_sizes="margins")
    resolved = with_design(frame, survey, POPULATION)
    assert list(resolved[STRATUM_SIZE]) == [100.0, 100.0, 900.0, 900.0, 900.0]
    assert list(resolved[DESIGN_WEIGHT]) == [50.0, 50.0, 300.0, 300.0, 300.0]
    assert design_arguments(survey.design) == {"base_weight": DESIGN_WEIGHT, "strata": "area", "psu": None,
                                               "fpc": STRATUM_SIZE}
    # Columns named by the design are the frame's own.
    named = _survey(strata="area", base_weight="w")
    assert with_design(frame.assign(w=2.0), named, POPULATION) is not None
    assert design_arguments(named.design) == {"base_weight": "w", "strata": "area", "psu": None, "fpc": None}


@pytest.mark.parametrize("frame, design, message", [
    (pd.DataFrame({"area": ["a", None], "edu": ["low", "high"]}), {"strata": "area"},
     "survey 1 (wave 2020): design column 'area' is missing for 1 respondents"),
    (pd.DataFrame({"area": ["a", "c"], "edu": ["low", "high"]}), {"strata": "area", "stratum_sizes": "margins"},
     "strata c of 'area' have no population total in margins_2020.csv"),
    (pd.DataFrame({"area": ["a"] * 101, "edu": ["low"] * 101}), {"strata": "area", "stratum_sizes": "margins"},
     "strata a of 'area' have more respondents than their population total in margins_2020.csv"),
    (pd.DataFrame({"area": ["a", "b"], "edu": ["low", "high"], "zone": ["z", "y"]}),
     {"strata": "zone", "stratum_sizes": "margins"}, "margins_2020.csv has no totals of the strata column 'zone'"),
])
def test_a_design_the_data_cannot_carry_is_refused(frame, design, message):
    with pytest.raises(WeightingError, match=re.escape(message)):
        with_design(frame, _survey(**design), POPULATION)
