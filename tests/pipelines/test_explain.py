"""`toegang explain` (warehouse/explain.py): a published cell traced to its loads, responses, versions and formula;
a withheld cell explained by its rule without its size or value; bad input refused in one line; and, after a
margins edit and a run of that wave, the new margins version."""

import re
import shutil

import dagster as dg
import pytest
from typer.testing import CliRunner

from instruments.study import DEMO_STUDY, STUDIES, load_study
from pipelines.cli import app
from pipelines.runner import run_study
from tests.conftest import copy_run, run_locations
from warehouse.connection import connect
from warehouse.indicators import file_version

runner = CliRunner()


def _explain(root, *args, env=None):
    return runner.invoke(app, ["explain", *args, "--study", DEMO_STUDY, "--home", str(root / "home")], env=env)


def _records(root, sql, params=()):
    with connect(run_locations(root), read_only=True) as con:
        cursor = con.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, values)) for values in cursor.fetchall()]


def _cell(root, wave, indicator, breakdown="all", domain="all"):
    return _records(root, "SELECT * FROM indicators.indicators WHERE wave = ? AND indicator = ? AND breakdown = ? "
                          "AND domain = ?", [wave, indicator, breakdown, domain])[0]


def _shown(output, label):
    """The number printed after ``label:`` at the start of a line."""
    return float(re.search(rf"^\s+{label}:\s+([-0-9.e+]+)", output, re.M).group(1))


def test_a_published_cell_is_traced_to_its_data(demo_root):
    result = _explain(demo_root, "awareness_rate.S01", "--wave", "2018")
    assert result.exit_code == 0, result.output
    out = result.output
    row = _cell(demo_root, "2018", "awareness_rate.S01")
    assert not row["suppressed"] and row["estimate"] is not None
    for label, column in (("value", "estimate"), ("SE", "se")):
        assert _shown(out, label) == pytest.approx(row[column], rel=1e-5)
    assert f"95% CI:     {row['ci_low']:.6g} to {row['ci_high']:.6g}" in out
    assert f"n:          {row['n']} respondents" in out and f"ci_method:  {row['ci_method']}:" in out
    loads = _records(demo_root, "SELECT load_id, instrument, instrument_version FROM raw.loads WHERE wave = '2018'")
    for load in loads:  # the parent's load behind the cell; the field actors' is another instrument's
        assert (load["load_id"] in out) == (load["instrument"] == "parent")
    study = load_study(DEMO_STUDY)
    version = study.instrument("parent", "2018").version
    assert {v["instrument_version"] for v in loads if v["instrument"] == "parent"} == {version}
    assert f"instrument parent: {version} (loads); the study folder's is the same" in out
    margins = file_version(STUDIES / DEMO_STUDY / "margins_2018.csv")
    assert row["margins_version"] == margins
    assert f"margins_2018.csv version {margins}; the same as the study folder's" in out
    assert f"code: {row['code_version']} (recorded on the row)" in out
    # Who is counted and among whom, in the catalogue's English, the subject named.
    assert "numerator:   Parents who know Child health clinic\n" in out
    assert "denominator: Parents who answered the question whether they know Child health clinic\n" in out
    assert "item:        kent[S01], counted: Y" in out and "Taylor linearisation, calibration-aware" in out
    diagnostics = _records(demo_root, "SELECT n, sweeps FROM weighted.weighting_diagnostics WHERE wave = '2018'")[0]
    assert f"base:        {diagnostics['n']} respondents" in out
    assert f"convergence: {diagnostics['sweeps']} raking sweeps" in out
    flagged = _records(demo_root, "SELECT flagged FROM meta.quality_report WHERE wave = '2018' AND instrument = "
                                  "'parent' AND flag = 'incomplete'")[0]["flagged"]
    assert f"incomplete {flagged}," in out


def _gated(root, indicator: str, wave: str) -> None:
    """Withhold an index of the run in ``root`` as the index gate does (the demo's scales are all reliable): its
    scale's alpha below the minimum, the row's statistics gone, its n kept."""
    with connect(run_locations(root)) as con:
        con.execute("UPDATE indicators.indicators SET suppressed = true, reason = 'alpha_below_0.7', estimate = NULL, "
                    "se = NULL, ci_low = NULL, ci_high = NULL WHERE wave = ? AND indicator = ? AND breakdown = 'all'",
                    [wave, indicator])
        con.execute("UPDATE indicators.reliability SET alpha = 0.55 FROM (SELECT service, dimension FROM "
                    "indicators.indicators WHERE wave = ? AND indicator = ? AND breakdown = 'all') AS cell WHERE "
                    "reliability.wave = ? AND reliability.service = cell.service AND reliability.dimension = "
                    "cell.dimension", [wave, indicator, wave])


