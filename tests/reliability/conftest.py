"""Hypothesis settings for the reliability suite: a fixed seed and a small sample in `make test`; the
reliability run (benchmarks/reliability.py) sweeps thousands of cases with the same strategies."""

import pytest
from hypothesis import HealthCheck, settings

from tests.conftest import once_per_session

# derandomize: the same cases on every run and machine, so a red test is reproducible, never flaky.
settings.register_profile("toegang", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("toegang")


def _demo_wave_2018(root):
    import dagster as dg

    from pipelines.runner import run_study

    return run_study("demo-brussels", ["2018"], home=str(root / "home"), site=str(root / "site"),
                     build=str(root / "build"), instance=dg.DagsterInstance.ephemeral(), log_level="WARNING").locations


@pytest.fixture(scope="session")
def demo_2018(tmp_path_factory):
    """The demo's wave 2018 run once per session, alone, into ``home/``, ``site/`` and ``build/`` of the folder
    returned (with its locations): the crash harness's state before its step, and the reference the overlapping
    runs of test_one_writer.py are compared with. Read it only."""
    locations = once_per_session(tmp_path_factory, "demo-2018", _demo_wave_2018)
    return locations.home.parent.parent, locations
