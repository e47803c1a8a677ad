"""Nothing empty (issue 22, part 5): a section whose every cell is withheld is one sentence in nl, fr and en saying
why and what would make it publishable, with the study's numbers; no chart and no table of dashes. A partially
withheld block stays a chart with its table."""

import html
import re

import pytest

from dashboards.formatting import Reasons
from dashboards.model import checked_indicators
from dashboards.site import render_pages
from dashboards.text import t
from instruments.vocabulary import LANGUAGES
from tests.dashboards.sample import CATALOGUE, cell_keys, sample_content, sample_rows, sample_words

INDEX, GAP = "access_index.S01.bereikbaar", "perception_gap.S01.bereikbaar"
ALPHA = {"en": ("the items do not form a reliable scale (Cronbach's alpha below 0.7)",
                "a scale reliability (Cronbach's alpha) of at least 0.7"),
         "nl": ("de items vormen geen betrouwbare schaal (Cronbachs alfa onder 0,7)",
                "een betrouwbaarheid van de schaal (Cronbachs alfa) van minstens 0,7"),
         "fr": ("les items ne forment pas une échelle fiable (alpha de Cronbach inférieur à 0,7)",
                "une fiabilité de l'échelle (alpha de Cronbach) d'au moins 0,7")}


def _reasons() -> Reasons:
    words = sample_words()["words"]
    return Reasons(10, {"field_actor": words["respondents_field_actor"], "parent": words["respondents_parent"]})


def _planted():
    """The sample rows with the parents' reachability index withheld everywhere (its scale unreliable), and so the
    2021 gap built on it (2018's already was: 18 field actors)."""
    rows = sample_rows()
    rows.loc[rows["indicator"] == INDEX, ["suppressed", "reason"]] = [True, "alpha_below_0.7"]
    rows.loc[(rows["indicator"] == GAP) & (rows["wave"] == "2021"), ["suppressed", "reason"]] = \
        [True, "parent_index_withheld"]
    return rows


def _render(rows, lang: str) -> dict[str, str]:
    """The pages of the sample study with these rows, checked as write_site checks them (their cells name their
    rows: ``data-row``)."""
    return render_pages(sample_content(indicators=checked_indicators(rows, CATALOGUE)), lang, [])


@pytest.fixture(scope="module")
def planted():
    return {lang: _render(_planted(), lang) for lang in LANGUAGES}


@pytest.fixture(scope="module")
def sample():
    return {lang: _render(sample_rows(), lang) for lang in LANGUAGES}


def _main(page: str) -> str:
    return page.split('<main id="main"')[1].split("</main>")[0]


def _keys(page: str) -> set[str]:
    """The indicators of the cells of the page's tables (the planted rows are the sample's, in the same order)."""
    keys = cell_keys()
    return {keys[int(n)].split("|")[0] for n in re.findall(r'data-row="([0-9]+)"', page)}


def _after(page: str, heading: str) -> str:
    """The first paragraph after the heading with this text."""
    match = re.search(rf"<h[23][^>]*>{re.escape(html.escape(heading))}</h[23]>(?:<p class=\"intro\">.*?</p>)?"
                      r"<p class=\"withheld-note\">(.*?)</p>", page)
    assert match, heading
    return html.unescape(match.group(1))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_sentence_says_why_and_what_would_make_it_publishable_with_the_studys_numbers(lang):
    why, needs = ALPHA[lang]
    assert _reasons().withheld_sentence(["alpha_below_0.7"] * 3, lang) == t("all_withheld_sentence", lang, why=why,
                                                                             needs=needs)
    actors = sample_words()["words"]["respondents_field_actor"][lang].lower()
    gaps = _reasons().withheld_sentence(["field_actor_n_below_30", "parent_index_withheld"], lang,
                                        key="gaps_withheld_wave", wave="2021")
    assert "2021" in gaps and gaps.count("30") == 2 and gaps.count(actors) == 2 and "_" not in gaps


