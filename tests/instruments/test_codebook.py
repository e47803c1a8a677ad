"""instruments/codebook.py: one row per exported column, equal to the demo exports, labels in three languages."""

import json

import pytest

from instruments.build import build_study
from instruments.codebook import rows
from instruments.limesurvey_export import META_COLUMNS, read_export
from instruments.study import DEMO_STUDY, load_study


@pytest.fixture(scope="module")
def study():
    return load_study(DEMO_STUDY)


def test_codebook_columns_equal_the_demo_exports(study):
    for survey in study.surveys:
        instrument = study.instrument(survey.instrument, survey.wave)
        exported = read_export(survey.export).columns
        assert tuple(META_COLUMNS) + tuple(r["column_name"] for r in rows(instrument)) == exported


def test_rows_carry_labels_answers_dimensions_and_mirrors(study):
    by_column = {r["column_name"]: r for r in rows(study.instrument("parent", "2021"))}
    wijk = by_column["wijk"]
    assert wijk["type"] == "L" and wijk["question_fr"] == "Dans quel quartier habitez-vous ?"
    assert [a["code"] for a in wijk["answers"]] == ["W01", "W02", "W03", "W04"]
    assert wijk["answers"][2]["fr"] == "Gare de l'Ouest"
    item = by_column["drS07[BT1]"]
    assert (item["dim_b"], item["dim_levesque"], item["polarity"]) == ("betaalbaar", "affordability", "-")
    assert item["mirror"] == "wdS07[BT1]" and item["service"] == "S07"
    assert item["item_en"] == "Costs (fees, travel) kept me from using it."
    assert "Groupe de parents du quartier" in item["question_fr"]
    assert item["relevance"] == '(consent == "Y" and kent_S07 == "Y")'
    assert [a["missing"] for a in item["answers"] if a["missing"]] == ["dont_know", "not_applicable"]
    assert by_column["kent[S01]"]["answers"][0]["code"] == "Y"
    assert by_column["kanalen[other]"]["free_text"] and by_column["kanalen[other]"]["item_nl"] == "Overige"
    assert by_column["steun[SLA]"]["theme"] == "sleep"
    assert all(r["instrument_version"] == study.instrument("parent", "2021").version for r in by_column.values())


def test_build_writes_lss_json_and_html(study, tmp_path):
    result = build_study(study, tmp_path)
    assert sorted(p.name for p in result.lss) == [
        "survey_418201_2018_parent.lss", "survey_418202_2018_field_actor.lss",
        "survey_421201_2021_parent.lss", "survey_421202_2021_field_actor.lss"]
    document = json.loads(result.codebook_json.read_text(encoding="utf-8"))
    assert len(document["columns"]) == sum(len(i.columns()) for i in result.instruments)
    page = (tmp_path / "demo-brussels" / "codebook.fr.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in page and "Livre de codes" in page
    assert "<code>drS01[BS1]</code>" in page and "Gare de l&#x27;Ouest" in page
