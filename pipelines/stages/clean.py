"""Clean: the latest consenting version of each response of a wave, typed and pseudonymised."""

from __future__ import annotations

import duckdb

from instruments.study import Study
from warehouse.clean import build_clean


def clean_wave(con: duckdb.DuckDBPyConnection, study: Study, wave: str, instrument_name: str) -> dict:
    """Replace the wave's rows of ``clean.<instrument>_responses`` and ``clean.<instrument>_missing``."""
    instrument = study.instrument(instrument_name, wave)
    rows = build_clean(con, study_id=study.study_id, wave=wave, instrument=instrument)
    return {"rows": rows, "study_id": study.study_id, "instrument_version": instrument.version}
