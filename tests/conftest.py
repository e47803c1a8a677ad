"""Shared fixtures: paths located from this file, temporary warehouses, the recorded LimeSurvey replies, and the
two whole-pipeline runs several test modules read (the demo study, and a second study written only as YAML), each
run once per session because a run takes tens of seconds."""

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from instruments.study import DEMO_STUDY, STUDIES, Study, load_study
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


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory) -> Path:
    """The demo study run once, from its bundled exports to its site, into ``home/``, ``site/`` and ``build/``
    of the folder returned. Read it only: a test that runs again copies it first (``copy_run``)."""
    from tests.snapshot import run_demo

    root = tmp_path_factory.mktemp("demo")
    run_demo(root)
    return root


def run_locations(root: Path, study_id: str = DEMO_STUDY) -> Locations:
    """A study's places in a run folder with ``home/``, ``site/`` and ``build/``."""
    return Locations.of_study(study_id, environ={}, home=root / "home", site=root / "site", build=root / "build")


def copy_run(root: Path, to: Path) -> Path:
    """A private copy of a run folder, for a test that writes to it."""
    shutil.copytree(root, to)
    return to


SECOND_STUDY = "support-models"
SECOND_FIXTURE = ROOT / "tests" / "fixtures" / "studies" / SECOND_STUDY


@dataclass(frozen=True)
class StudySite:
    """A second study (tests/fixtures/studies/support-models: written only as configuration), with generated
    responses, run from ingest to site."""
    study: Study
    written: list  # instruments.generate.write_study's files
    locations: Locations  # the study's own (home/<study>/ ...)

    @property
    def site(self) -> Path:
        return Path(self.locations.site)

    @property
    def warehouse(self) -> Path:
        return Path(self.locations.warehouse)


@pytest.fixture(scope="session")
def second_site(tmp_path_factory) -> StudySite:
    import dagster as dg

    from instruments.generate import write_study
    from pipelines.runner import run_study

    root = tmp_path_factory.mktemp("second-study")
    studies = root / "studies"
    shutil.copytree(SECOND_FIXTURE, studies / SECOND_STUDY)
    study = load_study(SECOND_STUDY, studies)
    written = write_study(study, responses=60, seed=7)
    run = run_study(SECOND_STUDY, home=str(root / "home"), site=str(root / "site"), build=str(root / "build"),
                    studies_dir=str(studies), instance=dg.DagsterInstance.ephemeral(), log_level="WARNING")
    return StudySite(study, written, run.locations)


# The example studies shipped beside the demo (instruments/studies/): a process evaluation with unweighted clients
# and workers, and a professional panel polled at five meetings. Each runs from its committed exports.
SHIPPED_STUDIES = ("demo-antwerp", "demo-rotterdam")


@pytest.fixture(scope="session")
def shipped_sites(tmp_path_factory) -> dict[str, StudySite]:
    """Each shipped example study run once, as `toegang demo --study <id>` runs it (its exports are committed,
    so nothing is generated), into a folder of its own."""
    import dagster as dg

    from instruments.generate import prepare_demo
    from pipelines.runner import run_study

    root = tmp_path_factory.mktemp("shipped")
    out = {}
    for study_id in SHIPPED_STUDIES:
        prepared = prepare_demo(study_id, root / "staging")
        assert prepared.studies_dir is None and not any(w.written for w in prepared.written), study_id
        run = run_study(study_id, home=str(root / "home"), site=str(root / "site"), build=str(root / "build"),
                        instance=dg.DagsterInstance.ephemeral(), log_level="WARNING")
        out[study_id] = StudySite(load_study(study_id), prepared.written, run.locations)
    return out
