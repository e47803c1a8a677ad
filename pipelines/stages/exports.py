"""Exports, in ``<TOEGANG_HOME>/<study>/exports/``, replaced whole on every run:
- ``indicators/``: the published tables (``warehouse.indicators``) as CSV and Parquet, suppressed rows as gaps;
- ``microdata/``: per wave and instrument the clean table as SPSS ``.sav`` (variable and value labels in the
  questionnaire's base language; numeric answer scales as numbers, their don't-know and not-applicable codes
  user-missing) and Parquet (answer codes as text, as in the clean table), identified by the pseudonym only
  (no LimeSurvey ids), without free text; a weighted wave adds each respondent's final ``weight`` (empty
  outside the weighting base) and, when it has them, the replicate weights (``repw_001``...), with their design
  in ``<instrument>_<wave>_replicates.json``;
- ``quotes/``: per wave the free-text answers a reviewer marked quotable, redacted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyreadstat

from dashboards.files import replace_folder, write_parquet
from instruments.study import Study
from pipelines.stages.weight import checked_weighting
from warehouse import free_text, weighted
from warehouse import indicators as layer
from warehouse.tables import read_table

# Keys back to the raw layer (which holds tokens) never leave with microdata: the pseudonym identifies a row.
LINK_COLUMNS = ("survey_id", "response_id")
WEIGHT_LABEL = "Final analysis weight (persons)"
# A numeric scale's don't-know and not-applicable answers in the .sav: negative (no scale code is, answer codes
# being letters and digits), so never read as a score, and declared user-missing with their labels kept.
MISSING_NUMBERS = {"dont_know": -1.0, "not_applicable": -2.0}
# How the replicates' estimates combine, for whoever reads the design file without our code.
VARIANCE_FORMULA = ("variance = scale x sum_r rscales_r (theta_r - mean theta)^2, where theta_r is the estimate "
                    "with replicate weight r and mean theta the mean of the theta_r of the replicates with "
                    "rscales_r > 0 (as R's survey::svrVar with mse = FALSE); the estimate itself uses `weight`")
R_DESIGN = ("d <- subset(microdata, !is.na(weight)); survey::svrepdesign(data = d, weights = ~weight, "
            "repweights = d[, replicate_weights], type = 'other', scale = scale, rscales = rscales, "
            "combined.weights = TRUE, mse = FALSE), with replicate_weights, scale and rscales from this file")


def microdata(frame: pd.DataFrame, codebook: pd.DataFrame, language: str) -> tuple[pd.DataFrame, dict, dict]:
    """The clean rows ready for export: link keys dropped, booleans as 0/1; variable labels (question and item
    text) and value labels (answer texts, keyed by the answer codes) in ``language`` from the codebook rows of
    the wave. Answer codes stay text here, as in the clean table; ``for_spss`` makes numeric scales numbers."""
    data = frame.drop(columns=[c for c in LINK_COLUMNS if c in frame.columns])
    labels, values = {}, {}
    for row in codebook.itertuples(index=False):
        variable = row.variable
        if variable not in data.columns:
            continue
        question, item = getattr(row, f"question_{language}"), getattr(row, f"item_{language}")
        labels[variable] = f"{question} - {item}" if item else question
        answers = json.loads(row.answers) if row.answers else []
        if is_boolean(data[variable]):
            data[variable] = data[variable].astype("Float64")
            values[variable] = {0.0: "-", 1.0: answers[0][language] if answers else "1"}
            if row.type == "Y" and len(answers) == 2:
                values[variable] = {1.0: answers[0][language], 0.0: answers[1][language]}
        elif answers:
            values[variable] = {a["code"]: a[language] for a in answers}
    for column in data.columns:
        if is_boolean(data[column]):
            data[column] = data[column].astype("Float64")
    return data, labels, values


def is_boolean(column: pd.Series) -> bool:
    """A clean table's BOOLEAN column, as pandas reads it (with or without NULLs)."""
    return str(column.dtype) in ("bool", "boolean")


def numeric_codes(answers: list[dict]) -> dict[str, float] | None:
    """Answer code -> number when the answers are a numeric scale: every substantive code a whole number
    ("1".."5"), each missing code a number too or of a kind in ``MISSING_NUMBERS`` (three at most, as SPSS
    declares), no two codes the same number ("1" and "01"). None otherwise: the codes stay text."""
    codes = {}
    for answer in answers:
        code, kind = answer["code"], answer.get("missing")
        if code.isascii() and code.isdigit():
            codes[code] = float(code)
        elif kind in MISSING_NUMBERS:
            codes[code] = MISSING_NUMBERS[kind]
        else:
            return None
    substantive = [a for a in answers if not a.get("missing")]
    if not substantive or len(answers) - len(substantive) > 3 or len(set(codes.values())) < len(codes):
        return None
    return codes


