"""The indicator table and its catalogue, as the pipeline publishes them, meet the dashboards' contract:
every row is accepted, every indicator has its labels, and suppressed rows carry no numbers; a difference names
its sides and each indicator its kind, instrument and subject; the site takes every study word from the study's
folder; the method facts say per weighted wave how its standard errors are estimated."""

from dataclasses import replace

import duckdb
import pytest

from dashboards.model import INDICATOR_COLUMNS, UNITS, catalogue_entry, checked_indicators
from instruments.study import DEMO_STUDY, Design, InstrumentRole, load_study
from instruments.vocabulary import LANGUAGES
from pipelines.stages.publish import DESIGN_COLUMNS, indicator_catalogue, study_words, variance_designs
from tests.conftest import ROOT
from tests.snapshot import SNAPSHOT
from warehouse import weighted


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


def test_a_difference_names_its_sides_and_every_indicator_its_kind_instrument_and_subject():
    catalogue = indicator_catalogue(load_study(DEMO_STUDY), ["2018", "2021"])
    entries = {name: catalogue_entry(value) for name, value in catalogue.items()}
    gap = entries["perception_gap.S01.bereikbaar"]
    assert (gap.kind, gap.unit, gap.subject, gap.dimension) == ("difference", "difference", "S01", "bereikbaar")
    assert gap.of == ("field_actor_index.S01.bereikbaar", "access_index.S01.bereikbaar")
    assert [entries[side].instrument for side in gap.of] == ["field_actor", "parent"]
    count = entries["field_actor_agree.S01.bereikbaar"]
    assert (count.kind, count.instrument, count.subject, count.dimension) == ("count", "field_actor", "S01",
                                                                              "bereikbaar")
    assert entries["unmet_need_rate.SLA"].subject == "SLA"  # a theme is a subject too
    assert all(e.kind and e.instrument for e in entries.values())
    assert all(set(e.of) <= set(entries) for e in entries.values() if e.kind == "difference")


def test_the_sites_words_are_the_studys():
    study = load_study(DEMO_STUDY)
    words = study_words(study)
    assert words["instruments"] == ("parent", "field_actor") and words["broken_down"] == ("parent",)
    assert words["maps"] == ("neighbourhood",) and words["checks"] == ("channel",)
    texts = words["words"]
    assert texts["respondents_field_actor"] == {"nl": "Werkveldactoren", "fr": "Acteurs de terrain",
                                                "en": "Field actors"}
    assert texts["method_weighting"] == study.method["weighting"]
    # Another study: its own instruments, breakdowns and framework; no method text it does not have.
    other = load_study("support-models", ROOT / "tests" / "fixtures" / "studies")
    words = study_words(other)
    assert words["instruments"] == ("client", "worker") and words["broken_down"] == ("client",)
    assert words["maps"] == () and words["breakdowns"] == ("district", "age_group", "referral")
    assert words["dimensions"] == other.framework.codes
    assert words["words"]["dim_availability"]["en"] == "Availability and accommodation"
    assert words["words"]["respondents_worker"]["nl"] == "Medewerkers"
    assert {k for k in words["words"] if k.startswith("method_")} == {"method_samples"}
    # An instrument the study names no respondents for is named by its name.
    one = replace(other, instruments=(InstrumentRole("client", other.role("client").path),))
    assert study_words(one)["words"]["respondents_client"] == {lang: "client" for lang in LANGUAGES}


def _declaring(study, wave: str, design: Design):
    """``study`` with its weighted survey of ``wave`` declaring ``design``."""
    return replace(study, surveys=tuple(replace(s, design=design) if s.wave == wave and s.margins else s
                                        for s in study.surveys))


def test_the_method_facts_say_per_weighted_wave_how_its_standard_errors_are_estimated():
    study = load_study(DEMO_STUDY)
    with duckdb.connect() as con:
        # The demo: both waves drawn per neighbourhood (the breakdown of its strata column), linearisation.
        frame = variance_designs(con, study, ["2018", "2021"])
        assert list(frame.columns) == list(DESIGN_COLUMNS)
        assert frame.drop(columns="replicates").to_dict("records") == [
            {"wave": wave, "variance": "linearisation", "strata": "wijk", "breakdown": "neighbourhood",
             "stratum_sizes": True, "method": ""} for wave in ("2018", "2021")]
        assert frame["replicates"].isna().all()
        assert variance_designs(con, study, ["2021"])["wave"].tolist() == ["2021"]  # the weighted waves only
        # Replicates in 2018: their method and count as the weighting stage stored them, not as declared.
        jackknife = Design(strata="wijk", stratum_sizes="margins", variance="replicates", method="jackknife")
        replicated = _declaring(study, "2018", jackknife)
        with pytest.raises(RuntimeError, match="wave 2018: the design asks for replicate weights"):
            variance_designs(con, replicated, ["2018", "2021"])
        con.execute("CREATE SCHEMA weighted")
        con.execute(weighted.DESIGNS_DDL)
        con.execute("INSERT INTO weighted.replicate_designs VALUES (?, '2018', 'parent', 'JKn', 3, 1.0, "
                    "[0.5, 0.5, 0.5], NULL, ['repw_001', 'repw_002', 'repw_003'])", [study.study_id])
        frame = variance_designs(con, replicated, ["2018", "2021"]).set_index("wave")
        assert (frame.loc["2018", "variance"], frame.loc["2018", "method"], frame.loc["2018", "replicates"]) == \
            ("replicates", "JKn", 3)
        assert frame.loc["2021", "variance"] == "linearisation" and frame.loc["2021", "method"] == ""
        # No design declared: not stratified; strata of a column no breakdown has: no breakdown.
        plain = _declaring(_declaring(study, "2018", Design()), "2021", Design(strata="blok"))
        frame = variance_designs(con, plain, ["2018", "2021"]).set_index("wave")
        assert frame.loc["2018", ["strata", "breakdown", "stratum_sizes"]].tolist() == ["", "", False]
        assert frame.loc["2021", ["strata", "breakdown", "stratum_sizes"]].tolist() == ["blok", "", False]
