"""pipelines/cli.py: every command has --help; bad input ends with a clear message and exit code 1."""

import pytest
from typer.testing import CliRunner

from pipelines.cli import app

runner = CliRunner()


@pytest.mark.parametrize("command", [[], ["demo"], ["run"], ["generate-demo"]])
def test_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_unknown_study(tmp_path):
    result = runner.invoke(app, ["run", "--study", "no-such-study", "--home", str(tmp_path)])
    assert result.exit_code == 1
    assert "no-such-study.yaml: no such study configuration" in result.output


def test_unknown_wave(tmp_path):
    result = runner.invoke(app, ["run", "--wave", "1999", "--home", str(tmp_path)])
    assert result.exit_code == 1
    assert "has no wave 1999" in result.output


def test_generate_demo_writes_eight_files(tmp_path):
    result = runner.invoke(app, ["generate-demo", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert len(list(tmp_path.glob("survey_*"))) == 8


def test_demo_command_runs_and_says_where_the_outputs_are(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    result = runner.invoke(app, ["demo", "--home", str(tmp_path / "home"), "--site", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert f"Warehouse:  {tmp_path / 'home' / 'toegang.duckdb'}" in result.output
    assert f"Dashboard:  {tmp_path / 'site' / 'index.html'}" in result.output
    assert (tmp_path / "site" / "en" / "index.html").is_file()
    assert (tmp_path / "dagster" / "dagster.yaml").is_file()  # runs are recorded for `dagster dev`
