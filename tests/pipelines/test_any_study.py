"""Any study is configuration: a study written only as YAML (tests/fixtures/studies/support-models: instruments
``client``, weighted, and ``worker``, unweighted; a subject list of support models; breakdowns the demo lacks;
one indicator of each kind), copied to a temporary folder, gets generated responses (60 per instrument, one
wave), runs from ingest to site, and its indicators are on the pages."""

import json
from pathlib import Path

import duckdb
import pytest

from instruments.catalogue import KINDS
from instruments.limesurvey_export import read_export
from pipelines.stages.indicators import wave_indicators
from tests.conftest import SECOND_STUDY

STUDY = SECOND_STUDY


@pytest.fixture(scope="module")
def ran(second_site):
    return second_site.study, second_site.written, second_site


def test_every_generated_response_satisfies_its_instruments_conditions(ran):
    study, written, _ = ran
    assert {w.file.survey.instrument for w in written} == {"client", "worker"}
    for w in written:
        survey = w.file.survey
        instrument = study.instrument(survey.instrument, survey.wave)
        rows = read_export(w.file.path).responses
        assert 0 < len(rows) <= 60
        for row in rows:
            for column in instrument.columns():
                if row.get(column.name, "") not in ("", None):
                    assert all(c.holds(row) for c in instrument.conditions(column)), (survey.survey_id, column.name)


def test_the_study_runs_to_its_site_with_one_indicator_of_each_kind(ran):
    study, _, run = ran
    with duckdb.connect(str(run.locations.warehouse), read_only=True) as con:
        rows = con.execute("SELECT indicator, measure, instrument, breakdown, service, suppressed "
                           "FROM indicators.indicators WHERE study_id = ?", [STUDY]).fetchall()
        weights = con.execute("SELECT count(*) FROM weighted.client_weights").fetchall()[0][0]
    measures = {m.name: m for m in study.catalogue.measures.values()}
    assert {measures[r[1]].kind for r in rows} == set(KINDS)  # share, mean, scale_index, count, difference
    assert weights > 0 and {r[2] for r in rows} == {"client", "worker", "both"}
    assert {r[3] for r in rows if r[2] == "client"} == {"all", "district", "age_group", "referral"}
    assert {r[3] for r in rows if r[2] != "client"} == {"all"}  # the worker instrument is not broken down
    assert {r[4] for r in rows if r[4]} == {"M1", "M2", "M3"}  # the support models, in the service column
    site = Path(run.locations.site).resolve()
    pages = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    downloads = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.csv"))
    published = {r[0] for r in rows if r[3] == "all" and not r[5]}
    indicators = {i.name: i for wave in study.waves for i in wave_indicators(study, wave)}

    def on_pages(name: str) -> bool:
        label = indicators[name].label["en"]
        return label in pages or json.dumps(label)[1:-1] in pages

    # Every published indicator is on a page or, with its label, in the downloads; each estimated kind is on a page.
    assert all(on_pages(name) or (name in downloads and indicators[name].label["en"] in downloads)
               for name in published)
    assert {indicators[n].kind for n in published if on_pages(n)} >= {"share", "mean", "scale_index", "difference"}
