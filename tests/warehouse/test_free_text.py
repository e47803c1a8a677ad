"""warehouse/free_text.py: free text stays unquotable until a person has reviewed and redacted it, and an
edited answer needs a new review."""

import pandas as pd
import pytest

from instruments.limesurvey_export import read_export
from tests.conftest import DEMO_EXPORTS
from warehouse import free_text, raw

PARENTS_2018 = DEMO_EXPORTS / "survey_418201_2018_parent.csv"
STUDY = "demo-brussels"


def _load(con, responses):
    raw.append(con, raw.Batch("file", STUDY, 418201, "2018", "parent", "v1", PARENTS_2018.name, responses),
               pseudonym_key=b"k")


def test_only_reviewed_redacted_text_is_quotable(con):
    responses = [dict(r) for r in read_export(PARENTS_2018).responses[:30]]
    responses[0]["opmerking"] = "Mevrouw Janssens van de Kaai hielp mij"
    responses[1]["opmerking"] = "Te weinig plaats"
    _load(con, responses)
    sheet = free_text.pending(con, STUDY, "2018", "parent", ["opmerking"])
    written = {r["opmerking"] for r in responses if r["opmerking"].strip()}
    assert set(sheet["text"]) == written and (sheet["status"] == "").all()
    assert free_text.quotable(con, STUDY, "2018", "parent", ["opmerking"]).empty  # nothing reviewed yet

    sheet.loc[sheet["text"] == responses[0]["opmerking"], ["status", "redacted_text"]] = ["quotable", "[naam] hielp mij"]
    sheet.loc[sheet["text"] == responses[1]["opmerking"], "status"] = "not_quotable"
    assert free_text.record_reviews(con, STUDY, sheet, "reviewer A") == 2
    quotes = free_text.quotable(con, STUDY, "2018", "parent", ["opmerking"])
    assert quotes["redacted_text"].tolist() == ["[naam] hielp mij"]
    assert "Janssens" not in quotes.to_string()
    answered = sum(1 for r in responses if r["opmerking"].strip())
    assert len(free_text.pending(con, STUDY, "2018", "parent", ["opmerking"])) == answered - 2

    responses[0]["opmerking"] = "Mevrouw Janssens hielp mij niet meer"  # edited in LimeSurvey: a new version
    _load(con, responses)
    assert free_text.quotable(con, STUDY, "2018", "parent", ["opmerking"]).empty
    assert responses[0]["opmerking"] in set(free_text.pending(con, STUDY, "2018", "parent", ["opmerking"])["text"])


def test_a_bad_review_sheet_records_nothing(con):
    responses = [dict(r, opmerking=f"tekst {i}") for i, r in enumerate(read_export(PARENTS_2018).responses[:3])]
    _load(con, responses)
    sheet = free_text.pending(con, STUDY, "2018", "parent", ["opmerking"])
    sheet["status"] = ["quotable", "quotable", "maybe"]
    sheet["redacted_text"] = ["a", "b", ""]
    with pytest.raises(free_text.ReviewError, match="row 4: status 'maybe'"):
        free_text.record_reviews(con, STUDY, sheet, "reviewer A", origin="sheet.csv")
    sheet["status"] = ["quotable", "quotable", "quotable"]
    with pytest.raises(free_text.ReviewError, match="row 4: a quotable answer needs its redacted text"):
        free_text.record_reviews(con, STUDY, sheet, "reviewer A", origin="sheet.csv")
    assert con.execute("SELECT count(*) FROM raw.free_text_reviews").fetchall()[0][0] == 0
    with pytest.raises(free_text.ReviewError, match="missing column"):
        free_text.record_reviews(con, STUDY, pd.DataFrame({"status": ["quotable"]}), "reviewer A")
