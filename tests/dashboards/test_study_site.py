"""Every study word on a site comes from its study: the site of tests/fixtures/studies/support-models
(instruments client, weighted, and worker, unweighted and not broken down; support models as subjects;
breakdowns district, age group and referrer, none with a map; the Levesque framework; a worker-minus-client
gap), built by the pipeline from generated responses (conftest.py), has its dimension pages titled with the
Levesque labels, its breakdowns' words and no map page, a comparison page whose sides are clients and workers
with what each said, and no word of the demo study. Each site's method page says how its standard errors follow
its study's design: the demo's (run once, conftest.py) drawn per neighbourhood, the second study's declaring none."""

import html
import re

import duckdb
import pandas as pd
import pytest

from dashboards.formatting import Reasons, interval_text, lowered, value_text
from dashboards.text import t
from instruments.study import DEMO_STUDY, load_study
from instruments.vocabulary import LANGUAGES
from tests.conftest import run_locations
from tests.dashboards.words import found, study_words


def _page(site, lang: str, name: str) -> str:
    return (site / lang / name).read_text(encoding="utf-8")


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _rows(second_site) -> pd.DataFrame:
    with duckdb.connect(str(second_site.warehouse), read_only=True) as con:
        return con.execute("SELECT * FROM indicators.indicators WHERE study_id = ? AND breakdown = 'all'",
                           [second_site.study.study_id]).df()