def test_each_reason_and_each_requirement_is_said_once_and_no_code_ever():
    why = _reasons()
    assert why.withheld_sentence(["primary", "secondary", "primary"], "en") == (
        "None of these figures can be published: fewer than 10 respondents per group and a hidden figure could "
        "otherwise be worked out from the others; publishing them would take at least 10 respondents per group.")
    nchs = why.withheld_sentence(["nchs_n_eff_kg_below_30", "nchs_width_0.3_or_more",
                                  "nchs_relative_width_above_130"], "en")
    assert ("an effective sample of at least 30, a 95% interval narrower than 30 percentage points and a 95% "
            "interval no wider than 130% of the share.") in nchs
    unknown = why.withheld_sentence(["rule_from_a_newer_analysis"], "fr")
    assert "rule" not in unknown and "_" not in unknown and "règles de l'étude" in unknown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_all_withheld_section_is_one_sentence_without_chart_or_table(planted, lang):
    pages, why = planted[lang], _reasons()
    alpha = why.withheld_sentence(["alpha_below_0.7"], lang)
    label = CATALOGUE[INDEX]["label"][lang]
    # Its dimension's page: the whole sample's index and gap by wave, and the index by breakdown, each a sentence;
    # nothing of it is charted or tabled, and with nothing else on the page, no chart at all.
    page = _main(pages["dimension-bereikbaar.html"])
    assert _after(page, t("dimension_whole", lang, unit=t("unit_index", lang))) == alpha
    assert _after(page, label) == alpha
    gap = _after(page, t("dimension_whole", lang, unit=t("unit_difference", lang)))
    assert gap == why.withheld_sentence(["field_actor_n_below_30", "parent_index_withheld"], lang)
    assert 'class="chart"' not in page and "<table" not in page and 'class="suppressed"' not in page
    # The map page links each headline indicator to the explorer, and to its chart by area only where one is drawn;
    # the trend page: a sentence where its chart was.
    page = _main(pages["breakdown-neighbourhood.html"])
    assert f"i={INDEX}&amp;b=neighbourhood" in page and f'#i-{INDEX}--neighbourhood"' not in page
    assert f'#i-{INDEX}--neighbourhood"' in _main(_render(sample_rows(), lang)["breakdown-neighbourhood.html"])
    page = _main(pages["trend.html"])
    title = t("trend_block", lang, dimension=sample_words()["words"]["dim_bereikbaar"][lang],
              unit=t("unit_index", lang))
    assert _after(page, title) == alpha and INDEX not in _keys(page)
    # The comparison page: each wave without a gap says why; no chart of gaps; each side still said in the table.
    page = _main(pages["comparison.html"])
    sentences = [html.unescape(s) for s in re.findall(r'<p class="withheld-note">(.*?)</p>', page)]
    assert sentences == [why.withheld_sentence(["field_actor_n_below_30"], lang, key="gaps_withheld_wave", wave="2018"),
                         why.withheld_sentence(["parent_index_withheld"], lang, key="gaps_withheld_wave", wave="2021")]
    assert 'class="chart"' not in page and "<table" in page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_partly_withheld_block_stays_a_chart_with_its_table(sample, lang):
    pages, why = sample[lang], _reasons()
    # The understandability index: withheld in 2018 (alpha), published in 2021: charted, the 2018 cell explained.
    page = _main(pages["dimension-begrijpbaar.html"])
    assert 'class="chart"' in page and "access_index_begrijpbaar" in _keys(page)
    assert html.escape(why.text("alpha_below_0.7", lang)) in page and 'class="withheld-note"' not in page
    # The gaps: 2021's is charted, 2018 (18 field actors) is the one wave said in a sentence.
    page = _main(pages["comparison.html"])
    assert page.count('class="chart"') == 1
    assert re.findall(r'<p class="withheld-note">(.*?)</p>', page) == [html.escape(
        why.withheld_sentence(["field_actor_n_below_30"], lang, key="gaps_withheld_wave", wave="2018"))]
