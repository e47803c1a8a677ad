"""The static site from hand-made indicator rows: pages per language, links that resolve, tables equal
to the rows, suppressed cells as explained gaps, escaped text, downloads equal to the rows, aggregates
only, one local plotly.js, under the size budget, and swapped in whole."""

import html
import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs

import duckdb
import pandas as pd
import pytest

from dashboards import site as site_module
from dashboards.blocks import cell_html
from dashboards.formatting import Reasons, interval_text, value_text
from dashboards.model import INDICATOR_COLUMNS, ContentError, catalogue_entry, checked_indicators
from dashboards.pages.breakdowns import breakdowns_shown
from dashboards.pages.common import reasons
from dashboards.site import render_pages, write_site
from dashboards.text import t
from instruments.vocabulary import LANGUAGES
from tests.dashboards.sample import (AMONG, CATALOGUE, sample_content, sample_designs, sample_method, sample_rows,
                                    sample_rules, sample_words)

SIZE_BUDGET = 8 * 2**20


class Page(HTMLParser):
    """Links, scripts and table cells (with their data attributes and text) of one page."""

    def __init__(self, text: str):
        super().__init__()
        self.lang, self.links, self.scripts, self.cells, self.ids = None, [], [], [], []
        self._cell = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        elif tag == "script" and "src" in attrs:
            self.scripts.append(attrs["src"])
        elif tag == "td":
            self._cell = {**attrs, "text": ""}
            self.cells.append(self._cell)

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("site") / "site"
    pages = write_site(root, sample_content())
    return root, pages


def _pages(root: Path) -> dict[Path, Page]:
    return {p: Page(p.read_text(encoding="utf-8")) for p in root.rglob("*.html")}


def test_every_page_exists_in_three_languages_with_its_lang(built):
    root, pages = built
    names = {p.name for p in (root / "en").glob("*.html")}
    assert names == {"index.html", "dimension-bekend.html", "dimension-bereikbaar.html", "dimension-betaalbaar.html",
                     "dimension-begrijpbaar.html", "dimension-other.html", "breakdown-neighbourhood.html",
                     "comparison.html", "trend.html", "method.html", "downloads.html", "factsheets.html",
                     "explorer.html"}
    sheets = {f"factsheets/neighbourhood-W0{k}.html" for k in range(1, 5)} | {"factsheets/subject-S01.html"}
    for lang in LANGUAGES:
        assert {p.name for p in (root / lang).glob("*.html")} == names
        assert {str(p.relative_to(root / lang)) for p in (root / lang / "factsheets").glob("*")} == sheets
        for name in names | sheets:
            assert Page((root / lang / name).read_text(encoding="utf-8")).lang == lang
    assert set(pages) == {root / "index.html", *(root / lang / n for lang in LANGUAGES for n in names | sheets)}


def test_every_link_resolves_and_every_page_switches_language(built):
    root, _ = built
    pages = _pages(root)
    by_file = {p.resolve(): page for p, page in pages.items()}  # the site is a link to its current folder
    for path, page in pages.items():
        for href in page.links:
            target, _, anchor = href.partition("#")
            resolved = (path.parent / target).resolve() if target else path.resolve()
            assert resolved.is_file(), f"{path.relative_to(root)} links to missing {href}"
            if target.endswith("explorer.html") and anchor:  # a permalink: the view the explorer opens
                view = parse_qs(anchor)
                assert view["i"][0] in CATALOGUE and view["v"][0] in ("chart", "table", "map"), href
            elif anchor:  # the key findings and the map page link to their charts on other pages
                assert anchor in by_file[resolved].ids, f"{path.relative_to(root)} links to missing {href}"
        if path.parent.name == "factsheets":  # one folder down
            assert {f"../../{lang}/factsheets/{path.name}" for lang in LANGUAGES} <= set(page.links)
        elif path.parent != root:
            assert {f"../{lang}/{path.name}" for lang in LANGUAGES} <= set(page.links)


def test_plotly_is_shipped_once_locally_and_no_page_reaches_the_network(built):
    root, _ = built
    scripts = {s for page in _pages(root).values() for s in page.scripts}
    assert scripts == {"../assets/plotly-basic.min.js", "../assets/site.js", "../assets/explorer-data.js",
                       "../assets/explorer.js"}
    assert len(list(root.rglob("plotly*.js"))) == 1
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path
        assert "Plotly.newPlot" not in text  # drawn by site.js, not inlined per figure


def test_site_stays_under_the_size_budget(built):
    root, _ = built
    assert sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) < SIZE_BUDGET


KEY = ("indicator", "breakdown", "domain", "wave", "instrument")


def _rows_by_key() -> dict[str, pd.Series]:
    rows = checked_indicators(sample_rows(), CATALOGUE)
    return {"|".join(str(r[c]) for c in KEY): r for _, r in rows.iterrows()}


