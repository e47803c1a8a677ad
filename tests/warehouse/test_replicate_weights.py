"""warehouse/weighted.py's replicate weights: stored long with the wave's weights, read back wide, replaced with
the wave, erased with their respondent, and carried whole by a backup."""

import numpy as np
import pandas as pd
import pytest

from analyses.weighting import ReplicateWeights, replicate_columns
from instruments.limesurvey_export import read_export
from instruments.study import DEMO_STUDY, load_study
from tests.conftest import DEMO_EXPORTS
from warehouse import purge, raw, weighted
from warehouse.backup import backup, restore
from warehouse.clean import build_clean
from warehouse.connection import connect
from warehouse.paths import Locations
from warehouse.pseudonyms import pseudonym

KEY = b"test-key"


def _weights(keys: list[tuple[int, int]]) -> pd.DataFrame:
    """A weights frame for ``keys`` (survey, response), in the order given, with weights 1.5, 2.5, ..."""
    return pd.DataFrame({"survey_id": [s for s, _ in keys], "response_id": [r for _, r in keys],
                         "respondent_id": [f"p{s}-{r}" for s, r in keys],
                         "weight": [1.5 + i for i in range(len(keys))],
                         "raked_weight": [1.5 + i for i in range(len(keys))]})


def _replicates(weights: pd.DataFrame, count: int, *, seed: int = 1, method: str = "bootstrap",
                index=None) -> ReplicateWeights:
    """Replicate weights made by hand (not by ``analyses.replicate_weights``): values no arithmetic makes round,
    some zero (a replicate that leaves a respondent out)."""
    rng = np.random.default_rng(seed)
    values = rng.gamma(2.0, 3.0, size=(len(weights), count)) / 3.0
    values[rng.random(values.shape) < 0.2] = 0.0
    frame = pd.DataFrame(values, columns=replicate_columns(count), index=weights.index if index is None else index)
    return ReplicateWeights(frame, weights["weight"], scale=1 / (count - 1), rscales=rng.random(count) + 0.5,
                            method=method, seed=seed)


def _long(con) -> list[tuple]:
    return con.execute("SELECT * FROM weighted.parent_replicate_weights ORDER BY ALL").fetchall()


KEYS = [(418201, 9), (418201, 2), (418202, 1), (418201, 30), (418202, 4)]  # not in key order


def test_replicate_weights_round_trip_exactly_in_key_order(con):
    weights = _weights(KEYS)
    replicates = _replicates(weights, 12, seed=7)
    empty, design = weighted.read_replicates(con, "parent", "s", "2018")  # before any replicates: none
    assert empty.empty and design is None
    assert weighted.write_wave(con, "s", "2018", "parent", weights, None, replicates=replicates) == 5

    long = _long(con)
    assert len(long) == 5 * 12
    assert {row[4] for row in long} == set(range(1, 13))
    first = replicates.weights.to_numpy()[1]  # response (418201, 2), the second row written
    assert [row[5] for row in long if (row[2], row[3]) == (418201, 2)] == first.tolist()

    frame, design = weighted.read_replicates(con, "parent", "s", "2018")
    assert list(frame.columns) == ["survey_id", "response_id", *replicate_columns(12)]
    assert list(zip(frame["survey_id"], frame["response_id"])) == sorted(KEYS)
    order = [KEYS.index(k) for k in sorted(KEYS)]
    assert np.array_equal(frame[replicate_columns(12)].to_numpy(), replicates.weights.to_numpy()[order])
    assert design == {"method": "bootstrap", "replicates": 12, "scale": 1 / 11,
                      "rscales": replicates.rscales.tolist(), "seed": 7, "columns": replicate_columns(12)}
    # Another wave, another study, another instrument: none.
    assert weighted.read_replicates(con, "parent", "s", "2021")[1] is None
    assert weighted.read_replicates(con, "parent", "t", "2018")[1] is None
    assert weighted.read_replicates(con, "field_actor", "s", "2018")[1] is None


def test_replicates_follow_the_weights_rows_by_index(con):
    weights = _weights(KEYS).set_axis([10, 11, 12, 13, 14])
    replicates = _replicates(weights, 4)
    shuffled = ReplicateWeights(replicates.weights.iloc[[3, 0, 4, 1, 2]], replicates.full, replicates.scale,
                                replicates.rscales, replicates.method, replicates.seed)
    weighted.write_wave(con, "s", "2018", "parent", weights, None, replicates=shuffled)
    frame, _ = weighted.read_replicates(con, "parent", "s", "2018")
    expected = replicates.weights.set_axis(pd.MultiIndex.from_tuples(KEYS)).sort_index().to_numpy()
    assert np.array_equal(frame[replicate_columns(4)].to_numpy(), expected)


