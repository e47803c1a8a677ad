"""pipelines/deploy.py: the compiled .lss imports into the test server as the same questionnaire, the
survey is activated with participants, and a new survey id is written back to the study's study.yaml."""

import pytest

from instruments.drift import structure_drift
from instruments.model import InstrumentError
from instruments.study import load_study
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


# --- panels keep their tokens: a token column, or the tokens of an earlier survey (issue 21) ------------------

EARLIER = 418100  # a survey of an earlier wave, already on the server with its participants
PEOPLE = [{"firstname": "Anna", "lastname": "Jansen", "email": "anna@example.invalid", "language": "nl",
           "token": "panelanna0001", "attribute_1": "W01"},
          {"firstname": "Benoît", "lastname": "Dupont", "email": "Benoit.Dupont@example.invalid", "language": "fr",
           "token": "panel-benoit_2", "attribute_1": "W03"},
          {"firstname": "Chris", "lastname": "Smith", "email": "chris@example.invalid", "language": "en",
           "token": "panelchris0003"}]


def _earlier(server, study):
    server.add_survey(EARLIER, study.instrument("parent", "2018"))
    server.add_participant_table(EARLIER, [1])
    server.rpc_add_participants(None, EARLIER, [dict(p) for p in PEOPLE], False)


def _deploy(server, study, *options):
    from typer.testing import CliRunner

    from pipelines.cli import app

    env = {"LIMESURVEY_URL": server.url, "LIMESURVEY_USERNAME": "admin", "LIMESURVEY_PASSWORD": PASSWORD,
           "TOEGANG_STUDIES": str(study.path.parent), "TOEGANG_DEBUG": ""}
    return CliRunner().invoke(app, ["instruments", "deploy", "--study", "deploy-study", "--survey-id", "418201",
                                    *options], env=env)


def _nothing_personal(text):
    words = [p[k] for p in PEOPLE for k in ("firstname", "lastname", "email", "token")]
    return not [w for w in words if w.lower() in text.lower()] and "@" not in text


def test_a_token_column_keeps_each_participant_s_own_token(server, study, tmp_path):
    people = tmp_path / "panel.csv"
    people.write_text("firstname,lastname,email,language,token,attribute_1\n" + "".join(
        f"{p['firstname']},{p['lastname']},{p['email']},{p['language']},{p['token']},{p.get('attribute_1', '')}\n"
        for p in PEOPLE), encoding="utf-8")
    result = _deploy(server, study, "--participants", str(people))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "survey 418201 imported and activated; 3 participants added with their own tokens"
    held = server.surveys[418201].participants
    assert [p["token"] for p in held] == [p["token"] for p in PEOPLE]
    assert [p["attribute_1"] for p in held] == ["W01", "W03", None]  # the table got the file's attribute column
    assert [params[3] for params in server.method_calls("add_participants")] == [False]  # create_token false


@pytest.mark.parametrize("rows, problem", [
    (["a@x.invalid,tok1", "b@x.invalid,"], "line 3: no token, while 1 rows have one"),
    (["a@x.invalid,tok1", "b@x.invalid,tok2", "c@x.invalid,tok1"], "line 4: the same token as line 2"),
    (["a@x.invalid," + "t" * 36], "line 2: the token has 36 characters"),
    (["a@x.invalid,tok 1", "b@x.invalid,tök2"], "line 3: the token has a character LimeSurvey does not take"),
])
def test_a_token_file_limesurvey_would_not_take_is_refused_naming_file_and_line(tmp_path, rows, problem):
    path = tmp_path / "tokens.csv"
    path.write_text("email,token\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InstrumentError) as refused:
        read_participants(path)
    assert f"{path}, {problem}" in str(refused.value)
    tokens = [row.split(",")[1] for row in rows if row.split(",")[1]]
    assert not [t for t in tokens if t in str(refused.value)]  # lines named, tokens never
    path.write_text("email,token\na@x.invalid,\nb@x.invalid,\n", encoding="utf-8")
    assert read_participants(path) == [{"email": "a@x.invalid"}, {"email": "b@x.invalid"}]  # an empty column: none


def test_reuse_tokens_from_an_earlier_survey_keeps_every_token(server, study):
    _earlier(server, study)
    result = _deploy(server, study, "--reuse-tokens-from", str(EARLIER))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (f"survey 418201 imported and activated; 3 participants added: 3 kept their "
                                     f"token of survey {EARLIER}, 0 with a new token")
    assert _nothing_personal(result.output)
    held = {p["token"]: p for p in server.surveys[418201].participants}
    assert set(held) == {p["token"] for p in PEOPLE}
    for person in PEOPLE:  # e-mail, names, language and the attribute column come along with the token
        assert {k: held[person["token"]][k] for k in person} == {**person}
    assert server.surveys[418201].attributes == ("attribute_1",)


def test_reuse_tokens_with_a_participants_file_matches_by_e_mail(server, study, tmp_path):
    _earlier(server, study)
    people = tmp_path / "wave2.csv"  # Benoît's address in other case and with spaces; Dana is new; Chris left
    people.write_text("firstname,lastname,email,language\nAnna,Jansen,anna@example.invalid,nl\n"
                      "Benoît,Dupont, benoit.dupont@EXAMPLE.invalid ,fr\nDana,Peeters,dana@example.invalid,nl\n",
                      encoding="utf-8")
    result = _deploy(server, study, "--participants", str(people), "--reuse-tokens-from", str(EARLIER))
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(f"3 participants added: 2 kept their token of survey {EARLIER}, 1 with a "
                                          "new token")
    assert _nothing_personal(result.output) and "dana" not in result.output.lower()
    held = {p["firstname"]: p["token"] for p in server.surveys[418201].participants}
    assert (held["Anna"], held["Benoît"]) == (PEOPLE[0]["token"], PEOPLE[1]["token"])
    assert held["Dana"] and held["Dana"] not in {p["token"] for p in PEOPLE}  # made by LimeSurvey
    assert [params[3] for params in server.method_calls("add_participants")] == [False, True]  # kept, then new


def test_reuse_tokens_refusals_write_nothing(server, study, tmp_path):
    _earlier(server, study)
    tokens = tmp_path / "tokens.csv"
    tokens.write_text("email,token\nanna@example.invalid,other1\n", encoding="utf-8")
    both = _deploy(server, study, "--participants", str(tokens), "--reuse-tokens-from", str(EARLIER))
    assert both.exit_code == 1 and "give tokens in the file or take them from survey" in both.output
    server.add_survey(418150, study.instrument("parent", "2018"))
    server.add_participant_table(418150)
    empty = _deploy(server, study, "--reuse-tokens-from", "418150")
    assert empty.exit_code == 1 and "survey 418150 has no participants: no tokens to reuse" in empty.output
    missing = _deploy(server, study, "--reuse-tokens-from", "999999")
    assert missing.exit_code == 1 and "LimeSurvey list_participants (survey 999999): Error: Invalid survey ID" in \
        missing.output
    assert 418201 not in server.surveys and not server.method_calls("import_survey")  # refused before any write
    twice = tmp_path / "twice.csv"
    twice.write_text("email\nanna@example.invalid\nANNA@example.invalid\n", encoding="utf-8")
    matched = _deploy(server, study, "--participants", str(twice), "--reuse-tokens-from", str(EARLIER))
    assert matched.exit_code == 1 and "line 3: the same earlier participant as line 2" in matched.output
    assert "Traceback" not in matched.output + missing.output
