"""A demo warehouse made once per session (wave 2021), read by the backup and home tests: never changed by them."""

import dagster as dg
import pytest

from pipelines.runner import run_study


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("backup")
    done = run_study("demo-brussels", ["2021"], home=str(root / "home"), site=str(root / "site"),
                     build=str(root / "build"), instance=dg.DagsterInstance.ephemeral())
    return root, done.locations
