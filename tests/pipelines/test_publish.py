"""The indicator table and its catalogue, as the pipeline publishes them, meet the dashboards' contract:
every row is accepted, every indicator has its labels, and suppressed rows carry no numbers."""

from analyses.catalogue import load_catalogue
from analyses.indicator_table import indicator_table
from dashboards.model import INDICATOR_COLUMNS, checked_indicators
from instruments.study import DEMO_STUDY, load_study
from pipelines.stages.publish import indicator_catalogue
from tests.analyses.test_indicator_table import SERVICES, THEMES, _inputs, _parents


def test_indicator_rows_follow_the_dashboard_contract():
    table, _ = indicator_table(_inputs(_parents()))
    rows = table.assign(study_id="s", wave="2018")
    catalogue = {i.name: i for i in load_catalogue().indicators(SERVICES, THEMES, {"S01": ["bereikbaar"]})}
    checked = checked_indicators(rows, catalogue)
    assert set(INDICATOR_COLUMNS) <= set(checked.columns) and len(checked) == len(rows)
    assert checked.loc[checked["suppressed"], "estimate"].isna().all()
    assert {"proportion", "index", "mean", "count", "difference"} == set(checked["unit"])


def test_the_published_catalogue_names_every_indicator_of_every_wave():
    catalogue = indicator_catalogue(load_study(DEMO_STUDY), ["2018", "2021"])
    assert "awareness_rate.S07" in catalogue  # a service of the 2021 wave only
    entry = catalogue["barrier_prevalence.S01.bereikbaar"]
    assert entry.dimension == "bereikbaar" and entry.unit == "proportion" and not entry.headline
    assert entry.label["fr"].startswith("Obstacle, accessible (lieu, horaires)")
