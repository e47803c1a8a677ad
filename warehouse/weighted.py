"""The weighted layer: the raking weights of a study's weighted instrument and each wave's weighting diagnostics.

``weighted.<instrument>_weights``: one row per respondent in a wave's weighting base, the final weight (after
any trimming) and the raked weight (before it). ``weighted.weighting_diagnostics``: one row per weighted wave,
what the weighting stage measured (size, Kish n_eff, deff, CV, range, trimming, sweeps, margin errors);
the asset checks and the method page read it instead of recomputing it.

When a study estimates variances from replicate weights: ``weighted.<instrument>_replicate_weights``, long, one
row per respondent and replicate (a respondent's weight in replicate r, 1..R), and
``weighted.replicate_designs``, one row per wave and instrument, how the replicates combine into a variance
(method, R, scale, rscales, seed) and the names of their columns when read wide. Both are written with the
wave's weights, in the same transaction, and are created with the first replicates.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextlib import ExitStack
from typing import Protocol

import duckdb
import numpy as np
import pandas as pd

from warehouse import clean
from warehouse.connection import registered, transaction
from warehouse.tables import qualified, replacing_waves

SCHEMA = "weighted"
DIAGNOSTICS = "weighting_diagnostics"
DESIGNS = "replicate_designs"
WEIGHT_COLUMNS = ("survey_id", "response_id", "respondent_id", "weight", "raked_weight")
DIAGNOSTIC_COLUMNS = ("n", "excluded", "weight_sum", "n_eff", "deff", "cv", "min_weight", "max_weight", "trimmed",
                      "sweeps", "max_margin_error", "max_final_margin_error", "margin_errors", "margins_sources",
                      "design")


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


# Replicate weights, long: a respondent's weight in each replicate (persons). No declared key: on 20 million
# rows DuckDB's index made a wave's replacement 16 times slower and the file twice as large. (study, wave,
# survey, response, replicate) is unique by construction: the keys are those of the weights table, whose
# primary key is checked in the same transaction, each with replicates 1..R once.
REPLICATES_DDL = """CREATE TABLE IF NOT EXISTS {table} (
    study_id        VARCHAR NOT NULL,
    wave            VARCHAR NOT NULL,
    survey_id       BIGINT NOT NULL,
    response_id     BIGINT NOT NULL,
    replicate       INTEGER NOT NULL,      -- 1..R, the position of its column in the design
    weight          DOUBLE NOT NULL
)"""

# How a wave's replicates combine: variance = scale x sum_r rscales_r (theta_r - mean theta)^2 (R's svrVar).
DESIGNS_DDL = f"""CREATE TABLE IF NOT EXISTS {qualified(SCHEMA, DESIGNS)} (
    study_id        VARCHAR NOT NULL,
    wave            VARCHAR NOT NULL,
    instrument      VARCHAR NOT NULL,
    method          VARCHAR NOT NULL,      -- JKn, JK1 or bootstrap
    replicates      INTEGER NOT NULL,      -- R
    scale           DOUBLE NOT NULL,
    rscales         DOUBLE[] NOT NULL,     -- one per replicate
    seed            BIGINT,                -- of a bootstrap's draws
    columns         VARCHAR[] NOT NULL,    -- the replicates' column names when read wide (repw_001, ...)
    PRIMARY KEY (study_id, wave, instrument)
)"""
DESIGN_FIELDS = ("method", "replicates", "scale", "rscales", "seed", "columns")


class Replicates(Protocol):
    """What ``write_wave`` stores of replicate weights (``analyses.weighting.ReplicateWeights``)."""

    weights: pd.DataFrame  # one column per replicate, aligned to the weights' rows
    scale: float
    rscales: np.ndarray
    method: str
    seed: int | None


def weights_table(instrument: str) -> str:
    return f"{instrument}_weights"


def replicates_table(instrument: str) -> str:
    return f"{instrument}_replicate_weights"


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
                            [SCHEMA, table]).fetchall()[0][0])


def _replicate_values(weights: pd.DataFrame, replicates: Replicates) -> tuple[np.ndarray, dict]:
    """The replicate weights as a respondents x R array in the rows' order of ``weights``, and the design row;
    refused (ValueError) when they do not fit the weights or cannot give a variance."""
    frame = replicates.weights
    if not frame.index.equals(weights.index):
        if not (frame.index.is_unique and len(frame.index) == len(weights.index)
                and frame.index.isin(weights.index).all()):
            raise ValueError("replicate weights must have one row per respondent of the weights (same index)")
        frame = frame.loc[weights.index]
    columns = [str(c) for c in frame.columns]
    count = len(columns)
    if count == 0 or len(set(columns)) != count:
        raise ValueError(f"replicate weights need at least one column, each named once (got {columns[:5]})")
    values = frame.to_numpy(dtype=float)
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValueError("replicate weights must be finite and not negative")
    rscales = np.asarray(replicates.rscales, dtype=float)
    scale = float(replicates.scale)
    if rscales.shape != (count,) or not np.isfinite(rscales).all() or not np.isfinite(scale):
        raise ValueError(f"a replicate design needs a finite scale and {count} finite rscales, "
                         f"got {rscales.shape[0] if rscales.ndim == 1 else rscales.shape}")
    seed = None if replicates.seed is None else int(replicates.seed)
    design = {"method": str(replicates.method), "replicates": count, "scale": scale,
              "rscales": rscales.tolist(), "seed": seed, "columns": columns}
    return values, design


def write_wave(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, instrument: str, weights: pd.DataFrame,
               diagnostics: Mapping[str, object] | None, *, replicates: Replicates | None = None) -> int:
    """Replace the wave's weights, diagnostics, replicate weights and replicate design together (an unweighted
    wave: no rows in any; a wave without ``replicates``: none of its earlier replicates stay)."""
    row = dict(diagnostics or {})
    for key in ("margin_errors", "margins_sources", "design"):
        if key in row:
            row[key] = json.dumps(row[key], ensure_ascii=False, sort_keys=True)
    long, designs = qualified(SCHEMA, replicates_table(instrument)), qualified(SCHEMA, DESIGNS)
    con.execute(WEIGHTS_DDL.format(table=qualified(SCHEMA, weights_table(instrument))))
    if replicates is not None:
        values, design = _replicate_values(weights, replicates)
        con.execute(REPLICATES_DDL.format(table=long))
        con.execute(DESIGNS_DDL)
    stored = _exists(con, replicates_table(instrument)), _exists(con, DESIGNS)
    frames = {(SCHEMA, weights_table(instrument)): weights.loc[:, list(WEIGHT_COLUMNS)],
              (SCHEMA, DIAGNOSTICS): pd.DataFrame([row] if diagnostics else [], columns=list(DIAGNOSTIC_COLUMNS))}
    with ExitStack() as stack:
        if replicates is not None:
            # DuckDB reads the wide values where they are and unnests a list per respondent: no Python loop
            # and no long copy in pandas (20 million rows for 100,000 respondents and 200 replicates).
            wide = pd.DataFrame(values, columns=[f"r{r}" for r in range(1, values.shape[1] + 1)])
            wide.insert(0, "response_id", weights["response_id"].to_numpy())
            wide.insert(0, "survey_id", weights["survey_id"].to_numpy())
            incoming = stack.enter_context(registered(con, "incoming_replicates", wide))
        counts = stack.enter_context(replacing_waves(con, frames, study_id=study_id, wave=wave))
        if stored[0]:
            con.execute(f"DELETE FROM {long} WHERE study_id = ? AND wave = ?", [study_id, wave])
        if stored[1]:
            con.execute(f"DELETE FROM {designs} WHERE study_id = ? AND wave = ? AND instrument = ?",
                        [study_id, wave, instrument])
        if replicates is not None:
            listed = ", ".join(wide.columns[2:])
            con.execute(f"INSERT INTO {long} (study_id, wave, survey_id, response_id, replicate, weight) "
                        f"SELECT ?, ?, survey_id, response_id, unnest(range(1, {len(wide.columns) - 1})), "
                        f"unnest([{listed}]) FROM {incoming}", [study_id, wave])
            con.execute(f"INSERT INTO {designs} (study_id, wave, instrument, {', '.join(DESIGN_FIELDS)}) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [study_id, wave, instrument, *(design[f] for f in DESIGN_FIELDS)])
    return counts[(SCHEMA, weights_table(instrument))]


def read_replicate_designs(con: duckdb.DuckDBPyConnection, instrument: str, study_id: str) -> dict[str, dict]:
    """Wave -> the stored replicate design of ``instrument`` (``DESIGN_FIELDS``), without the weights: enough to
    name them."""
    if not _exists(con, DESIGNS):
        return {}
    found = con.execute(f"SELECT wave, {', '.join(DESIGN_FIELDS)} FROM {qualified(SCHEMA, DESIGNS)} "
                        "WHERE study_id = ? AND instrument = ?", [study_id, instrument]).fetchall()
    return {str(row[0]): dict(zip(DESIGN_FIELDS, row[1:])) for row in found}


def read_replicates(con: duckdb.DuckDBPyConnection, instrument: str, study_id: str,
                    wave: str) -> tuple[pd.DataFrame, dict | None]:
    """The wave's replicate weights wide, one row per respondent in (survey, response) order: ``survey_id``,
    ``response_id`` and one column per replicate, named and ordered as written; and the design (method,
    replicates, scale, rscales, seed, columns), or None when the wave has no replicates."""
    empty = pd.DataFrame(columns=["survey_id", "response_id"])
    if not (_exists(con, replicates_table(instrument)) and _exists(con, DESIGNS)):
        return empty, None
    long = qualified(SCHEMA, replicates_table(instrument))
    with transaction(con):  # the design, the keys and the weights of one snapshot
        found = con.execute(f"SELECT {', '.join(DESIGN_FIELDS)} FROM {qualified(SCHEMA, DESIGNS)} "
                            "WHERE study_id = ? AND wave = ? AND instrument = ?",
                            [study_id, wave, instrument]).fetchall()
        if not found:
            return empty, None
        design = dict(zip(DESIGN_FIELDS, found[0]))
        keys = con.execute(f"SELECT survey_id, response_id, count(*) AS replicates FROM {long} "
                           "WHERE study_id = ? AND wave = ? GROUP BY ALL ORDER BY survey_id, response_id",
                           [study_id, wave]).df()
        # Sorted by DuckDB, so a plain reshape puts each respondent's replicates on one row.
        values = con.execute(f"SELECT weight FROM {long} WHERE study_id = ? AND wave = ? "
                             "ORDER BY survey_id, response_id, replicate", [study_id, wave]).fetchnumpy()["weight"]
    count = design["replicates"]
    if (keys["replicates"] != count).any():
        raise RuntimeError(f"{long}: wave {wave} has respondents without all {count} replicates; weight it again")
    frame = pd.DataFrame(np.asarray(values).reshape(len(keys), count), columns=design["columns"])
    frame.insert(0, "response_id", keys["response_id"].to_numpy())
    frame.insert(0, "survey_id", keys["survey_id"].to_numpy())
    return frame, design


def read_respondents(con: duckdb.DuckDBPyConnection, instrument: str, study_id: str, wave: str,
                     columns: list[str]) -> pd.DataFrame:
    """``warehouse.clean.read_respondents`` of the weighted respondents only, with their final ``weight``."""
    return clean.read_respondents(con, instrument, study_id, wave, columns,
                                  join=(SCHEMA, weights_table(instrument)), join_columns=("weight",))


def has_weights(con: duckdb.DuckDBPyConnection, instrument: str, study_id: str, wave: str) -> bool:
    if not _exists(con, weights_table(instrument)):
        return False
    return con.execute(f"SELECT count(*) > 0 FROM {qualified(SCHEMA, weights_table(instrument))} "
                       "WHERE study_id = ? AND wave = ?", [study_id, wave]).fetchall()[0][0]


def weight_counts(con: duckdb.DuckDBPyConnection, instrument: str, study_id: str) -> dict[str, int]:
    """Wave -> how many respondents have a stored weight."""
    if not _exists(con, weights_table(instrument)):
        return {}
    return dict(con.execute(f"SELECT wave, count(*) FROM {qualified(SCHEMA, weights_table(instrument))} "
                            "WHERE study_id = ? GROUP BY wave", [study_id]).fetchall())


def read_weights(con: duckdb.DuckDBPyConnection, instrument: str, study_id: str,
                 wave: str | None = None) -> pd.DataFrame:
    """The study's stored weights (of one wave with ``wave``), in (wave, survey, response) order."""
    if not _exists(con, weights_table(instrument)):
        return pd.DataFrame(columns=["study_id", "wave", *WEIGHT_COLUMNS])
    where, params = ("study_id = ?", [study_id]) if wave is None else ("study_id = ? AND wave = ?", [study_id, wave])
    return con.execute(f"SELECT * FROM {qualified(SCHEMA, weights_table(instrument))} WHERE {where} "
                       "ORDER BY ALL", params).df()


def read_diagnostics(con: duckdb.DuckDBPyConnection, study_id: str) -> pd.DataFrame:
    """Every weighted wave of the study, in wave order; ``margin_errors`` and ``margins_sources`` as mappings."""
    frame = con.execute(f"SELECT * FROM {qualified(SCHEMA, DIAGNOSTICS)} WHERE study_id = ? ORDER BY wave",
                        [study_id]).df()
    for key in ("margin_errors", "margins_sources", "design"):
        frame[key] = frame[key].map(lambda text: json.loads(text) if isinstance(text, str) else {})
    return frame
