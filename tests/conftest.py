"""Shared fixtures: paths located from this file, temporary warehouses, the recorded LimeSurvey replies."""

from pathlib import Path

import pytest

from instruments.study import DEMO_STUDY, STUDIES
from warehouse.connection import connect
from warehouse.paths import Locations

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LIMESURVEY_FIXTURES = SHARED / "fixtures" / "limesurvey"
DEMO_EXPORTS = STUDIES / DEMO_STUDY / "data"


@pytest.fixture
def locations(tmp_path: Path) -> Locations:
    return Locations(home=tmp_path / "home", site=tmp_path / "site", build=tmp_path / "build")


@pytest.fixture
def con(locations: Locations):
    with connect(locations) as connection:
        yield connection


@pytest.fixture
def limesurvey_fixtures() -> Path:
    if not LIMESURVEY_FIXTURES.is_dir():
        pytest.fail(f"recorded LimeSurvey replies not found at {LIMESURVEY_FIXTURES} (../shared beside the repo)")
    return LIMESURVEY_FIXTURES