def test_a_withheld_cell_gives_its_rule_not_its_size_or_value(demo_root, tmp_path):
    # The index gate withholds a cell whose row still stores n: the command must not print it.
    root = copy_run(demo_root, tmp_path / "run")
    indicator = _records(root, "SELECT indicator FROM indicators.indicators WHERE wave = '2021' AND measure = "
                               "'access_index' AND unit = 'index' AND breakdown = 'all' ORDER BY indicator")[0]
    _gated(root, indicator["indicator"], "2021")
    row = _records(root, "SELECT * FROM indicators.indicators WHERE wave = '2021' AND reason = "
                         "'alpha_below_0.7' AND breakdown = 'all' AND n IS NOT NULL ORDER BY indicator")[0]
    hidden = _records(root, "SELECT estimate FROM indicators.disclosure_basis WHERE wave = '2021' AND "
                            "indicator = ? AND breakdown = 'all'", [row["indicator"]])[0]["estimate"]
    assert hidden is not None
    result = _explain(root, row["indicator"], "--wave", "2021")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "decision:   withheld" in out and "publication.yaml min_alpha = 0.7" in out
    cell, responses = out.split("\n\n")[1:3]  # the sections about the cell itself; the rest is the wave's
    assert not re.search(rf"(?<![\w.]){row['n']}(?![\w.])", cell + responses), cell + responses
    assert "not shown" in responses and "value:" not in out
    assert f"{hidden:.6g}" not in out and f"{hidden:.3f}" not in out
    # An index's universe names its dimension, in the framework's English words.
    words = {d.code: d.words["en"] for d in load_study(DEMO_STUDY).framework.dimensions}[row["dimension"]]
    (among,) = [line for line in out.splitlines() if line.lstrip().startswith("denominator: ")]
    assert f" on '{words}'" in among and "{" not in among, among

    small = _records(demo_root, "SELECT indicator, breakdown, domain FROM indicators.indicators WHERE wave = '2021' "
                                "AND reason = 'primary' AND breakdown <> 'all' ORDER BY ALL")[0]
    result = _explain(demo_root, small["indicator"], "--wave", "2021", "--breakdown", small["breakdown"],
                      "--domain", small["domain"])
    assert result.exit_code == 0, result.output
    assert "rule:       primary small-cell suppression" in result.output
    assert "publication.yaml min_cell = 10 respondents" in result.output and "\n  n: " not in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["no_such_measure.S01", "--wave", "2018"], "error: no indicator 'no_such_measure.S01' in wave 2018; "
                                                "indicators: access_index.S01."),
    (["awareness_rate.S99", "--wave", "2018"], "indicators: awareness_rate.S01, awareness_rate.S02"),
    (["awareness_rate.S01", "--wave", "1999"], "has no wave '1999' (its waves: 2018, 2021)"),
    (["awareness_rate.S01", "--wave", "2018", "--breakdown", "shoe_size", "--domain", "42"],
     "has no breakdown 'shoe_size'; its breakdowns: all, channel"),
    (["awareness_rate.S01", "--wave", "2018", "--breakdown", "language", "--domain", "xx"],
     "has no category 'xx'; its categories: en, fr, nl"),
])
def test_bad_input_is_refused_in_one_line(demo_root, args, message):
    result = _explain(demo_root, *args)
    assert result.exit_code == 1
    assert message in result.output and result.output.count("\n") == 1, result.output


def test_no_warehouse_yet(tmp_path):
    result = _explain(tmp_path, "awareness_rate.S01", "--wave", "2018")
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "run `toegang run --study demo-brussels` first" in result.output


@pytest.mark.e2e
def test_a_margins_edit_shows_in_explain_after_the_wave_runs(demo_root, tmp_path):
    root = copy_run(demo_root, tmp_path / "run")
    studies = tmp_path / "studies"
    shutil.copytree(STUDIES / DEMO_STUDY, studies / DEMO_STUDY)
    margins = studies / DEMO_STUDY / "margins_2021.csv"
    before = file_version(margins)
    # 100 parents move from the lowest education level to the middle one: same total, new margins.
    text = margins.read_text(encoding="utf-8")
    edited = text.replace("opleiding,LAAG,2000,", "opleiding,LAAG,1900,").replace("opleiding,MID,1900,",
                                                                                  "opleiding,MID,2000,")
    assert edited != text
    margins.write_text(edited, encoding="utf-8")
    after = file_version(margins)
    env = {"TOEGANG_STUDIES": str(studies)}

    stale = _explain(root, "awareness_rate.S01", "--wave", "2021", env=env)
    assert stale.exit_code == 0, stale.output
    assert f"margins_2021.csv version {before}; the study folder's file is now {after}" in stale.output

    run_study(DEMO_STUDY, ["2021"], home=str(root / "home"), site=str(root / "site"), build=str(root / "build"),
              studies_dir=str(studies), instance=dg.DagsterInstance.ephemeral(), log_level="WARNING")
    fresh = _explain(root, "awareness_rate.S01", "--wave", "2021", env=env)
    assert fresh.exit_code == 0, fresh.output
    row = _cell(root, "2021", "awareness_rate.S01")
    assert row["margins_version"] == after != before
    assert f"margins_2021.csv version {after}; the same as the study folder's" in fresh.output
    assert _shown(fresh.output, "value") == pytest.approx(row["estimate"], rel=1e-5)
    assert row["estimate"] != _cell(demo_root, "2021", "awareness_rate.S01")["estimate"]  # the new margins count
    assert "1 more load(s) found nothing new" in fresh.output  # the rerun's load of the same export
    # The other wave was not run again: its rows keep their margins.
    assert _cell(root, "2018", "awareness_rate.S01")["margins_version"] == file_version(margins.with_name(
        "margins_2018.csv"))
