"""`make reliability` (also run by `make bench`): the reliability suite at full size, and its report.

    python -m benchmarks.reliability [--cases 12000] [--kills 24] [--seed N] [--out benchmarks/results]

Each run draws a fresh seed unless ``--seed`` fixes one; the seed is printed first and recorded in the report,
so a finding is reproduced with ``--seed N``.

1. Generated hostile and malformed input for every parser and loader (benchmarks/harness/cases.py, rc2_cases.py), at least
   10,000 cases, each loaded correctly or refused with the project's own error naming the input. The raw-layer
   sweeps share one long-lived connection, and one of them interleaves CSV, JSON and SPSS files in random order
   as an inbox delivers them, so what one file leaves behind shows in the next.
2. SIGKILLs at random moments of the wave-2021 step (benchmarks/harness/crash.py): every table slice and the
   site before or after the step, and the next run completing to the step's result.
3. Overlapping runs: two `toegang run` processes of the demo's wave on its warehouse (they take turns), against one
   run alone, and at the same time a run of a second study in the same TOEGANG_HOME (it never waits for a lock).
4. The secrets and personal-data scan of a full run (benchmarks/harness/secrets_scan.py).
5. A backup and restore round trip.

Writes a Markdown table and the JSON details to ``--out`` and prints the table.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import Counter
from functools import partial
from pathlib import Path

# Relative weight of each parser in the generated cases (the raw-layer loads are the slowest per case).
SWEEPS = {
    "LimeSurvey CSV export": 18, "LimeSurvey JSON export": 18, "SPSS .sav": 8, "instrument YAML": 7,
    "answer scales YAML": 3, "subject lists YAML": 7, "study file YAML": 7, "margins CSV": 12,
    "RC2 replies": 12, "raw load, CSV (all or nothing)": 4, "raw load, JSON (all or nothing)": 4,
    "raw load, CSV/JSON/SPSS interleaved": 2,
}


def _sweeps(total: int, seed: int, folder: Path) -> list[dict]:
    from benchmarks.harness import cases
    from benchmarks.harness import rc2_cases
    from benchmarks.harness.rc2_cases import HostileServer
    from warehouse.connection import connect
    from warehouse.paths import Locations

    server = HostileServer().start()
    locations = Locations(folder / "raw-home", folder / "site", folder / "build")
    weight = sum(SWEEPS.values())
    results = []
    try:
        with connect(locations) as con:
            cases.raw_load_outcome(con, folder, cases.EXPORT_BASES["csv"], "csv")  # earlier rows to keep
            targets = {
                "LimeSurvey CSV export": (cases.export_cases("csv"), partial(cases.export_outcome, file_format="csv")),
                "LimeSurvey JSON export": (cases.export_cases("json"),
                                           partial(cases.export_outcome, file_format="json")),
                "SPSS .sav": (cases.sav_cases(), cases.sav_outcome),
                "instrument YAML": (cases.yaml_cases(cases.PARENT), cases.instrument_outcome),
                "answer scales YAML": (cases.yaml_cases(cases.SCALES),
                                       partial(cases.instrument_outcome, name="scales")),
                "subject lists YAML": (cases.yaml_cases(cases.SUBJECTS), cases.catalogue_outcome),
                "study file YAML": (cases.yaml_cases(cases.STUDY), cases.study_outcome),
                "margins CSV": (cases.margins_cases(), cases.margins_outcome),
                "RC2 replies": (rc2_cases.rc2_replies(), partial(rc2_cases.rc2_outcome, server)),
                "raw load, CSV (all or nothing)": (cases.export_cases("csv"),
                                                   partial(cases.raw_load_outcome, con, folder, file_format="csv")),
                "raw load, JSON (all or nothing)": (cases.export_cases("json"),
                                                    partial(cases.raw_load_outcome, con, folder, file_format="json")),
                "raw load, CSV/JSON/SPSS interleaved": (cases.interleaved_cases(),
                                                        partial(cases.interleaved_outcome, con, folder)),
            }
            order = list(SWEEPS)
            random.Random(seed).shuffle(order)  # the loaders share the connection: no fixed order hides a leftover
            for name in order:
                share = SWEEPS[name]
                strategy, outcome = targets[name]
                start = time.perf_counter()
                counts, findings = cases.sweep(strategy, outcome, max(1, round(total * share / weight)), seed)
                results.append({"parser": name, **counts, "tried": sum(counts.values()),
                                "seconds": round(time.perf_counter() - start, 1), "findings": findings})
                print(json.dumps({k: v for k, v in results[-1].items() if k != "findings"}), flush=True)
    finally:
        server.stop()
    return sorted(results, key=lambda result: list(SWEEPS).index(result["parser"]))  # the table's order, not the run's


def rows_differing(found: dict, expected: dict) -> int:
    """Rows lost plus rows duplicated or changed, summed over the units of two snapshots."""
    total = 0
    for unit in set(found) | set(expected):
        a, b = Counter(found.get(unit) or []), Counter(expected.get(unit) or [])
        total += sum(((a - b) + (b - a)).values())
    return total


def _kills(count: int, seed: int, folder: Path) -> dict:
    from benchmarks.harness.crash import CrashHarness, snapshot

    harness = CrashHarness(folder / "crash").prepare()
    rng = random.Random(seed)
    kills = []
    for index in range(count):
        result = harness.kill_once(index, rng)
        kills.append({"moment_s": round(result.moment, 2), "stage": result.stage,
                      "exited_before_kill": result.exited_before_kill, "half_written": result.neither,
                      "rerun_completed": result.rerun_error is None, "rerun_equals_after": result.rerun_equals_after,
                      "rerun_error": result.rerun_error})
        print(json.dumps({"kill": index, **kills[-1]}), flush=True)
    # Rows lost or duplicated are counted on a fresh copy killed and rerun, per kill that did not settle.
    lost = 0
    for index, kill in enumerate(kills):
        if not kill["rerun_equals_after"]:
            locations = harness.copy(f"recount-{index}")
            lost += rows_differing(snapshot(locations, settled=True), harness.settled)
    return {"step_seconds": round(harness.duration, 2), "kills": kills, "rows_lost_or_duplicated": lost,
            "harness": harness}


def _overlapping_runs(folder: Path) -> dict:
    """Two `toegang run` processes of the demo's wave 2018 and one of a second study, at once in one TOEGANG_HOME
    (benchmarks/harness/processes.py), against the demo's wave run alone."""
    from concurrent.futures import ThreadPoolExecutor

    import dagster as dg

    from pipelines.runner import run_study
    from benchmarks.harness.processes import overlapping_runs, tables_of

    with ThreadPoolExecutor(1) as pool:
        scenario = pool.submit(overlapping_runs, folder)
        alone = run_study("demo-brussels", ["2018"], home=str(folder / "alone"), site=str(folder / "site-alone"),
                          build=str(folder / "build-alone"), instance=dg.DagsterInstance.ephemeral(),
                          log_level="WARNING")
        done = scenario.result()
    codes = [done.codes[name] for name in ("a", "b", "c")]
    differing = rows_differing(tables_of(done.demo), tables_of(alone.locations))
    second = tables_of(done.second) if done.codes["c"] == 0 else {}
    second_whole = sum(n for _, _, n in second.get("raw versions", [])) == done.second_responses \
        and bool(second.get("indicators.indicators"))
    demo_waits = done.waits("a") + done.waits("b")
    crossed = bool(done.waits("c")) or any(str(done.demo.home) not in line for line in demo_waits)
    overlap = done.overlap_seconds()
    return {"exit_codes": codes, "rows_lost_or_duplicated": differing, "second_study_whole": second_whole,
            "waits_across_studies": crossed, "overlap_s": round(overlap, 1),
            "demo_waits": len(demo_waits),
            "passed": codes == [0, 0, 0] and differing == 0 and second_whole and not crossed and overlap > 0}


