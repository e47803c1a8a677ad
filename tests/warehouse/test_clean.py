"""warehouse/clean.py: typed columns, consent, latest version, pseudonyms instead of tokens."""

import pandas as pd
import pytest

from instruments.limesurvey_export import read_export
from instruments.study import DEMO_STUDY, load_study
from tests.conftest import DEMO_EXPORTS
from warehouse import raw
from warehouse.clean import CleanError, build_clean
from warehouse.pseudonyms import pseudonym

KEY = b"test-key"
PARENTS_2018 = DEMO_EXPORTS / "survey_418201_2018_parent.csv"


@pytest.fixture
def parent():
    return load_study(DEMO_STUDY).instrument("parent", "2018")


def _load(con, parent, responses):
    raw.append(con, raw.Batch("file", "demo-brussels", 418201, "2018", "parent", parent.version,
                              PARENTS_2018.name, responses), pseudonym_key=KEY)


def _clean(con, parent):
    build_clean(con, study_id="demo-brussels", wave="2018", instrument=parent)
    return con.execute("SELECT * FROM clean.parent_responses ORDER BY response_id").df()


def test_types_and_consent(con, parent):
    responses = read_export(PARENTS_2018).responses
    _load(con, parent, responses)
    frame = _clean(con, parent)
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'parent_responses'").fetchall())
    assert types["kinderen"] == "DOUBLE"
    assert types["kent_S01"] == "BOOLEAN" and types["consent"] == "BOOLEAN"
    assert types["wijk"] == "VARCHAR" and types["drS01_BS1"] == "VARCHAR"
    assert types["submitted_at"] == "TIMESTAMP" and types["response_id"] == "BIGINT"
    consenting = [r for r in responses if r["consent"] == "Y"]
    assert len(frame) == len(consenting) < len(responses)
    assert frame["consent"].all()
    assert "opmerking" not in frame.columns  # free text stays in the raw layer
    assert "token" not in frame.columns
    first = next(r for r in consenting if r["submitdate"])
    row = frame.set_index("response_id").loc[int(first["id"])]
    assert row["wijk"] == first["wijk"]
    assert row["kent_S01"] == (first["kent[S01]"] == "Y")
    assert row["kinderen"] == float(first["kinderen"])
    assert str(row["submitted_at"]) == first["submitdate"]


def test_unticked_box_is_false_only_when_the_page_was_seen(con, parent):
    base = dict(read_export(PARENTS_2018).responses[0], consent="Y", submitdate="")
    seen = dict(base, id="1", lastpage="3", **{"kent[S01]": ""})
    unseen = dict(base, id="2", lastpage="2", **{"kent[S01]": ""})
    _load(con, parent, [seen, unseen])
    frame = _clean(con, parent).set_index("response_id")
    assert frame.loc[1, "kent_S01"] is False or frame.loc[1, "kent_S01"] == False  # noqa: E712
    assert frame.loc[2, "kent_S01"] is None or str(frame.loc[2, "kent_S01"]) in ("<NA>", "nan", "None")


def test_latest_version_wins_and_rerun_replaces(con, parent):
    responses = [dict(r) for r in read_export(PARENTS_2018).responses if r["consent"] == "Y"][:3]
    _load(con, parent, responses)
    assert len(_clean(con, parent)) == 3
    responses[0]["kinderen"] = "7"
    _load(con, parent, responses)
    frame = _clean(con, parent)
    assert len(frame) == 3
    assert frame.set_index("response_id").loc[int(responses[0]["id"]), "kinderen"] == 7.0


def test_tokens_become_keyed_pseudonyms(con, parent):
    responses = read_export(PARENTS_2018).responses
    _load(con, parent, responses)
    frame = _clean(con, parent).set_index("response_id")
    with_token = next(r for r in responses if r["token"] and r["consent"] == "Y")
    expected = pseudonym(KEY, "demo-brussels", with_token["token"], 418201, int(with_token["id"]))
    assert frame.loc[int(with_token["id"]), "respondent_id"] == expected
    assert frame["respondent_id"].is_unique
    assert pseudonym(b"other-key", "demo-brussels", with_token["token"], 0, 0) != expected
    # No token appears anywhere in the clean table.
    tokens = {r["token"] for r in responses if r["token"]}
    assert not tokens & set(frame.astype(str).to_numpy().ravel())


def test_pseudonym_of_a_panel_member_is_stable_across_waves():
    assert pseudonym(KEY, "s", "abc", 1, 10) == pseudonym(KEY, "s", "abc", 2, 99)
    assert pseudonym(KEY, "s", "", 1, 10) != pseudonym(KEY, "s", "", 2, 10)


