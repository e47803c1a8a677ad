"""The questionnaires as fielded in a wave, as rows of ``meta.codebook`` (the files: ``instruments.build``)."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from instruments import codebook
from instruments.study import Study
from warehouse.tables import replace_wave


def write_codebook(con: duckdb.DuckDBPyConnection, study: Study, wave: str) -> dict:
    """Replace the wave's rows of ``meta.codebook``: one per exported column of each questionnaire."""
    instruments = [study.instrument(s.instrument, wave) for s in study.surveys_in(wave)]
    frame = pd.DataFrame([row for instrument in instruments for row in codebook.rows(instrument)]).drop(columns=["wave"])
    frame["answers"] = frame["answers"].map(lambda a: json.dumps(a, ensure_ascii=False))
    count = replace_wave(con, "meta", "codebook", frame, study_id=study.study_id, wave=wave)
    return {"rows": count, "versions": {i.name: i.version for i in instruments}}