def _keys_by_number(root: Path) -> dict[int, str]:
    """A cell's ``data-row`` -> the key of the row it names: that line of the site's own indicators.csv, counted
    from 1 after its header."""
    download = pd.read_csv(root / "downloads" / "indicators.csv", dtype=str, keep_default_na=False)
    return {number: "|".join(r[c] for c in KEY) for number, r in enumerate(download.to_dict("records"), start=1)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_table_cells_equal_the_indicator_rows(built, lang):
    root, _ = built
    rows, keys, why = _rows_by_key(), _keys_by_number(root), reasons(sample_content())
    seen = set()
    for path in (root / lang).rglob("*.html"):  # the factsheets too
        for cell in Page(path.read_text(encoding="utf-8")).cells:
            if "data-row" not in cell:
                continue
            key = keys[int(cell["data-row"])]
            row = rows[key]
            seen.add(key)
            if row["suppressed"]:
                assert "0%" not in cell["text"] and cell["text"].startswith("—")
                assert why.text(row["reason"], lang, row["unit"]) in cell["text"]
            else:
                assert value_text(row["estimate"], row["unit"], lang) in cell["text"]
                assert interval_text(row["ci_low"], row["ci_high"], row["unit"], lang) in cell["text"]
                assert f"n\u00a0=\u00a0{int(row['n'])}" in cell["text"]
    # Every row of the instruments that are broken down, and every gap, charted by the page rules is in some
    # table (the rest is in the downloads); the other instruments' rows are said beside the gaps, in words.
    withheld = {r["indicator"] for r in rows.values() if r["breakdown"] != "all"} - {
        r["indicator"] for r in rows.values() if r["breakdown"] != "all" and not r["suppressed"]}
    content = sample_content()
    assert content.broken_down == ("parent",)
    assert {r["instrument"] for k, r in rows.items() if k in seen} == {"parent", "both"}
    shown = {k for k, r in rows.items() if (r["instrument"] in content.broken_down or r["unit"] == "difference") and (
        r["breakdown"] == "all" or (r["breakdown"] in breakdowns_shown(content,
                                                                       catalogue_entry(CATALOGUE[r["indicator"]]))
                                    and r["indicator"] not in withheld))}
    assert shown <= seen
    assert set(rows) - seen  # not a tautology: some rows are in the downloads only


def _block(root: Path, lang: str, page: str, anchor: str) -> tuple[dict, str, str]:
    """The figure, summary and HTML of the chart block with this anchor (``breakdown_anchor``) on a page."""
    text = (root / lang / page).read_text(encoding="utf-8")
    block = re.search(rf'<section class="block" id="{re.escape(anchor)}">(.*?)</section>', text, re.S).group(1)
    figure = json.loads(re.search(r'<script type="application/json" id="b\d+-data">(.*?)</script>', block).group(1))
    return figure, re.search(r'<p class="summary" id="b\d+-s">(.*?)</p>', block).group(1), block


def test_suppressed_cells_are_explained_gaps_in_table_and_chart(built):
    root, _ = built
    text = (root / "en" / "breakdown-neighbourhood.html").read_text(encoding="utf-8")
    awareness, summary, block = _block(root, "en", "dimension-bekend.html", "i-awareness--neighbourhood")
    assert t("reason_primary", "en", min_n=10) in block and t("reason_secondary", "en") in block
    later = next(trace for trace in awareness["data"] if trace["name"] == "Wave 2021")
    labels = dict(zip(awareness["data"][0]["y"], later["x"]))  # a later bar has the first's categories (site.js)
    assert labels["Rest of Brussels"] is None and labels["Weststation (Gare de l'Ouest)"] is None  # a gap, not 0
    notes = [a["text"] for a in awareness["layout"]["annotations"]]
    assert notes.count("— not shown") == 2
    # Historic Molenbeek's 2021 share is for statistical review (few degrees of freedom): marked in words too.
    assert summary == ("Wave 2021: highest for Hertogin (Duchesse) (57%), lowest for Historic Molenbeek (52%§). "
                       "2 cell(s) not shown; the table says why. 1 value(s) carry a mark; the notes under the table "
                       "explain what it means.")
    tiles = re.findall(r'<li class="tile suppressed".*?</li>', text)
    assert len(tiles) == 2 and all("—" in tile for tile in tiles)


def _main(page: str) -> str:
    return re.sub(r"<script.*?</script>", "", page.split('<main id="main"')[1].split("</main>")[0], flags=re.S)


def _table_rows(page: str, caption_start: str) -> tuple[list[str], list[list[str]]]:
    """The header and body rows (cell texts) of the table whose caption starts with ``caption_start``."""
    table = next(t for t in re.findall(r"<table.*?</table>", page, re.S)
                 if html.unescape(re.search(r"<caption>(.*?)</caption>", t).group(1)).startswith(caption_start))
    header = [html.unescape(h) for h in re.findall(r'<th scope="col">(.*?)</th>', table)]
    body = [[html.unescape(re.sub(r"<.*?>", "", c)) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1])]
    return header, body


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_comparison_page_sets_each_gap_beside_what_each_side_said(built, lang):
    root, _ = built
    page = (root / lang / "comparison.html").read_text(encoding="utf-8")
    words = sample_words()["words"]
    actors, parents = words["respondents_field_actor"][lang], words["respondents_parent"][lang]
    assert f"<h1>{t('page_comparison', lang)}</h1>" in page
    header, body = _table_rows(page, f"{actors} ")
    # The table's sides are the two instruments, named by who answers them, in the difference's order.
    assert header == [t("indicator", lang), t("wave", lang), actors, parents, t("gap", lang)]
    rows = checked_indicators(sample_rows(), CATALOGUE)
    rows = rows[rows["breakdown"] == "all"].set_index(["indicator", "wave"])
    why = Reasons(10, {"field_actor": words["respondents_field_actor"], "parent": words["respondents_parent"]})
    label = CATALOGUE["perception_gap.S01.bereikbaar"]["label"][lang]
    assert [r[:2] for r in body] == [[label, "2018"], [label, "2021"]]
    early, late = body
    agree = CATALOGUE["field_actor_agree.S01.bereikbaar"]["label"][lang]
    # 2018: 18 field actors: no index and no gap, but how many of them agree ("12 of 18").
    count = rows.loc[("field_actor_agree.S01.bereikbaar", "2018")]
    assert early[2] == (f"— {why.text('field_actor_n_below_30', lang, 'index')} · "
                        f"{t('k_of_n', lang, k=int(count['estimate']), n=18)} ({agree})")
    assert early[4] == f"— {why.text('field_actor_n_below_30', lang, 'difference')}"
    assert "30" in early[4] and actors[1:].lower() in early[4]  # the study's number and word
    index = rows.loc[("access_index.S01.bereikbaar", "2018")]
    assert early[3] == (f"{value_text(index['estimate'], 'index', lang)} "
                        f"{interval_text(index['ci_low'], index['ci_high'], 'index', lang)} (n = {int(index['n'])})")
    # 2021: 34 field actors: their index, the count beside it, and the gap with its interval.
    own, gap = rows.loc[("field_actor_index.S01.bereikbaar", "2021")], rows.loc[("perception_gap.S01.bereikbaar",
                                                                                 "2021")]
    assert late[2].startswith(f"{value_text(own['estimate'], 'index', lang)} ") and "34" in late[2]
    assert late[4].startswith(value_text(gap["estimate"], "difference", lang))
    # Only the gap with a number is charted.
    figures = re.findall(r'<script type="application/json" id="b\d+-data">(.*?)</script>', page)
    assert len(figures) == 1 and json.loads(figures[0])["data"][-1]["x"] == [pytest.approx(gap["estimate"], abs=1e-5)]
    assert html.escape(t("compare_whole_group", lang, respondents=actors[:1].lower() + actors[1:])) in _main(page)


