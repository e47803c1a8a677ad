"""What changed in a wave between two runs of its indicators.

Each run replaces a wave's indicator rows, so the indicator stage keeps, per wave, the two latest runs that
differ: ``meta.indicator_runs`` (what each run was made from: instrument versions, margins file, code version,
the responses of the wave in the raw layer and its latest load) and ``meta.indicator_history`` (the indicator
rows each run published, a hidden cell with its status and reason only, never its value). A run that changes
neither what it published nor what it was made from only restamps the latest (a rerun changes nothing), so
"previous" is the run before the one that made the current figures.

``keep`` writes them (inside the transaction that replaces the wave's rows); ``wave_changes`` compares the two
runs: responses new and edited between them, versions changed, published values that moved by more than their
standard error, cells newly suppressed or released.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pandas as pd

from warehouse.connection import transaction
from warehouse.raw import utc_now

RUNS, HISTORY, PUBLISHED = "meta.indicator_runs", "meta.indicator_history", "indicators.indicators"
# Never copied for a suppressed cell, whatever its row holds: its status and reason are what is published.
HIDDEN = ("estimate", "se", "ci_low", "ci_high", "n", "n_eff", "deff", "n_eff_kg", "numerator")
# Stamps of the run, not of what it published.
STAMPS = ("run_id", "code_version")
CELL = ["indicator", "breakdown", "domain"]


@dataclass(frozen=True)
class MadeFrom:
    """What the indicator stage read for a wave (the raw layer's part is read by ``keep`` itself)."""

    run_id: str
    instrument_versions: dict[str, list[str]]  # instrument -> versions of the rows it read
    margins_version: str | None  # the margins file's hash (as the indicator rows carry it); None: unweighted
    code_version: str


@dataclass(frozen=True)
class Run:
    """A row of ``meta.indicator_runs``; ``responses`` and the load are None for a run recorded before Toegang
    kept them (its rows' provenance only)."""

    run_id: str
    computed_at: datetime | None
    instrument_versions: dict[str, list[str]]
    margins_version: str | None
    code_version: str | None
    responses: int | None
    load_seq: int | None
    load_id: str | None
    fetched_at: datetime | None


@dataclass(frozen=True)
class VersionChange:
    what: str  # "instrument", "margins" or "code"
    name: str | None  # the instrument, for "instrument"
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ResponseChanges:
    """Responses of one instrument whose first version (new) or a later one (edited) was loaded in a span."""

    instrument: str
    new: int
    edited: int


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


@dataclass(frozen=True)
class WaveChanges:
    """The latest run of a wave against the one before it. ``previous`` None: nothing to compare (``first``).

    ``responses``: loaded between the two runs' latest loads, per instrument (None when the previous run did not
    record its loads); ``pending``: loaded after the latest run, in no published figure yet. ``moved``: cells
    published by both runs whose value moved by more than its standard error (the latest's, else the
    previous's; a value without one, a count, by any change): indicator, breakdown, domain, unit, before, after,
    se, largest move (in SEs) first. ``suppressed`` and ``released``: cells hidden now and published before, and
    the reverse: indicator, breakdown, domain, reason (the hidden side's). ``compared``: cells both published;
    ``added``, ``removed``: cells of one run only."""

    study_id: str
    wave: str
    latest: Run | None
    previous: Run | None
    responses: tuple[ResponseChanges, ...] | None = None
    pending: tuple[ResponseChanges, ...] = ()
    versions: tuple[VersionChange, ...] = ()
    moved: pd.DataFrame = field(default_factory=lambda: _empty([*CELL, "unit", "before", "after", "se"]))
    suppressed: pd.DataFrame = field(default_factory=lambda: _empty([*CELL, "reason"]))
    released: pd.DataFrame = field(default_factory=lambda: _empty([*CELL, "reason"]))
    compared: int = 0
    added: int = 0
    removed: int = 0

    @property
    def first(self) -> bool:
        return self.previous is None


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]


def _published_copy(con: duckdb.DuckDBPyConnection) -> str:
    """The select list that copies a published row: each hidden cell's values left out."""
    present = set(_columns(con, PUBLISHED))
    hidden = ", ".join(f"CASE WHEN suppressed THEN NULL ELSE {c} END AS {c}" for c in HIDDEN if c in present)
    return f"* REPLACE ({hidden}, $run_id AS run_id)"


def _raw_state(con: duckdb.DuckDBPyConnection, study_id: str, wave: str) -> tuple:
    """(responses, load_seq, load_id, fetched_at) of the wave in the raw layer: its responses (every instrument)
    and the latest load that brought one of their versions."""
    return con.execute(
        """SELECT count(DISTINCT (survey_id, response_id)), max(load_seq), arg_max(load_id, load_seq),
                  max(fetched_at)
           FROM raw.responses WHERE study_id = ? AND wave = ?""", [study_id, wave]).fetchall()[0]


