"""Crash safety: a step killed with SIGKILL at a random moment leaves every table (slice) as it was before
the step or as it is after it, the site whole (old or new), and the next run completes to the same state.

The step is ``run_study(demo, ["2021"])`` on a warehouse that holds wave 2018: raw load of two surveys,
codebook, cleaning, quality flags, weighting, indicators, then the dashboard of both waves. It runs in a
child process (``python -m benchmarks.harness.crash HOME SITE BUILD``) that prints ``ready`` once
imported; it is killed ``uniform(0, duration)`` seconds later, ``duration`` being an uninterrupted child's.

Units of comparison: a table with ``survey_id`` per survey (raw loads are one transaction per survey), else
with ``wave`` per wave (derived tables replace a wave in one transaction), else the whole table; columns
that differ by run (load ids and times) are left out.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from warehouse.paths import Locations
from warehouse.sql import quote_ident

ROOT = Path(__file__).resolve().parents[2]
STUDY, BEFORE_WAVES, STEP_WAVES = "demo-brussels", ["2018"], ["2021"]
VOLATILE = {"load_id", "load_seq", "fetched_at", "loaded_at", "applied_at", "failed_at", "payload", "structure",
            "run_id", "reviewed_at", "purged_at", "computed_at"}  # run_id, computed_at: each run stamps its rows


def _run(locations: Locations, waves: list[str]) -> float:
    import dagster as dg

    from pipelines.runner import run_study

    start = time.perf_counter()  # the study's home and site are <home>/<study>/ and <site>/<study>/
    run_study(STUDY, waves, home=str(locations.home.parent), site=str(locations.site.parent),
              build=str(locations.build), instance=dg.DagsterInstance.ephemeral(), log_level="WARNING")
    return time.perf_counter() - start


def snapshot(locations: Locations, settled: bool = False) -> dict[str, object]:
    """Every unit of every table (rows sorted, volatile columns left out), and the site's files. With
    ``settled``, loads that inserted nothing are left out: a rerun after a kill logs one more such load."""
    units: dict[str, object] = {}
    if locations.warehouse.exists():
        with duckdb.connect(str(locations.warehouse), read_only=True) as con:
            con.execute(f"ATTACH '{locations.raw}' AS raw (READ_ONLY)")
            tables = con.execute("SELECT database_name, schema_name, table_name FROM duckdb_tables() "
                                 "ORDER BY ALL").fetchall()
            for catalog, schema, table in tables:
                name = ".".join(quote_ident(p) for p in (catalog, schema, table))
                columns = [r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()]
                kept = ", ".join(quote_ident(c) for c in columns if c not in VOLATILE)
                key = "survey_id" if "survey_id" in columns else "wave" if "wave" in columns else None
                where = "WHERE responses_inserted > 0" if settled and "responses_inserted" in columns else ""
                rows = con.execute(f"SELECT {key or 'NULL'}, {kept} FROM {name} {where} ORDER BY ALL").fetchall()
                label = f"{'raw' if catalog == 'raw' else 'warehouse'}.{schema}.{table}"
                if key is None:
                    units[label] = rows
                for row in rows if key else ():
                    units.setdefault(f"{label}[{key}={row[0]}]", []).append(row[1:])
    if locations.site.exists():
        units["site"] = sorted((str(p.relative_to(locations.site)), hashlib.sha256(p.read_bytes()).hexdigest())
                               for p in locations.site.rglob("*") if p.is_file())
    return units


@dataclass
class KillResult:
    moment: float
    exited_before_kill: bool
    before: list[str] = field(default_factory=list)  # units found in their state before the step
    after: list[str] = field(default_factory=list)  # ... after the step
    neither: list[str] = field(default_factory=list)  # the finding: half a step
    rerun_equals_after: bool = False
    rerun_error: str | None = None
    stage: str = ""


# The step's stages in the order they write, and the units each writes.
STAGES = (("raw load", ("raw.", "warehouse.meta.codebook")),
          ("cleaning", ("warehouse.clean.", "warehouse.meta.quality_report")),
          ("weighting", ("warehouse.weighted.",)), ("indicators", ("warehouse.indicators.",)),
          ("publishing", ("site",)))


def classify(result: KillResult, before: dict, after: dict, state: dict) -> KillResult:
    """Sort each unit of ``state`` into before / after / neither (the finding), and name the stage."""
    for unit in sorted(set(before) | set(after) | set(state)):
        found, old, new = state.get(unit), before.get(unit), after.get(unit)
        if old == new:  # a unit the step does not change must not change
            if found != new:
                result.neither.append(unit)
        elif found == new:
            result.after.append(unit)
        elif found == old:
            result.before.append(unit)
        else:
            result.neither.append(unit)
    result.stage = stage_reached(result)
    return result


def stage_reached(result: KillResult) -> str:
    """The first stage whose writes were not all done when the kill came ("done" if all were)."""
    for name, prefixes in STAGES:
        if any(unit.startswith(prefixes) for unit in result.before + result.neither):
            return name
    return "done"


@dataclass
class CrashHarness:
    """A warehouse with wave 2018 (``before``), the step's result (``after``) and its duration."""

    folder: Path
    before_home: Locations = None
    before: dict = None
    after: dict = None
    settled: dict = None
    duration: float = 0.0

    def prepare(self, before: Path | None = None) -> CrashHarness:
        """Run wave 2018, or copy ``before`` (a folder of ``home/``, ``site/`` and ``build/`` where it has run),
        then the step uninterrupted."""
        self.before_home = self._locations("before")
        if before is None:
            _run(self.before_home, BEFORE_WAVES)
        else:
            shutil.copytree(before, self.folder / "before", symlinks=True)  # the site stays a link, as run
        self.before = snapshot(self.before_home)
        reference = self.copy("reference")
        # The step in a child, uninterrupted: its result is "after", its duration (from "ready" to exit,
        # cold caches included) the window the kills are drawn from.
        child = self._child(reference)
        start = time.perf_counter()
        assert child.wait(timeout=1800) == 0, "the step fails without a kill"
        self.duration = time.perf_counter() - start
        self.after = snapshot(reference)
        self.settled = snapshot(reference, settled=True)
        changed = [u for u in self.after if self.after[u] != self.before.get(u)]
        assert changed, "the step changes nothing: no crash to test"
        return self

    def _child(self, locations: Locations) -> subprocess.Popen:
        child = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.harness.crash", str(locations.home.parent), str(locations.site.parent),
             str(locations.build)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, "TOEGANG_LOCK_WAIT": "0"})
        if child.stdout.readline().strip() != "ready":
            child.kill()
            raise RuntimeError("the step's child process did not start")
        return child

    def _locations(self, name: str) -> Locations:
        base = self.folder / name
        return Locations.of_study(STUDY, home=base / "home", site=base / "site", build=base / "build")

    def copy(self, name: str) -> Locations:
        target = self._locations(name)
        shutil.rmtree(self.folder / name, ignore_errors=True)
        shutil.copytree(self.before_home.home, target.home)
        shutil.copytree(self.before_home.site, target.site)
        return target

    def kill_once(self, index: int, rng: random.Random) -> KillResult:
        locations = self.copy(f"kill-{index}")
        moment = rng.uniform(0, self.duration)
        child = self._child(locations)
        try:
            time.sleep(moment)
            exited = child.poll() is not None
            if not exited:
                os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
        result = classify(KillResult(moment, exited), self.before, self.after, snapshot(locations))
        try:
            _run(locations, STEP_WAVES)
            result.rerun_equals_after = snapshot(locations, settled=True) == self.settled
        except Exception as exc:  # noqa: BLE001 - reported, and a test failure
            result.rerun_error = f"{type(exc).__name__}: {exc}"[:500]
        shutil.rmtree(self.folder / f"kill-{index}", ignore_errors=True)
        return result


if __name__ == "__main__":  # the child: run the step, to be killed
    import dagster  # noqa: F401 - imported before "ready", so the kill lands in the work, not the imports

    import pipelines.runner  # noqa: F401

    home, site, build = sys.argv[1:4]
    print("ready", flush=True)
    _run(Locations.of_study(STUDY, home=home, site=site, build=build), STEP_WAVES)
