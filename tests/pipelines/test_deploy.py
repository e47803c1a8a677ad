"""pipelines/deploy.py: the compiled .lss imports into the test server as the same questionnaire, the
survey is activated with participants, and a new survey id is written back to the study's study.yaml."""

import shutil

import pytest
import yaml

from instruments.drift import structure_drift
from instruments.model import InstrumentError
from instruments.study import DEMO_STUDY, load_study
from pipelines.deploy import deploy_survey, read_participants
from pipelines.resources.limesurvey import LimeSurveyResource
from benchmarks.harness.limesurvey_server import LimeSurveyTestServer
from benchmarks.harness.studies import write_study

PASSWORD = "deploy-test-password"


@pytest.fixture
def server():
    srv = LimeSurveyTestServer(password=PASSWORD).start()
    yield srv
    srv.stop()


@pytest.fixture
def study(tmp_path):
    folder = write_study(tmp_path / "studies", "deploy-study",
                         [{"survey_id": 418201, "instrument": "parent", "wave": "2018"}])
    path = folder / "deploy-study" / "study.yaml"
    path.write_text("# kept comment\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return load_study("deploy-study", folder)


def _resource(server):
    return LimeSurveyResource(url=server.url, username="admin", password=PASSWORD, retries=0)


def test_deploy_imports_activates_and_adds_participants(server, study, tmp_path):
    people = tmp_path / "participants.csv"
    people.write_text("firstname,lastname,email,language,attribute_1\nAnna,Jansen,anna@example.invalid,nl,W01\n"
                      "Benoît,Dupont,benoit@example.invalid,fr,W03\n", encoding="utf-8")
    with _resource(server).open() as connection:
        done = deploy_survey(connection, study, 418201, read_participants(people))
        structure = connection.structure(418201)
    assert (done.survey_id, done.participants_added) == (418201, 2)
    assert server.surveys[418201].active
    assert all(p["token"] for p in server.surveys[418201].participants)
    # What the server now holds is exactly the questionnaire of the codebook.
    assert structure_drift(study.instrument("parent", "2018"), structure) == []


def test_a_taken_survey_id_is_replaced_and_recorded(server, study):
    server.add_survey(418201, study.instrument("parent", "2018"))
    with _resource(server).open() as connection:
        done = deploy_survey(connection, study, 418201)
    assert done.survey_id != 418201
    text = study.file.read_text(encoding="utf-8")
    assert f"survey_id: {done.survey_id}" in text and "# kept comment" in text
    assert load_study("deploy-study", study.path.parent).surveys[0].survey_id == done.survey_id


def test_participants_file_is_checked(tmp_path):
    bad = tmp_path / "people.csv"
    bad.write_text("name,mail\nA,a@x\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match="unknown: name, mail"):
        read_participants(bad)
