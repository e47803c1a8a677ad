"""Exports, in ``<TOEGANG_HOME>/<study>/exports/``, replaced whole on every run:
- ``indicators/``: the published tables (``warehouse.indicators``) as CSV and Parquet, suppressed rows as gaps;
- ``microdata/``: per wave and instrument the clean table as SPSS ``.sav`` (variable and value labels in the
  questionnaire's base language) and Parquet, identified by the pseudonym only (no LimeSurvey ids), without
  free text;
- ``quotes/``: per wave the free-text answers a reviewer marked quotable, redacted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyreadstat

from dashboards.files import replace_folder, write_parquet
from instruments.study import Study
from warehouse import free_text
from warehouse import indicators as layer
from warehouse.tables import read_table

# Keys back to the raw layer (which holds tokens) never leave with microdata: the pseudonym identifies a row.
LINK_COLUMNS = ("survey_id", "response_id")


def microdata(frame: pd.DataFrame, codebook: pd.DataFrame, language: str) -> tuple[pd.DataFrame, dict, dict]:
    """The clean rows ready for SPSS: link keys dropped, booleans as 0/1; variable labels (question and item
    text) and value labels (answer texts) in ``language`` from the codebook rows of the wave."""
    data = frame.drop(columns=[c for c in LINK_COLUMNS if c in frame.columns])
    labels, values = {}, {}
    for row in codebook.itertuples(index=False):
        variable = row.variable
        if variable not in data.columns:
            continue
        question, item = getattr(row, f"question_{language}"), getattr(row, f"item_{language}")
        labels[variable] = f"{question} - {item}" if item else question
        answers = json.loads(row.answers) if row.answers else []
        if pd.api.types.is_bool_dtype(data[variable]) or str(data[variable].dtype) == "boolean":
            data[variable] = data[variable].astype("Float64")
            values[variable] = {0.0: "-", 1.0: answers[0][language] if answers else "1"}
            if row.type == "Y" and len(answers) == 2:
                values[variable] = {1.0: answers[0][language], 0.0: answers[1][language]}
        elif answers:
            values[variable] = {a["code"]: a[language] for a in answers}
    for column in data.columns:
        if str(data[column].dtype) in ("boolean", "bool"):
            data[column] = data[column].astype("Float64")
    return data, labels, values


def write_sav(path: Path, data: pd.DataFrame, labels: dict, values: dict) -> None:
    frame = data.copy()
    for column in frame.columns:  # pyreadstat takes numpy types: nullable columns as float or object
        if str(frame[column].dtype) in ("Float64", "Int64"):
            frame[column] = frame[column].astype("float64")
        elif str(frame[column].dtype) in ("string", "str"):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    pyreadstat.write_sav(frame, str(path), column_labels=labels, variable_value_labels=values)


@dataclass(frozen=True)
class ExportContent:
    tables: dict[str, pd.DataFrame]  # published indicator tables by name
    codebook: pd.DataFrame
    clean: dict[tuple[str, str], pd.DataFrame]  # (wave, instrument) -> clean rows
    quotes: dict[tuple[str, str], pd.DataFrame]  # (wave, instrument) -> reviewed, quotable free text


def export_content(con: duckdb.DuckDBPyConnection, study: Study) -> ExportContent:
    """Everything the exports hold, read in one go (the files are written after the connection is closed)."""
    tables = {name: layer.read(con, name, study.study_id) for name in (*layer.WAVE_TABLES, *layer.STUDY_TABLES)}
    codebook = read_table(con, "meta", "codebook", study_id=study.study_id)
    pairs = sorted(set(zip(codebook["wave"], codebook["instrument"])))  # every questionnaire the warehouse holds
    clean = {(w, i): read_table(con, "clean", f"{i}_responses", study_id=study.study_id, wave=w) for w, i in pairs}
    quotes = {}
    for wave, instrument in pairs:
        columns = [c.name for c in study.instrument(instrument, wave).columns() if c.free_text]
        quotes[(wave, instrument)] = free_text.quotable(con, study.study_id, wave, instrument, columns)
    return ExportContent(tables, codebook, clean, quotes)


def write_exports(study: Study, content: ExportContent, target: Path) -> dict:
    """Write the exports into ``target``, swapped in whole; returns the file and row counts."""
    counts = {}

    def write(folder: Path) -> None:
        (folder / "indicators").mkdir()
        for name, frame in content.tables.items():
            frame.to_csv(folder / "indicators" / f"{name}.csv", index=False)
            write_parquet(folder / "indicators" / f"{name}.parquet", frame)
        (folder / "microdata").mkdir()
        (folder / "quotes").mkdir()
        for (wave, instrument), frame in content.clean.items():
            if frame.empty:
                continue
            language = study.instrument(instrument, wave).base_language
            rows = content.codebook[(content.codebook["wave"] == wave) & (content.codebook["instrument"] == instrument)]
            data, labels, values = microdata(frame, rows, language)
            stem = folder / "microdata" / f"{instrument}_{wave}"
            write_sav(stem.with_suffix(".sav"), data, labels, values)
            write_parquet(stem.with_suffix(".parquet"), data)
            counts[f"{instrument}_{wave}"] = len(data)
            quoted = content.quotes[(wave, instrument)]
            quoted.to_csv(folder / "quotes" / f"{instrument}_{wave}.csv", index=False)
            counts[f"quotes_{instrument}_{wave}"] = len(quoted)

    files = replace_folder(target, write)
    return {"files": len(files), **counts}
