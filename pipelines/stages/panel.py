"""Panel: a panel instrument's indicators followed on the same persons across every wave of the study (its
``panel: true`` instruments, linked by the pseudonym): the change between each wave and the one before, and the
last against the first, on the persons present in both only; and who was present in each wave."""

from __future__ import annotations

import duckdb
import pandas as pd

from analyses.indicator_table import Indicator, needed_columns, variable
from analyses.panel import panel_changes as changes_of
from analyses.panel import trajectory
from instruments.study import Study
from pipelines.stages.indicators import wave_indicators
from warehouse import indicators as layer
from warehouse.clean import read_respondents

PERSON = "respondent_id"


def panel_kind(indicator: Indicator) -> str | None:
    """How an indicator's change is tested: a share of one item is yes or no (exact McNemar), a mean or a scale
    index is ordinal (Wilcoxon signed-rank); counts and differences have no per-person value."""
    if indicator.kind == "share" and not indicator.items:
        return "binary"
    if indicator.kind in ("mean", "scale_index"):
        return "ordinal"
    return None


def _persons(con: duckdb.DuckDBPyConnection, study: Study, instrument: str, waves: list[str]) -> tuple[pd.DataFrame,
                                                                                                       dict[str, str]]:
    """Every wave's complete responses of ``instrument`` as one row per person and wave, with each followed
    indicator's respondent-level value (derived as the indicator stage derives it), and each indicator's kind."""
    frames, kinds = [], {}
    for wave in waves:
        chosen = [i for i in wave_indicators(study, wave) if i.instrument == instrument and panel_kind(i)]
        if not chosen:
            continue
        columns = [PERSON, "complete", *needed_columns(chosen, instrument, {})]
        frame = read_respondents(con, instrument, study.study_id, wave, columns)
        frame = frame[frame["complete"].astype(bool)].reset_index(drop=True)
        values = {i.name: pd.to_numeric(variable(i, frame), errors="coerce").astype(float) for i in chosen}
        frames.append(pd.DataFrame({"wave": wave, PERSON: frame[PERSON].astype(str), **values}))
        kinds |= {i.name: panel_kind(i) for i in chosen}
    return (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["wave", PERSON])), kinds


def panel_changes(con: duckdb.DuckDBPyConnection, study: Study, run_id: str) -> dict:
    """Replace the study's panel tables: for each panel instrument, each followed indicator's changes over the
    waves it was fielded in (``analyses.panel.panel_changes``, tested only from the study's ``min_pairs``
    pairs), and who responded in each wave, stayed, joined, returned or dropped out (``analyses.panel.trajectory``
    of a complete response)."""
    changes, flows = [], []
    for role in study.instruments:
        if not role.panel:
            continue
        waves = [w for w in study.waves if any(s.instrument == role.name for s in study.surveys_in(w))]
        persons, kinds = _persons(con, study, role.name, waves)
        present = [w for w in waves if (persons["wave"] == w).any()]
        if not present:
            continue
        responded = persons.assign(responded=1.0)
        flows.append(trajectory(responded, "responded", person=PERSON, waves=present)
                     .drop(columns="share").assign(instrument=role.name))
        if len(present) > 1:
            rules = study.publication
            found = changes_of(persons, kinds, present, person=PERSON, min_pairs=rules.min_pairs,
                               min_cell=rules.min_cell, min_level_n=rules.min_group_for_index)
            changes.append(found.rename(columns={"variable": "indicator", "before": "wave_before",
                                                 "after": "wave_after"}).assign(instrument=role.name))
    changed = pd.concat(changes, ignore_index=True) if changes else pd.DataFrame()
    presence = pd.concat(flows, ignore_index=True) if flows else pd.DataFrame()
    rows = layer.write_panel(con, study.study_id, changed.assign(run_id=run_id), presence.assign(run_id=run_id))
    tested = int(changed["p_value"].notna().sum()) if not changed.empty else 0
    return {"changes": rows, "tested": tested, "instruments": [r.name for r in study.instruments if r.panel]}
