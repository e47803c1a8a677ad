"""The whole path: demo exports -> raw -> clean -> indicator -> dashboard, in a temporary TOEGANG_HOME."""

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import dagster as dg
import duckdb
import numpy as np
import pytest

from instruments.limesurvey_export import ExportError, read_export
from instruments.study import DEMO_STUDY, STUDIES, load_study
from pipelines.runner import run_study
from tests.conftest import DEMO_EXPORTS, copy_run, run_locations
from warehouse import raw

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo_run(demo_root, tmp_path_factory):
    """The session's demo run (its first run), copied, then run again in the copy."""
    root = copy_run(demo_root, tmp_path_factory.mktemp("e2e") / "run")
    first = run_locations(root)
    with duckdb.connect(str(first.warehouse), read_only=True) as con:
        con.execute(f"ATTACH '{first.raw}' AS raw (READ_ONLY)")
        snapshot = {
            "raw": con.execute("SELECT count(*) FROM raw.responses").fetchall()[0][0],
            "clean": con.execute("SELECT count(*) FROM clean.parent_responses").fetchall()[0][0],
            # Everything but the run id: a rerun must reproduce every published number exactly.
            "indicators": con.execute("SELECT * EXCLUDE (run_id) FROM indicators.indicators ORDER BY ALL").fetchall(),
            "run_ids": con.execute("SELECT DISTINCT run_id FROM indicators.indicators").fetchall(),
            "weights": con.execute("SELECT * FROM weighted.parent_weights ORDER BY ALL").fetchall(),
        }
    second = run_study("demo-brussels", home=str(root / "home"), site=str(root / "site"),
                       build=str(root / "build"), instance=dg.DagsterInstance.ephemeral())
    return first, second, snapshot


def _query(run, sql, params=()):
    with duckdb.connect(str(run.locations.warehouse), read_only=True) as con:
        con.execute(f"ATTACH '{run.locations.raw}' AS raw (READ_ONLY)")
        return con.execute(sql, list(params)).fetchall()


def _exports():
    return {p.name: read_export(p).responses for p in DEMO_EXPORTS.glob("survey_*.csv")}


def test_raw_layer_holds_every_response_once_after_two_runs(demo_run):
    first, second, snapshot = demo_run
    expected = sum(len(r) for r in _exports().values())
    assert snapshot["raw"] == expected == 277 + 31 + 214 + 28
    assert _query(second, "SELECT count(*) FROM raw.responses")[0][0] == expected
    loads = _query(second, "SELECT source, count(*), sum(responses_inserted) FROM raw.loads GROUP BY source")
    assert loads == [("file", 8, expected)]  # 4 surveys x 2 runs; the second inserted nothing
    metadata = _query(second, "SELECT DISTINCT study_id, wave, instrument FROM raw.responses ORDER BY ALL")
    assert metadata == [("demo-brussels", "2018", "field_actor"), ("demo-brussels", "2018", "parent"),
                        ("demo-brussels", "2021", "field_actor"), ("demo-brussels", "2021", "parent")]


def test_clean_tables_hold_consenting_responses_with_study_and_wave(demo_run):
    _, second, snapshot = demo_run
    exports = _exports()
    consenting = sum(r["consent"] == "Y" for r in exports["survey_418201_2018_parent.csv"])
    counts = dict(_query(second, "SELECT wave, count(*) FROM clean.parent_responses GROUP BY wave"))
    assert counts["2018"] == consenting
    assert sum(counts.values()) == snapshot["clean"]
    actors = dict(_query(second, "SELECT wave, count(DISTINCT respondent_id) FROM clean.field_actor_responses "
                                 "GROUP BY wave"))
    consenting = {wave: sum(r["consent"] == "Y" for r in exports[name])
                  for wave, name in (("2018", "survey_418202_2018_field_actor.csv"),
                                     ("2021", "survey_421202_2021_field_actor.csv"))}
    assert actors == consenting and 25 <= consenting["2021"] <= 28
    panel = _query(second, "SELECT count(*) FROM (SELECT respondent_id FROM clean.field_actor_responses "
                           "GROUP BY respondent_id HAVING count(DISTINCT wave) = 2)")[0][0]
    assert panel > 0  # the same pseudonym in both waves: the panel is linked


