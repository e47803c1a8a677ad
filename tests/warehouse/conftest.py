"""A demo warehouse made once per session (wave 2021), read by the backup and home tests: never changed by them."""

import pytest

from tests.conftest import once_per_session


def _wave_2021(root):
    import dagster as dg

    from pipelines.runner import run_study

    done = run_study("demo-brussels", ["2021"], home=str(root / "home"), site=str(root / "site"),
                     build=str(root / "build"), instance=dg.DagsterInstance.ephemeral())
    return root, done.locations


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory):
    return once_per_session(tmp_path_factory, "wave-2021", _wave_2021)