def test_the_comparison_page_is_listed_only_when_the_study_has_differences(tmp_path):
    rows = sample_rows()
    content = sample_content(indicators=rows[rows["unit"] != "difference"])
    for lang in LANGUAGES:
        pages = render_pages(content, lang, [])
        assert "comparison.html" not in pages
        assert not [name for name, page in pages.items() if 'href="comparison.html"' in page]
    assert 'href="comparison.html"' in render_pages(sample_content(), "en", [])["index.html"]


def test_a_page_per_breakdown_with_a_map(tmp_path):
    words = sample_words()
    assert words["maps"] == ("neighbourhood",)
    pages = render_pages(sample_content(maps=()), "en", [])
    assert not [name for name in pages if name.startswith("breakdown-")]
    content = sample_content(maps=("education",))
    for lang in LANGUAGES:
        pages = render_pages(content, lang, [])
        assert [name for name in pages if name.startswith("breakdown-")] == ["breakdown-education.html"]
        page = pages["breakdown-education.html"]
        title = words["words"]["breakdown_education"][lang]
        assert f"<h1>{html.escape(title[:1].upper() + title[1:])}</h1>" in page  # the study's word, as a title
        # One tile per category, named by the codebook's label.
        names = re.findall(r'<span class="tile-name">(.*?)</span>', page)
        assert names == [html.escape(labels[lang]) for labels in sample_content().domains["education"].values()]


def test_the_method_page_says_the_reasons_that_occur_and_the_studys_method(built):
    root, _ = built
    words = sample_words()["words"]
    occurring = sorted(set(sample_rows()["reason"].dropna()))
    assert occurring == ["alpha_below_0.7", "field_actor_n_below_30", "primary", "secondary"]
    why = Reasons(10, {"field_actor": words["respondents_field_actor"], "parent": words["respondents_parent"]})
    for lang in LANGUAGES:
        page = (root / lang / "method.html").read_text(encoding="utf-8")
        listed = re.findall(r'<li data-reason="(.*?)">(.*?)</li>', page)  # the code is no rendered text
        assert [code for code, _ in listed] == ["primary", "secondary", "alpha_below_0.7", "field_actor_n_below_30"]
        said = {code: html.unescape(text) for code, text in listed}
        assert said["alpha_below_0.7"] == why.text("alpha_below_0.7", lang)
        assert ("0.70" if lang == "en" else "0,70") in said["alpha_below_0.7"]
        # The field actors' code is on an index and a gap: said as a rule about field actors.
        assert said["field_actor_n_below_30"] == why.text("field_actor_n_below_30", lang)
        for part in ("samples", "weighting", "caveats"):
            assert html.escape(words[f"method_{part}"][lang]) in page, (lang, part)
        header, _ = _table_rows(page, t("samples_caption", lang))
        assert header == [t("wave", lang), words["respondents_parent"][lang], words["respondents_field_actor"][lang]]


