"""The marks of the shares the NCHS presentation standards flag (dashboards/marks.py): each rule's code gets
the mark of what it leads to, for any numbers a study chooses; a flagged share is marked wherever its value is
shown (table cell with words for screen readers, chart's summary, tile; the chart's hover label is the cell,
test_browser.py), with a legend on the
page in its language, and no page without a flagged share has a mark or a legend; where the study withholds
such shares, they are hidden cells with their reason and nothing is marked as withheld."""

import html
import re

import pandas as pd
import pytest

from analyses.standards import SUPPRESS, ProportionStandards
from dashboards.formatting import value_text
from dashboards.marks import FOOTNOTE, NCHS, REVIEW, SYMBOLS, WITHHOLD, nchs_kind, nchs_marks
from dashboards.model import checked_indicators
from dashboards.site import render_pages, write_site
from dashboards.text import t
from instruments.vocabulary import LANGUAGES
from tests.dashboards.sample import CATALOGUE, FLAGGED, cell_keys, sample_content, sample_rows, sample_rules

# The sample's flagged shares (sample.FLAGGED), by the key of their table cell, and the marks each must carry.
EXPECTED = {"unmet_need|education|LAAG|2021|parent": "\u2020\u00a7",  # † §: would be withheld; few df
            "awareness|neighbourhood|W02|2021|parent": "\u00a7",  # §: few degrees of freedom
            "use|neighbourhood|W04|2018|parent": "\u2021"}  # ‡: the complement's interval is too wide
FLAGGED_PAGES = {"dimension-other.html", "dimension-bekend.html", "breakdown-neighbourhood.html"}
NCHS_SYMBOLS = {SYMBOLS[m] for m in NCHS}
KIND = {SYMBOLS[m]: m for m in NCHS}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("marks") / "site"
    write_site(root, sample_content())
    return root


def _cells(page: str) -> dict[str, str]:
    """Table cell key (indicator|breakdown|domain|wave|instrument) -> the cell's HTML. A cell names its row by its
    number (``data-row``, ``cell_keys``)."""
    keys = cell_keys()
    return {keys[int(n)]: cell for n, cell in re.findall(r'<td[^>]* data-row="([0-9]+)"[^>]*>(.*?)</td>', page)}


def _render(lang: str, rows: pd.DataFrame, **changes) -> dict[str, str]:
    """The sample's pages with these rows, checked as write_site checks them."""
    return render_pages(sample_content(indicators=checked_indicators(rows, CATALOGUE), **changes), lang, [])


def _sups(fragment: str) -> list[tuple[str, str]]:
    """(symbol, words for screen readers) of each mark."""
    return [(symbol, html.unescape(said)) for symbol, said in
            re.findall(r'<sup>(.)<span> ([^<]*)</span></sup>', fragment)]


def _notes(page: str) -> list[str]:
    return [html.unescape(n) for n in re.findall(r'<p class="table-note">(.*?)</p>', page)]




@pytest.mark.parametrize("rules", [ProportionStandards(), ProportionStandards(
    action="suppress", min_n_eff_kg=50, present_width=0.04, max_width=0.25, max_relative_width=1.5, min_df=12)])
def test_each_rule_code_gets_the_mark_of_what_it_leads_to(rules):
    """The codes carry the study's numbers; the mark follows the rule (analyses.standards), not the numbers."""
    leads_to = {SUPPRESS: WITHHOLD, "footnote": FOOTNOTE, "review": REVIEW}
    codes = rules.codes()
    assert len(codes) == 6
    for code, outcome in codes.items():
        assert nchs_kind(code) == leads_to[outcome], code
    assert nchs_marks(";".join(reversed(list(codes)))) == (WITHHOLD, FOOTNOTE, REVIEW)  # in one order
    assert nchs_marks("present") == nchs_marks(None) == nchs_marks(float("nan")) == ()


