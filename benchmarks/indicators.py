"""The indicators asset's work on a large wave, in its own process so that its peak memory is its own:

    python -m benchmarks.indicators --home DIR [--study bench] [--wave 2018]

DIR is a study's home (``TOEGANG_HOME/<study>``) whose clean parents of the wave are flagged and weighted by the
pipeline's own stages (``benchmarks/__main__.py``). Measured as the ``indicators`` asset runs it
(``pipelines.stages.indicators``): the parents' columns the catalogue needs, the whole indicator table (every
indicator, every breakdown, no field actors), and the group comparisons.
Prints one JSON line: seconds per step and the process's peak resident memory (VmHWM).
"""

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

from analyses.indicator_table import group_comparisons, indicator_table
from instruments.study import DEMO_STUDY, Study, load_study
from pipelines.stages.clean import clean_wave
from pipelines.stages.indicators import read_inputs
from pipelines.stages.quality import flag_wave
from pipelines.stages.weight import weight_wave, weighted_instrument
from warehouse.clean import SURVEY_LANGUAGE
from warehouse.connection import connect
from warehouse.paths import Locations


# The demo's weighted instrument, its parents: the one instruments/demo_study.py generates large surveys of.
PARENT = weighted_instrument(load_study(DEMO_STUDY))


def bench_study(study_id: str) -> Study:
    """The demo study's questionnaires, margins and rules under the benchmark's study id, its parents only: the
    stages run on the benchmark's warehouse exactly as they run on the demo's."""
    demo = load_study(DEMO_STUDY)
    return replace(demo, study_id=study_id, surveys=tuple(s for s in demo.surveys if s.instrument == PARENT))


def prepare_wave(con, study: Study, wave: str, timings: dict) -> int:
    """The stages before the indicators, as the pipeline runs them (clean, quality flags, weights), each timed
    into ``timings``; returns the weighted parents. tests/pipelines/test_end_to_end.py holds these weights to
    the pipeline's."""
    for name, stage in (("clean_s", lambda: clean_wave(con, study, wave, PARENT)),
                        ("quality_flags_s", lambda: flag_wave(con, study, wave)),
                        ("weighting_s", lambda: weight_wave(con, study, wave))):
        start = time.perf_counter()
        result = stage()
        timings[name] = round(time.perf_counter() - start, 3)
    return result["rows"]


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def run(home: Path, study_id: str, wave: str) -> dict:
    results: dict = {}
    start = time.perf_counter()
    study = bench_study(study_id)
    with connect(Locations(home=home, site=home / "site", build=home / "build")) as con:
        inputs, _ = read_inputs(con, study, wave)
    results["indicator_read_s"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    table, _ = indicator_table(inputs, language=SURVEY_LANGUAGE)
    results["indicator_table_s"] = round(time.perf_counter() - start, 2)
    results["peak_rss_mib_after_indicator_table"] = _peak_mib()
    start = time.perf_counter()
    # The breakdowns the study compares and the one it checks the sensitivity to, as the indicators stage does.
    tests, sensitivity = group_comparisons(
        inputs, table, compare=[b.name for b in study.breakdowns.values() if b.compare],
        sensitivity=next((b.name for b in study.breakdowns.values() if b.sensitivity), None))
    results["group_comparisons_s"] = round(time.perf_counter() - start, 2)
    results.update(indicator_base=len(inputs.samples[PARENT].frame), indicator_rows=len(table),
                   comparison_rows=len(tests),
                   sensitivity_rows=len(sensitivity), peak_rss_mib=_peak_mib())
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--study", default="bench")
    parser.add_argument("--wave", default="2018")
    args = parser.parse_args()
    print(json.dumps(run(args.home, args.study, args.wave)))


if __name__ == "__main__":
    main()