def test_chart_error_bars_are_the_intervals(built):
    root, _ = built
    text = (root / "en" / "index.html").read_text(encoding="utf-8")
    figure = json.loads(re.search(r'<script type="application/json" id="b1-data">(.*?)</script>', text).group(1))
    rows = checked_indicators(sample_rows(), CATALOGUE)
    trace = figure["data"][0]  # wave 2018
    for label, x, plus, minus in zip(trace["y"], trace["x"], trace["error_x"]["array"], trace["error_x"]["arrayminus"]):
        name = next(k for k, v in CATALOGUE.items() if v["label"]["en"] == label)
        row = rows[(rows["indicator"] == name) & (rows["wave"] == "2018") & (rows["breakdown"] == "all")].iloc[0]
        assert x == pytest.approx(row["estimate"], abs=1e-5)  # charts carry five decimals
        assert x + plus == pytest.approx(row["ci_high"], abs=2e-5) and x - minus == pytest.approx(row["ci_low"], abs=2e-5)


def test_labels_and_text_are_escaped(tmp_path):
    catalogue = {**CATALOGUE, "use": {**CATALOGUE["use"], "label": {lang: '<img src=x onerror="alert(1)">&co'
                                                                     for lang in LANGUAGES}}}
    content = sample_content(catalogue=catalogue, study_title={lang: "</script><b>x</b>" for lang in LANGUAGES})
    write_site(tmp_path / "site", content)
    for path in (tmp_path / "site").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<img src=x" not in text and "<b>x</b>" not in text and "</script><b>" not in text, path
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;co" in (tmp_path / "site/en/index.html").read_text()


def test_downloads_hold_the_rows_and_nothing_about_respondents(built):
    root, _ = built
    expected = checked_indicators(sample_rows(), CATALOGUE)
    csv = pd.read_csv(root / "downloads" / "indicators.csv", dtype={"wave": str})
    with duckdb.connect() as con:
        parquet = con.execute("SELECT * FROM read_parquet(?)", [str(root / "downloads" / "indicators.parquet")]).df()
    for frame in (csv, parquet):
        assert list(frame.columns)[: len(INDICATOR_COLUMNS)] == list(INDICATOR_COLUMNS)
        assert len(frame) == len(expected)
        assert frame["estimate"].sum() == pytest.approx(expected["estimate"].sum())
        assert frame.loc[frame["suppressed"].astype(bool), "estimate"].isna().all()
    assert set(csv.columns) - set(expected.columns) == set()
    catalogue = pd.read_csv(root / "downloads" / "catalogue.csv")
    assert set(catalogue["indicator"]) == set(CATALOGUE)


def test_rows_that_break_the_contract_are_refused():
    rows = sample_rows()
    with pytest.raises(ContentError, match="lack column"):
        checked_indicators(rows.drop(columns=["ci_low"]), CATALOGUE)
    with pytest.raises(ContentError, match="not in the catalogue"):
        checked_indicators(rows.assign(indicator="unknown_indicator"), CATALOGUE)
    with pytest.raises(ContentError, match="unknown breakdown value"):  # the study's breakdowns, and 'all'
        checked_indicators(rows.assign(breakdown="postcode"), CATALOGUE, sample_content().breakdowns)
    leaky = rows.copy()
    leaky.loc[0, ["suppressed", "estimate"]] = [True, 0.5]  # suppressed but still carrying a number
    assert pd.isna(checked_indicators(leaky, CATALOGUE).loc[0, "estimate"])


def test_the_low_n_eff_mark_is_the_rows_own_flag():
    """The asterisk shows the indicator table's low_n_eff; the dashboards keep no threshold of their own."""
    rows = checked_indicators(sample_rows(), CATALOGUE)
    row = rows[~rows["suppressed"]].iloc[0]
    marked = cell_html(pd.Series({**row, "low_n_eff": True, "n_eff": 500.0}), row["unit"], "en", Reasons(10))
    plain = cell_html(pd.Series({**row, "low_n_eff": False, "n_eff": 5.0}), row["unit"], "en", Reasons(10))
    assert "<sup>*<span>" in marked and "<sup>" not in plain
    assert rows.loc[rows["suppressed"], "low_n_eff"].isna().all()  # hidden cells say nothing about their size


def test_a_failed_build_leaves_the_published_site_untouched(tmp_path, monkeypatch):
    target = tmp_path / "site"
    write_site(target, sample_content())
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(site_module, "render_pages", broken)
    with pytest.raises(RuntimeError):
        write_site(target, sample_content())
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == before
    # No staging folder left behind: the link and the one version it points to.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site", target.readlink().name])


def test_values_are_written_as_each_language_writes_them():
    assert value_text(0.4237, "proportion", "en") == "42%"
    assert value_text(0.4237, "proportion", "fr") == "42\u00a0%"
    assert value_text(63.25, "index", "nl") == "63,2" or value_text(63.25, "index", "nl") == "63,3"
    assert value_text(1234, "count", "nl") == "1.234" and value_text(1234, "count", "en") == "1,234"
    assert value_text(-8.34, "difference", "en") == "−8.3\u00a0pts"  # points on the 0-100 index
    assert value_text(3.614, "mean", "fr") == "3,61"
    assert value_text(None, "proportion", "en") == "—"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_method_page_says_how_intervals_are_computed_and_the_nchs_rules_with_the_studys_numbers(built, lang):
    page = html.unescape(_main((built[0] / lang / "method.html").read_text(encoding="utf-8")))
    # Shares: Korn-Graubard on each group's own degrees of freedom, and why; then means, indices and gaps.
    assert t("interval_beta", lang) in page and t("interval_wald", lang) in page
    assert t("interval_logit", lang) not in page  # no share of the sample has a logit interval
    assert "Korn-Graubard" in page and "Clopper-Pearson" in page
    # The demo's rules (effective size 30, widths 30 and 5 points, 130%, 8 df); it flags, and says so.
    rules = t("nchs_rules", lang, n_eff=30, width=30, present=5, relative="130\u00a0%" if lang == "fr" else "130%",
              df=8)
    assert rules in page
    assert t("nchs_action_flag", lang, withhold="\u2020", footnote="\u2021", review="\u00a7") in page
    assert t("nchs_action_suppress", lang, footnote="\u2021", review="\u00a7") not in page


