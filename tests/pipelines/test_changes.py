"""`toegang changes` on the demo after a margins edit: a copy of the session's demo run, with wave 2021's margins
file changed in a copy of the study folder and only that wave run again, reports the new margins version, no new
or edited response, and exactly the cells that moved by more than their standard error or changed status between
the two runs' rows; the wave run once says it has nothing to compare; the method page says the same."""

import hashlib
import html
import os
import re
import shutil

import dagster as dg
import duckdb
import pytest
from typer.testing import CliRunner

from instruments.study import DEMO_STUDY, STUDIES
from pipelines.cli import app
from pipelines.runner import run_study
from tests.conftest import copy_run, run_locations

WAVE = "2021"
runner = CliRunner()


def _rows(locations):
    with duckdb.connect(str(locations.warehouse), read_only=True) as con:
        frame = con.execute("SELECT indicator, breakdown, domain, unit, estimate, se, suppressed, margins_version "
                            "FROM indicators.indicators WHERE wave = ?", [WAVE]).df()
    return frame.set_index(["indicator", "breakdown", "domain"])


def _changes(root, *args):
    result = runner.invoke(app, ["changes", "--study", DEMO_STUDY, "--home", str(root / "home"), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def rerun(demo_root, tmp_path_factory):
    """The demo run, then wave 2021 again with the 2021 margins changed; the rows before and after."""
    root = copy_run(demo_root, tmp_path_factory.mktemp("changes") / "run")
    before = _rows(run_locations(root))
    first = _changes(root, "--wave", WAVE)
    studies = root / "studies"
    shutil.copytree(STUDIES / DEMO_STUDY, studies / DEMO_STUDY)
    margins = studies / DEMO_STUDY / f"margins_{WAVE}.csv"
    text = margins.read_text(encoding="utf-8")
    edited = text.replace("wijk,W04,350,", "wijk,W04,1400,").replace("opleiding,HOOG,1500,", "opleiding,HOOG,2550,")
    assert edited != text
    margins.write_text(edited, encoding="utf-8")
    saved = {name: os.environ.pop(name) for name in list(os.environ) if name.startswith("TOEGANG_")}
    try:
        run_study(DEMO_STUDY, [WAVE], home=str(root / "home"), site=str(root / "site"), build=str(root / "build"),
                  studies_dir=str(studies), instance=dg.DagsterInstance.ephemeral(), log_level="WARNING")
    finally:
        os.environ.update(saved)
    after = _rows(run_locations(root))
    return root, before, after, first, hashlib.sha256(margins.read_bytes()).hexdigest()[:12]


def _show(value, unit):
    return f"{100 * value:.2f}%" if unit == "proportion" else f"{value:.0f}" if unit == "count" else f"{value:.4g}"


def _cell(key):
    indicator, breakdown, domain = key
    return f"{indicator}  {'all' if breakdown == 'all' else f'{breakdown}={domain}'}"


def test_a_wave_run_once_has_nothing_to_compare(rerun):
    first = rerun[3]
    assert first.startswith(f"first run of wave {WAVE}: nothing to compare (run ")


def test_changes_after_a_margins_edit(rerun):
    root, before, after, _, new_margins = rerun
    old_margins = before["margins_version"].iloc[0]
    assert old_margins != new_margins and set(after["margins_version"]) == {new_margins}
    output = _changes(root, "--wave", WAVE)
    lines = output.splitlines()
    assert lines[0].startswith(f"wave {WAVE}: run ") and "against the previous run" in lines[0]
    assert "  responses: none new or edited" in lines
    assert f"  margins: {old_margins} -> {new_margins}" in lines
    assert not any(line.startswith(("  code:", "  instrument")) for line in lines)

    both = before.merge(after, left_index=True, right_index=True, suffixes=("_before", "_after"))
    published = both[~both["suppressed_before"] & ~both["suppressed_after"]]
    threshold = published["se_after"].fillna(published["se_before"]).fillna(0)
    moved = published[(published["estimate_after"] - published["estimate_before"]).abs() > threshold]
    assert len(moved) > 10  # the edit moves the weights enough
    assert f"  moved by more than their standard error: {len(moved)} of {len(published)} published cells" in lines
    for key, row in moved.iterrows():
        assert (f"    {_cell(key)}  {_show(row['estimate_before'], row['unit_after'])} -> "
                f"{_show(row['estimate_after'], row['unit_after'])}") in output, key
    hidden = both[~both["suppressed_before"] & both["suppressed_after"]]
    shown = both[both["suppressed_before"] & ~both["suppressed_after"]]
    assert f"  newly suppressed (status only): {len(hidden)}" in lines
    assert f"  released (status only): {len(shown)}" in lines
    listed = [line for line in lines if line.startswith("    ")]
    assert len(listed) == len(moved) + len(hidden) + len(shown)
    for key in hidden.index:
        line = next(line for line in listed if line.startswith(f"    {_cell(key)}  ("))
        assert "%" not in line and "->" not in line  # its status and reason, no value

    # Every wave: 2018 was not run again.
    assert _changes(root).splitlines()[0].startswith("first run of wave 2018: nothing to compare")
    # The method page says the same, in each language.
    page = html.unescape((root / "site" / DEMO_STUDY / "en" / "method.html").read_text(encoding="utf-8"))
    assert (f"Wave {WAVE}, since the previous update: new responses: 0, corrected: 0; new version: population "
            f"figures; figures that moved by more than their standard error: {len(moved)}; cells now hidden: "
            f"{len(hidden)}, shown again: {len(shown)}.") in page
    assert "Wave 2018, first update: nothing to compare." in page
    assert re.search(r"The 20 largest of [\d,]+ changes are listed below", page)


def test_changes_refuses_what_it_cannot_read(rerun, tmp_path):
    result = runner.invoke(app, ["changes", "--home", str(rerun[0] / "home"), "--wave", "1999"])
    assert result.exit_code == 1 and "has no indicators of wave 1999" in result.output
    assert "waves with indicators: 2018, 2021" in result.output
    result = runner.invoke(app, ["changes", "--home", str(tmp_path)])
    assert result.exit_code == 1 and "no warehouse of study demo-brussels" in result.output
