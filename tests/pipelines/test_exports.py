"""pipelines/stages/exports.py: a weighted wave's microdata (.sav and Parquet) carry each respondent's final weight
and replicate weights, labelled, with the replicate design beside them; an analyst outside reproduces a standard
error from the files alone. In the .sav, numeric answer scales are numbers with value labels, their don't-know
and not-applicable answers user-missing; letter codes stay text; the Parquet keeps the clean table's codes."""

import json

import duckdb
import numpy as np
import pandas as pd
import pyreadstat
import pytest

from analyses.weighting import ReplicateWeights, replicate_columns
from instruments.study import DEMO_STUDY, load_study
from pipelines.stages.exports import MISSING_NUMBERS, export_content, numeric_codes, write_exports
from pipelines.stages.instruments import write_codebook
from tests.conftest import run_locations
from warehouse import raw, weighted
from warehouse.clean import build_clean

WAVE, R = "2018", 12


@pytest.fixture(scope="module")
def study():
    return load_study(DEMO_STUDY)


@pytest.fixture
def wave(con, study):
    """The demo's 2018 wave loaded and cleaned, its first 200 parents weighted with 12 replicate weights made by
    hand; the other 60 parents are outside the weighting base."""
    for survey in study.surveys_in(WAVE):
        instrument = study.instrument(survey.instrument, WAVE)
        raw.append(con, raw.Batch("file", DEMO_STUDY, survey.survey_id, WAVE, survey.instrument, instrument.version,
                                  survey.export.name, (), csv_path=survey.export), pseudonym_key=b"test-key")
        build_clean(con, study_id=DEMO_STUDY, wave=WAVE, instrument=instrument)
    write_codebook(con, study, WAVE)
    clean = con.execute("SELECT survey_id, response_id, respondent_id, kinderen FROM clean.parent_responses "
                        "ORDER BY survey_id, response_id").df()
    base = clean.iloc[:200].reset_index(drop=True)
    rng = np.random.default_rng(18)
    weights = base.assign(weight=rng.gamma(4.0, 25.0, len(base)))
    weights["raked_weight"] = weights["weight"]
    values = weights["weight"].to_numpy()[:, None] * rng.gamma(8.0, 1 / 8, (len(base), R))
    values[rng.random(values.shape) < 0.1] = 0.0  # a respondent left out of a replicate
    replicates = ReplicateWeights(pd.DataFrame(values, columns=replicate_columns(R)), weights["weight"],
                                  scale=1 / (R - 1), rscales=rng.uniform(0.5, 1.5, R), method="bootstrap", seed=1818)
    weighted.write_wave(con, DEMO_STUDY, WAVE, "parent", weights, None, replicates=replicates)
    return clean, weights, replicates


def _export(con, study, tmp_path):
    content = export_content(con, study)
    write_exports(study, content, tmp_path / "exports")
    return tmp_path / "exports" / "microdata"


def test_weighted_microdata_carry_the_weight_and_the_replicate_weights(con, study, wave, tmp_path):
    clean, weights, replicates = wave
    folder = _export(con, study, tmp_path)
    data, meta = pyreadstat.read_sav(str(folder / "parent_2018.sav"))
    parquet = duckdb.sql(f"SELECT * FROM read_parquet('{folder / 'parent_2018.parquet'}')").df()
    for frame in (data, parquet):
        assert sorted(frame["respondent_id"]) == sorted(clean["respondent_id"])  # every clean row
        assert not {"survey_id", "response_id"} & set(frame.columns)  # no link back to the raw layer
        assert list(frame.columns[-R - 1:]) == ["weight", *replicate_columns(R)]
        by_person = frame.set_index("respondent_id")
        inside = by_person.loc[weights["respondent_id"]]
        assert inside["weight"].tolist() == weights["weight"].tolist()  # exactly, not approximately
        assert np.array_equal(inside[replicate_columns(R)].to_numpy(), replicates.weights.to_numpy())
        outside = by_person.drop(index=weights["respondent_id"])
        assert len(outside) == 60 and outside[["weight", *replicate_columns(R)]].isna().all().all()  # empty
    labels = meta.column_names_to_labels
    assert labels["weight"] == "Final analysis weight (persons)"
    assert labels["repw_001"] == "Replicate weight 1 of 12 (bootstrap)"
    assert labels["repw_012"] == "Replicate weight 12 of 12 (bootstrap)"
    assert labels["wijk"] and meta.variable_value_labels["wijk"]["W01"] == "Hertogin"  # the clean labels stay
    for column in ("weight", *replicate_columns(R)):  # numbers an analyst weights by
        assert meta.readstat_variable_types[column] == "double" and meta.variable_measure[column] == "scale"

    design = json.loads((folder / "parent_2018_replicates.json").read_text(encoding="utf-8"))
    assert design["replicate_weights"] == replicate_columns(R) and design["weight"] == "weight"
    assert (design["method"], design["replicates"], design["seed"]) == ("bootstrap", R, 1818)
    assert design["scale"] == 1 / (R - 1) and design["rscales"] == replicates.rscales.tolist()
    assert "scale x sum_r rscales_r (theta_r - mean theta)^2" in design["variance"]
    assert design["files"] == ["parent_2018.sav", "parent_2018.parquet"]

    actors, _ = pyreadstat.read_sav(str(folder / "field_actor_2018.sav"))  # not weighted: no weights
    assert not {"weight", "repw_001"} & set(actors.columns)
    assert sorted(p.name for p in folder.glob("*.json")) == ["parent_2018_replicates.json"]


