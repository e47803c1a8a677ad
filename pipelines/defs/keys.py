"""Asset keys the asset modules share: an asset names what it depends on by key, never by importing another
asset module (tests/test_architecture.py)."""

import dagster as dg

from pipelines.stages import INSTRUMENTS


def clean_key(instrument: str) -> dg.AssetKey:
    """The clean asset of an instrument: ``clean_<instrument>_responses``."""
    return dg.AssetKey(f"clean_{instrument}_responses")


# One clean asset per instrument of the configured studies.
CLEAN_KEYS = [clean_key(name) for name in INSTRUMENTS]
