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
           "token": "panel~benoit_2", "attribute_1": "W03"},
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
    (["a@x.invalid," + "t" * 37], "line 2: the token has 37 characters"),
    (["a@x.invalid,tok 1", "b@x.invalid,tök2"], "line 3: the token has a character LimeSurvey would drop"),
    (["a@x.invalid,tok_1", "b@x.invalid,tok-2"], "line 3: the token has a character LimeSurvey would drop"),
    (["a@x.invalid,tok~1", "b@x.invalid,tok.2"], "line 3: the token has a character LimeSurvey would drop"),
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


def test_every_token_limesurvey_keeps_unchanged_is_taken_and_kept(server, study, tmp_path):
    """Token::rules() of 6.4.2: at most 36 characters of [0-9a-zA-Z_~] pass sanitizeToken unchanged."""
    tokens = ["t" * 36, "a~b_C9", "Z", "0123456789_~abcXYZ"]
    path = tmp_path / "tokens.csv"
    path.write_text("email,token\n" + "".join(f"p{i}@x.invalid,{t}\n" for i, t in enumerate(tokens)),
                    encoding="utf-8")
    rows = read_participants(path)
    assert [row["token"] for row in rows] == tokens
    with _resource(server).open() as connection:
        deploy_survey(connection, study, 418201, rows)
    assert [p["token"] for p in server.surveys[418201].participants] == tokens


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


def test_reuse_tokens_keeps_an_opt_out_so_nobody_who_opted_out_is_invited_again(server, study, tmp_path):
    """Benoît opted out of the earlier survey and Chris is blacklisted there: both keep their token, and their
    e-mail status and blacklist flag come along, so the new survey's invitation (its dry run and LimeSurvey) leaves
    Benoît out; the counts say so."""
    from pipelines.limesurvey import ServerSettings
    from pipelines.mailing import mail
    from warehouse.paths import Locations

    _earlier(server, study)
    before = server.surveys[EARLIER].participants
    before[1]["emailstatus"], before[2]["emailstatus"], before[2]["blacklisted"] = "OptOut", "bounced", "Y"
    result = _deploy(server, study, "--reuse-tokens-from", str(EARLIER))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (f"survey 418201 imported and activated; 3 participants added: 3 kept their "
                                     f"token of survey {EARLIER} (1 opted out and 1 with another e-mail status than "
                                     "OK there, kept: LimeSurvey will not mail them), 0 with a new token")
    held = {p["token"]: p for p in server.surveys[418201].participants}
    assert [(held[p["token"]]["emailstatus"], held[p["token"]]["blacklisted"]) for p in PEOPLE] == \
        [("OK", None), ("OptOut", None), ("bounced", "Y")]
    locations = Locations.of_study("deploy-study", environ={}, home=tmp_path / "home")
    settings = ServerSettings(server.url, "admin", PASSWORD, retries=0)
    dry = mail(study, 418201, "invite", locations=locations, server=settings, dry_run=True, now=server.now)
    assert [c.tid for c in dry.due] == [1]
    mail(study, 418201, "invite", locations=locations, server=settings, dry_run=False, now=server.now)
    assert [p["sent"] != "N" for p in server.surveys[418201].participants] == [True, False, False]
    # Matched by e-mail from a participants file: the same.
    server.surveys.pop(418201)
    people = tmp_path / "wave2.csv"
    people.write_text("email\nbenoit.dupont@example.invalid\ndana@example.invalid\n", encoding="utf-8")
    again = _deploy(server, study, "--participants", str(people), "--reuse-tokens-from", str(EARLIER))
    assert again.exit_code == 0, again.output
    assert again.output.strip().endswith(f"1 kept their token of survey {EARLIER} (1 opted out there, kept: LimeSurvey "
                                         "will not mail them), 1 with a new token")
    assert [p["emailstatus"] for p in server.surveys[418201].participants] == ["OptOut", "OK"]


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


