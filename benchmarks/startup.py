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
    # The demo's file exports read again, nothing new: the whole command, Dagster run included.
    "toegang_ingest_nothing_new": ([TOEGANG, "ingest"], 3.0),
}


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
        env |= {"TOEGANG_HOME": home, "DAGSTER_HOME": str(Path(home) / ".dagster")}
        Path(env["DAGSTER_HOME"]).mkdir()
        subprocess.run([TOEGANG, "ingest"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
        for name, (command, target) in COMMANDS.items():
            _seconds(command, env)  # warm the disk cache
            median = statistics.median(_seconds(command, env) for _ in range(args.repeat))
            results[name] = {"median_s": round(median, 2), "target_s": target,
                             "met": None if target is None else median < target}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