def test_a_wave_is_replaced_whole_and_without_replicates_keeps_none(con):
    weights = _weights(KEYS)
    weighted.write_wave(con, "s", "2018", "parent", weights, None, replicates=_replicates(weights, 12))
    weighted.write_wave(con, "s", "2021", "parent", weights, None, replicates=_replicates(weights, 3, seed=2))
    weighted.write_wave(con, "t", "2018", "parent", weights, None, replicates=_replicates(weights, 3, seed=3))
    other = weighted.read_replicates(con, "parent", "s", "2021")

    fewer = _weights(KEYS[:2])
    again = _replicates(fewer, 5, seed=4, method="JKn")
    weighted.write_wave(con, "s", "2018", "parent", fewer, None, replicates=again)
    frame, design = weighted.read_replicates(con, "parent", "s", "2018")
    assert (design["method"], design["replicates"], design["seed"]) == ("JKn", 5, 4)
    assert list(zip(frame["survey_id"], frame["response_id"])) == sorted(KEYS[:2])
    assert np.array_equal(frame[replicate_columns(5)].to_numpy(), again.weights.to_numpy()[[1, 0]])
    assert len(_long(con)) == 2 * 5 + 5 * 3 + 5 * 3

    weighted.write_wave(con, "s", "2018", "parent", weights, None)  # weighted again, without replicates
    assert weighted.read_replicates(con, "parent", "s", "2018")[1] is None
    assert not con.execute("SELECT count(*) FROM weighted.parent_replicate_weights WHERE study_id = 's' "
                           "AND wave = '2018'").fetchall()[0][0]
    assert weighted.weight_counts(con, "parent", "s") == {"2018": 5, "2021": 5}
    again_other = weighted.read_replicates(con, "parent", "s", "2021")
    assert again_other[1] == other[1] and again_other[0].equals(other[0])  # other waves untouched
    assert weighted.read_replicates(con, "parent", "t", "2018")[1]["seed"] == 3
    weighted.write_wave(con, "s", "2021", "parent", weights.iloc[:0], None)  # the wave lost its margins
    assert weighted.read_replicates(con, "parent", "s", "2021")[1] is None
    assert len(_long(con)) == 5 * 3  # study t's only


def test_a_failed_write_leaves_the_wave_as_it_was(con):
    weights = _weights(KEYS)
    replicates = _replicates(weights, 4)
    weighted.write_wave(con, "s", "2018", "parent", weights, None, replicates=replicates)
    before = _long(con), con.execute("SELECT * FROM weighted.replicate_designs").fetchall()
    doubled = _weights(KEYS + KEYS[:1])  # a respondent twice: the weights' key refuses it
    with pytest.raises(Exception, match="(?i)duplicate|constraint"):
        weighted.write_wave(con, "s", "2018", "parent", doubled, None, replicates=_replicates(doubled, 4, seed=9))
    assert (_long(con), con.execute("SELECT * FROM weighted.replicate_designs").fetchall()) == before
    assert weighted.weight_counts(con, "parent", "s") == {"2018": 5}


@pytest.mark.parametrize("broken, message", [
    (lambda r: ReplicateWeights(r.weights.iloc[:-1], r.full, r.scale, r.rscales, r.method), "one row per"),
    (lambda r: ReplicateWeights(r.weights.set_axis(range(5, 10)), r.full, r.scale, r.rscales, r.method), "one row"),
    (lambda r: ReplicateWeights(r.weights.mul(-1), r.full, r.scale, r.rscales, r.method), "not negative"),
    (lambda r: ReplicateWeights(r.weights.replace(0.0, np.nan), r.full, r.scale, r.rscales, r.method), "finite"),
    (lambda r: ReplicateWeights(r.weights, r.full, r.scale, r.rscales[:-1], r.method), "4 finite rscales"),
    (lambda r: ReplicateWeights(r.weights, r.full, float("nan"), r.rscales, r.method), "finite scale"),
])
def test_replicates_that_cannot_give_a_variance_are_refused_and_nothing_changes(con, broken, message):
    weights = _weights(KEYS)
    good = _replicates(weights, 4)
    weighted.write_wave(con, "s", "2018", "parent", weights, None, replicates=good)
    before = _long(con)
    with pytest.raises(ValueError, match=message):
        weighted.write_wave(con, "s", "2018", "parent", _weights(KEYS[::-1]), None, replicates=broken(good))
    assert _long(con) == before
    assert weighted.read_weights(con, "parent", "s")["response_id"].tolist() == [2, 9, 30, 1, 4]


