"""The indicators asset's work on a large wave, in its own process so that its peak memory is its own:

    python -m benchmarks.indicators --home DIR [--study bench] [--wave 2018]

DIR is a study's home (``TOEGANG_HOME/<study>``) whose clean parents of the wave are flagged and weighted by the
pipeline's own stages (``benchmarks/__main__.py``). Measured as the ``indicators`` asset runs it
(``pipelines.stages.indicators``): the parents' columns the catalogue needs, the whole indicator table (every
indicator, every breakdown, no field actors), the group comparisons, and the tested pairs of categories of
each compared breakdown (``analyses.findings.pair_differences``, behind the key findings).
With ``--replicates R``: first the wave weighted again with R bootstrap replicate weights, each raked again, and
stored; the indicator table then takes its standard errors from them.
Prints one JSON line: seconds per step and the process's peak resident memory (VmHWM).
"""

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

from analyses.findings import pair_differences
from analyses.indicator_table import group_comparisons, indicator_table
from instruments.study import DEMO_STUDY, Design, Study, load_study
from pipelines.stages.clean import clean_wave
from pipelines.stages.indicators import read_inputs
from pipelines.stages.quality import flag_wave
from pipelines.stages.weight import weight_wave, weighted_instrument
from warehouse.clean import SURVEY_LANGUAGE
from warehouse.connection import connect
from warehouse.paths import Locations


# The demo's weighted instrument, its parents: the one instruments/demo_study.py generates large surveys of.
PARENT = weighted_instrument(load_study(DEMO_STUDY))


# The replicate benchmark's design: the demo's, with bootstrap replicate weights raked again in every replicate.
REPLICATE_SEED = 2018


def bench_study(study_id: str, replicates: int | None = None) -> Study:
    """The demo study's questionnaires, margins and rules under the benchmark's study id, its parents only: the
    stages run on the benchmark's warehouse exactly as they run on the demo's. Its margins are the demo's
    populations, smaller than a large sample's strata, so no stratum sizes: without ``replicates`` no design
    (the Taylor figures measured before designs existed), with them that many bootstrap replicate weights
    within the demo's strata."""
    demo = load_study(DEMO_STUDY)
    surveys = tuple(s for s in demo.surveys if s.instrument == PARENT)
    surveys = tuple(replace(s, design=Design(strata=s.design.strata, variance="replicates", method="bootstrap",
                                             count=replicates, seed=REPLICATE_SEED) if replicates else Design())
                    for s in surveys)
    return replace(demo, study_id=study_id, surveys=surveys)


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


def run(home: Path, study_id: str, wave: str, replicates: int | None = None) -> dict:
    results: dict = {}
    study = bench_study(study_id, replicates)
    with connect(Locations(home=home, site=home / "site", build=home / "build")) as con:
        if replicates:  # the wave weighted again, now with its replicate weights (raked and stored)
            start = time.perf_counter()
            weight_wave(con, study, wave)
            results["replicate_weighting_s"] = round(time.perf_counter() - start, 2)
            results["peak_rss_mib_after_replicate_weighting"] = _peak_mib()
        start = time.perf_counter()
        inputs, _ = read_inputs(con, study, wave)
    results["indicator_read_s"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    table, _ = indicator_table(inputs, language=SURVEY_LANGUAGE)
    results["indicator_table_s"] = round(time.perf_counter() - start, 2)
    results["peak_rss_mib_after_indicator_table"] = _peak_mib()
    start = time.perf_counter()
    # The breakdowns the study compares and the one it checks the sensitivity to, as the indicators stage does.
    compared = [b.name for b in study.breakdowns.values() if b.compare]
    tests, sensitivity = group_comparisons(
        inputs, table, compare=compared, sensitivity=next((b.name for b in study.breakdowns.values()
                                                           if b.sensitivity), None))
    results["group_comparisons_s"] = round(time.perf_counter() - start, 2)
    results["peak_rss_mib_after_group_comparisons"] = _peak_mib()
    start = time.perf_counter()
    pairs = pair_differences(inputs, table, compared)  # as the indicators stage tests them
    results["pair_differences_s"] = round(time.perf_counter() - start, 2)
    results.update(indicator_base=len(inputs.samples[PARENT].frame), indicator_rows=len(table),
                   comparison_rows=len(tests), sensitivity_rows=len(sensitivity), pair_rows=len(pairs),
                   peak_rss_mib=_peak_mib())
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--study", default="bench")
    parser.add_argument("--wave", default="2018")
    parser.add_argument("--replicates", type=int, default=None,
                        help="weigh the wave again with this many bootstrap replicate weights first")
    args = parser.parse_args()
    print(json.dumps(run(args.home, args.study, args.wave, args.replicates)))


if __name__ == "__main__":
    main()