def test_indicator_matches_a_hand_count_and_is_stable_on_rerun(demo_run):
    _, second, snapshot = demo_run
    parents = [r for r in _exports()["survey_418201_2018_parent.csv"] if r["consent"] == "Y"]
    reached = [r for r in parents if r["submitdate"] or int(r["lastpage"]) >= 3]
    w01 = [r for r in reached if r["wijk"] == "W01"]
    aware = sum(r["kent[S02]"] == "Y" for r in w01)
    cell = ("FROM indicators.indicators WHERE wave = '2018' AND indicator = 'awareness_rate.S02' "
            "AND breakdown = 'neighbourhood' AND domain = 'W01'")
    row = _query(second, f"SELECT n, reason, weighted {cell}")
    weighted_base = _query(second, """SELECT count(*), sum(w.weight * p.kent_S02::INT) / sum(w.weight)
                                      FROM clean.parent_responses p JOIN weighted.parent_weights w
                                      USING (study_id, wave, survey_id, response_id)
                                      WHERE p.wave = '2018' AND p.wijk = 'W01' AND p.kent_S02 IS NOT NULL""")[0]
    assert row == [(weighted_base[0], None, True)] and weighted_base[0] <= len(w01)
    estimate, low, high = _query(second, f"SELECT estimate, ci_low, ci_high {cell}")[0]
    assert estimate == pytest.approx(weighted_base[1]) and low < estimate < high
    # Reproducible: the rerun (a new run id) publishes the same rows, to the last bit, with its versions.
    assert _query(second, "SELECT * EXCLUDE (run_id) FROM indicators.indicators ORDER BY ALL") == snapshot["indicators"]
    assert _query(second, "SELECT DISTINCT run_id FROM indicators.indicators") != snapshot["run_ids"]
    stamps = _query(second, "SELECT DISTINCT wave, instrument_version, margins_version IS NOT NULL, code_version <> '' "
                            "FROM indicators.indicators WHERE measure = 'awareness_rate' ORDER BY wave")
    versions = {w: load_study(DEMO_STUDY).instrument("parent", w).version for w in ("2018", "2021")}
    assert [(w, versions[w] in v.split(","), m, c) for w, v, m, c in stamps] == [
        ("2018", True, True, True), ("2021", True, True, True)]
    # The 2021 wave has few parents from the rest of Brussels: that cell is hidden, never published.
    hidden = _query(second, "SELECT domain, reason, n, estimate FROM indicators.indicators WHERE wave = '2021' "
                            "AND indicator = 'awareness_rate.S01' AND breakdown = 'neighbourhood' AND suppressed")
    assert ("W04", "primary", None, None) in hidden
    assert _query(second, "SELECT count(*) FROM indicators.indicators "
                          "WHERE NOT suppressed AND unit <> 'difference' AND n < 10")[0][0] == 0


