import pandas as pd
import pytest

from analyses import margins_from_table, rake
from tests.conftest import SHARED


@pytest.fixture(scope="module")
def raked():
    """The shared weighting fixture's respondents with their raked weight ``w``, and the margins."""
    folder = SHARED / "fixtures" / "weighting"
    data = pd.read_csv(folder / "respondents.csv")
    margins = margins_from_table(pd.read_csv(folder / "population_margins.csv")).margins
    return data.assign(w=rake(data, margins).weights), margins
