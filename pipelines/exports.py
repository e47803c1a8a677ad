"""Writing the export files: SPSS ``.sav`` with variable and value labels, and Parquet, from plain frames."""

import json
import shutil
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pyreadstat

from dashboards.site import swap_in

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


def write_parquet(path: Path, frame: pd.DataFrame) -> None:
    with duckdb.connect() as con:
        con.from_df(frame).write_parquet(str(path))


def replace_folder(target: Path, write) -> list[Path]:
    """Write into a temporary sibling folder, then swap it in whole as the site is (``swap_in``: ``target``
    becomes a link to the new version): readers see the old set or the new."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        write(staging)
        staging.chmod(0o755)
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(p for p in target.rglob("*") if p.is_file())
