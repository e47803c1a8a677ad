"""analyses/weighting.py and margins.py: raked and trimmed weights equal R survey's on the reference
data (shared/fixtures/weighting, R 4.2.2, survey 4.1.1); every error path says what is wrong."""

import json

import numpy as np
import pandas as pd
import pytest

from analyses import WeightingError, kish_n_eff, margins_from_table, rake
from analyses.estimates import survey_mean, survey_means
from tests.conftest import SHARED

FIXTURES = SHARED / "fixtures" / "weighting"


@pytest.fixture(scope="module")
def data():
    if not FIXTURES.is_dir():
        pytest.fail(f"weighting fixtures not found at {FIXTURES}")
    respondents = pd.read_csv(FIXTURES / "respondents.csv")
    margins = margins_from_table(pd.read_csv(FIXTURES / "population_margins.csv"))
    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    return respondents, margins, expected


def _against(result, respondents, file):
    expected = pd.read_csv(FIXTURES / file).set_index("respondent_id")["weight"]
    ours = pd.Series(result.weights.to_numpy(), index=respondents["respondent_id"])
    return float(np.max(np.abs(ours / expected.loc[ours.index] - 1)))


def test_raked_weights_equal_r(data):
    respondents, margins, expected = data
    result = rake(respondents, margins.margins)
    assert _against(result, respondents, "expected_weights.csv") < 1e-6
    summary = expected["weights"]
    assert result.weight_sum == pytest.approx(summary["sum"], rel=1e-12)
    assert result.n_eff == pytest.approx(summary["kish_n_eff"], rel=1e-8)
    assert result.min_weight == pytest.approx(summary["min"], rel=1e-6)
    assert result.max_weight == pytest.approx(summary["max"], rel=1e-6)
    assert result.deff == pytest.approx(result.n / result.n_eff) and result.max_margin_error < 1e-10
    assert result.weights.index.equals(respondents.index)


def test_one_kish_formula_serves_the_weights_and_the_estimates(data):
    """rake, survey_mean (a vector of scores per domain) and survey_means (sums per domain) report the
    same effective sample size for the whole sample: each is kish_n_eff of its own sums, to the bit."""
    respondents, margins, _ = data
    result = rake(respondents, margins.margins)
    w = result.weights.to_numpy()
    assert kish_n_eff(2.0 + 1 + 1, 4.0 + 1 + 1) == pytest.approx(16 / 6)
    assert result.n_eff == kish_n_eff(float(w.sum()), float(np.square(w).sum()))
    frame = respondents.assign(w=w, one=1.0)
    one, many = survey_mean(frame, "one", weight="w"), survey_means(frame, ["one"], weight="w")
    assert one["n_eff"].iloc[0] == pytest.approx(result.n_eff, rel=1e-12)
    assert many["n_eff"].iloc[0] == pytest.approx(result.n_eff, rel=1e-12)


def test_trimmed_weights_equal_r(data):
    respondents, margins, expected = data
    result = rake(respondents, margins.margins, trim=(0.3, 3))
    assert _against(result, respondents, "expected_weights_trimmed.csv") < 1e-6
    trimmed = expected["trimmed"]
    assert (result.trimmed_low, result.trimmed_high) == (trimmed["n_trimmed_low"], trimmed["n_trimmed_high"])
    assert result.n_eff == pytest.approx(trimmed["weights"]["kish_n_eff"], rel=1e-8)
    assert _against(rake(respondents, margins.margins), respondents, "expected_weights.csv") < 1e-6
    assert result.raked_weights is not None and result.raked_weights.sum() == pytest.approx(12000)


def test_design_weights_are_the_starting_point(data):
    respondents, margins, _ = data
    # A design weight that varies within the margins' categories (by child age) changes the result.
    frame = respondents.assign(design=np.where(respondents["child_age_group"] == "0-3", 2.0, 1.0))
    with_design = rake(frame, margins.margins, base_weight="design")
    plain = rake(respondents, margins.margins)
    for variable, categories in margins.margins.items():
        sums = with_design.weights.groupby(frame[variable]).sum()
        assert all(sums[c] == pytest.approx(t, rel=1e-9) for c, t in categories.items())
    assert not np.allclose(with_design.weights, plain.weights)


def test_reproducible(data):
    respondents, margins, _ = data
    assert rake(respondents, margins.margins).weights.equals(rake(respondents, margins.margins).weights)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d, m: (d[d["neighbourhood"] != "Weststation"], m),
         "margin 'neighbourhood': no respondents in population category Weststation"),
        (lambda d, m: (d.assign(education=d["education"].where(d.index != 5, "phd")), m),
         "margin 'education': 1 respondents have a value with no population total (phd)"),
        (lambda d, m: (d, {**m, "language": {k: v * 2 for k, v in m["language"].items()}}),
         "margins are inconsistent: their totals differ"),
        (lambda d, m: (d, {**m, "age": {"a": 12000.0}}), "margin variable 'age' is not a column of the data"),
    ],
)
def test_errors_say_what_is_wrong(data, change, message):
    respondents, margins, _ = data
    frame, changed = change(respondents, dict(margins.margins))
    with pytest.raises(WeightingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        rake(frame, changed)


def test_no_convergence_is_an_error(data):
    respondents, margins, _ = data
    with pytest.raises(WeightingError, match=r"did not converge in 2 iterations: the largest margin error is still"):
        rake(respondents, margins.margins, max_iter=2)


def test_margins_files_are_validated():
    table = pd.read_csv(FIXTURES / "population_margins.csv")
    shares = table.drop(columns="population_count")
    assert margins_from_table(shares, total=12000).margins == margins_from_table(table).margins
    with pytest.raises(WeightingError, match="need a control total"):
        margins_from_table(shares)
    broken = shares.assign(population_share=shares["population_share"].where(shares.index != 0, 0.2))
    with pytest.raises(WeightingError, match="neighbourhood sums to 1.05"):
        margins_from_table(broken, total=12000)
    uneven = table.assign(population_count=table["population_count"].where(table.index != 0, 1900))
    with pytest.raises(WeightingError, match="the margins' totals disagree"):
        margins_from_table(uneven)
    codes = {"neighbourhood": {"Hertogin", "Historisch Molenbeek", "Weststation", "Other Brussels", "Koekelberg"},
             "language": {"nl", "fr", "en", "other"}, "education": {"low", "mid", "high"}}
    with pytest.raises(WeightingError, match="codebook categories without a total: Koekelberg"):
        margins_from_table(table, categories=codes)