def test_published_proportions_carry_honest_intervals_and_their_flags(demo_run):
    _, second, _ = demo_run
    rows = _query(second, """SELECT indicator, breakdown, domain, estimate, ci_low, ci_high, n, ci_method, df,
                                    n_eff_kg, nchs_flag, weighted
                             FROM indicators.indicators WHERE unit = 'proportion' AND NOT suppressed""")
    assert len(rows) > 1000
    for indicator, breakdown, domain, p, low, high, n, method, df, n_eff_kg, flag, weighted in rows:
        where = (indicator, breakdown, domain)
        assert method == "beta" and 0 <= low <= p <= high <= 1 and high > low, where  # never zero width
        assert df is not None and 0 < n_eff_kg <= n, where
        if weighted:  # the parents': every rule met, or present
            assert flag == "present" or set(flag.split(";")) <= {
                "n_eff_kg_below_30", "width_0.3_or_more", "relative_width_above_130",
                "complement_width_above_130", "df_below_8", "estimate_0_or_1"}, where
        if p in (0, 1):  # Clopper-Pearson at n: [0, 1 - 0.025^(1/n)] and its mirror
            assert "estimate_0_or_1" in flag and max(high - p, p - low) == pytest.approx(1 - 0.025 ** (1 / n)), where
    flags = {f for r in rows for f in (r[10] or "").split(";")}
    assert {"present", "estimate_0_or_1", "width_0.3_or_more"} <= flags  # the demo flags; it suppresses none
    assert not _query(second, "SELECT * FROM indicators.indicators WHERE reason LIKE 'nchs_%'")
    # Without clusters, a domain's degrees of freedom are its respondents minus the strata they fall in: the
    # parents' four neighbourhoods (one in a neighbourhood's own cell), the field actors' one.
    strata = len(_query(second, "SELECT DISTINCT domain FROM indicators.indicators WHERE breakdown = 'neighbourhood'"))
    assert strata == 4
    for indicator, breakdown, domain, _, _, _, n, _, df, _, _, weighted in rows:
        if not weighted or breakdown == "neighbourhood":
            assert df == n - 1, (indicator, breakdown, domain)
        else:
            assert n - strata <= df <= n - 1, (indicator, breakdown, domain)
    assert any(r[8] < r[6] - 1 for r in rows)


def test_an_index_of_one_item_is_published_as_the_items_mean(demo_run):
    _, second, _ = demo_run
    units = _query(second, "SELECT DISTINCT unit, ci_method FROM indicators.indicators "
                           "WHERE measure = 'access_index' AND NOT suppressed ORDER BY ALL")
    assert ("mean", "wald") in units
    scales = {(r[0], r[1]): r[2] for r in _query(second, "SELECT service, dimension, max(items) "
                                                         "FROM indicators.reliability GROUP BY ALL")}
    for indicator, service, dimension, unit, suppressed in _query(
            second, "SELECT indicator, service, dimension, unit, suppressed FROM indicators.indicators "
                    "WHERE measure = 'access_index' AND breakdown = 'all'"):
        if unit == "index":  # an index only over a scale of two items or more, with its alpha
            assert scales[(service, dimension)] >= 2, indicator
        else:
            assert unit == "mean" and (service, dimension) not in scales, indicator


