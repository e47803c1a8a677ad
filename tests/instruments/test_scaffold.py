"""instruments/scaffold.py: a new study from another, and a new wave; both keep the YAML's comments and
refuse, leaving the files as they were, what would not load."""

import pytest

from instruments.model import InstrumentError
from instruments.scaffold import add_wave, new_study
from instruments.study import DEMO_STUDY, check_study, load_study


def test_a_new_study_is_the_template_without_its_responses_or_demo_key(tmp_path):
    folder = new_study("family-hubs", DEMO_STUDY, tmp_path)
    assert folder == tmp_path / "family-hubs" and not (folder / "data").exists()
    assert {p.name for p in folder.iterdir()} >= {"study.yaml", "instruments", "subjects.yaml", "indicators.yaml",
                                                  "publication.yaml", "margins_2018.csv"}
    study = load_study("family-hubs", tmp_path)
    assert study.study_id == "family-hubs" and study.demo_pseudonym_key is None and check_study(study) == []
    assert "# The bundled demo study" in (folder / "study.yaml").read_text(encoding="utf-8")  # comments kept
    with pytest.raises(InstrumentError, match="already exists"):
        new_study("family-hubs", DEMO_STUDY, tmp_path)
    with pytest.raises(InstrumentError, match="no study 'nothing'"):
        new_study("other", "nothing", tmp_path)
    with pytest.raises(InstrumentError, match="invalid study id"):
        new_study("../escape", DEMO_STUDY, tmp_path)


def test_a_new_wave_repeats_the_surveys_and_subjects_of_another(tmp_path):
    new_study("family-hubs", DEMO_STUDY, tmp_path)
    added = add_wave("family-hubs", "2027", "2021", tmp_path)
    study = added.study
    assert study.waves == ["2018", "2021", "2027"] and added.surveys == [421203, 421204]
    new = study.surveys_in("2027")
    assert [(s.survey_id, s.instrument, s.margins.name if s.margins else None) for s in new] == [
        (421203, "parent", "margins_2021.csv"), (421204, "field_actor", None)]
    assert all(s.export.name == f"survey_{s.survey_id}_2027_{s.instrument}.json" for s in new)
    # S07 opened in 2021: it exists in 2027 too; the others as well.
    assert sorted(study.subjects("services", "2027")) == ["S01", "S02", "S03", "S04", "S05", "S06", "S07"]
    assert check_study(study) == []
    assert "# Opened after the 2020-21 Molenbeek workshops" in (study.path / "subjects.yaml").read_text("utf-8")
    before = {p: p.read_bytes() for p in (study.file, study.path / "subjects.yaml")}
    for wave, like, message in (("2027", "2021", "already has wave '2027'"), ("2030", "1999", "no wave '1999'"),
                                ("20/30", "2021", "must be letters")):
        with pytest.raises(InstrumentError, match=message):
            add_wave("family-hubs", wave, like, tmp_path)
    assert {p: p.read_bytes() for p in before} == before