def test_the_samples_flags_are_what_the_rules_give_their_numbers():
    """Not a hand-waved sample: the flagged rows' numbers meet exactly the rules their flag names."""
    from analyses.standards import proportion_flags

    rows = sample_rows().set_index(["indicator", "breakdown", "domain", "wave"])
    for key in FLAGGED:
        row = rows.loc[key]
        flags = proportion_flags(row["estimate"], row["ci_low"], row["ci_high"], row["n_eff_kg"], row["df"],
                                 ProportionStandards())
        assert ";".join(flags) == row["nchs_flag"], key
        assert EXPECTED["|".join((*key, "parent"))] == "".join(SYMBOLS[m] for m in nchs_marks(row["nchs_flag"]))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_flagged_share_is_marked_with_a_legend_exactly_where_it_is_shown(site, lang):
    pages_with_marks = set()
    # The explorer draws its tables in the browser (test_browser.py reads its marks there).
    for path in sorted(p for p in (site / lang).glob("*.html") if p.name != "explorer.html"):
        page = path.read_text(encoding="utf-8")
        cells = _cells(page)
        shown = {}
        for key, cell in cells.items():
            marks = "".join(symbol for symbol, _ in _sups(cell) if symbol in NCHS_SYMBOLS)
            assert marks == EXPECTED.get(key, ""), (path.name, key)
            for symbol, said in _sups(cell):  # said to screen readers, not only drawn
                assert said == t("low_n_eff_short" if symbol == "*" else f"{KIND[symbol]}_short", lang)
            shown.update({key: marks} if marks else {})
        # The tile map's tiles (the map page) show values with their marks too.
        tiles = "".join(re.findall(r'<li class="tile"[^>]*>.*?</li>', page))
        kinds = {KIND[symbol] for marks in shown.values() for symbol in marks}
        kinds |= {KIND[symbol] for symbol, _ in _sups(tiles) if symbol in NCHS_SYMBOLS}
        legend = {note for note in _notes(page) if note[:1] in NCHS_SYMBOLS}
        # One legend line per mark the page shows, in the page's language; none where nothing is flagged.
        assert legend == {f"{SYMBOLS[k]} {t(k, lang)}" for k in kinds}, path.name
        if not kinds:
            assert not [k for k in NCHS if t(k, lang) in html.unescape(page)], path.name
        else:
            pages_with_marks.add(path.name)
        # The method page explains the marks; no other page without a flagged share names them.
        if path.name != "method.html" and not kinds:
            assert not NCHS_SYMBOLS & set(re.sub(r"<script.*?</script>", "", page, flags=re.S)), path.name
    assert pages_with_marks == FLAGGED_PAGES


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_summary_chart_and_tile_map_mark_the_value_they_show(site, lang):
    page = (site / lang / "breakdown-neighbourhood.html").read_text(encoding="utf-8")
    rows = checked_indicators(sample_rows(), CATALOGUE)
    row = rows[(rows["indicator"] == "awareness") & (rows["domain"] == "W02") & (rows["wave"] == "2021")].iloc[0]
    value = value_text(row["estimate"], "proportion", lang)
    # The text alternative of its chart by area (its dimension's page): the value with its mark, and a sentence
    # pointing at the legend.
    chart = (site / lang / "dimension-bekend.html").read_text(encoding="utf-8")
    chart = re.search(r'<section class="block" id="i-awareness--neighbourhood">(.*?)</section>', chart, re.S).group(1)
    summary = html.unescape(re.search(r'<p class="summary" id="b\d+-s">(.*?)</p>', chart).group(1))
    assert f"{value}\u00a7" in summary and t("summary_marked", lang, count=1) in summary
    # On the chart, the value's hover label is its table cell, mark and words (test_browser.py draws it).
    # The tile map (wave 2021) prints the value with its mark, and says what it means.
    tile = re.search(r'<li class="tile"[^>]*data-domain="W02">(.*?)</li>', page).group(1)
    assert [s for s, _ in _sups(tile)] == ["\u00a7"] and value in html.unescape(tile)
    tile_map = re.search(r'<figure class="tile-map">(.*?)</figure>', page, re.S).group(1)
    assert _notes(tile_map) == [f"\u00a7 {t(REVIEW, lang)}"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_whole_sample_shares_are_marked_on_the_overview_and_the_trend(lang):
    """A flagged share of every respondent: on the overview's and trend's charts, tables and summaries."""
    rows = sample_rows()
    at = (rows["indicator"] == "awareness") & (rows["breakdown"] == "all") & (rows["wave"] == "2021")
    rows.loc[at, "nchs_flag"] = "width_0.3_or_more"
    pages = _render(lang, rows)
    value = value_text(rows.loc[at, "estimate"].iloc[0], "proportion", lang)
    for name in ("index.html", "trend.html", "dimension-bekend.html"):
        page = pages[name]
        cell = _cells(page)["awareness|all|all|2021|parent"]
        assert [s for s, _ in _sups(cell)] == ["\u2020"], name
        assert f"\u2020 {t(WITHHOLD, lang)}" in _notes(page), name
        assert f"{value}\u2020" in html.unescape(page), name  # in the chart's summary


@pytest.mark.parametrize("lang", LANGUAGES)
def test_where_the_study_withholds_them_they_are_hidden_cells_with_their_reason(lang):
    """``action: suppress``: the indicator table withholds what the standards would not publish (reason
    nchs_<rule>); the pages say why with the study's number and mark nothing as "would be withheld"."""
    rows = sample_rows()
    at = (rows["indicator"] == "unmet_need") & (rows["domain"] == "LAAG") & (rows["wave"] == "2021")
    rows.loc[at, ["suppressed", "reason", "nchs_flag"]] = [True, "nchs_n_eff_kg_below_50", None]
    pages = _render(lang, rows, proportions=sample_rules(action="suppress", min_n_eff_kg=50))
    why = {"en": "not shown: too few effective respondents for a reliable share (under 50; NCHS standards)",
           "nl": "niet getoond: te weinig effectieve respondenten om het aandeel te publiceren (minder dan 50; "
                 "NCHS-normen)",
           "fr": "non affiché : trop peu de répondants effectifs pour une part fiable (moins de 50 ; normes du "
                 "NCHS)"}[lang]
    cell = _cells(pages["dimension-other.html"])["unmet_need|education|LAAG|2021|parent"]
    assert 'class="reason"' in cell and why in html.unescape(cell) and "<b>" not in cell
    assert f'<li data-reason="nchs_n_eff_kg_below_50">{html.escape(why)}</li>' in pages["method.html"]
    assert html.escape(t("nchs_action_suppress", lang, footnote="\u2021", review="\u00a7")) in pages["method.html"]
    for name, page in pages.items():
        assert t(WITHHOLD, lang) not in html.unescape(page) and "\u2020" not in page, name
    # The other flags are still marked.
    assert f"\u2021 {t(FOOTNOTE, lang)}" in _notes(pages["dimension-other.html"])


def test_a_hidden_cell_carries_no_flag():
    """A flag says something about the estimate ("estimate_0_or_1"): a hidden row loses it, like its numbers."""
    rows = sample_rows()
    rows.loc[0, ["suppressed", "reason", "nchs_flag", "df", "n_eff_kg"]] = [True, "primary", "estimate_0_or_1", 9,
                                                                           9.0]
    checked = checked_indicators(rows, CATALOGUE)
    assert checked.loc[0, ["nchs_flag", "df", "n_eff_kg"]].isna().all()
    assert pd.notna(checked.loc[1, "df"])
