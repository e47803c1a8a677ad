"""dashboards/pages/factsheet.py: a factsheet per area of the map's breakdown and per subject, in each language,
whose numbers are the indicator rows (the area's and all respondents'), a withheld cell said in words, a count as
"k of n", links from the map page and the index, and none when the study asks for none."""

import html
import re
from dataclasses import replace

import pytest

from dashboards.blocks import Ids
from dashboards.formatting import Reasons, interval_text, value_text
from dashboards.model import checked_indicators
from dashboards.pages.breakdown_map import map_page
from dashboards.pages.factsheet import HEIGHT, PAD, WIDTH, dot_svg, factsheet_pages, index_page, sheets
from dashboards.text import t
from instruments.study import DEMO_STUDY, load_study
from instruments.vocabulary import LANGUAGES
from pipelines.stages.publish import study_words
from tests.dashboards.sample import AREAS, CATALOGUE, cell_keys, sample_content, sample_rows, sample_words

AREA_FILES = [f"neighbourhood-W0{k}.html" for k in range(1, 5)]
CELL = re.compile(r'<td(?: class="(?P<css>[^"]*)")? data-row="(?P<row>[0-9]+)">(?P<text>.*?)</td>')


def _content(rows=None, **changes):
    """The sample site's content with its rows checked, as ``write_site`` hands them to the pages."""
    content = sample_content(**changes) if rows is None else sample_content(indicators=rows, **changes)
    return replace(content, indicators=checked_indicators(content.indicators, content.catalogue, content.breakdowns))


@pytest.fixture(scope="module")
def content():
    return _content()


def _cells(page: str) -> dict[str, dict]:
    """The key of the row a cell names (``data-row``, ``cell_keys``) -> the cell's class, whether it shows a value,
    and its text as read."""
    keys, found = cell_keys(), {}
    for match in CELL.finditer(page):
        key = keys[int(match["row"])]
        text = html.unescape(re.sub(r"<[^>]+>", "", match["text"]))
        found[key] = {"css": match["css"] or "", "text": text, "shown": "<b>" in match["text"]}
    return found


def _row(rows, indicator, breakdown, domain, wave):
    return rows[(rows["indicator"] == indicator) & (rows["breakdown"] == breakdown) & (rows["domain"] == domain)
                & (rows["wave"] == wave)].iloc[0]