def test_no_hidden_cell_can_be_worked_out_and_a_planted_leak_is_caught(demo_run, tmp_path):
    from pipelines.stages.indicators import disclosed_cells, unaudited_waves

    _, second, _ = demo_run
    study = load_study(DEMO_STUDY)
    with duckdb.connect(str(second.locations.warehouse), read_only=True) as con:
        assert disclosed_cells(con, study).empty  # the blocking check passed in the run; so it does here
        # A ratio triple whose use among the aware is hidden, with one of its two sides hidden to protect it.
        protected = con.execute("""
            SELECT r.wave, r.service, r.breakdown, r.domain, CASE WHEN u.suppressed THEN u.measure ELSE a.measure END
            FROM indicators.indicators r
            JOIN indicators.indicators u ON (u.wave, u.service, u.breakdown, u.domain, u.measure)
                                          = (r.wave, r.service, r.breakdown, r.domain, 'use_rate')
            JOIN indicators.indicators a ON (a.wave, a.service, a.breakdown, a.domain, a.measure)
                                          = (r.wave, r.service, r.breakdown, r.domain, 'awareness_rate')
            WHERE r.measure = 'use_among_aware' AND r.suppressed AND (u.suppressed <> a.suppressed)
              AND 'secondary' IN (u.reason, a.reason)
            ORDER BY ALL LIMIT 1""").fetchall()
    assert protected, "the demo hides a use or awareness rate so that the use among the aware stays hidden"
    wave, service, breakdown, domain, side = protected[0]
    # Plant a leak: publish that side again, a little off its own value, as if computed on a base a few
    # respondents apart from the other side's (the ratio then misses the hidden cell by more than 1e-9).
    copy = tmp_path / "leaky.duckdb"
    shutil.copy(second.locations.warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("""UPDATE indicators.indicators i SET suppressed = false, reason = NULL,
                              estimate = b.estimate * 1.004
                       FROM indicators.disclosure_basis b
                       WHERE (b.wave, b.indicator, b.breakdown, b.domain) = (i.wave, i.indicator, i.breakdown, i.domain)
                         AND i.wave = ? AND i.service = ? AND i.breakdown = ? AND i.domain = ? AND i.measure = ?""",
                    [wave, service, breakdown, domain, side])
        found = disclosed_cells(con, study)
        assert unaudited_waves(con, study) == []
        con.execute("DELETE FROM indicators.disclosure_basis WHERE wave = '2021'")  # as from before the basis
        assert unaudited_waves(con, study) == ["2021"]  # the check fails on it: run it again
    caught = found[(found["indicator"] == f"use_among_aware.{service}") & (found["domain"] == domain)]
    assert len(caught) == 1 and not caught["exact"].iloc[0], found
    assert caught["link"].iloc[0] == "ratio use_among_aware = use_rate / awareness_rate"


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.cells: list[str] = []
        self.scripts: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        if tag in ("td", "th"):
            self._in_cell = True
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell:
            self.cells[-1] += data


def _page(site: Path, lang: str, name: str = "breakdown-neighbourhood.html") -> _Page:
    page = _Page()
    page.feed((site / lang / name).read_text(encoding="utf-8"))
    return page


def test_dashboard_pages(demo_run):
    _, second, _ = demo_run
    site = second.locations.site
    assert (site / "index.html").is_file() and (site / "assets" / "plotly-basic.min.js").stat().st_size > 1_000_000
    # Issue 22's budget (python -m benchmarks.dashboard reports it too): 7.7 MB with the explorer, factsheets and map.
    assert sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) < 8_000_000
    nl, fr, en = (_page(site, lang) for lang in ("nl", "fr", "en"))
    assert (nl.lang, fr.lang, en.lang) == ("nl", "fr", "en")
    assert en.scripts == ["../assets/plotly-basic.min.js", "../assets/site.js"]  # shipped once, no CDN
    html = (site / "en" / "breakdown-neighbourhood.html").read_text(encoding="utf-8")
    assert "Knows Child health clinic" in html
    assert "Kent Consultatiebureau (Kind &amp; Gezin)" in (site / "nl" / "breakdown-neighbourhood.html").read_text()
    assert "Rest of Brussels" in en.cells and "Reste de Bruxelles" in fr.cells
    # The published share for S02 in one neighbourhood in 2018, as the table shows it (its chart by neighbourhood
    # on the page of the indicators of no dimension): its Korn-Graubard effective size is under 30, so the NCHS
    # standards would withhold it; the demo only flags it, and the cell says so.
    other = _page(site, "en", "dimension-other.html")
    n, estimate, low, high, flag = _query(second, "SELECT n, estimate, ci_low, ci_high, nchs_flag FROM "
                                                  "indicators.indicators WHERE wave='2018' AND "
                                                  "indicator='awareness_rate.S02' AND breakdown='neighbourhood' "
                                                  "AND domain='W03'")[0]
    assert flag == "n_eff_kg_below_30"
    assert (f"{100 * estimate:.0f}%\u2020 NCHS: would be withheld [{100 * low:.0f}% – {100 * high:.0f}%] "
            f"n\u00a0=\u00a0{n}") in other.cells
    assert any("fewer than 10 respondents" in c for c in other.cells)
    # The map page draws the map; each headline indicator is linked to its map in the explorer and, where it has a
    # published neighbourhood cell, to its chart by neighbourhood.
    headline = _query(second, "SELECT count(DISTINCT indicator) FROM indicators.indicators WHERE breakdown = "
                              "'neighbourhood' AND measure IN ('awareness_rate', 'use_rate', 'unmet_need_rate')")[0][0]
    charted = _query(second, "SELECT count(DISTINCT indicator) FROM indicators.indicators WHERE breakdown = "
                             "'neighbourhood' AND NOT suppressed AND measure IN ('awareness_rate', 'use_rate', "
                             "'unmet_need_rate')")[0][0]
    assert html.count('class="chart"') == 1 and html.count("explorer.html#i=") == headline >= charted >= 14
    assert html.count("--neighbourhood\"") == charted
    assert "cdn.plot.ly" not in html
    # The gaps beside what each side said, the sides named by who answered (the study's words).
    compared = _page(site, "fr", "comparison.html")
    assert "Acteurs de terrain" in compared.cells and "Parents" in compared.cells


