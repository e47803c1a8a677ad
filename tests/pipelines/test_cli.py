"""pipelines/cli.py: every command has --help; bad input ends with a clear message and exit code 1."""

import shutil

import pytest
from typer.testing import CliRunner

from instruments.limesurvey_export import read_export
from instruments.study import DEMO_STUDY, STUDIES, load_study
from pipelines.cli import app
from tests.conftest import DEMO_EXPORTS, copy_run
from warehouse.connection import connect
from warehouse.paths import Locations
from warehouse.pseudonyms import pseudonym

runner = CliRunner()


@pytest.mark.parametrize("command", [[], ["demo"], ["run"], ["ingest"], ["purge"], ["generate-demo"]])
def test_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_version():
    from importlib.metadata import version

    from pipelines.version import code_version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output == f"toegang {version('toegang')} ({code_version()})\n"


def test_unknown_study(tmp_path):
    result = runner.invoke(app, ["run", "--study", "no-such-study", "--home", str(tmp_path)])
    assert result.exit_code == 1
    assert "no-such-study/study.yaml: no such study configuration" in result.output


def test_unknown_wave(tmp_path):
    result = runner.invoke(app, ["run", "--wave", "1999", "--home", str(tmp_path)])
    assert result.exit_code == 1
    assert "has no wave 1999" in result.output


def test_generate_demo_writes_eight_files(tmp_path):
    result = runner.invoke(app, ["generate-demo", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert len(list(tmp_path.glob("survey_*"))) == 8


def test_demo_command_runs_and_says_where_the_outputs_are(demo_command, tmp_path, monkeypatch):
    # The session's demo run is `toegang demo --home --site --build` (tests/conftest.py); what it printed is read
    # here, and the erasure below works on a copy of its folder.
    result, root = demo_command, demo_command.root
    assert result.exit_code == 0, result.output
    assert f"Warehouse:  {root / 'home' / DEMO_STUDY / 'toegang.duckdb'}" in result.output
    assert f"Dashboard:  {root / 'site' / DEMO_STUDY / 'index.html'}" in result.output
    assert (root / "site" / DEMO_STUDY / "en" / "index.html").is_file()
    assert len(list((root / "build" / "demo-brussels").glob("*.lss"))) == 4
    assert (demo_command.dagster_home / "dagster.yaml").is_file()  # runs are recorded for `dagster dev`

    # An erasure request by token: the respondent leaves the raw layer and the warehouse, and it is logged.
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    home = copy_run(root, tmp_path / "run") / "home"
    token = next(r["token"] for r in read_export(DEMO_EXPORTS / "survey_418201_2018_parent.csv").responses
                 if r["token"] and r["consent"] == "Y")
    respondent = pseudonym(load_study(DEMO_STUDY).demo_pseudonym_key.encode(), "demo-brussels", token, 0, 0)
    (tmp_path / "tokens.txt").write_text(token + "\n", encoding="utf-8")
    assert _rows(home, "SELECT count(*) FROM clean.parent_responses WHERE respondent_id = ?", respondent) == 1
    refused = runner.invoke(app, ["purge", "--home", str(home), "--reason", "r", "--operator", "o"])
    assert refused.exit_code == 1 and "choose one" in refused.output
    done = runner.invoke(app, ["purge", "--home", str(home), "--token-file", str(tmp_path / "tokens.txt"),
                               "--reason", "erasure request 12", "--operator", "data manager"])
    assert done.exit_code == 0, done.output
    assert "Logged in raw.purges" in done.output and token not in done.output
    assert _rows(home, "SELECT count(*) FROM clean.parent_responses WHERE respondent_id = ?", respondent) == 0
    assert _rows(home, "SELECT count(*) FROM raw.responses WHERE respondent_id = ?", respondent) == 0
    assert _rows(home, "SELECT count(*) FROM raw.purges WHERE reason = 'erasure request 12'") == 1


def _rows(home, sql, *params):
    with connect(Locations.of_study(DEMO_STUDY, home=home), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()[0][0]


def test_instruments_check_build_and_diff(tmp_path):
    checked = runner.invoke(app, ["instruments", "check"])
    assert checked.exit_code == 0 and "no problems" in checked.output
    built = runner.invoke(app, ["instruments", "build", "--out", str(tmp_path)])
    assert built.exit_code == 0
    assert len(list((tmp_path / "demo-brussels").glob("*.lss"))) == 4
    diffed = runner.invoke(app, ["instruments", "diff", "HEAD", "HEAD", "--wave", "2018", "--new-wave", "2021"])
    assert diffed.exit_code == 0, diffed.output
    assert "+ kent[S07] (added)" in diffed.output and "15 added, 0 removed, 12 changed" in diffed.output


def test_instruments_check_fails_on_a_broken_definition(tmp_path):
    shutil.copytree(STUDIES / DEMO_STUDY, tmp_path / DEMO_STUDY, ignore=shutil.ignore_patterns("data"))
    broken = tmp_path / DEMO_STUDY / "instruments" / "parent.yaml"
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("type: N\n", "type: Q\n", 1), encoding="utf-8")
    line = text[:text.index("code: kinderen")].count("\n") + 1
    subjects = tmp_path / DEMO_STUDY / "subjects.yaml"  # and a problem of the folder's files, in the same run
    subjects.write_text(subjects.read_text(encoding="utf-8").replace("code: S06", "code: S05"), encoding="utf-8")
    result = runner.invoke(app, ["instruments", "check", "--study", DEMO_STUDY, "--studies", str(tmp_path)])
    assert result.exit_code == 1
    assert f"parent.yaml:{line}: question 'kinderen': unknown question type 'Q'" in result.output
    assert "subjects.yaml:" in result.output and "subject S05: duplicate subject code" in result.output
    assert f"problem(s) in study {DEMO_STUDY}" in result.output
