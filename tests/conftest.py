"""Shared fixtures: paths located from this file, temporary warehouses, the recorded LimeSurvey replies, and the
two whole-pipeline runs several test modules read (the demo study, and a second study written only as YAML), each
run once per session because a run takes tens of seconds."""

import fcntl
import os
import pickle
import shutil
from collections.abc import Callable
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

# The files that take longest (pytest --durations), longest first. `make test` hands whole files to three workers in
# collection order (--dist loadfile --no-loadscope-reorder): these start first and the short files fill in at the
# end, so the workers finish together. A file not listed keeps its place after them.
LONGEST_FIRST = (
    "reliability/test_crash_safety.py", "test_readme_howtos.py", "dashboards/test_browser.py",
    "pipelines/test_end_to_end.py", "reliability/test_one_writer.py", "pipelines/test_changes.py",
    "reliability/test_hostile_content.py", "pipelines/test_replicate_variance.py", "warehouse/test_backup.py",
    "reliability/test_secrets.py", "pipelines/test_limesurvey_ingest.py", "reliability/test_hostile_input.py",
    "pipelines/test_explain.py", "pipelines/test_exports.py", "pipelines/test_cli.py", "test_readme_runnable.py",
)


def pytest_collection_modifyitems(items):
    rank = {f"tests/{name}": place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable: files stay whole


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


def once_per_session(tmp_path_factory, name: str, make: Callable[[Path], object]) -> object:
    """What ``make(folder)`` returns, made once per session into ``folder`` by whichever xdist worker asks first
    (under a file lock in the session's base folder, which its workers share); the others wait for it, then read
    the same folder and get the pickled return value. Read the folder only: a test that writes copies it first."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # a worker's base is <session base>/<worker>
        base = base.parent
    made = base / "once-per-session"
    made.mkdir(exist_ok=True)
    folder, value = made / name, made / f"{name}.pickle"
    with open(made / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not value.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            value.write_bytes(pickle.dumps(make(folder)))
    return pickle.loads(value.read_bytes())


@dataclass(frozen=True)
class DemoRun:
    """The demo study run as ``toegang demo`` runs it, and what the command printed."""
    root: Path  # holds home/, site/ and build/
    dagster_home: Path  # DAGSTER_HOME of the command
    exit_code: int
    output: str


def _toegang_demo(root: Path) -> DemoRun:
    from typer.testing import CliRunner

    from pipelines.cli import app

    # The demo as committed: its own pseudonym key and paths, whatever this shell exports (None unsets).
    env = {name: None for name in os.environ if name.startswith("TOEGANG_")}
    dagster_home = root.parent / f"{root.name}-dagster"
    env["DAGSTER_HOME"] = str(dagster_home)
    result = CliRunner().invoke(app, ["demo", "--home", str(root / "home"), "--site", str(root / "site"),
                                      "--build", str(root / "build")], env=env)
    return DemoRun(root, dagster_home, result.exit_code, result.output)


@pytest.fixture(scope="session")
def demo_command(tmp_path_factory) -> DemoRun:
    """``toegang demo`` run once per session (for all workers): from the bundled exports to the site."""
    return once_per_session(tmp_path_factory, "demo", _toegang_demo)


@pytest.fixture(scope="session")
def demo_root(demo_command) -> Path:
    """The demo study run once, from its bundled exports to its site, into ``home/``, ``site/`` and ``build/``
    of the folder returned. Read it only: a test that runs again copies it first (``copy_run``)."""
    assert demo_command.exit_code == 0, demo_command.output
    return demo_command.root


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


def _second_study(root: Path) -> StudySite:
    import dagster as dg

    from instruments.generate import write_study
    from pipelines.runner import run_study

    studies = root / "studies"
    shutil.copytree(SECOND_FIXTURE, studies / SECOND_STUDY)
    study = load_study(SECOND_STUDY, studies)
    written = write_study(study, responses=60, seed=7)
    run = run_study(SECOND_STUDY, home=str(root / "home"), site=str(root / "site"), build=str(root / "build"),
                    studies_dir=str(studies), instance=dg.DagsterInstance.ephemeral(), log_level="WARNING")
    return StudySite(study, written, run.locations)


@pytest.fixture(scope="session")
def second_site(tmp_path_factory) -> StudySite:
    return once_per_session(tmp_path_factory, "second-study", _second_study)


# The example studies shipped beside the demo (instruments/studies/): a process evaluation with unweighted clients
# and workers, and a professional panel polled at five meetings. Each runs from its committed exports.
SHIPPED_STUDIES = ("demo-antwerp", "demo-rotterdam")


def _shipped_studies(root: Path) -> dict[str, StudySite]:
    import dagster as dg

    from instruments.generate import prepare_demo
    from pipelines.runner import run_study

    out = {}
    for study_id in SHIPPED_STUDIES:
        prepared = prepare_demo(study_id, root / "staging")
        assert prepared.studies_dir is None and not any(w.written for w in prepared.written), study_id
        run = run_study(study_id, home=str(root / "home"), site=str(root / "site"), build=str(root / "build"),
                        instance=dg.DagsterInstance.ephemeral(), log_level="WARNING")
        out[study_id] = StudySite(load_study(study_id), prepared.written, run.locations)
    return out


@pytest.fixture(scope="session")
def shipped_sites(tmp_path_factory) -> dict[str, StudySite]:
    """Each shipped example study run once, as `toegang demo --study <id>` runs it (its exports are committed,
    so nothing is generated), into a folder of its own."""
    return once_per_session(tmp_path_factory, "shipped", _shipped_studies)