def test_a_panel_deployed_twice_keeps_its_tokens_and_its_pseudonyms_link_the_two_waves(server, tmp_path):
    """Issue 21: wave 1 deployed with tokens LimeSurvey makes; wave 2 deployed from a new participants file with
    --reuse-tokens-from wave 1. Respondents answer with their tokens; both waves are ingested from the server and
    cleaned; the same person has one respondent_id in both waves, and different persons different ones."""
    from typer.testing import CliRunner

    from instruments.limesurvey_export import read_export
    from pipelines.cli import app
    from pipelines.limesurvey import ServerSettings
    from pipelines.stages.clean import clean_wave
    from pipelines.stages.ingest import load_wave
    from warehouse.connection import connect
    from warehouse.paths import Locations
    from warehouse.pseudonyms import pseudonym

    first, second, key = 418201, 421201, "panel-test-key"
    studies = write_study(tmp_path / "studies", "panel-study", [
        {"survey_id": first, "instrument": "parent", "wave": "2018"},
        {"survey_id": second, "instrument": "parent", "wave": "2021"}])
    study = load_study("panel-study", studies)
    env = {"LIMESURVEY_URL": server.url, "LIMESURVEY_USERNAME": "admin", "LIMESURVEY_PASSWORD": PASSWORD,
           "TOEGANG_STUDIES": str(studies), "TOEGANG_DEBUG": ""}

    def deploy(*options):
        result = CliRunner().invoke(app, ["instruments", "deploy", "--study", "panel-study", *options], env=env)
        assert result.exit_code == 0, result.output
        assert "@" not in result.output and not [t for t in tokens.values() if t in result.output]
        return result.output

    def people_file(name, people):
        path = tmp_path / name
        path.write_text("firstname,lastname,email,language\n" + "".join(
            f"{p},{p}son,{email},nl\n" for p, email in people), encoding="utf-8")
        return str(path)

    tokens: dict[str, str] = {}
    deploy("--survey-id", str(first), "--participants",
           people_file("wave1.csv", [(p, f"{p}@example.invalid") for p in ("p1", "p2", "p3", "p4", "p5")]))
    held = server.surveys[first].participants
    tokens.update({p["firstname"]: p["token"] for p in held})
    # Wave 2: p1's address now in capitals, p4 left the panel, p6 joins.
    wave2 = [("p1", " P1@EXAMPLE.invalid"), ("p2", "p2@example.invalid"), ("p3", "p3@example.invalid"),
             ("p5", "p5@example.invalid"), ("p6", "p6@example.invalid")]
    out = deploy("--survey-id", str(second), "--participants", people_file("wave2.csv", wave2),
                 "--reuse-tokens-from", str(first))
    assert out.strip().endswith(f"5 participants added: 4 kept their token of survey {first}, 1 with a new token")
    tokens2 = {p["firstname"]: p["token"] for p in server.surveys[second].participants}
    assert {p: tokens2[p] for p in ("p1", "p2", "p3", "p5")} == {p: tokens[p] for p in ("p1", "p2", "p3", "p5")}
    assert tokens2["p6"] not in tokens.values()

    answered = {}  # (survey, response id) -> person
    for survey, wave, persons, wave_tokens in ((first, "2018", ("p1", "p2", "p3", "p4"), tokens),
                                               (second, "2021", ("p1", "p2", "p5", "p6"), tokens2)):
        export = next(s.export for s in load_study("demo-brussels").surveys_in(wave) if s.instrument == "parent")
        rows = [r for r in read_export(export).responses if r["consent"] == "Y" and r["submitdate"]]
        for person, row in zip(persons, rows):
            response = server.respond(survey, row, token=wave_tokens[person])
            answered[(survey, int(response["id"]))] = person

    locations = Locations.of_study("panel-study", environ={}, home=tmp_path / "home")
    settings = ServerSettings(server.url, "admin", PASSWORD, retries=0)
    with connect(locations) as con:
        for wave in ("2018", "2021"):
            load_wave(con, study, wave, locations=locations, pseudonym_key=lambda: key.encode(),
                      log=lambda level, text: None, limesurvey=settings)
            clean_wave(con, study, wave, "parent")
        raw = con.execute("SELECT survey_id, response_id, respondent_id FROM raw.responses").fetchall()
        clean = con.execute("SELECT wave, survey_id, response_id, respondent_id FROM clean.parent_responses"
                            ).fetchall()
        cleaned = str(con.execute("SELECT * FROM clean.parent_responses").fetchall())
    ids: dict[str, set[str]] = {}
    for survey, response_id, respondent in raw:
        ids.setdefault(answered[(survey, response_id)], set()).add(respondent)
    assert sorted(ids) == ["p1", "p2", "p3", "p4", "p5", "p6"] and all(len(found) == 1 for found in ids.values())
    one = {person: found.pop() for person, found in ids.items()}
    assert len(set(one.values())) == 6  # different persons, different pseudonyms
    assert one["p1"] == pseudonym(key.encode(), "panel-study", tokens["p1"], first, 1)  # the token's, not the survey's
    by_wave = {w: {r for wave, _, _, r in clean if wave == w} for w in ("2018", "2021")}
    assert by_wave["2018"] & by_wave["2021"] == {one["p1"], one["p2"]}  # the two who answered both waves
    assert {answered[(s, r)] for _, s, r, _ in clean} == {"p1", "p2", "p3", "p4", "p5", "p6"}
    assert not [t for t in tokens2.values() if t in cleaned]  # the clean tables hold pseudonyms, no token