def test_a_standard_error_is_reproduced_from_the_files_alone(con, study, wave, tmp_path):
    """What an analyst outside does with the .sav and the JSON gives the variance ``ReplicateWeights`` gives."""
    clean, weights, replicates = wave
    folder = _export(con, study, tmp_path)
    data, _ = pyreadstat.read_sav(str(folder / "parent_2018.sav"))
    design = json.loads((folder / "parent_2018_replicates.json").read_text(encoding="utf-8"))
    sample = data[data[design["weight"]].notna()]
    assert len(sample) == 200
    y = sample["kinderen"].to_numpy()
    thetas = np.array([(sample[c] * y).sum() / sample[c].sum() for c in design["replicate_weights"]])
    rscales = np.array(design["rscales"])
    outside = design["scale"] * (rscales * (thetas - thetas[rscales > 0].mean()) ** 2).sum()

    y_base = clean["kinderen"].iloc[:200].to_numpy()
    ours = replicates.weights.to_numpy()
    inside = replicates.variance((ours * y_base[:, None]).sum(axis=0) / ours.sum(axis=0))[0]
    assert outside == pytest.approx(inside, rel=1e-12) and inside > 0


def test_a_wave_weighted_without_replicates_carries_the_weight_only(con, study, wave, tmp_path):
    _, weights, _ = wave
    weighted.write_wave(con, DEMO_STUDY, WAVE, "parent", weights, None)  # weighted again, no replicates
    folder = _export(con, study, tmp_path)
    data, meta = pyreadstat.read_sav(str(folder / "parent_2018.sav"))
    assert data.columns[-1] == "weight" and not any(c.startswith("repw_") for c in data.columns)
    stored = data.set_index("respondent_id").loc[weights["respondent_id"], "weight"]
    assert stored.tolist() == weights["weight"].tolist()
    assert data["weight"].isna().sum() == 60
    assert meta.column_names_to_labels["weight"] == "Final analysis weight (persons)"
    assert not list(folder.glob("*.json"))

    weighted.write_wave(con, DEMO_STUDY, WAVE, "parent", weights.iloc[:0], None)  # the wave lost its margins
    data, _ = pyreadstat.read_sav(str(_export(con, study, tmp_path) / "parent_2018.sav"))
    assert "weight" not in data.columns


def _answers(con, wave, instrument, variable):
    (text,) = con.execute("SELECT answers FROM meta.codebook WHERE study_id = ? AND wave = ? AND instrument = ? "
                          "AND variable = ?", [DEMO_STUDY, wave, instrument, variable]).fetchone()
    return json.loads(text)