def _backup_round_trip(folder: Path, harness) -> dict:
    from benchmarks.harness.crash import snapshot
    from warehouse.backup import backup, restore
    from warehouse.paths import Locations

    source = harness.copy("backup-source")
    backup(source, folder / "backup")
    target = Locations(folder / "restored" / "home", source.site, source.build)
    restore(folder / "backup", target)
    differing = rows_differing(snapshot(target), snapshot(source))
    return {"rows_lost_or_duplicated": differing, "passed": differing == 0}


def _secrets(folder: Path) -> dict:
    from benchmarks.harness.secrets_scan import planted_run, scan_everything

    import contextlib
    import io

    with contextlib.redirect_stderr(io.StringIO()):  # the run logs at DEBUG (scanned), not for the console
        findings = scan_everything(planted_run(folder / "secrets"))
    return {"found": sum(len(v) for v in findings.values()), "places": {k: len(v) for k, v in findings.items()},
            "findings": [line for lines in findings.values() for line in lines][:50]}


def report_table(report: dict) -> str:
    sweeps, kills = report["sweeps"], report["kills"]["kills"]
    tried = sum(s["tried"] for s in sweeps)
    unhandled = sum(s["unhandled"] for s in sweeps)
    survived = sum(not k["half_written"] and k["rerun_completed"] and k["rerun_equals_after"] for k in kills)
    stages = Counter(k["stage"] for k in kills)
    lost = (report["kills"]["rows_lost_or_duplicated"] + report["overlapping"]["rows_lost_or_duplicated"]
            + report["backup"]["rows_lost_or_duplicated"])
    scenarios = len(sweeps) + len(kills) + 3
    lines = [
        "| measure | result | target |",
        "|---|---|---|",
        f"| scenarios run | {scenarios} ({len(sweeps)} input sweeps, {len(kills)} kills, overlapping runs, "
        f"secrets scan, backup round trip) | |",
        f"| kills survived (SIGKILL, then every table before or after, next run completes) | {survived} of "
        f"{len(kills)} | all, at least 20 |",
        f"| kills by stage reached | {', '.join(f'{s} {n}' for s, n in sorted(stages.items()))} | |",
        f"| generated bad inputs tried | {tried:,} ({sum(s['loaded'] for s in sweeps):,} loaded, "
        f"{sum(s['refused'] for s in sweeps):,} refused with the project's error) | at least 10,000 |",
        f"| unhandled exceptions | {unhandled} | 0 |",
        f"| rows lost or duplicated | {lost} | 0 |",
        f"| overlapping runs equal one run; a second study ran alongside ({report['overlapping']['overlap_s']} s "
        f"at once), never waiting, and is whole | {'yes' if report['overlapping']['passed'] else 'NO'} | yes |",
        f"| backup and restore exact | {'yes' if report['backup']['passed'] else 'NO'} | yes |",
        f"| secrets found | {report['secrets']['found']} | 0 |",
        "",
        "| parser or loader | tried | loaded | refused | unhandled |",
        "|---|---|---|---|---|",
        *(f"| {s['parser']} | {s['tried']:,} | {s['loaded']:,} | {s['refused']:,} | {s['unhandled']} |" for s in sweeps),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=12_000, help="generated inputs over all parsers")
    parser.add_argument("--kills", type=int, default=24, help="SIGKILLs of the wave step")
    parser.add_argument("--seed", type=int, default=None, help="fix the seed (default: a fresh one each run)")
    parser.add_argument("--out", default="benchmarks/results", help="folder for the report")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(2**32)
    print(f"seed {args.seed} (python -m benchmarks.reliability --seed {args.seed} repeats this run)", flush=True)
    started = time.perf_counter()
    report: dict = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "seed": args.seed}
    with tempfile.TemporaryDirectory(prefix="toegang-reliability-") as tmp:
        folder = Path(tmp)
        report["sweeps"] = _sweeps(args.cases, args.seed, folder)
        report["kills"] = _kills(args.kills, args.seed, folder)
        harness = report["kills"].pop("harness")
        report["overlapping"] = _overlapping_runs(folder / "overlap")
        print(json.dumps({"overlapping": report["overlapping"]}), flush=True)
        report["backup"] = _backup_round_trip(folder, harness)
        print(json.dumps({"backup": report["backup"]}), flush=True)
        report["secrets"] = _secrets(folder)
        print(json.dumps({"secrets": report["secrets"]["places"]}), flush=True)
    report["seconds"] = round(time.perf_counter() - started, 1)
    table = report_table(report)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out / f"reliability-{stamp}.md").write_text(
        f"# Reliability run {report['when']} ({report['seconds']} s, seed {args.seed})\n\n{table}\n", encoding="utf-8")
    (out / f"reliability-{stamp}.json").write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    print()
    print(f"seed {args.seed}")
    print(table)
    print(f"\nreport: {out / f'reliability-{stamp}.md'}")


if __name__ == "__main__":
    main()