def _versions_json(versions: dict[str, list[str]]) -> str:
    return json.dumps({name: sorted(map(str, v)) for name, v in sorted(versions.items())})


def _runs(con: duckdb.DuckDBPyConnection, study_id: str, wave: str) -> list[Run]:
    """The wave's recorded runs, latest first."""
    rows = con.execute(
        f"""SELECT run_id, computed_at, instrument_versions, margins_version, code_version, responses, load_seq,
                   load_id, fetched_at
            FROM {RUNS} WHERE study_id = ? AND wave = ? ORDER BY computed_at DESC NULLS LAST, run_id""",
        [study_id, wave]).fetchall()
    return [Run(r[0], r[1], json.loads(r[2]) if r[2] else {}, *r[3:]) for r in rows]


def seed(con: duckdb.DuckDBPyConnection, study_id: str, wave: str) -> bool:
    """A wave published before Toegang kept its runs: record its rows as a run (its provenance only), so the
    first run that replaces them compares with them. True when it did; in a transaction of its own (what it
    records is true whatever happens next)."""
    with transaction(con):
        if con.execute(f"SELECT count(*) FROM {RUNS} WHERE study_id = ? AND wave = ?",
                       [study_id, wave]).fetchall()[0][0]:
            return False
        found = con.execute(
            f"""SELECT max(run_id), string_agg(DISTINCT instrument_version, ','), max(margins_version),
                       max(code_version), count(*)
                FROM {PUBLISHED} WHERE study_id = ? AND wave = ?""", [study_id, wave]).fetchall()[0]
        run_id, versions, margins, code, rows = found
        if not rows:
            return False
        listed = sorted({v for text in versions.split(",") for v in [text.strip()] if v})
        con.execute(f"INSERT INTO {RUNS} (study_id, wave, run_id, instrument_versions, margins_version, "
                    "code_version) VALUES (?, ?, ?, ?, ?, ?)",
                    [study_id, wave, run_id, json.dumps({"": listed}), margins, code])
        con.execute(f"INSERT INTO {HISTORY} BY NAME SELECT {_published_copy(con)} FROM {PUBLISHED} "
                    "WHERE study_id = $study_id AND wave = $wave",
                    {"study_id": study_id, "wave": wave, "run_id": run_id})
    return True


def _same_rows(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, run_id: str) -> bool:
    """Whether the wave's published rows equal those the history holds of ``run_id`` (stamps aside)."""
    columns = ", ".join(c for c in _columns(con, HISTORY) if c not in STAMPS)
    params = {"study_id": study_id, "wave": wave, "run_id": run_id}
    published = f"SELECT {columns} FROM ({_copy_sql(con)})"
    kept = f"SELECT {columns} FROM {HISTORY} WHERE study_id = $study_id AND wave = $wave AND run_id = $run_id"
    differing = con.execute(f"SELECT count(*) FROM (({published} EXCEPT ALL {kept}) UNION ALL "
                            f"({kept} EXCEPT ALL {published}))", params).fetchall()[0][0]
    return differing == 0


def _copy_sql(con: duckdb.DuckDBPyConnection) -> str:
    return f"SELECT {_published_copy(con)} FROM {PUBLISHED} WHERE study_id = $study_id AND wave = $wave"


def keep(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, made_from: MadeFrom) -> bool:
    """Record the run that has just written the wave's rows (call it inside that transaction, after them): when
    it published what the latest recorded run did, from the same things, only the stamps move to it; otherwise
    it becomes the latest, the latest becomes the previous and any older run is dropped. True when the wave
    changed."""
    responses, load_seq, load_id, fetched_at = _raw_state(con, study_id, wave)
    versions = _versions_json(made_from.instrument_versions)
    runs = _runs(con, study_id, wave)
    latest = runs[0] if runs else None
    unchanged = (latest is not None and _versions_json(latest.instrument_versions) == versions
                 and (latest.margins_version, latest.code_version, latest.responses, latest.load_seq)
                 == (made_from.margins_version, made_from.code_version, responses, load_seq)
                 and _same_rows(con, study_id, wave, latest.run_id))
    params = [study_id, wave]
    if unchanged:
        con.execute(f"UPDATE {RUNS} SET run_id = ?, computed_at = ? WHERE study_id = ? AND wave = ? AND run_id = ?",
                    [made_from.run_id, utc_now(), *params, latest.run_id])
        con.execute(f"UPDATE {HISTORY} SET run_id = ? WHERE study_id = ? AND wave = ? AND run_id = ?",
                    [made_from.run_id, *params, latest.run_id])
        return False
    # The latest becomes the previous; when it is this very run (a step retried), the one before it stays.
    older = [run.run_id for run in runs if run.run_id != made_from.run_id]
    kept = older[:1]
    for table in (RUNS, HISTORY):
        con.execute(f"DELETE FROM {table} WHERE study_id = ? AND wave = ? AND NOT list_contains(?, run_id)",
                    [*params, kept])
    con.execute(f"INSERT INTO {RUNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [study_id, wave, made_from.run_id, utc_now(), versions, made_from.margins_version,
                 made_from.code_version, responses, load_seq, load_id, fetched_at])
    con.execute(f"INSERT INTO {HISTORY} BY NAME {_copy_sql(con)}",
                {"study_id": study_id, "wave": wave, "run_id": made_from.run_id})
    return True