def test_the_method_page_states_the_studys_own_rules_and_nothing_without_weighted_shares():
    rules = sample_rules(action="suppress", min_n_eff_kg=50, present_width=0.04, max_width=0.25,
                         max_relative_width=1.5, min_df=12)
    page = html.unescape(render_pages(sample_content(proportions=rules), "en", [])["method.html"])
    assert ("withheld when its Korn-Graubard effective sample size is under 50, when its 95% interval spans 25 "
            "percentage points or more, or when an interval of more than 4 points is wider than 150% of the "
            "share") in page
    assert "wider than 150% of its complement" in page and "fewer than 12 degrees of freedom" in page
    assert t("nchs_action_suppress", "en", footnote="\u2021", review="\u00a7") in page
    assert t("nchs_action_flag", "en", withhold="\u2020", footnote="\u2021", review="\u00a7") not in page
    # No rules handed over, or no share judged by them (no weighted instrument): no NCHS paragraph.
    rows = sample_rows().assign(nchs_flag=None)
    for content in (sample_content(proportions=None), sample_content(indicators=rows)):
        page = render_pages(content, "nl", [])["method.html"]
        assert t("nchs_heading", "nl") not in page and "NCHS" not in page
    # A share with a logit interval: the page says so.
    rows = sample_rows()
    rows.loc[rows["unit"] == "proportion", "ci_method"] = "logit"
    page = html.unescape(render_pages(sample_content(indicators=rows), "fr", [])["method.html"])
    assert t("interval_logit", "fr") in page and t("interval_beta", "fr") not in page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_downloads_carry_the_interval_and_nchs_columns_and_say_what_they_mean(built, lang):
    root, _ = built
    csv = pd.read_csv(root / "downloads" / "indicators.csv", dtype={"wave": str})
    new = ["ci_method", "df", "n_eff_kg", "nchs_flag"]
    assert set(new) <= set(csv.columns)
    expected = checked_indicators(sample_rows(), CATALOGUE)
    keys = ["indicator", "breakdown", "domain", "wave"]
    merged = csv.merge(expected, on=keys, suffixes=("", "_row"))
    assert len(merged) == len(expected)
    assert (merged["ci_method"] == merged["ci_method_row"]).all()
    assert (merged["nchs_flag"].fillna("") == merged["nchs_flag_row"].fillna("")).all()
    assert merged["df"].astype("Float64").equals(merged["df_row"].astype("Float64"))
    assert (merged["n_eff_kg"] - merged["n_eff_kg_row"].astype(float)).abs().max() < 1e-3
    flagged = csv.set_index(keys).loc[("unmet_need", "education", "LAAG", "2021")]
    assert flagged["nchs_flag"] == "n_eff_kg_below_30;df_below_8" and flagged["df"] == 5
    assert set(csv["ci_method"]) == {"beta", "wald", "none"}
    # The downloads page explains each column, the flag with the study's codes.
    _, body = _table_rows((root / lang / "downloads.html").read_text(encoding="utf-8"), t("columns_caption", lang))
    meaning = dict((row[0], row[1]) for row in body)
    for column in ("ci_method", "df", "n_eff_kg"):
        assert meaning[column] == t(f"col_{column}", lang)
    codes = ", ".join(sample_rules().codes)
    assert meaning["nchs_flag"] == t("col_nchs_flag", lang, names=codes) and "df_below_8" in codes


SINGLE = "access_index.S02.begrijpbaar"