@dataclass(frozen=True)
class SavLayout:
    """The rows as the .sav stores them, and what its dictionary declares besides the variable labels."""
    frame: pd.DataFrame
    values: dict[str, dict]  # variable -> value -> label
    missing: dict[str, list]  # variable -> its user-missing values (don't know, not applicable)
    measure: dict[str, str]  # variable -> nominal, ordinal or scale
    formats: dict[str, str]  # variable -> SPSS print format, e.g. F1.0


def for_spss(data: pd.DataFrame, codebook: pd.DataFrame, values: dict, booleans: set[str]) -> SavLayout:
    """``microdata``'s rows for SPSS (``booleans``: the columns that were booleans, now 0/1). A column whose
    answers are a numeric scale (``numeric_codes``) and whose values are all among its codes becomes a number,
    labelled by number, its don't-know and not-applicable codes declared user-missing; other coded columns stay
    text with their labels; empty stays system-missing. Measure: ordinal for a scale of three or more numbers
    (as ``instruments.generate`` reads them), nominal for other codes, booleans and text, scale for other
    numbers (counts, times, dates, weights)."""
    frame, values = data.copy(), dict(values)
    missing, measure, formats = {}, {}, {}
    for row in codebook.itertuples(index=False):
        variable = row.variable
        if variable not in frame.columns or not row.answers or pd.api.types.is_numeric_dtype(frame[variable]):
            continue
        answers = json.loads(row.answers)
        codes = numeric_codes(answers)
        text = frame[variable].astype(object).where(frame[variable].notna(), None)
        if codes is None or not text.dropna().isin(list(codes)).all():
            continue  # letters, or a value outside the codebook: kept as text rather than guessed
        frame[variable] = text.map(codes).astype("float64")
        labels = values.get(variable, {})
        values[variable] = {codes[code]: label for code, label in labels.items()}
        missing[variable] = [codes[a["code"]] for a in answers if a.get("missing")]
        measure[variable] = "ordinal" if len(answers) - len(missing[variable]) >= 3 else "nominal"
        formats[variable] = f"F{max(len(str(int(n))) for n in codes.values())}.0"
    for column in frame.columns:
        dtype = frame[column].dtype
        if column in measure:
            continue
        if column in booleans:
            measure[column], formats[column] = "nominal", "F1.0"
        elif pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype):
            measure[column] = "scale"
        else:
            measure[column] = "nominal"
    return SavLayout(frame, values, {k: v for k, v in missing.items() if v}, measure, formats)


def write_sav(path: Path, layout: SavLayout, labels: dict) -> None:
    frame = layout.frame.copy()
    for column in frame.columns:  # pyreadstat takes numpy types: nullable columns as float or object
        if str(frame[column].dtype) in ("Float64", "Int64"):
            frame[column] = frame[column].astype("float64")
        elif str(frame[column].dtype) in ("string", "str"):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    pyreadstat.write_sav(frame, str(path), column_labels=labels, variable_value_labels=layout.values,
                         missing_ranges=layout.missing, variable_measure=layout.measure,
                         variable_format=layout.formats)


