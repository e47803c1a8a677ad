"""Shared fixtures: paths located from this file, temporary warehouses, the recorded LimeSurvey replies."""

from pathlib import Path

import pytest

import yaml

from instruments.loader import CATALOGUES
from instruments.study import DEMO_STUDY, STUDIES
from warehouse.connection import connect
from warehouse.paths import Locations

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LIMESURVEY_FIXTURES = SHARED / "fixtures" / "limesurvey"
DEMO_EXPORTS = STUDIES / DEMO_STUDY


def write_study(folder: Path, study_id: str, surveys: list[dict], **extra) -> Path:
    """A study file using the demo catalogue, for tests that need their own surveys and sources."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{study_id}.yaml"
    path.write_text(yaml.safe_dump({
        "study_id": study_id, "title": {"nl": study_id, "fr": study_id, "en": study_id},
        "catalogue": str(CATALOGUES / "demo-brussels.yaml"), "surveys": surveys, **extra,
    }), encoding="utf-8")
    return folder


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