def test_no_token_reaches_the_warehouse_or_the_site(demo_run):
    _, second, _ = demo_run
    tokens = {r["token"] for rows in _exports().values() for r in rows if r["token"]}
    assert len(tokens) > 50
    site_text = "".join(p.read_text(encoding="utf-8") for p in second.locations.site.rglob("*.html"))
    assert not [t for t in tokens if t in site_text]
    # Every value of every table of the analytic warehouse (the raw layer is a separate file).
    values: set[str] = set()
    with duckdb.connect(str(second.locations.warehouse), read_only=True) as con:
        tables = con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
        assert ("clean", "parent_responses") in tables
        for schema, table in tables:
            for row in con.execute(f'SELECT * FROM "{schema}"."{table}"').fetchall():
                values.update(str(v) for v in row)
    assert not tokens & values
    # The check can fail: the raw layer does hold the tokens.
    with duckdb.connect(str(second.locations.raw), read_only=True) as con:
        surveys = con.execute("SELECT DISTINCT study_id, survey_id FROM loads").fetchall()
        stored = {r[0] for study_id, survey_id in surveys
                  for r in con.execute(f"SELECT token FROM ({raw.versions_sql(study_id, survey_id)})").fetchall()}
    assert tokens <= stored


def test_a_garbled_export_stops_the_run_and_keeps_earlier_rows(tmp_path):
    studies = tmp_path / "studies"
    shutil.copytree(STUDIES, studies)
    home, site = tmp_path / "home", tmp_path / "site"
    instance = dg.DagsterInstance.ephemeral()
    run_study("demo-brussels", ["2018"], home=str(home), site=str(site), build=str(tmp_path / "build"),
              studies_dir=str(studies),
              instance=instance)
    broken = studies / "demo-brussels" / "data" / "survey_421201_2021_parent.json"
    broken.write_bytes(broken.read_bytes()[:5000])
    with pytest.raises(ExportError) as error:
        run_study("demo-brussels", ["2021"], home=str(home), site=str(site), build=str(tmp_path / "build"),
              studies_dir=str(studies),
                  instance=instance)
    assert "survey_421201_2021_parent.json" in str(error.value)
    # The error reaches the caller without an exception cycle (which hangs some traceback printers).
    seen, link = [], error.value
    while link is not None and len(seen) < 10:
        seen.append(link)
        link = link.__cause__ or link.__context__
    assert link is None
    assert re.search(r"line \d+: malformed JSON", str(error.value))
    with duckdb.connect(str(home / "demo-brussels" / "raw.duckdb"), read_only=True) as con:
        assert con.execute("SELECT DISTINCT wave FROM responses").fetchall() == [("2018",)]
        assert con.execute("SELECT count(*) FROM responses").fetchall()[0][0] == 277 + 31


def test_weights_meet_the_margins_and_are_identical_on_rerun(demo_run):
    _, second, snapshot = demo_run
    assert _query(second, "SELECT * FROM weighted.parent_weights ORDER BY ALL") == snapshot["weights"]
    margins = {(r.wave, v, c): float(t) for r in load_study(DEMO_STUDY).surveys if r.instrument == "parent"
               for v, c, t in _margins(r.margins)}
    sums = _query(second, """SELECT w.wave, p.wijk, p.opleiding, w.weight FROM weighted.parent_weights w
                             JOIN clean.parent_responses p USING (study_id, wave, survey_id, response_id)""")
    for variable, position in (("wijk", 1), ("opleiding", 2)):
        totals: dict = {}
        for row in sums:
            key = (row[0], variable, row[position])
            totals[key] = totals.get(key, 0.0) + row[3]
        for key, total in totals.items():
            assert total == pytest.approx(margins[key], rel=1e-9)
    excluded = _query(second, """SELECT count(*) FROM clean.parent_responses p JOIN clean.quality_flags q
                                 USING (study_id, wave, survey_id, response_id)
                                 WHERE q.excluded_from_weighting OR opleiding IS NULL OR wijk IS NULL""")[0][0]
    weighted = _query(second, "SELECT count(*) FROM weighted.parent_weights")[0][0]
    assert weighted + excluded == _query(second, "SELECT count(*) FROM clean.parent_responses")[0][0]


