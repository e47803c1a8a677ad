"""The indicator layer: what is published, per wave and per study.

Per (study, wave): ``indicators.indicators`` (one row per indicator, breakdown and category: ``ROW_COLUMNS``),
``indicators.reliability`` (Cronbach's alpha behind the index gate), ``indicators.comparisons`` (tests between
groups), ``indicators.channel_sensitivity`` and ``indicators.pair_differences`` (two categories of a compared
breakdown, tested), written together by ``write_wave``. Per study:
``indicators.wave_differences``, every published estimate against the previous wave, and a panel's
``indicators.panel_changes`` and ``indicators.panel_trajectory`` (``write_panel``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pandas as pd

from warehouse import changes
from warehouse.connection import registered, transaction
from warehouse.tables import qualified, read_table, replacing_waves

SCHEMA = "indicators"
# The contract of an indicator row: analyses.indicator_table produces the statistics, the stage adds the keys
# and the provenance, the dashboards read it (tests hold the three to these columns).
KEY_COLUMNS = ("study_id", "wave")
PROVENANCE_COLUMNS = ("run_id", "instrument_version", "margins_version", "code_version")
STATISTIC_COLUMNS = ("indicator", "measure", "service", "theme", "dimension", "instrument", "breakdown", "domain",
                     "estimate", "se", "ci_low", "ci_high", "n", "n_eff", "deff", "unit", "ci_method", "df",
                     "n_eff_kg", "weighted", "low_n_eff", "nchs_flag", "suppressed", "reason", "numerator", "as_count")
ROW_COLUMNS = (*KEY_COLUMNS, *STATISTIC_COLUMNS, *PROVENANCE_COLUMNS)
WAVE_TABLES = ("indicators", "reliability", "comparisons", "channel_sensitivity", "pair_differences")
STUDY_TABLES = ("wave_differences", "panel_changes", "panel_trajectory")
# Written with a wave's tables, never published (exports and pages read only the tables above).
INTERNAL_TABLES = ("disclosure_basis",)


def write_wave(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, tables: dict[str, pd.DataFrame],
               made_from: changes.MadeFrom | None = None) -> int:
    """Replace the wave's rows of every table of ``WAVE_TABLES`` and ``INTERNAL_TABLES`` (all of them, in one
    transaction); return the number of indicator rows. With ``made_from``, the run is recorded in the same
    transaction beside the previous one (``warehouse.changes.keep``)."""
    if set(tables) != {*WAVE_TABLES, *INTERNAL_TABLES}:
        raise ValueError(f"a wave's indicator layer is {', '.join([*WAVE_TABLES, *INTERNAL_TABLES])}, "
                         f"got {', '.join(sorted(tables))}")
    if made_from is not None:
        changes.seed(con, study_id, wave)  # rows published before runs were kept: the previous run's
    with replacing_waves(con, {(SCHEMA, name): frame for name, frame in tables.items()}, study_id=study_id,
                         wave=wave) as counts:
        if made_from is not None:
            changes.keep(con, study_id, wave, made_from)
    return counts[(SCHEMA, "indicators")]


def write_differences(con: duckdb.DuckDBPyConnection, study_id: str, frame: pd.DataFrame) -> int:
    """Replace the study's ``indicators.wave_differences``."""
    target = qualified(SCHEMA, "wave_differences")
    with registered(con, "incoming_differences", frame.assign(study_id=study_id)), transaction(con):
        con.execute(f"DELETE FROM {target} WHERE study_id = ?", [study_id])
        if not frame.empty:
            con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM incoming_differences")
    return len(frame)


def write_panel(con: duckdb.DuckDBPyConnection, study_id: str, changes: pd.DataFrame,
                trajectory: pd.DataFrame) -> int:
    """Replace the study's ``indicators.panel_changes`` and ``indicators.panel_trajectory`` together; return the
    number of changes."""
    with registered(con, "incoming_changes", changes.assign(study_id=study_id)), \
            registered(con, "incoming_trajectory", trajectory.assign(study_id=study_id)), transaction(con):
        for name, incoming, frame in (("panel_changes", "incoming_changes", changes),
                                      ("panel_trajectory", "incoming_trajectory", trajectory)):
            target = qualified(SCHEMA, name)
            con.execute(f"DELETE FROM {target} WHERE study_id = ?", [study_id])
            if not frame.empty:
                con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM {incoming}")
    return len(changes)


def read(con: duckdb.DuckDBPyConnection, table: str, study_id: str, wave: str | None = None) -> pd.DataFrame:
    if table not in (*WAVE_TABLES, *STUDY_TABLES, *INTERNAL_TABLES):
        raise ValueError(f"no indicator table {table!r}")
    frame = read_table(con, SCHEMA, table, study_id=study_id, wave=wave)
    # A migrated warehouse has its added columns last: every reader gets the contract's order.
    return frame[list(ROW_COLUMNS)] if table == "indicators" else frame


def small_cells(con: duckdb.DuckDBPyConnection, study_id: str, min_n: int) -> list[tuple]:
    """Published cells (not a difference) resting on fewer than ``min_n`` respondents: (wave, indicator,
    breakdown, domain, n)."""
    return con.execute(
        f"""SELECT wave, indicator, breakdown, domain, n FROM {qualified(SCHEMA, "indicators")}
            WHERE study_id = ? AND NOT suppressed AND unit <> 'difference' AND (n IS NULL OR n < ?)
            ORDER BY ALL""", [study_id, min_n]).fetchall()


def file_version(path: Path) -> str:
    """A file's version as the indicator rows record their margins file: the first 12 hex digits of its SHA-256."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