def test_missing_values_say_why(con, parent):
    base = next(r for r in read_export(PARENTS_2018).responses if r["consent"] == "Y" and r["submitdate"])
    seen = dict(base, id="1", thuistaal="NL", kinderen="", **{
        "kent[S01]": "Y", "kent[S02]": "", "gebruik[S02]": "", "drS02[BS1]": "",
        "drS01[BS1]": "DK", "drS01[BS2]": "NA", "drS01[BR1]": ""})
    stopped = dict(base, id="2", submitdate="", lastpage="2")
    _load(con, parent, [seen, stopped])
    _clean(con, parent)
    kinds = {(r[0], r[1]): r[2] for r in con.execute(
        """SELECT response_id, variable, kind FROM (UNPIVOT clean.parent_missing
           ON COLUMNS(* EXCLUDE (study_id, wave, survey_id, response_id, respondent_id))
           INTO NAME variable VALUE kind)""").fetchall()}
    assert kinds[(1, "kinderen")] == "skipped"
    assert kinds[(1, "gebruik_S02")] == "not_shown" and kinds[(1, "drS02_BS1")] == "not_shown"
    assert kinds[(1, "drS01_BS1")] == "dont_know" and kinds[(1, "drS01_BS2")] == "not_applicable"
    assert kinds[(1, "drS01_BR1")] == "skipped"
    assert (1, "kent_S02") not in kinds  # an unticked box on a page the respondent saw is a "no"
    assert (1, "wijk") not in kinds
    assert kinds[(2, "kent_S01")] == "not_shown" and (2, "opmerking") not in kinds  # free text is not here
    assert (2, "wijk") not in kinds and kinds[(2, "nood_OPV")] == "not_shown"
    frame = _clean(con, parent).set_index("response_id")
    assert frame.loc[1, "drS01_BS1"] == "DK"  # the code stays; the missing table says what it means


def test_one_row_per_respondent_per_wave(con, parent):
    base = next(r for r in read_export(PARENTS_2018).responses if r["consent"] == "Y" and r["submitdate"])
    first = dict(base, id="1", token="tok-twice", submitdate="2018-06-05 10:00:00", wijk="W01")
    second = dict(base, id="2", token="tok-twice", submitdate="2018-06-09 10:00:00", wijk="W02")
    started = dict(base, id="3", token="tok-twice", submitdate="", lastpage="2")
    other = dict(base, id="4", token="someone-else")
    _load(con, parent, [first, second, started, other])
    frame = _clean(con, parent).set_index("response_id")
    assert sorted(frame.index) == [2, 4]  # the latest complete response of the repeated respondent
    assert frame.loc[2, "responses_by_respondent"] == 3 and frame.loc[4, "responses_by_respondent"] == 1
    assert con.execute("SELECT count(*) FROM raw.responses").fetchall()[0][0] == 4  # nothing lost
    assert {r[0] for r in con.execute("SELECT DISTINCT response_id FROM clean.parent_missing").fetchall()} == {2, 4}


def test_limesurvey_timings_are_kept_when_exported(con, parent):
    base = next(r for r in read_export(PARENTS_2018).responses if r["consent"] == "Y" and r["submitdate"])
    _load(con, parent, [dict(base, id="1", interviewtime="312.5"), dict(base, id="2", token="x2")])
    frame = _clean(con, parent).set_index("response_id")
    assert frame.loc[1, "interview_seconds"] == 312.5 and pd.isna(frame.loc[2, "interview_seconds"])


def test_a_wave_that_fails_leaves_the_table_as_it_was(con, parent):
    """A new wave's questionnaire may add columns; if its rows then fail to load, the columns are not added
    either (found by a SIGKILL between two ALTER TABLE statements in `make reliability`)."""
    _load(con, parent, read_export(PARENTS_2018).responses[:30])
    _clean(con, parent)
    before = con.execute("DESCRIBE clean.parent_responses").fetchall()
    later = load_study(DEMO_STUDY).instrument("parent", "2021")  # a service more: new columns
    export = read_export(PARENTS_2018)
    broken = [{**{col.name: "" for col in later.columns()}, **r, "kinderen": "many"} for r in export.responses[:5]]  # a number that is no number: the typed insert fails
    raw.append(con, raw.Batch("file", "demo-brussels", 421201, "2021", "parent", later.version, "later.csv", broken),
               pseudonym_key=KEY)
    with pytest.raises(CleanError, match="wave '2021'"):
        build_clean(con, study_id="demo-brussels", wave="2021", instrument=later)
    assert con.execute("DESCRIBE clean.parent_responses").fetchall() == before
    assert {c.variable for c in later.columns()} - {row[0] for row in before}  # it would have added columns
