"""Crash safety (benchmarks/harness/crash.py): the wave-2021 step (raw load, cleaning, weighting, indicators,
dashboard) killed with SIGKILL at a fixed-seed random moment leaves every table slice and the site as
they were before the step or as they are after it, and the next run completes to the step's result.
`make reliability` kills it at least 20 times."""

import random

import pytest

from benchmarks.harness.crash import CrashHarness, KillResult, classify

pytestmark = pytest.mark.e2e
KILLS = 1  # in make test (its budget: each kill and rerun is a minute); `make reliability` kills at 20 or more moments


@pytest.fixture(scope="module")
def harness(tmp_path_factory, demo_2018):
    return CrashHarness(tmp_path_factory.mktemp("crash")).prepare(before=demo_2018[0])


def test_the_step_changes_every_stage(harness):
    changed = [u for u in harness.after if harness.after[u] != harness.before.get(u)]
    for prefix in ("raw.", "warehouse.clean.", "warehouse.weighted.", "warehouse.indicators.", "site"):
        assert any(u.startswith(prefix) for u in changed), prefix


def test_the_judge_of_a_kill_sees_half_a_step():
    before = {"raw.loads[survey_id=1]": [], "warehouse.clean.t[wave=2018]": [(1,)], "site": ["old"]}
    after = {"raw.loads[survey_id=1]": [(1,)], "warehouse.clean.t[wave=2018]": [(1,)],
             "warehouse.clean.t[wave=2021]": [(2,), (3,)], "site": ["new"]}
    half = {**before, "raw.loads[survey_id=1]": [(1,)], "warehouse.clean.t[wave=2021]": [(2,)]}
    result = classify(KillResult(0.0, False), before, after, half)
    assert (result.after, result.before, result.neither) == (
        ["raw.loads[survey_id=1]"], ["site"], ["warehouse.clean.t[wave=2021]"])
    assert result.stage == "cleaning"
    touched = classify(KillResult(0.0, False), before, after, {**after, "warehouse.clean.t[wave=2018]": []})
    assert touched.neither == ["warehouse.clean.t[wave=2018]"]  # a slice the step must not touch


@pytest.mark.parametrize("kill", range(KILLS))
def test_a_kill_at_a_random_moment_leaves_before_or_after_and_the_next_run_completes(harness, kill):
    result = harness.kill_once(kill, random.Random(9000 + kill))
    assert result.neither == [], f"killed at {result.moment:.2f} s ({result.stage}): half-written {result.neither}"
    assert result.rerun_error is None
    assert result.rerun_equals_after


@pytest.mark.parametrize("layout", ["folder", "link"])
def test_a_swap_that_fails_half_way_leaves_the_old_site(tmp_path, monkeypatch, layout):
    """The site is a link to its current version, replaced atomically; a site folder from before that layout
    is moved aside and back when the new link cannot come in (disk full, or a kill at that moment)."""
    import os

    from dashboards import files

    site = tmp_path / "site"
    old = tmp_path / (".site-old" if layout == "link" else "site")
    (old / "en").mkdir(parents=True)
    (old / "en" / "index.html").write_text("old page", encoding="utf-8")
    if layout == "link":
        site.symlink_to(old.name)
    staging = tmp_path / ".site-new"
    (staging / "en").mkdir(parents=True)
    (staging / "en" / "index.html").write_text("new page", encoding="utf-8")
    real_replace = os.replace

    def replace(source, target):
        if str(target) == str(site):
            raise OSError("no space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError):
        files.swap_in(staging, site)
    assert (site / "en" / "index.html").read_text(encoding="utf-8") == "old page"
    monkeypatch.setattr(os, "replace", real_replace)
    files.swap_in(staging, site)  # and when it can, the new site is in and the old one gone
    assert (site / "en" / "index.html").read_text(encoding="utf-8") == "new page" and site.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-new", "site"]