def test_the_demo_sav_holds_the_weight_and_numbers_for_numeric_scales(demo_root):
    """The session's demo run: its 2018 parents' .sav has the warehouse's weights, the 1-5 satisfaction scale as
    labelled numbers, the agreement scale's don't-know and not-applicable as user-missing numbers, the support
    question's letter codes as labelled text, every column typed as in 2021's; the Parquet beside it keeps the
    clean table's text codes."""
    locations = run_locations(demo_root)
    folder = locations.exports / "microdata"
    language = load_study(DEMO_STUDY).instrument("parent", WAVE).base_language
    with duckdb.connect(str(locations.warehouse), read_only=True) as con:
        weights = con.execute("SELECT respondent_id, weight FROM weighted.parent_weights WHERE study_id = ? "
                              "AND wave = ?", [DEMO_STUDY, WAVE]).df().set_index("respondent_id")["weight"]
        clean = con.execute("SELECT respondent_id, tevreden_S01, drS01_BS1, steun_OPV FROM clean.parent_responses "
                            "WHERE study_id = ? AND wave = ?", [DEMO_STUDY, WAVE]).df().set_index("respondent_id")
        answers = {v: _answers(con, WAVE, "parent", v) for v in ("tevreden_S01", "drS01_BS1", "steun_OPV")}
    data, meta = pyreadstat.read_sav(str(folder / "parent_2018.sav"), user_missing=True)
    data = data.set_index("respondent_id")
    assert sorted(data.index) == sorted(clean.index)
    types, measure, values = meta.readstat_variable_types, meta.variable_measure, meta.variable_value_labels

    assert types["weight"] == "double" and measure["weight"] == "scale"
    assert meta.column_names_to_labels["weight"] == "Final analysis weight (persons)"
    assert len(weights) > 200 and data.loc[weights.index, "weight"].tolist() == weights.tolist()  # exactly
    assert data.drop(index=weights.index)["weight"].isna().all()

    scale = data["tevreden_S01"]
    assert types["tevreden_S01"] == "double" and measure["tevreden_S01"] == "ordinal"
    assert meta.original_variable_types["tevreden_S01"] == "F1.0"
    assert values["tevreden_S01"] == {float(a["code"]): a[language] for a in answers["tevreden_S01"]}
    assert set(values["tevreden_S01"]) == {1.0, 2.0, 3.0, 4.0, 5.0}
    assert values["tevreden_S01"][1.0] == "Helemaal niet tevreden"
    expected = clean["tevreden_S01"].map(lambda code: float(code) if isinstance(code, str) else np.nan)
    assert scale.loc[clean.index].equals(expected.astype("float64"))  # NULL stays system-missing
    assert scale.isna().sum() == clean["tevreden_S01"].isna().sum() > 0

    agree = data.loc[clean.index, "drS01_BS1"]
    assert types["drS01_BS1"] == "double" and measure["drS01_BS1"] == "ordinal"
    labelled = values["drS01_BS1"]
    assert {labelled[-1.0], labelled[-2.0]} == {a[language] for a in answers["drS01_BS1"] if a["missing"]}
    assert meta.missing_ranges["drS01_BS1"] == [{"lo": n, "hi": n} for n in (-1.0, -2.0)]  # user-missing
    for code, number in (("DK", -1.0), ("NA", -2.0), ("3", 3.0)):
        assert (clean["drS01_BS1"] == code).sum() > 0
        assert (agree[clean["drS01_BS1"] == code] == number).all()
    scored, _ = pyreadstat.read_sav(str(folder / "parent_2018.sav"), usecols=["drS01_BS1"])
    assert scored["drS01_BS1"].isna().sum() == clean["drS01_BS1"].isin(["DK", "NA"]).sum() + \
        clean["drS01_BS1"].isna().sum()  # read as SPSS and haven read by default: never a score

    assert meta.original_variable_types["consent"] == meta.original_variable_types["complete"] == "F1.0"
    assert measure["consent"] == measure["complete"] == "nominal"  # booleans, labelled or not (metadata)
    assert types["steun_OPV"] == "string" and measure["steun_OPV"] == "nominal"
    assert values["steun_OPV"] == {a["code"]: a[language] for a in answers["steun_OPV"]}
    text = data.loc[clean.index, "steun_OPV"]  # an empty string is SPSS's blank
    assert text.tolist() == clean["steun_OPV"].fillna("").tolist() and (text == "").sum() > 0

    # A service asked from 2021 on: empty in 2018, yet typed and labelled as in 2021, so the waves stack.
    _, later = pyreadstat.read_sav(str(folder / "parent_2021.sav"), metadataonly=True)
    assert types == later.readstat_variable_types and measure == later.variable_measure
    assert data["tevreden_S07"].isna().all() and types["tevreden_S07"] == "double"
    assert values["tevreden_S07"] == later.variable_value_labels["tevreden_S07"] == values["tevreden_S01"]

    parquet = duckdb.sql(f"SELECT tevreden_S01, drS01_BS1 FROM read_parquet('{folder / 'parent_2018.parquet'}')")
    assert parquet.types == ["VARCHAR", "VARCHAR"]  # the Parquet keeps the clean codes


@pytest.mark.parametrize(("answers", "expected"), [
    ([("1", None), ("2", None), ("3", None)], {"1": 1.0, "2": 2.0, "3": 3.0}),
    ([("1", None), ("5", None), ("DK", "dont_know"), ("NA", "not_applicable")],
     {"1": 1.0, "5": 5.0, "DK": MISSING_NUMBERS["dont_know"], "NA": MISSING_NUMBERS["not_applicable"]}),
    ([("1", None), ("2", None), ("9", "dont_know")], {"1": 1.0, "2": 2.0, "9": 9.0}),  # its own number kept
    ([("A1", None), ("A2", None)], None),  # letters
    ([("1", None), ("2", None), ("X", None)], None),  # one letter code among numbers
    ([("1", None), ("01", None)], None),  # two codes, one number
    ([("1", None), ("X", "refused")], None),  # a missing kind without a number
    ([("DK", "dont_know")], None),  # nothing substantive
])
def test_numeric_codes_only_when_every_code_has_its_own_number(answers, expected):
    assert numeric_codes([{"code": c, "missing": m} for c, m in answers]) == expected
