"""The weighted layer: the parents' raking weights and each wave's weighting diagnostics.

``weighted.parent_weights``: one row per parent in a wave's weighting base, the final weight (after any
trimming) and the raked weight (before it). ``weighted.weighting_diagnostics``: one row per weighted wave,
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
WEIGHTS, DIAGNOSTICS = "parent_weights", "weighting_diagnostics"
WEIGHT_COLUMNS = ("survey_id", "response_id", "respondent_id", "weight", "raked_weight")
DIAGNOSTIC_COLUMNS = ("n", "excluded", "weight_sum", "n_eff", "deff", "cv", "min_weight", "max_weight", "trimmed",
                      "sweeps", "max_margin_error", "max_final_margin_error", "margin_errors", "margins_sources")


def write_wave(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, weights: pd.DataFrame,
               diagnostics: Mapping[str, object] | None) -> int:
    """Replace the wave's weights and diagnostics together (an unweighted wave: no rows in either)."""
    row = dict(diagnostics or {})
    for key in ("margin_errors", "margins_sources"):
        if key in row:
            row[key] = json.dumps(row[key], ensure_ascii=False, sort_keys=True)
    frames = {(SCHEMA, WEIGHTS): weights.loc[:, list(WEIGHT_COLUMNS)],
              (SCHEMA, DIAGNOSTICS): pd.DataFrame([row] if diagnostics else [], columns=list(DIAGNOSTIC_COLUMNS))}
    return replace_waves(con, frames, study_id=study_id, wave=wave)[(SCHEMA, WEIGHTS)]


def read_parents(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, columns: list[str]) -> pd.DataFrame:
    """``warehouse.clean.read_parents`` of the weighted parents only, with their final ``weight``."""
    return clean.read_parents(con, study_id, wave, columns, join=(SCHEMA, WEIGHTS), join_columns=("weight",))


def has_weights(con: duckdb.DuckDBPyConnection, study_id: str, wave: str) -> bool:
    return con.execute(f"SELECT count(*) > 0 FROM {qualified(SCHEMA, WEIGHTS)} WHERE study_id = ? AND wave = ?",
                       [study_id, wave]).fetchall()[0][0]


def weight_counts(con: duckdb.DuckDBPyConnection, study_id: str) -> dict[str, int]:
    """Wave -> how many parents have a stored weight."""
    return dict(con.execute(f"SELECT wave, count(*) FROM {qualified(SCHEMA, WEIGHTS)} WHERE study_id = ? "
                            "GROUP BY wave", [study_id]).fetchall())


def read_weights(con: duckdb.DuckDBPyConnection, study_id: str) -> pd.DataFrame:
    return con.execute(f"SELECT * FROM {qualified(SCHEMA, WEIGHTS)} WHERE study_id = ? ORDER BY ALL",
                       [study_id]).df()


def read_diagnostics(con: duckdb.DuckDBPyConnection, study_id: str) -> pd.DataFrame:
    """Every weighted wave of the study, in wave order; ``margin_errors`` and ``margins_sources`` as mappings."""
    frame = con.execute(f"SELECT * FROM {qualified(SCHEMA, DIAGNOSTICS)} WHERE study_id = ? ORDER BY wave",
                        [study_id]).df()
    for key in ("margin_errors", "margins_sources"):
        frame[key] = frame[key].map(lambda text: json.loads(text) if isinstance(text, str) else {})
    return frame