# --- reading: what changed --------------------------------------------------------------------------------


def has_history(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse keeps runs (a file from before warehouse version 6, opened read-only, does not)."""
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                            "AND schema_name = 'meta' AND table_name = 'indicator_runs'").fetchall()[0][0])


def recorded_waves(con: duckdb.DuckDBPyConnection, study_id: str) -> list[str]:
    """Waves with published indicators or a recorded run, in order."""
    history = f"UNION SELECT wave FROM {RUNS} WHERE study_id = $study_id" if has_history(con) else ""
    return [row[0] for row in con.execute(
        f"SELECT DISTINCT wave FROM {PUBLISHED} WHERE study_id = $study_id {history} ORDER BY wave",
        {"study_id": study_id}).fetchall()]


def _responses(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, after: int,
               upto: int | None) -> tuple[ResponseChanges, ...]:
    """Responses with a version loaded after load ``after`` (up to ``upto``), per instrument: new when their
    first version is among them, else edited."""
    rows = con.execute(
        """WITH firsts AS (
               SELECT instrument, survey_id, response_id, min(load_seq) AS first_seq
               FROM raw.responses WHERE study_id = $study_id AND wave = $wave GROUP BY ALL),
           touched AS (
               SELECT DISTINCT instrument, survey_id, response_id FROM raw.responses
               WHERE study_id = $study_id AND wave = $wave AND load_seq > $after
                 AND ($upto IS NULL OR load_seq <= $upto))
           SELECT instrument, count(*) FILTER (WHERE first_seq > $after),
                  count(*) FILTER (WHERE first_seq <= $after)
           FROM touched JOIN firsts USING (instrument, survey_id, response_id)
           GROUP BY instrument ORDER BY instrument""",
        {"study_id": study_id, "wave": wave, "after": after, "upto": upto}).fetchall()
    return tuple(ResponseChanges(instrument, int(new), int(edited)) for instrument, new, edited in rows)


def _version_changes(before: Run, after: Run) -> tuple[VersionChange, ...]:
    changes = []
    if set(before.instrument_versions) == {""}:  # recorded from rows: their versions, not per instrument
        old = ",".join(before.instrument_versions[""])
        new = ",".join(sorted(v for versions in after.instrument_versions.values() for v in versions))
        if old != new:
            changes.append(VersionChange("instrument", None, old, new))
    else:
        for name in sorted(set(before.instrument_versions) | set(after.instrument_versions)):
            old, new = (",".join(run.instrument_versions.get(name, [])) or None for run in (before, after))
            if old != new:
                changes.append(VersionChange("instrument", name, old, new))
    if before.margins_version != after.margins_version:
        changes.append(VersionChange("margins", None, before.margins_version, after.margins_version))
    if before.code_version != after.code_version:
        changes.append(VersionChange("code", None, before.code_version, after.code_version))
    return tuple(changes)


def _cells(con: duckdb.DuckDBPyConnection, study_id: str, wave: str, before: str, after: str) -> dict:
    """The two runs' rows side by side, from the history (published values only)."""
    params = {"study_id": study_id, "wave": wave, "before": before, "after": after}
    pairs = f"""
        WITH b AS (SELECT * FROM {HISTORY} WHERE study_id = $study_id AND wave = $wave AND run_id = $before),
             a AS (SELECT * FROM {HISTORY} WHERE study_id = $study_id AND wave = $wave AND run_id = $after)
        SELECT b.indicator IS NOT NULL AS in_before, a.indicator IS NOT NULL AS in_after,
               coalesce(a.indicator, b.indicator) AS indicator, coalesce(a.breakdown, b.breakdown) AS breakdown,
               coalesce(a.domain, b.domain) AS domain, coalesce(a.unit, b.unit) AS unit,
               b.suppressed AS hidden_before, a.suppressed AS hidden_after, b.reason AS reason_before,
               a.reason AS reason_after, b.estimate AS before, a.estimate AS after, coalesce(a.se, b.se) AS se
        FROM b FULL JOIN a USING (indicator, breakdown, domain)"""
    counts = con.execute(
        f"""SELECT count(*) FILTER (WHERE in_before AND in_after AND NOT hidden_before AND NOT hidden_after),
                   count(*) FILTER (WHERE NOT in_before), count(*) FILTER (WHERE NOT in_after)
            FROM ({pairs})""", params).fetchall()[0]
    moved = con.execute(
        f"""SELECT indicator, breakdown, domain, unit, before, after, se FROM ({pairs})
            WHERE in_before AND in_after AND NOT hidden_before AND NOT hidden_after
              AND before IS NOT NULL AND after IS NOT NULL AND abs(after - before) > coalesce(se, 0)
            ORDER BY se IS NULL, abs(after - before) / se DESC, indicator, breakdown, domain""", params).df()
    suppressed = con.execute(
        f"""SELECT indicator, breakdown, domain, reason_after AS reason FROM ({pairs})
            WHERE NOT hidden_before AND hidden_after ORDER BY indicator, breakdown, domain""", params).df()
    released = con.execute(
        f"""SELECT indicator, breakdown, domain, reason_before AS reason FROM ({pairs})
            WHERE hidden_before AND NOT hidden_after ORDER BY indicator, breakdown, domain""", params).df()
    return {"moved": moved, "suppressed": suppressed, "released": released, "compared": int(counts[0]),
            "added": int(counts[1]), "removed": int(counts[2])}


def wave_changes(con: duckdb.DuckDBPyConnection, study_id: str, wave: str) -> WaveChanges:
    """The wave's latest recorded run against the one before it (``WaveChanges``)."""
    runs = _runs(con, study_id, wave) if has_history(con) else []
    if len(runs) < 2:
        pending = ()
        if runs and runs[0].load_seq is not None:
            pending = _responses(con, study_id, wave, runs[0].load_seq, None)
        return WaveChanges(study_id, wave, runs[0] if runs else None, None, pending=pending)
    latest, previous = runs[0], runs[1]
    responses = None
    if previous.load_seq is not None and latest.load_seq is not None:
        responses = _responses(con, study_id, wave, previous.load_seq, latest.load_seq)
    pending = _responses(con, study_id, wave, latest.load_seq, None) if latest.load_seq is not None else ()
    return WaveChanges(study_id, wave, latest, previous, responses=responses, pending=pending,
                       versions=_version_changes(previous, latest),
                       **_cells(con, study_id, wave, previous.run_id, latest.run_id))


CHANGE_COLUMNS = ["wave", "first", "new", "edited", "versions", "moved", "suppressed", "released"]
CELL_COLUMNS = ["wave", *CELL, "unit", "before", "after", "se", "change"]


def published_changes(con: duckdb.DuckDBPyConnection, study_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the method page says changed, per wave with indicators (``CHANGE_COLUMNS``: whether it is its first
    run, responses new and edited between the runs (<NA> when not recorded), the versions changed ("instrument"
    or "instrument:<name>", "margins", "code", joined by ","), and counts of cells moved, newly suppressed and
    released), and those cells (``CELL_COLUMNS``; ``change`` is "moved", "suppressed" or "released", values and SE
    only for "moved"). Published values only."""
    waves, cells = [], []
    for wave in recorded_waves(con, study_id):
        found = wave_changes(con, study_id, wave)
        counts = found.responses
        waves.append({"wave": wave, "first": found.first,
                      "new": sum(c.new for c in counts) if counts is not None else pd.NA,
                      "edited": sum(c.edited for c in counts) if counts is not None else pd.NA,
                      "versions": ",".join(f"{v.what}:{v.name}" if v.name else v.what for v in found.versions),
                      "moved": len(found.moved), "suppressed": len(found.suppressed),
                      "released": len(found.released)})
        for change, frame in (("moved", found.moved), ("suppressed", found.suppressed),
                              ("released", found.released)):
            if not frame.empty:
                cells.append(frame.drop(columns="reason", errors="ignore").assign(wave=wave, change=change))
    changed = pd.concat(cells, ignore_index=True) if cells else pd.DataFrame()
    changed = changed.reindex(columns=CELL_COLUMNS)
    frame = pd.DataFrame(waves, columns=CHANGE_COLUMNS)
    return frame.astype({"new": "Int64", "edited": "Int64"}), changed
