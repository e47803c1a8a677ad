"""The indicators asset's work on a large wave, in its own process so that its peak memory is its own:

    python -m benchmarks.indicators --home DIR [--study bench] [--wave 2018]

DIR is a warehouse (``TOEGANG_HOME``) whose clean parents of the wave are weighted (``weight_wave`` below
writes ``weighted.parent_weights`` as the ``raking_weights`` asset does, raked to the demo study's margins).
Measured as the asset runs it: the parents' columns the catalogue needs read with ``warehouse.clean.read_parents``, the
whole indicator table (every indicator, every breakdown, no field actors), and the group comparisons.
Prints one JSON line: seconds per step and the process's peak resident memory (VmHWM).
"""

import argparse
import json
import time
from pathlib import Path

import pandas as pd

from analyses import margins_from_table, rake
from analyses.catalogue import load_catalogue
from analyses.indicator_table import IndicatorInputs, indicator_table, parent_columns
from instruments.study import DEMO_STUDY, load_study
from pipelines.defs.indicators import BREAKDOWNS, dimensions_of, group_comparisons, scale_items, subjects
from warehouse.clean import read_parents
from warehouse.connection import connect
from warehouse.paths import Locations
from warehouse.tables import replace_wave


def _margins(wave: str):
    study = load_study(DEMO_STUDY)
    survey = next(s for s in study.surveys_in(wave) if s.instrument == "parent")
    return margins_from_table(pd.read_csv(survey.margins, dtype={"category": str})).margins


def weight_wave(con, study_id: str, wave: str) -> int:
    """Rake the wave's complete parents that answered every margin variable; write their weights."""
    margins = _margins(wave)
    parents = read_parents(con, study_id, wave, ["respondent_id", "complete", *margins])
    base = parents[parents["complete"]].dropna(subset=list(margins)).reset_index(drop=True)
    weights = rake(base, margins).weights.to_numpy()
    frame = base[["survey_id", "response_id", "respondent_id"]].assign(weight=weights, raked_weight=weights)
    return replace_wave(con, "weighted", "parent_weights", frame, study_id=study_id, wave=wave)


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def run(home: Path, study_id: str, wave: str) -> dict:
    study = load_study(DEMO_STUDY)
    parent, field_actor = study.instrument("parent", wave), study.instrument("field_actor", wave)
    items = scale_items(parent, field_actor)
    services, themes = subjects(parent)
    indicators = load_catalogue().indicators(services, themes, dimensions_of(items))
    margins = _margins(wave)
    results: dict = {}
    start = time.perf_counter()
    with connect(Locations(home=home, site=home / "site", build=home / "build")) as con:
        parents = read_parents(con, study_id, wave,
                               ["instrument_version", *parent_columns(indicators, items, BREAKDOWNS, margins)],
                               weighted=True)
    results["indicator_read_s"] = round(time.perf_counter() - start, 2)
    inputs = IndicatorInputs(parents=parents, field_actors=pd.DataFrame(), indicators=indicators, items=items,
                             breakdowns=BREAKDOWNS, weight="weight", calibration=margins)
    start = time.perf_counter()
    table, _ = indicator_table(inputs, language="start_language")
    results["indicator_table_s"] = round(time.perf_counter() - start, 2)
    results["peak_rss_mib_after_indicator_table"] = _peak_mib()
    start = time.perf_counter()
    tests, sensitivity = group_comparisons(inputs, table)
    results["group_comparisons_s"] = round(time.perf_counter() - start, 2)
    results.update(indicator_base=len(parents), indicator_rows=len(table), comparison_rows=len(tests),
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