def test_the_pages_are_the_studys(second_site):
    site, study = second_site.site, second_site.study
    dimensions = {d.code: d for d in study.framework.dimensions}
    names = {p.name for p in (site / "en").glob("*.html")}
    # The client items are all on appropriateness; the indicators of no dimension are on the study's own page.
    assert names == {"index.html", "dimension-appropriateness.html", "dimension-other.html", "comparison.html",
                     "trend.html", "method.html", "downloads.html", "explorer.html"}
    for lang in LANGUAGES:
        assert {p.name for p in (site / lang).glob("*.html")} == names
        page = _page(site, lang, "dimension-appropriateness.html")
        title = dimensions["appropriateness"].labels[lang]
        assert re.search(r"<h1>(.*?)</h1>", page).group(1) == html.escape(title)  # Gepastheid, Adéquation
        assert _text(re.search(r"<h1>(.*?)</h1>", _page(site, lang, "dimension-other.html")).group(1)) == \
            study.other_section.title[lang]
        # Its indicators carry the same word, lowered, in every label (the rows of its tables by indicator).
        corner = f'<th scope="col">{html.escape(t("indicator", lang))}</th>'
        labels = [_text(h) for table in re.findall(r"<table.*?</table>", page, re.S) if corner in table
                  for h in re.findall(r'<th scope="row">(.*?)</th>', table)]
        assert all(lowered(title) in label for label in labels), labels
        # The clients' index and the gap, per model; the workers (not broken down) only beside the gaps.
        worker = study.role("worker").respondents[lang].lower()
        assert len(labels) == 6 and not [label for label in labels if worker in label.lower()]
        # Charted by its breakdowns (their words), not by the sensitivity check; no breakdown has a map.
        other = _text(_page(site, lang, "dimension-other.html"))
        for name in ("district", "age_group"):
            assert t("by_breakdown", lang, breakdown=study.breakdowns[name].title[lang]) in other
        assert t("by_breakdown", lang, breakdown=study.breakdowns["referral"].title[lang]) not in other
        assert not list((site / lang).glob("breakdown-*.html"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_comparison_page_sets_workers_beside_clients(second_site, lang):
    site, study = second_site.site, second_site.study
    page = _page(site, lang, "comparison.html")
    workers, clients = (study.role(name).respondents[lang] for name in ("worker", "client"))
    header = [_text(h) for h in re.findall(r'<th scope="col">(.*?)</th>', page.split('<table class="data text">')[1])]
    assert header[:5] == [t("indicator", lang), t("wave", lang), workers, clients, t("gap", lang)]
    assert f">{html.escape(t('and', lang, first=workers, last=lowered(clients)))}</h2>" in page
    rows = _rows(second_site).set_index("indicator")
    why = Reasons(study.publication.min_cell, {r.name: r.respondents for r in study.instruments})
    body = page.split('<table class="data text">')[1].split("<tbody>")[1]
    said = {_text(cells[0]): [_text(c) for c in cells[1:]]
            for cells in (re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", body))}
    gaps = [name for name in rows.index if name.startswith("fit_gap.")]
    assert len(said) == len(gaps) == 3  # one per support model
    assert set(rows.loc[gaps, "suppressed"]) == {True, False}  # (seed 7) gaps with a number, and withheld ones
    for gap in gaps:
        row = rows.loc[gap]
        subject = gap.split(".")[1]
        cells = said[next(label for label in said if study.subjects("models", "2025")[subject][lang] in label)]
        assert cells[0] == "2025"
        # The gap: a number with its interval, or why not (in the study's words: "fewer than 20 workers").
        if row["suppressed"]:
            assert cells[3] == f"— {why.text(row['reason'], lang, 'difference')}"
            assert lowered(workers) in cells[3] or lowered(clients) in cells[3]
        else:
            assert cells[3].startswith(f"{value_text(row['estimate'], 'difference', lang)} "
                                       f"{interval_text(row['ci_low'], row['ci_high'], 'difference', lang)}")
        # The workers' side: their index (or why not) and how many of them agree ("12 of 18").
        count = rows.loc[f"worker_agree.{subject}.appropriateness"]
        agree = t("k_of_n", lang, k=int(count["estimate"]), n=int(count["n"]))
        assert f" · {agree} (" in cells[1], cells[1]
        index = rows.loc[f"worker_index.{subject}.appropriateness"]
        assert cells[1].startswith("— " + why.text(index["reason"], lang, "index") if index["suppressed"]
                                   else value_text(index["estimate"], "index", lang))
        client = rows.loc[f"fit_index.{subject}.appropriateness"]
        assert cells[2].startswith(value_text(client["estimate"], "index", lang)) and " · " not in cells[2]


def test_no_page_carries_a_word_of_the_demo_study(second_site):
    demo = load_study(DEMO_STUDY)
    words = study_words(demo, every_framework=False)
    for lang in LANGUAGES:
        for path in sorted((second_site.site / lang).glob("*.html")):
            # Its own title may share a word with the demo ("wijk"): a study's title is its own.
            text = _text(path.read_text(encoding="utf-8")).replace(second_site.study.title[lang], "")
            assert found(words[lang], text) == [], (lang, path.name)
    # The demo's instrument and breakdown names are no code on the pages or in the downloads either.
    codes = set(demo.instrument_names) | set(demo.breakdowns)
    downloads = "".join(p.read_text(encoding="utf-8") for p in (second_site.site / "downloads").glob("*.csv"))
    pages = "".join(_text(p.read_text(encoding="utf-8")) for p in second_site.site.rglob("*.html"))
    for title in second_site.study.title.values():
        pages = pages.replace(title, "")
    assert [c for c in codes if re.search(rf"\b{re.escape(c)}\b", pages + downloads)] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_method_page_says_how_the_standard_errors_follow_each_studys_design(demo_root, second_site, lang):
    # The demo declares strata: wijk, stratum_sizes: margins on both waves of its parents: said once, naming the
    # strata by the title of its breakdown of that column.
    demo = load_study(DEMO_STUDY)
    word = demo.breakdowns["neighbourhood"].title[lang]
    page = _text(_page(run_locations(demo_root).site, lang, "method.html"))
    said = " ".join([t("design_strata", lang, stratum=word), t("design_strata_weights", lang, stratum=word),
                     t("variance_strata", lang)])
    assert page.count(said) == 1 and page.count("Taylor") == 1
    assert t("variance_linearisation", lang) not in page and "2018:" not in page.replace("\u00a0", " ")
    if lang == "en":
        assert ("The sample was drawn separately per neighbourhood. The weighting starts, per neighbourhood, from "
                "the population divided by the number of respondents. Standard errors follow that design and the "
                "raking (Taylor linearisation, with the calibration residuals weighted by the design weights, as "
                "R's calibrate).") in page
    # The second study declares no design: the standard errors follow Taylor linearisation and the raking.
    page = _text(_page(second_site.site, lang, "method.html"))
    assert page.count(t("variance_linearisation", lang)) == 1 and page.count("Taylor") == 1
    assert t("design_strata", lang, stratum="{}").split("{}")[0] not in page  # "The sample was drawn ..."