@pytest.fixture
def parents(con):
    """The demo's 2018 parents loaded, cleaned and weighted, each with 6 replicate weights."""
    instrument = load_study(DEMO_STUDY).instrument("parent", "2018")
    path = DEMO_EXPORTS / "survey_418201_2018_parent.csv"
    responses = [dict(r) for r in read_export(path).responses]
    raw.append(con, raw.Batch("file", DEMO_STUDY, 418201, "2018", "parent", instrument.version, path.name,
                              responses), pseudonym_key=KEY)
    build_clean(con, study_id=DEMO_STUDY, wave="2018", instrument=instrument)
    clean = con.execute("SELECT survey_id, response_id, respondent_id FROM clean.parent_responses "
                        "ORDER BY survey_id, response_id").df()
    weights = clean.assign(weight=np.linspace(5.0, 9.0, len(clean)), raked_weight=np.linspace(5.0, 9.0, len(clean)))
    weighted.write_wave(con, DEMO_STUDY, "2018", "parent", weights, None, replicates=_replicates(weights, 6))
    return responses, weights


def test_erasure_removes_the_respondents_replicate_weights(con, parents):
    responses, weights = parents
    person = next(r for r in responses if r["token"] and int(r["id"]) in set(weights["response_id"]))
    respondent = pseudonym(KEY, DEMO_STUDY, person["token"], 0, 0)
    before, _ = weighted.read_replicates(con, "parent", DEMO_STUDY, "2018")
    assert int(person["id"]) in set(before["response_id"])  # the test can fail: they have replicate weights

    result = purge.erase_respondents(con, DEMO_STUDY, key=KEY, tokens=[person["token"]], reason="request 18",
                                     operator="dm")

    after, design = weighted.read_replicates(con, "parent", DEMO_STUDY, "2018")
    assert int(person["id"]) not in set(after["response_id"]) and design["replicates"] == 6
    assert not con.execute("SELECT count(*) FROM weighted.parent_replicate_weights WHERE response_id = ?",
                           [int(person["id"])]).fetchall()[0][0]
    kept = before[before["response_id"] != int(person["id"])].reset_index(drop=True)
    assert after.equals(kept)  # nobody else's replicate weights change
    assert respondent not in set(weighted.read_weights(con, "parent", DEMO_STUDY)["respondent_id"])
    assert result.warehouse_rows >= 6 + 1 + 2  # replicates, weight, clean and missing rows


def test_erasure_by_a_pseudonym_the_raw_layer_no_longer_holds(con, parents):
    """A warehouse whose raw layer already lost the respondent (restored from an older backup): their responses
    are found through the warehouse's own tables."""
    _, weights = parents
    gone, other = weights.iloc[0], weights.iloc[1]
    con.execute("DELETE FROM raw.responses WHERE respondent_id = ?", [gone["respondent_id"]])
    purge.erase_respondents(con, DEMO_STUDY, key=KEY, respondent_ids=[gone["respondent_id"],
                                                                      other["respondent_id"]],
                            reason="request", operator="dm")
    left = set(weighted.read_replicates(con, "parent", DEMO_STUDY, "2018")[0]["response_id"])
    assert not {int(gone["response_id"]), int(other["response_id"])} & left and len(left) == len(weights) - 2


def test_a_backup_carries_replicate_weights_and_designs(tmp_path):
    home = Locations(home=tmp_path / "home", site=tmp_path / "site", build=tmp_path / "build")
    weights = _weights(KEYS)
    replicates = _replicates(weights, 12, seed=5)
    with connect(home) as con:
        weighted.write_wave(con, "s", "2018", "parent", weights, None, replicates=replicates)
        written = weighted.read_replicates(con, "parent", "s", "2018")
    manifest = backup(home, tmp_path / "copy", study_id="s")
    assert manifest["rows"]["warehouse"]["weighted.parent_replicate_weights"] == 5 * 12
    assert manifest["rows"]["warehouse"]["weighted.replicate_designs"] == 1
    restored = Locations(home=tmp_path / "restored", site=tmp_path / "site", build=tmp_path / "build")
    restore(tmp_path / "copy", restored, study_id="s")
    with connect(restored) as con:
        frame, design = weighted.read_replicates(con, "parent", "s", "2018")
        types = dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() "
                                 "WHERE table_name = 'replicate_designs'").fetchall())
    assert frame.equals(written[0]) and design == written[1]
    assert (types["rscales"], types["columns"]) == ("DOUBLE[]", "VARCHAR[]")