def _margins(path):
    import csv

    with path.open(encoding="utf-8") as handle:
        return [(r["variable"], r["category"], r["population_count"]) for r in csv.DictReader(handle)]


def test_flagged_responses_stay_in_the_warehouse(demo_run):
    _, second, _ = demo_run
    flags = dict(_query(second, "SELECT flags, count(*) FROM clean.quality_flags WHERE instrument = 'parent' "
                                "AND flags <> '' GROUP BY flags"))
    assert flags.get("incomplete", 0) > 0
    flagged = _query(second, """SELECT count(*) FROM clean.quality_flags q JOIN clean.parent_responses p
                                USING (study_id, wave, survey_id, response_id) WHERE q.flags <> ''""")[0][0]
    assert flagged == sum(flags.values())  # every flagged response is still a clean row
    assert _query(second, """SELECT count(*) FROM weighted.parent_weights w JOIN clean.quality_flags q
                             USING (study_id, wave, survey_id, response_id) WHERE q.excluded_from_weighting""")[0][0] == 0
    report = _query(second, "SELECT sum(flagged) FROM meta.quality_report WHERE instrument = 'parent' "
                            "AND flag = 'incomplete'")[0][0]
    assert report == flags["incomplete"] + sum(v for k, v in flags.items() if "incomplete," in k)


def test_answer_labels_come_from_the_codebook(demo_run):
    _, second, _ = demo_run
    labels = _query(second, """SELECT l.label_fr, count(*) FROM clean.parent_responses p
                               JOIN clean.answer_labels l ON l.study_id = p.study_id AND l.wave = p.wave
                               AND l.instrument = 'parent' AND l.variable = 'wijk' AND l.code = p.wijk
                               WHERE p.wave = '2018' GROUP BY ALL ORDER BY 1""")
    assert [label for label, _ in labels] == ["Duchesse", "Gare de l'Ouest", "Molenbeek historique", "Reste de Bruxelles"]
    assert sum(n for _, n in labels) == _query(second, "SELECT count(wijk) FROM clean.parent_responses "
                                                       "WHERE wave = '2018'")[0][0]


def test_exports_hold_labelled_pseudonymised_microdata_and_the_published_tables(demo_run):
    import pyreadstat

    _, second, _ = demo_run
    folder = second.locations.exports  # <TOEGANG_HOME>/demo-brussels/exports/
    data, meta = pyreadstat.read_sav(str(folder / "microdata" / "parent_2018.sav"))
    clean = _query(second, "SELECT count(*) FROM clean.parent_responses WHERE wave = '2018'")[0][0]
    assert len(data) == clean and "respondent_id" in data.columns
    assert not {"response_id", "survey_id", "token", "opmerking", "andertaal"} & set(data.columns)  # no link, no free text
    assert meta.variable_value_labels["wijk"]["W01"] == "Hertogin"  # the base language's labels (nl)
    assert meta.column_names_to_labels["kent_S01"].endswith("Consultatiebureau (Kind & Gezin)")
    assert set(data["kent_S01"].dropna()) <= {0.0, 1.0}
    weights = _query(second, "SELECT weight FROM weighted.parent_weights WHERE wave = '2018' ORDER BY weight")
    assert sorted(data["weight"].dropna()) == [w for (w,) in weights] and len(weights) > 100  # empty for the rest
    published = duckdb.sql(f"SELECT count(*) FROM '{folder / 'indicators' / 'indicators.parquet'}'").fetchall()[0][0]
    assert published == _query(second, "SELECT count(*) FROM indicators.indicators")[0][0]
    assert (folder / "indicators" / "comparisons.csv").stat().st_size > 0
    assert (folder / "quotes" / "parent_2018.csv").read_text().strip() == "respondent_id,column_name,redacted_text"
    tests = dict(_query(second, "SELECT test, count(*) FROM indicators.comparisons GROUP BY test"))
    assert {"chi2_independence", "rao_scott_f", "welch_anova", "kruskal", "pairwise_welch_t"} <= set(tests)
    assert _query(second, "SELECT count(*) FROM indicators.channel_sensitivity WHERE NOT suppressed")[0][0] > 0
    assert _query(second, "SELECT count(*) FROM indicators.wave_differences WHERE wave_before = '2018'")[0][0] > 0


