"""The weighted layer: the raking weights of a study's weighted instrument and each wave's weighting diagnostics.

``weighted.<instrument>_weights``: one row per respondent in a wave's weighting base, the final weight (after
any trimming) and the raked weight (before it). ``weighted.weighting_diagnostics``: one row per weighted wave,
what the weighting stage measured (size, Kish n_eff, deff, CV, range, trimming, sweeps, margin errors);
the asset checks and the method page read it instead of recomputing it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import duckdb
import pandas as pd

from warehouse import clean
from warehouse.tables import qualified, replace_waves

SCHEMA = "weighted"
DIAGNOSTICS = "weighting_diagnostics"
WEIGHT_COLUMNS = ("survey_id", "response_id", "respondent_id", "weight", "raked_weight")
DIAGNOSTIC_COLUMNS = ("n", "excluded", "weight_sum", "n_eff", "deff", "cv", "min_weight", "max_weight", "trimmed",
                      "sweeps", "max_margin_error", "max_final_margin_error", "margin_errors", "margins_sources")


# Raking weights of a weighted instrument's respondents of a wave (persons); responses outside the weighting
# base have none. Created with the first weights of an instrument.
WEIGHTS_DDL = """CREATE TABLE IF NOT EXISTS {table} (
    study_id        VARCHAR NOT NULL,
    wave            VARCHAR NOT NULL,
    survey_id       BIGINT NOT NULL,
    response_id     BIGINT NOT NULL,
    respondent_id   VARCHAR NOT NULL,
    weight          DOUBLE NOT NULL,       -- final weight (after trimming when the study trims)
    raked_weight    DOUBLE NOT NULL,       -- before trimming: meets the margins exactly
    PRIMARY KEY (study_id, wave, survey_id, response_id)
)"""


def weights_table(instrument: str) -> str:
    return f"{instrument}_weights"


def _exists(con: duckdb.DuckDBPyConnection, instrument: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
                            [SCHEMA, weights_table(instrument)]).fetchall()[0][0])


def write_wave(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, instrument: str, weights: pd.DataFrame,
               diagnostics: Mapping[str, object] | None) -> int:
    """Replace the wave's weights and diagnostics together (an unweighted wave: no rows in either)."""
    row = dict(diagnostics or {})
    for key in ("margin_errors", "margins_sources"):
        if key in row:
            row[key] = json.dumps(row[key], ensure_ascii=False, sort_keys=True)
    con.execute(WEIGHTS_DDL.format(table=qualified(SCHEMA, weights_table(instrument))))
    frames = {(SCHEMA, weights_table(instrument)): weights.loc[:, list(WEIGHT_COLUMNS)],
              (SCHEMA, DIAGNOSTICS): pd.DataFrame([row] if diagnostics else [], columns=list(DIAGNOSTIC_COLUMNS))}
    return replace_waves(con, frames, study_id=study_id, wave=wave)[(SCHEMA, weights_table(instrument))]


def read_respondents(con: duckdb.DuckDBPyConnection, instrument: str, study_id: str, wave: str,
                     columns: list[str]) -> pd.DataFrame:
    """``warehouse.clean.read_respondents`` of the weighted respondents only, with their final ``weight``."""
    return clean.read_respondents(con, instrument, study_id, wave, columns,
                                  join=(SCHEMA, weights_table(instrument)), join_columns=("weight",))


def has_weights(con: duckdb.DuckDBPyConnection, instrument: str, study_id: str, wave: str) -> bool:
    if not _exists(con, instrument):
        return False
    return con.execute(f"SELECT count(*) > 0 FROM {qualified(SCHEMA, weights_table(instrument))} "
                       "WHERE study_id = ? AND wave = ?", [study_id, wave]).fetchall()[0][0]


def weight_counts(con: duckdb.DuckDBPyConnection, instrument: str, study_id: str) -> dict[str, int]:
    """Wave -> how many respondents have a stored weight."""
    if not _exists(con, instrument):
        return {}
    return dict(con.execute(f"SELECT wave, count(*) FROM {qualified(SCHEMA, weights_table(instrument))} "
                            "WHERE study_id = ? GROUP BY wave", [study_id]).fetchall())


def read_weights(con: duckdb.DuckDBPyConnection, instrument: str, study_id: str) -> pd.DataFrame:
    if not _exists(con, instrument):
        return pd.DataFrame(columns=["study_id", "wave", *WEIGHT_COLUMNS])
    return con.execute(f"SELECT * FROM {qualified(SCHEMA, weights_table(instrument))} WHERE study_id = ? "
                       "ORDER BY ALL", [study_id]).df()


def read_diagnostics(con: duckdb.DuckDBPyConnection, study_id: str) -> pd.DataFrame:
    """Every weighted wave of the study, in wave order; ``margin_errors`` and ``margins_sources`` as mappings."""
    frame = con.execute(f"SELECT * FROM {qualified(SCHEMA, DIAGNOSTICS)} WHERE study_id = ? ORDER BY wave",
                        [study_id]).df()
    for key in ("margin_errors", "margins_sources"):
        frame[key] = frame[key].map(lambda text: json.loads(text) if isinstance(text, str) else {})
    return frame