def _single_label(lang: str) -> str:
    return t("single_item_label", lang, label=CATALOGUE[SINGLE]["label"][lang])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_single_item_is_labelled_and_charted_apart_from_the_indices(built, lang):
    root, _ = built
    page = (root / lang / "dimension-begrijpbaar.html").read_text(encoding="utf-8")
    label = _single_label(lang)
    assert label.endswith({"nl": "(één item)", "fr": "(un seul item)", "en": "(single item)"}[lang])
    blocks = {html.unescape(re.search(r"<h[23] id=\"b\d+-h\">(.*?)</h[23]>", b).group(1)): b
              for b in re.findall(r'<section class="block"[^>]*>.*?</section>', page, re.S)}
    indices = blocks[t("dimension_whole", lang, unit=t("unit_index", lang))]
    single = blocks[t("single_items_heading", lang)]
    # Its own block, on the 1-5 scale, with the sentence saying why it is no index.
    assert f'<p class="intro">{html.escape(t("single_item_note", lang))}</p>' in single
    _, rows = _table_rows(single, t("table_caption", lang, title=t("single_items_heading", lang)))
    assert [row[0] for row in rows] == [label]
    figure = json.loads(re.search(r'<script type="application/json" id="b\d+-data">(.*?)</script>', single).group(1))
    assert figure["layout"]["xaxis"]["range"] == [1, 5] and figure["data"][0]["y"] == [label]
    assert label not in html.unescape(indices)
    # Its section by neighbourhood is headed as a single item, and says what it is instead of the catalogue's
    # description (written for the 0-100 index it would have been).
    section = page.split(f">{html.escape(label)}</h2>")[1]
    assert section.startswith(f"<p>{html.escape(t('single_item_note', lang))}</p>")
    assert html.escape(CATALOGUE[SINGLE]["description"][lang]) not in page
    # No chart of any page puts it on the 0-100 axis of the indices.
    for path in (root / lang).glob("*.html"):
        for spec in re.findall(r'<script type="application/json" id="b\d+-data">(.*?)</script>',
                               path.read_text(encoding="utf-8")):
            figure = json.loads(spec)
            axis = figure["layout"]["xaxis"] if figure["data"][0]["type"] == "bar" else figure["layout"]["yaxis"]
            names = {n for trace in figure["data"] for n in (*trace.get("y", ()), trace.get("name"))
                     if isinstance(n, str)}
            if label in names:
                assert axis["range"] == [1, 5], path.name
    assert html.escape(label) in (root / lang / "trend.html").read_text(encoding="utf-8")


def test_the_catalogue_entry_reads_single_item_from_a_mapping_or_an_object(built):
    class Indicator:  # the pipeline's catalogue entries are objects; before s17 they have no single_item
        label, description, dimension, unit = {"en": "x"}, {}, "begrijpbaar", "index"

    assert catalogue_entry(Indicator()).single_item is False
    Indicator.single_item, Indicator.unit = True, "mean"
    assert catalogue_entry(Indicator()).single_item is True
    assert catalogue_entry(CATALOGUE[SINGLE]).single_item is True
    assert catalogue_entry(CATALOGUE["awareness"]).single_item is False
    catalogue = pd.read_csv(built[0] / "downloads" / "catalogue.csv", dtype=str).set_index("indicator")
    assert catalogue.loc[SINGLE, "single_item"] == "True" and catalogue.loc["awareness", "single_item"] == "False"


def test_the_catalogue_download_and_the_explorer_say_who_is_counted_among_whom(built):
    """Each indicator's numerator and denominator in every language: columns of catalogue.csv, and in the explorer's
    words by index into one list of sentences, each sentence once (the sample's indicators share their
    denominator; a single item's numerator is the package's, not the scale's)."""
    root, _ = built
    catalogue = pd.read_csv(root / "downloads" / "catalogue.csv", dtype=str).set_index("indicator")
    for name, entry in CATALOGUE.items():
        for key in ("numerator", "denominator"):
            assert [catalogue.loc[name, f"{key}_{lang}"] for lang in LANGUAGES] == [entry[key][lang] for lang in
                                                                                     LANGUAGES]
    for lang in LANGUAGES:
        page = (root / lang / "explorer.html").read_text(encoding="utf-8")
        words = json.loads(re.search(r'<script type="application/json" id="explorer-words">(.*?)</script>',
                                     page).group(1))
        sentences, definition = words["sentences"], words["definition"]
        assert len(sentences) == len(set(sentences)) and sentences.count(AMONG[lang]) == 1
        for name, (about, counted, among) in definition.items():
            entry = CATALOGUE[name]
            assert sentences[among] == AMONG[lang]
            if entry.get("single_item"):
                assert sentences[about] == t("single_item_note", lang)
                assert sentences[counted] == t("explorer_single_item_numerator", lang)
            else:
                assert sentences[about] == entry["description"][lang]
                assert sentences[counted] == entry["numerator"][lang]
        assert html.escape(t("explorer_numerator", lang)) in page and html.escape(t("explorer_denominator", lang)) \
            in page
    # A catalogue entry that does not say (a mapping without the texts): no text, which the explorer leaves out.
    assert catalogue_entry({"label": {"en": "x"}, "unit": "index"}).numerator == {}


def _estimation(page: str, lang: str) -> list[str]:
    """The paragraphs of the method page's section on estimates and intervals, as text."""
    section = next(s for s in re.findall(r"<section>(.*?)</section>", page, re.S)
                   if f"<h2>{html.escape(t('estimation_heading', lang))}</h2>" in s)
    return [html.unescape(re.sub(r"<.*?>", "", p)) for p in re.findall(r"<p>(.*?)</p>", section)]


def _variance_said(designs: pd.DataFrame | None, lang: str) -> list[str]:
    """What the method page says of the standard errors (after the sentence on shares, before the intervals)
    with ``designs`` as the method facts' (None: no frame at all)."""
    method = replace(sample_method(), designs=pd.DataFrame() if designs is None else designs)
    said = _estimation(render_pages(sample_content(method=method), lang, [])["method.html"], lang)
    assert said[0] == t("estimation_text", lang)
    return said[1:said.index(t("interval_beta", lang))]