def with_weights(frame: pd.DataFrame, weights: pd.DataFrame | None,
                 design: dict | None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The clean rows with their ``weight`` and replicate weights (``weights``: keyed by survey and response;
    respondents outside the weighting base get none), joined while the link keys are still there; and the
    variable labels of the added columns."""
    if weights is None:
        return frame, {}
    added = [c for c in weights.columns if c not in LINK_COLUMNS]
    if clash := sorted(set(added) & set(frame.columns)):
        raise ValueError(f"the clean table already has columns named {clash}: the weights cannot be added")
    joined = frame.merge(weights, on=list(LINK_COLUMNS), how="left", validate="one_to_one")
    labels = {"weight": WEIGHT_LABEL}
    if design is not None:
        count = design["replicates"]
        labels |= {c: f"Replicate weight {r} of {count} ({design['method']})"
                   for r, c in enumerate(design["columns"], start=1)}
    return joined, labels


def codebook_rows(codebook: pd.DataFrame, instrument: str, wave: str, waves: list[str]) -> pd.DataFrame:
    """The instrument's codebook rows of ``wave``; then, for a column another wave asked and this one did not
    (the clean table has it, empty), its row of the latest such wave in ``waves``: one column keeps one type
    and one set of labels in every wave's .sav, so SPSS's ADD FILES and R's bind_rows can stack them."""
    rows = codebook[codebook["instrument"] == instrument]
    this = rows[rows["wave"] == wave]
    other = rows[(rows["wave"] != wave) & ~rows["variable"].isin(this["variable"])]
    order = {w: i for i, w in enumerate(waves)}  # a wave the study no longer lists comes last
    latest = other.assign(_order=other["wave"].map(order)).sort_values("_order", ascending=False, kind="stable")
    return pd.concat([this, latest.drop_duplicates("variable").drop(columns="_order")], ignore_index=True)


def design_file(design: dict, study_id: str, wave: str, instrument: str) -> dict:
    """What an analyst outside needs besides the microdata to compute every standard error from its replicate
    weights: the columns, the method, scale, rscales and seed, and how they combine."""
    stem = f"{instrument}_{wave}"
    return {
        "study": study_id, "wave": wave, "instrument": instrument, "files": [f"{stem}.sav", f"{stem}.parquet"],
        "weight": "weight", "replicate_weights": design["columns"], "method": design["method"],
        "replicates": design["replicates"], "scale": design["scale"], "rscales": design["rscales"],
        "seed": design["seed"], "variance": VARIANCE_FORMULA,
        "without_weight": "rows with an empty weight are outside the weighting base (incomplete, a margin "
                          "variable unanswered, or left out by a quality rule): leave them out of weighted estimates",
        "r": R_DESIGN,
    }


@dataclass(frozen=True)
class ExportContent:
    tables: dict[str, pd.DataFrame]  # published indicator tables by name
    codebook: pd.DataFrame
    clean: dict[tuple[str, str], pd.DataFrame]  # (wave, instrument) -> clean rows
    quotes: dict[tuple[str, str], pd.DataFrame]  # (wave, instrument) -> reviewed, quotable free text
    # (wave, instrument) of a weighted wave -> survey_id, response_id, weight and any replicate weights
    weights: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)
    designs: dict[tuple[str, str], dict] = field(default_factory=dict)  # -> its replicate design, if any


def export_content(con: duckdb.DuckDBPyConnection, study: Study) -> ExportContent:
    """Everything the exports hold, read in one go (the files are written after the connection is closed)."""
    tables = {name: layer.read(con, name, study.study_id) for name in (*layer.WAVE_TABLES, *layer.STUDY_TABLES)}
    codebook = read_table(con, "meta", "codebook", study_id=study.study_id)
    pairs = sorted(set(zip(codebook["wave"], codebook["instrument"])))  # every questionnaire the warehouse holds
    clean = {(w, i): read_table(con, "clean", f"{i}_responses", study_id=study.study_id, wave=w) for w, i in pairs}
    quotes, weights, designs = {}, {}, {}
    for wave, instrument in pairs:
        columns = [c.name for c in study.instrument(instrument, wave).columns() if c.free_text]
        quotes[(wave, instrument)] = free_text.quotable(con, study.study_id, wave, instrument, columns)
        if not weighted.has_weights(con, instrument, study.study_id, wave):
            continue
        checked_weighting(con, study, wave)  # never weights (or replicates) of a design the study has left
        final = weighted.read_weights(con, instrument, study.study_id, wave)[[*LINK_COLUMNS, "weight"]]
        replicates, design = weighted.read_replicates(con, instrument, study.study_id, wave)
        if design is not None:
            final = final.merge(replicates, on=list(LINK_COLUMNS), how="left", validate="one_to_one")
            designs[(wave, instrument)] = design
        weights[(wave, instrument)] = final
    return ExportContent(tables, codebook, clean, quotes, weights, designs)


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
            rows = codebook_rows(content.codebook, instrument, wave, study.waves)
            design = content.designs.get((wave, instrument))
            frame, weight_labels = with_weights(frame, content.weights.get((wave, instrument)), design)
            data, labels, values = microdata(frame, rows, language)
            stem = folder / "microdata" / f"{instrument}_{wave}"
            layout = for_spss(data, rows, values, {c for c in frame.columns if is_boolean(frame[c])})
            write_sav(stem.with_suffix(".sav"), layout, labels | weight_labels)
            write_parquet(stem.with_suffix(".parquet"), data)
            if design is not None:
                text = json.dumps(design_file(design, study.study_id, wave, instrument), indent=1)
                (folder / "microdata" / f"{instrument}_{wave}_replicates.json").write_text(text + "\n",
                                                                                          encoding="utf-8")
            counts[f"{instrument}_{wave}"] = len(data)
            quoted = content.quotes[(wave, instrument)]
            quoted.to_csv(folder / "quotes" / f"{instrument}_{wave}.csv", index=False)
            counts[f"quotes_{instrument}_{wave}"] = len(quoted)

    files = replace_folder(target, write)
    return {"files": len(files), **counts}