def test_the_benchmarks_weights_are_the_pipelines(demo_run, tmp_path):
    """The benchmark prepares its wave through ``benchmarks.indicators.prepare_wave``: loaded again under its own
    study id, the demo's 2018 parents get the pipeline's weights (quality exclusions, order, trimming). The
    benchmark declares no design (its large samples outgrow the demo's strata populations): it rakes from 1 where
    the demo rakes from N_h / n_h, constant within a margin's categories, so the weights agree to rounding."""
    from benchmarks.indicators import bench_study, prepare_wave
    from warehouse.connection import connect
    from warehouse.paths import Locations

    _, second, _ = demo_run
    study = bench_study("bench")
    survey = next(s for s in study.surveys_in("2018"))
    locations = Locations(tmp_path / "home", tmp_path / "site", tmp_path / "build")
    with connect(locations) as con:
        batch = raw.Batch("file", study.study_id, survey.survey_id, "2018", survey.instrument,
                          study.instrument(survey.instrument, "2018").version, survey.export.name, (),
                          csv_path=survey.export)
        raw.append(con, batch, pseudonym_key=study.demo_pseudonym_key.encode())
        timings: dict = {}
        assert prepare_wave(con, study, "2018", timings) > 200
        assert set(timings) == {"clean_s", "quality_flags_s", "weighting_s"}
        bench = con.execute("SELECT survey_id, response_id, weight, raked_weight FROM weighted.parent_weights "
                            "ORDER BY ALL").fetchall()
    demo = _query(second, "SELECT survey_id, response_id, weight, raked_weight FROM weighted.parent_weights "
                          "WHERE wave = '2018' ORDER BY ALL")
    assert [r[:2] for r in bench] == [r[:2] for r in demo]
    np.testing.assert_allclose([r[2:] for r in bench], [r[2:] for r in demo], rtol=1e-12, atol=0)


def test_weighting_diagnostics_describe_the_stored_weights(demo_run):
    """What the checks and the method page read equals what the stored weights say."""
    _, second, _ = demo_run
    stored = {r[0]: r[1:] for r in _query(second, """
        SELECT wave, count(*), sum(weight), sum(weight) ^ 2 / sum(weight ^ 2), min(weight), max(weight),
               stddev_pop(weight) / avg(weight), count(*) FILTER (WHERE weight <> raked_weight)
        FROM weighted.parent_weights GROUP BY wave""")}
    diagnostics = {r[0]: r[1:] for r in _query(second, """
        SELECT wave, n, weight_sum, n_eff, min_weight, max_weight, cv, trimmed, deff, sweeps, max_margin_error,
               margin_errors FROM weighted.weighting_diagnostics""")}
    assert set(diagnostics) == set(stored) == {"2018", "2021"}
    for wave, (n, total, n_eff, low, high, cv, trimmed, deff, sweeps, error, errors) in diagnostics.items():
        assert (n, trimmed) == (stored[wave][0], stored[wave][6])
        assert [total, n_eff, low, high, cv] == pytest.approx(list(stored[wave][1:6]), rel=1e-12)
        assert deff == pytest.approx(n / n_eff, rel=1e-12) and sweeps >= 1
        assert 0 <= error < 1e-9 and error == max(raked for raked, _ in json.loads(errors).values())