LINEARISATION = {
    "nl": "Standaardfouten volgen het steekproefdesign (Taylor-linearisatie) en houden rekening met de raking.",
    "fr": "Les erreurs types suivent le plan d'échantillonnage (linéarisation de Taylor) et tiennent compte du calage.",
    "en": "Standard errors follow the sampling design (Taylor linearisation) and account for the raking.",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_a_declared_design_the_standard_errors_are_said_to_follow_taylor_linearisation(lang):
    # No weighted wave, or weighted waves that declare no design (nor strata): the sentence the page always had.
    plain = sample_designs(**{w: {"strata": "", "breakdown": "", "stratum_sizes": False} for w in ("2018", "2021")})
    for designs in (None, plain):
        assert _variance_said(designs, lang) == [LINEARISATION[lang]]


STRATIFIED = {
    "nl": "De steekproef werd per {s} apart getrokken. De weging vertrekt per {s} van de bevolking gedeeld door het "
          "aantal respondenten. Standaardfouten volgen dat steekproefdesign en de raking (Taylor-linearisatie, met de "
          "kalibratieresiduen gewogen met de designgewichten, zoals calibrate in R).",
    "fr": "L'échantillon a été tiré séparément par {s}. La pondération part, par {s}, de la population divisée par le "
          "nombre de répondants. Les erreurs types suivent ce plan d'échantillonnage et le calage (linéarisation de "
          "Taylor, avec les résidus du calage pondérés par les poids de sondage, comme calibrate dans R).",
    "en": "The sample was drawn separately per {s}. The weighting starts, per {s}, from the population divided by "
          "the number of respondents. Standard errors follow that design and the raking (Taylor linearisation, with "
          "the calibration residuals weighted by the design weights, as R's calibrate).",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_stratified_design_is_said_once_per_stratum_named_by_the_studys_breakdown(built, lang):
    # The sample's waves agree (as the demo's): said once, with the study's word for the strata's breakdown.
    word = sample_words()["words"]["breakdown_neighbourhood"][lang]
    page = (built[0] / lang / "method.html").read_text(encoding="utf-8")
    said = _estimation(page, lang)
    assert said[1:said.index(t("interval_beta", lang))] == [STRATIFIED[lang].format(s=word)]
    assert STRATIFIED[lang].format(s=word) == _variance_said(sample_designs(), lang)[0]
    assert LINEARISATION[lang] not in html.unescape(page)
    # Strata of a column that is none of the study's breakdowns: "per stratum".
    other = {w: {"strata": "blok", "breakdown": ""} for w in ("2018", "2021")}
    assert _variance_said(sample_designs(**other), lang) == [
        STRATIFIED[lang].format(s={"nl": "stratum", "fr": "strate", "en": "stratum"}[lang])]
    # Strata with design weights of their own (no stratum_sizes): no claim about N_h / n_h.
    said = _variance_said(sample_designs(**{w: {"stratum_sizes": False} for w in ("2018", "2021")}), lang)
    assert len(said) == 1 and "Taylor" in said[0] and " R" in said[0]
    assert t("design_strata_weights", lang, stratum=word) not in said[0]
    assert said[0].startswith(t("design_strata", lang, stratum=word))


def test_replicate_weights_are_said_with_their_count_and_method_per_wave_when_the_waves_differ():
    jackknife = {"variance": "replicates", "method": "JKn", "replicates": 238}
    bootstrap = {"variance": "replicates", "strata": "", "breakdown": "", "stratum_sizes": False,
                 "method": "bootstrap", "replicates": 1200}
    said = _variance_said(sample_designs(**{"2018": jackknife, "2021": bootstrap}), "en")
    assert said == [
        "2018: The sample was drawn separately per neighbourhood. The weighting starts, per neighbourhood, from the "
        "population divided by the number of respondents. Standard errors come from 238 replicate weights, each "
        "raked again to the population figures, so they also carry the uncertainty of the weighting itself "
        "(jackknife: each replicate leaves out one part of the sample in turn). The microdata for analysts carry "
        "these replicate weights (repw_001, ...).",
        "2021: Standard errors come from 1,200 replicate weights, each raked again to the population figures, so "
        "they also carry the uncertainty of the weighting itself (bootstrap: each replicate is a new draw from the "
        "sample, with replacement). The microdata for analysts carry these replicate weights (repw_001, ...).",
    ]
    nl = _variance_said(sample_designs(**{"2018": jackknife, "2021": bootstrap}), "nl")
    assert nl[0].startswith("2018: De steekproef werd per wijk apart getrokken.") and "238 replicaatgewichten" in nl[0]
    assert "jackknife" in nl[0] and "bootstrap" not in nl[0]
    assert nl[1].startswith("2021: Standaardfouten komen uit 1.200 replicaatgewichten, elk opnieuw naar de "
                            "bevolkingscijfers gewogen") and "bootstrap" in nl[1] and "repw_001" in nl[1]
    fr = _variance_said(sample_designs(**{"2018": jackknife, "2021": bootstrap}), "fr")
    assert fr[0].startswith("2018 : L'échantillon a été tiré séparément par quartier.")
    assert fr[1].startswith("2021 : Les erreurs types proviennent de 1\u202f200 poids répliqués, chacun calé à "
                            "nouveau sur les chiffres de population") and "(bootstrap :" in fr[1]
    # Linearisation in one wave, replicates in the other.
    said = _variance_said(sample_designs(**{"2021": jackknife}), "en")
    assert [s[:6] for s in said] == ["2018: ", "2021: "]
    assert said[0] == "2018: " + STRATIFIED["en"].format(s="neighbourhood") and "238 replicate weights" in said[1]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_waves_that_agree_on_replicates_are_said_once_and_a_wave_without_weights_is_not_covered(lang):
    both = {"variance": "replicates", "strata": "", "breakdown": "", "stratum_sizes": False, "method": "bootstrap",
            "replicates": 200}
    expected = t("variance_bootstrap", lang, count=200)
    assert _variance_said(sample_designs(**{"2018": both, "2021": both}), lang) == [expected]
    assert expected.count("200") == 1 and "repw_001" in expected
    # Only 2021 weighted (the site has 2018 too): said for 2021, named.
    only = sample_designs(**{"2021": both}).query("wave == '2021'")
    assert _variance_said(only, lang) == [t("variance_waves", lang, waves="2021", text=expected)]
    # Two waves that agree and one that does not: the two together.
    three = pd.concat([sample_designs(**{"2018": both, "2021": both}),
                       sample_designs().query("wave == '2021'").assign(wave="2024")], ignore_index=True)
    said = _variance_said(three, lang)
    assert said[0] == t("variance_waves", lang, waves=t("and", lang, first="2018", last="2021"), text=expected)
    assert said[1].startswith("2024") and len(said) == 2


def test_trends_are_small_multiples_of_at_most_twelve_panels(demo_root):
    """No trend chart draws more than a few lines: a longer list is panels (shared axes, the interval as a band),
    at most 12 per figure, each figure with its own heading; every indicator of the page is in one of them."""
    import json
    import re

    from dashboards.charts import LINES_MAX, PANELS_MAX

    page = (demo_root / "site" / "demo-brussels" / "en" / "trend.html").read_text(encoding="utf-8")
    figures = [json.loads(text) for text in re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>',
                                                        page, re.S)]
    assert figures
    panelled = 0
    for figure in figures:
        lines = [tr for tr in figure["data"] if tr.get("meta") != "interval"]
        assert len(lines) <= PANELS_MAX
        if len(lines) > LINES_MAX:
            panelled += 1
            assert figure["layout"]["grid"]["rows"] * figure["layout"]["grid"]["columns"] >= len(lines)
            assert len({tr["yaxis"] for tr in lines}) == len(lines)  # one panel each
            ranges = {tuple(figure["layout"][k]["range"]) for k in figure["layout"] if k.startswith("yaxis")}
            assert len(ranges) == 1  # shared axes
            assert any(tr.get("fill") == "toself" for tr in figure["data"])
    assert panelled, "the demo's need-and-use trend has dozens of indicators: it must be panelled"
    assert re.search(r"\(1/\d\)</h2>", page)


def test_the_explorer_ships_each_published_row_once_and_no_hidden_number(built):
    """assets/explorer-data.js: per indicator its rows by every breakdown but the sensitivity checks, a published
    row with its numbers (five significant digits), a hidden one with its reason only (issue 22, part 2)."""
    root, _ = built
    script = (root / "assets" / "explorer-data.js").read_text(encoding="utf-8")
    data = json.loads(script.removeprefix("window.TOEGANG_EXPLORER=").rstrip().removesuffix(";"))
    rows = checked_indicators(sample_rows(), CATALOGUE)
    shipped = 0
    for name, indicator in data["indicators"].items():
        for row in indicator["rows"]:
            wave, breakdown, domain = data["waves"][row[0]], data["breakdowns"][row[1]], row[2]
            (expected,) = rows[(rows["indicator"] == name) & (rows["wave"] == wave) & (rows["breakdown"] == breakdown)
                               & (rows["domain"] == domain)].to_dict("records")
            if expected["suppressed"]:
                assert len(row) == 4 and data["reasons"][row[3]] == expected["reason"]
            else:
                assert row[3] == pytest.approx(expected["estimate"], rel=1e-4) and row[6] == expected["n"]
                assert row[4] == (None if pd.isna(expected["ci_low"]) else pytest.approx(expected["ci_low"], rel=1e-4))
            shipped += 1
    assert shipped == len(rows)  # every row: the sample has no sensitivity check


def test_a_charts_json_leaves_out_what_site_js_puts_back(built):
    """The bars' style, the shared layout and the gap labels' style are said once in site.js (issue 22: a tenth
    of the demo site); each figure keeps its own values."""
    root, _ = built
    figure, _, _ = _block(root, "en", "dimension-bekend.html", "i-awareness--neighbourhood")
    assert figure["shared"] == ["layout", "xaxis", "categories"] and "paper_bgcolor" not in figure["layout"]
    assert "yaxis" not in figure["layout"] and "gridcolor" not in figure["layout"]["xaxis"]
    bar = figure["data"][0]
    assert "hovertemplate" not in bar and set(bar["error_x"]) == {"array", "arrayminus"}
    # Its hover labels are its table's cells (site.js), not a copy of them in the JSON.
    assert bar["marker"]["line"] == {} and "customdata" not in bar and figure["cells"] == "columns"
    assert all(set(note) == {"x", "y", "text"} for note in figure["layout"]["annotations"])
