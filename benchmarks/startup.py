"""How long a command takes before it does anything: each timed in a fresh process, the median of ``--repeat``
runs (the first run's disk cache aside), against the targets of the operator's day (issue "commands that answer
in seconds"). Dagster's own import is measured as the floor of any command that builds the definitions.

Usage: python -m benchmarks.startup [--repeat 5]; prints one JSON line (``make bench`` runs it).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOEGANG = str(Path(sys.executable).with_name("toegang"))
PYTHON = sys.executable
# name -> (command, target in seconds or None: measured, no target)
COMMANDS = {
    "toegang_help": ([TOEGANG, "--help"], 1.0),
    "toegang_version": ([TOEGANG, "--version"], 1.0),
    "instruments_check": ([TOEGANG, "instruments", "check"], 2.0),
    "import_analyses": ([PYTHON, "-c", "import analyses"], None),
    "import_analyses_rake": ([PYTHON, "-c", "from analyses import rake"], None),
    "import_dagster": ([PYTHON, "-c", "import dagster"], None),  # the floor of a command that builds definitions
    "import_pipelines_definitions": ([PYTHON, "-c", "import pipelines.definitions"], None),
    # Dagster's own floor for a run of ours: import, the instance in DAGSTER_HOME (SQLite), one empty asset run.
    "dagster_empty_run": ([PYTHON, "-c", "import dagster as dg\n@dg.asset\ndef a(): pass\n"
                           "dg.materialize([a], instance=dg.DagsterInstance.get())"], None),
    # The demo's file exports read again, nothing new (no Dagster run: the files say nothing is new).
    "toegang_ingest_nothing_new": ([TOEGANG, "ingest"], 3.0),
}


# `toegang run --wave W`: seconds from the command's start to its first step's first line (target under 2 s).
FIRST_STEP = ([TOEGANG, "run", "--wave", "2018"], 2.0)


def _first_line(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True) as process:
        first = None
        for line in process.stderr:
            if first is None and line.startswith("  survey "):  # the ingest step's first line
                first = time.perf_counter() - start
        if process.wait() != 0 or first is None:
            raise RuntimeError(f"{' '.join(command)} failed or printed no step line")
    return first


def _seconds(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    results: dict = {"repeat": args.repeat}
    with tempfile.TemporaryDirectory(prefix="toegang-startup-") as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TOEGANG_", "DAGSTER_", "LIMESURVEY_"))}
        env |= {"TOEGANG_HOME": home, "DAGSTER_HOME": str(Path(home) / ".dagster"),
                "TOEGANG_SITE": str(Path(home) / "site"), "TOEGANG_BUILD": str(Path(home) / "build")}
        Path(env["DAGSTER_HOME"]).mkdir()
        subprocess.run([TOEGANG, "ingest"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
        for name, (command, target) in COMMANDS.items():
            _seconds(command, env)  # warm the disk cache
            median = statistics.median(_seconds(command, env) for _ in range(args.repeat))
            results[name] = {"median_s": round(median, 2), "target_s": target,
                             "met": None if target is None else median < target}
        command, target = FIRST_STEP
        median = statistics.median(_first_line(command, env) for _ in range(args.repeat))
        results["toegang_run_wave_to_first_step"] = {"median_s": round(median, 2), "target_s": target,
                                                     "met": median < target}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
