"""The README's names of assets, checks, jobs, schedules and sensors are the definitions' own."""

import re

from instruments.study import DEMO_STUDY, STUDIES, load_study, study_ids
from pipelines.defs.keys import StudyGraph
from pipelines.defs.study import study_definitions
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _demo():
    study = load_study(DEMO_STUDY)
    return study_definitions(study), StudyGraph.of(study).prefix


def _asset_table() -> set[str]:
    table = README[README.index("| asset | table / output | one row is |"):]
    table = table[:table.index("\n\n")]
    names = set()
    for row in table.splitlines()[2:]:
        first = row.split("|")[1]
        names |= set(re.findall(r"`([a-z_]+)`", first))
    return names


def test_the_asset_table_lists_every_asset_of_the_demo_and_no_other():
    part, _ = _demo()
    demo = {key.path[-1] for asset in part.assets for key in asset.keys}
    shipped = {key.path[-1] for study in map(load_study, study_ids(STUDIES)) for asset in study_definitions(study).assets
               for key in asset.keys}
    assert demo <= _asset_table() <= demo | shipped  # and those only some studies have (panel_changes)
    assert "panel_changes" in _asset_table() & shipped


def test_every_check_is_named_in_the_readme():
    part, _ = _demo()
    checks = {key.name for check in part.checks for key in check.check_keys}
    assert checks and not [name for name in checks if f"`{name}`" not in README]


def test_jobs_schedules_and_sensors_are_named_as_the_readme_says():
    from pipelines.definitions import defs

    _, prefix = _demo()
    names = [*(s.name for s in defs.schedules), *(s.name for s in defs.sensors), *(j.name for j in defs.jobs)]
    ours = [name for name in names if prefix in name or not re.search(r"demo_", name)]  # and record_run_failures
    assert len(ours) >= 6
    missing = [name for name in ours if f"`{name.replace(prefix, '<study>')}`" not in README]
    assert not missing, missing
