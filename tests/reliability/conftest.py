"""Hypothesis settings for the reliability suite: a fixed seed and a small sample in `make test`; the
reliability run (benchmarks/reliability.py) sweeps thousands of cases with the same strategies."""

from hypothesis import HealthCheck, settings

# derandomize: the same cases on every run and machine, so a red test is reproducible, never flaky.
settings.register_profile("toegang", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("toegang")
