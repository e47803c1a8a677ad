"""The indicator table and its catalogue, as the pipeline publishes them, meet the dashboards' contract:
every row is accepted, every indicator has its labels, and suppressed rows carry no numbers."""

import duckdb

from dashboards.model import INDICATOR_COLUMNS, UNITS, checked_indicators
from instruments.study import DEMO_STUDY, load_study
from pipelines.stages.publish import indicator_catalogue, study_words
from tests.snapshot import SNAPSHOT


def test_indicator_rows_follow_the_dashboard_contract():
    # The demo's published rows, as the pipeline wrote them (tests/test_demo_snapshot.py keeps them current).
    with duckdb.connect() as con:
        rows = con.execute("SELECT * FROM read_parquet(?)",
                           [str(SNAPSHOT / "tables" / "indicators.indicators.parquet")]).df()
    study = load_study(DEMO_STUDY)
    catalogue = indicator_catalogue(study, sorted(rows["wave"].unique()))
    checked = checked_indicators(rows, catalogue, study_words(study)["breakdowns"])
    assert set(INDICATOR_COLUMNS) <= set(checked.columns) and len(checked) == len(rows)
    assert checked["suppressed"].any() and checked.loc[checked["suppressed"], "estimate"].isna().all()
    assert set(UNITS) == set(checked["unit"])
    assert set(checked["breakdown"]) == {"all", *study.breakdowns}
    assert all(catalogue[name].label[lang] for name in set(checked["indicator"]) for lang in ("nl", "fr", "en"))


def test_the_published_catalogue_names_every_indicator_of_every_wave():
    catalogue = indicator_catalogue(load_study(DEMO_STUDY), ["2018", "2021"])
    assert "awareness_rate.S07" in catalogue  # a service of the 2021 wave only
    entry = catalogue["barrier_prevalence.S01.bereikbaar"]
    assert entry.dimension == "bereikbaar" and entry.unit == "proportion" and not entry.headline
    assert entry.label["fr"].startswith("Obstacle, accessible (lieu, horaires)")
