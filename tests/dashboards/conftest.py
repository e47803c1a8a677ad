"""The site of a second study, built once per test session: tests/fixtures/studies/support-models (written only
as configuration) with generated responses, run from ingest to site in a fresh process (the pipeline's
partitions are the configured studies' waves, read when it is imported, so TOEGANG_STUDIES must name the
study's folder before that)."""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from instruments.generate import write_study
from instruments.study import Study, load_study
from tests.conftest import ROOT

SECOND_STUDY = "support-models"
FIXTURE = ROOT / "tests" / "fixtures" / "studies" / SECOND_STUDY
_RUN = """
import json, sys
from pipelines.runner import run_study
run = run_study(sys.argv[1], home=sys.argv[2], site=sys.argv[3], build=sys.argv[4], studies_dir=sys.argv[5],
                log_level="WARNING")
print(json.dumps({"site": str(run.locations.site), "warehouse": str(run.locations.warehouse)}))
"""


@dataclass(frozen=True)
class StudySite:
    study: Study
    site: Path  # as the run reports it
    warehouse: Path


@pytest.fixture(scope="session")
def second_site(tmp_path_factory) -> StudySite:
    root = tmp_path_factory.mktemp("second-study")
    studies = root / "studies"
    shutil.copytree(FIXTURE, studies / SECOND_STUDY)
    study = load_study(SECOND_STUDY, studies)
    write_study(study, responses=60, seed=7)
    env = {**os.environ, "TOEGANG_STUDIES": str(studies), "DAGSTER_HOME": str(root / "dagster")}
    done = subprocess.run([sys.executable, "-c", _RUN, SECOND_STUDY, str(root / "home"), str(root / "site"),
                           str(root / "build"), str(studies)], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    run = json.loads(done.stdout.strip().splitlines()[-1])
    return StudySite(study, Path(run["site"]), Path(run["warehouse"]))