def test_diagnostics_that_no_longer_describe_the_weights_are_named(demo_run, tmp_path):
    """After an erasure (or in a warehouse from before the diagnostics table) the stored diagnostics and weights
    disagree: the blocking margins check names the waves to weight again instead of trusting them."""
    import shutil

    from pipelines.stages.weight import stale_diagnostics
    from warehouse.connection import connect
    from warehouse.paths import Locations

    _, second, _ = demo_run
    copy = Locations(tmp_path / "home", tmp_path / "site", tmp_path / "build")
    shutil.copytree(second.locations.home, copy.home)
    study = load_study(DEMO_STUDY)
    with connect(copy) as con:
        assert stale_diagnostics(con, study) == {}
        con.execute("DELETE FROM weighted.parent_weights WHERE wave = '2018' AND response_id = "
                    "(SELECT min(response_id) FROM weighted.parent_weights WHERE wave = '2018')")
        con.execute("DELETE FROM weighted.weighting_diagnostics WHERE wave = '2021'")
        assert sorted(stale_diagnostics(con, study)) == ["2018", "2021"]


def test_checks_judge_the_wave_of_their_run(demo_root, tmp_path):
    """A stale old wave does not block a run of another: each check on a partitioned asset reads its run's wave;
    publishing, which reads every wave, is refused until that wave is run again. And the margins check says, per category, the population and weighted totals it found."""
    from pipelines.resources.limesurvey import LimeSurveyResource
    from pipelines.resources.study import StudyResource
    from pipelines.resources.warehouse import WarehouseResource
    from pipelines.runner import selections
    from pipelines.stages.weight import margin_misses, stale_diagnostics, wave_margins
    from warehouse.connection import connect

    root = copy_run(demo_root, tmp_path / "run")
    locations, study = run_locations(root), load_study(DEMO_STUDY)
    with connect(locations) as con:
        con.execute("DELETE FROM weighted.weighting_diagnostics WHERE wave = '2021'")
    resources = {"warehouse": WarehouseResource(home=str(root / "home"), site=str(root / "site"),
                                                build=str(root / "build")),
                 "study": StudyResource(), "limesurvey": LimeSurveyResource()}
    result = dg.materialize(selections(DEMO_STUDY).wave, partition_key="2018", resources=resources,
                            instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    assert result.success
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert evaluations["weights_meet_margins"].passed and evaluations["no_small_indicator_cells"].passed
    # But publishing reads every wave: the stale 2021 stops the site and the exports, naming the wave.
    site_before = sorted(p.name for p in (root / "site").rglob("*"))
    published = dg.materialize(selections(DEMO_STUDY).study, resources=resources,
                               instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    gate = {e.check_name: e for e in published.get_asset_check_evaluations()}["every_wave_publishable"]
    assert not published.success and not gate.passed and "wave 2021" in gate.description
    assert not [e for e in published.get_asset_materialization_events()
                if e.asset_key.path[-1] in ("dashboard_site", "exports")]
    assert sorted(p.name for p in (root / "site").rglob("*")) == site_before
    with connect(locations) as con:
        assert list(stale_diagnostics(con, study)) == ["2021"] and stale_diagnostics(con, study, "2018") == {}
        assert margin_misses(con, study, "2018") == []
        first = con.execute("SELECT response_id FROM weighted.parent_weights WHERE wave = '2018' "
                            "ORDER BY response_id LIMIT 1").fetchall()[0][0]
        con.execute("UPDATE weighted.parent_weights SET raked_weight = raked_weight + 100 WHERE wave = '2018' "
                    "AND response_id = ?", [first])
        misses = margin_misses(con, study, "2018")
    # The respondent is in one category of each margin: that category, and only it, is missed.
    assert len(misses) == len(wave_margins(study, "2018").margins), misses
    assert all(re.fullmatch(r"wave 2018, margin \w+ = \w+: population [\d,.]+, weighted [\d,.]+ \(off by "
                            r"[\d.]+%\)", line) for line in misses), misses
