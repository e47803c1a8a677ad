"""warehouse/purge.py: explicit, logged erasure from the raw layer and the warehouse, and files rewritten so
the erased values leave the disk."""

import pytest

from instruments.limesurvey_export import read_export
from instruments.study import DEMO_STUDY, load_study
from tests.conftest import DEMO_EXPORTS
from warehouse import purge, raw
from warehouse.clean import build_clean
from warehouse.connection import connect
from warehouse.pseudonyms import pseudonym

KEY = b"test-key"
STUDY = "demo-brussels"
PARENTS_2018 = DEMO_EXPORTS / "survey_418201_2018_parent.csv"


@pytest.fixture
def loaded(con):
    parent = load_study(DEMO_STUDY).instrument("parent", "2018")
    responses = [dict(r) for r in read_export(PARENTS_2018).responses]
    raw.append(con, raw.Batch("file", STUDY, 418201, "2018", "parent", parent.version, PARENTS_2018.name,
                              responses), pseudonym_key=KEY)
    responses.sort(key=lambda r: not r["token"])  # those with a token first
    edited = dict(responses[0], kinderen="7")  # a second version of a response
    raw.append(con, raw.Batch("file", STUDY, 418201, "2018", "parent", parent.version, "edit", [edited]),
               pseudonym_key=KEY)
    build_clean(con, study_id=STUDY, wave="2018", instrument=parent)
    return responses


def _count(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()[0][0]


def test_erasure_by_token_removes_every_version_everywhere_and_is_logged(con, loaded):
    person = loaded[0]
    respondent = pseudonym(KEY, STUDY, person["token"], 0, 0)
    assert _count(con, "SELECT count(*) FROM raw.responses WHERE respondent_id = ?", [respondent]) == 2
    assert _count(con, "SELECT count(*) FROM clean.parent_responses WHERE respondent_id = ?", [respondent]) == 1
    others = _count(con, "SELECT count(*) FROM raw.responses") - 2

    result = purge.erase_respondents(con, STUDY, key=KEY, tokens=[person["token"]], reason="request 2026-17",
                                     operator="data manager")

    assert (result.responses, result.versions) == (1, 2)
    assert result.warehouse_rows >= 2  # the clean row and its missing-value row
    assert _count(con, "SELECT count(*) FROM raw.responses WHERE respondent_id = ?", [respondent]) == 0
    assert _count(con, f"SELECT count(*) FROM {raw.answers_table(STUDY, 418201)} WHERE response_id = ?",
                  [int(person["id"])]) == 0
    assert _count(con, "SELECT count(*) FROM clean.parent_responses WHERE respondent_id = ?", [respondent]) == 0
    assert _count(con, "SELECT count(*) FROM raw.responses") == others  # nobody else is touched
    log = con.execute("SELECT kind, reason, operator, versions, subjects FROM raw.purges").fetchall()
    assert log == [("respondents", "request 2026-17", "data manager", 2, [respondent])]
    assert person["token"] not in str(log)


def test_erasure_by_response_id(con, loaded):
    person = loaded[5]
    result = purge.erase_respondents(con, STUDY, key=KEY, responses=[(418201, int(person["id"]))],
                                     reason="withdrawal", operator="dm")
    assert result.versions == 1
    assert _count(con, "SELECT count(*) FROM raw.responses WHERE response_id = ?", [int(person["id"])]) == 0


def test_a_purge_without_reason_or_subject_changes_nothing(con, loaded):
    before = _count(con, "SELECT count(*) FROM raw.responses")
    with pytest.raises(purge.PurgeError, match="reason"):
        purge.erase_respondents(con, STUDY, key=KEY, tokens=[loaded[0]["token"]], reason=" ", operator="dm")
    with pytest.raises(purge.PurgeError, match="none of the 1 respondents"):
        purge.erase_respondents(con, STUDY, key=KEY, respondent_ids=["0000"], reason="x", operator="dm")
    assert _count(con, "SELECT count(*) FROM raw.responses") == before
    assert _count(con, "SELECT count(*) FROM raw.purges") == 0


def test_retention_blanks_tokens_and_keeps_pseudonyms(con, loaded):
    pseudonyms_before = con.execute("SELECT respondent_id FROM raw.responses ORDER BY ALL").fetchall()
    with_token = sum(1 for r in loaded if r["token"]) + 1  # the edited version has one too
    result = purge.blank_contact_data(con, STUDY, "2018", reason="fieldwork closed", operator="dm")
    assert result.versions == with_token
    table = raw.answers_table(STUDY, 418201)
    assert _count(con, f"SELECT count(*) FROM {table} WHERE token <> ''") == 0
    assert con.execute("SELECT respondent_id FROM raw.responses ORDER BY ALL").fetchall() == pseudonyms_before


def test_non_consenting_responses_leave_the_raw_layer(con, loaded):
    declined = {int(r["id"]) for r in loaded if r["consent"] != "Y"}
    assert declined
    result = purge.erase_non_consenting(con, STUDY, "2018", reason="data management plan", operator="dm")
    assert result.responses == len(declined)
    stored = {row[0] for row in con.execute("SELECT response_id FROM raw.responses").fetchall()}
    assert not stored & declined and len(stored) == len(loaded) - len(declined)


@pytest.fixture
def uncompressed(con):
    con.execute("SET force_compression = 'uncompressed'")  # so the test can find a value's bytes in the file


def test_compacting_removes_erased_values_from_the_file(locations, uncompressed, loaded, con):
    person = loaded[0]
    marker = person["token"].encode()
    con.execute("CHECKPOINT raw")
    assert marker in locations.raw.read_bytes()  # the test can fail: the token is in the file
    purge.erase_respondents(con, STUDY, key=KEY, tokens=[person["token"]], reason="request", operator="dm")
    con.close()
    purge.compact_all(locations)
    assert marker not in locations.raw.read_bytes()
    with connect(locations) as again:
        assert _count(again, "SELECT count(*) FROM raw.purges") == 1
        assert _count(again, "SELECT count(*) FROM raw.responses") == len(loaded) - 1