def test_a_factsheet_per_area_and_per_subject_in_each_language(content):
    assert [s.file for s in sheets(content)] == [*AREA_FILES, "subject-S01.html"]
    subject = sample_words()["words"]["subject_S01"]
    for lang in LANGUAGES:
        pages = factsheet_pages(content, lang)
        assert sorted(pages) == sorted(f"factsheets/{name}" for name in [*AREA_FILES, "subject-S01.html"])
        for code, names in AREAS.items():
            page = pages[f"factsheets/neighbourhood-{code}.html"]
            assert f'<html lang="{lang}">' in page and f"<h1>{html.escape(names[lang])}</h1>" in page
            assert html.escape(content.study_title[lang]) in page  # the study's title, printed with the page
            # W03 and W04: every figure of 2021 withheld, so 2018's
            wave = "2018" if code in ("W03", "W04") else "2021"
            assert html.escape(t("fs_area_kind", lang, breakdown=sample_words()["words"]["breakdown_neighbourhood"]
                                 [lang].capitalize(), wave=wave)) in page
            assert 'href="../method.html"' in page  # the method note's link
        assert f"<h1>{html.escape(subject[lang])}</h1>" in pages["factsheets/subject-S01.html"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_areas_figures_are_its_rows_beside_all_respondents(content, lang):
    rows = checked_indicators(sample_rows(), CATALOGUE)
    cells = _cells(factsheet_pages(content, lang)["factsheets/neighbourhood-W02.html"])
    headline = ["awareness", "use", "access_index.S01.bereikbaar"]  # the parents' headline indicators by area
    expected = {f"{name}|{b}|{d}|2021|parent" for name in headline for b, d in (("neighbourhood", "W02"),
                                                                                ("all", "all"))}
    assert set(cells) == expected
    for key, cell in cells.items():
        indicator, breakdown, domain, wave, _ = key.split("|")
        row = _row(rows, indicator, breakdown, domain, wave)
        assert cell["shown"] and value_text(row["estimate"], row["unit"], lang) in cell["text"]
        assert interval_text(row["ci_low"], row["ci_high"], row["unit"], lang) in cell["text"]
        assert f"n\u00a0=\u00a0{int(row['n'])}" in cell["text"]
    # awareness in W02, 2021 is flagged for review by the NCHS standards: its mark and the mark's legend
    assert "\u00a7" in cells["awareness|neighbourhood|W02|2021|parent"]["text"]
    page = factsheet_pages(content, lang)["factsheets/neighbourhood-W02.html"]
    assert html.escape(f"\u00a7 {t('nchs_review', lang)}") in page
    # No judgement: the page says no test compares an area with all respondents.
    assert html.escape(t("fs_no_test", lang)) in page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_withheld_cell_is_said_in_words(lang):
    rows = sample_rows()
    at = (rows["indicator"] == "use") & (rows["domain"] == "W01") & (rows["wave"] == "2021")
    rows.loc[at, ["suppressed", "reason"]] = [True, "secondary"]
    page = factsheet_pages(_content(rows), lang)["factsheets/neighbourhood-W01.html"]
    cells = _cells(page)
    hidden = cells["use|neighbourhood|W01|2021|parent"]
    assert hidden["css"] == "suppressed" and not hidden["shown"]
    assert hidden["text"] == f"— {Reasons(10).text('secondary', lang)}"
    assert cells["awareness|neighbourhood|W01|2021|parent"]["shown"]
    assert value_text(rows.loc[at, "estimate"].iloc[0], "proportion", lang) not in hidden["text"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_wave_whose_every_figure_is_withheld_is_one_sentence_and_the_latest_with_figures_follows(content, lang):
    rows = checked_indicators(sample_rows(), CATALOGUE)
    for code, reason in (("W04", "primary"), ("W03", "secondary")):  # 7 respondents in 2021, and so W03 too
        page = factsheet_pages(content, lang)[f"factsheets/neighbourhood-{code}.html"]
        said = t("fs_all_withheld", lang, wave="2021", reasons=Reasons(10).text(reason, lang), earlier="2018")
        assert html.escape(said) in page
        cells = _cells(page)
        assert {key.split("|")[3] for key in cells} == {"2018"}
        for name in ("awareness", "use", "access_index.S01.bereikbaar"):
            row = _row(rows, name, "neighbourhood", code, "2018")
            assert value_text(row["estimate"], row["unit"], lang) in cells[f"{name}|neighbourhood|{code}|2018|parent"][
                "text"]
    rows = sample_rows()
    rows.loc[rows["domain"] == "W04", ["suppressed", "reason"]] = [True, "primary"]
    page = factsheet_pages(_content(rows), lang)["factsheets/neighbourhood-W04.html"]
    assert html.escape(t("fs_all_withheld_always", lang, reasons=Reasons(10).text("primary", lang))) in page
    assert "<table" not in page


def test_a_count_is_shown_as_k_of_n_and_not_drawn():
    rows = sample_rows()
    at = (rows["indicator"] == "use") & (rows["domain"] == "W01") & (rows["wave"] == "2021")
    rows["as_count"], rows["numerator"] = False, None
    # As the indicator table publishes a share under min_percentage_n: its count of n, no interval.
    rows.loc[at, ["as_count", "numerator", "n", "se", "ci_low", "ci_high"]] = [True, 23, 76, None, None, None]
    content = _content(rows)
    for lang in LANGUAGES:
        page = factsheet_pages(content, lang)["factsheets/neighbourhood-W01.html"]
        cell = _cells(page)["use|neighbourhood|W01|2021|parent"]
        assert cell["text"].startswith(t("k_of_n", lang, k=23, n=76)) and "%" not in cell["text"]
    row = content.indicators[at].iloc[0]
    assert "<circle" not in dot_svg(row, None, "proportion")


def test_the_drawing_puts_the_dot_at_the_estimate_and_nothing_for_a_hidden_cell(content):
    rows = content.indicators
    area = _row(rows, "use", "neighbourhood", "W01", "2021")
    whole = _row(rows, "use", "all", "all", "2021")
    drawing = dot_svg(area, whole, "proportion")
    scale = WIDTH - 2 * PAD
    cx = float(re.search(r'<circle cx="([0-9.]+)"', drawing)[1])
    assert cx == pytest.approx(PAD + scale * area["estimate"], abs=0.1)
    line = re.search(r'<path class="i" d="M([0-9.]+) {}H([0-9.]+)"'.format(HEIGHT // 2), drawing)
    assert (float(line[1]), float(line[2])) == (pytest.approx(PAD + scale * area["ci_low"], abs=0.1),
                                               pytest.approx(PAD + scale * area["ci_high"], abs=0.1))
    band = re.search(r'<path class="b" d="M([0-9.]+) 2H([0-9.]+)V', drawing)
    assert (float(band[1]), float(band[2])) == (pytest.approx(PAD + scale * whole["ci_low"], abs=0.1),
                                               pytest.approx(PAD + scale * whole["ci_high"], abs=0.1))
    assert float(re.search(r'<path class="r" d="M([0-9.]+) ', drawing)[1]) == \
        pytest.approx(PAD + scale * whole["estimate"], abs=0.1)
    hidden = _row(rows, "use", "neighbourhood", "W04", "2021")
    assert "<circle" not in dot_svg(hidden, whole, "proportion")  # only all respondents' band
    assert dot_svg(hidden, None, "proportion") == "" and dot_svg(area, whole, "mean") == ""


def test_the_map_page_and_the_index_link_every_factsheet(content):
    for lang in LANGUAGES:
        links = set(re.findall(r'href="(factsheets/[^"]+)"', map_page(content, "neighbourhood", lang, Ids())))
        assert links == {f"factsheets/{name}" for name in AREA_FILES}
        links = set(re.findall(r'href="(factsheets/[^"]+)"', index_page(content, lang)))
        assert links == {f"factsheets/{name}" for name in [*AREA_FILES, "subject-S01.html"]}


def test_the_study_chooses_which_factsheets():
    assert sheets(_content(factsheets=())) == []
    assert "factsheets/" not in map_page(_content(factsheets=()), "neighbourhood", "en", Ids())
    assert [s.file for s in sheets(_content(factsheets=("subjects",)))] == ["subject-S01.html"]
    assert [s.file for s in sheets(_content(factsheets=("areas",)))] == AREA_FILES


def test_the_pipeline_hands_over_the_studys_choice_and_its_subjects_names():
    demo = study_words(load_study(DEMO_STUDY))  # the demo prints its areas' factsheets only
    assert demo["factsheets"] == ("areas",) and not [k for k in demo["words"] if k.startswith("subject_")]
    words = sample_words()  # the demo with its subjects' factsheets
    assert words["factsheets"] == ("areas", "subjects")
    study = load_study(DEMO_STUDY)
    assert words["words"]["subject_S01"] == study.subjects("services", "2021")["S01"]
