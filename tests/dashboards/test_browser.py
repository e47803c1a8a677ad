"""The site in a real browser (headless Debian chromium through Playwright): every page in every language
loads from disk with no console error and no network request, draws every chart, and has no serious or
critical axe-core violation; the language switch changes the labels; charts and tables show the
indicator rows; the keyboard reaches the content. A screenshot of every page is kept as an artefact."""

import os
import re
import urllib.parse
from pathlib import Path

import pytest

from dashboards.marks import ABSENT, SYMBOLS
from dashboards.model import checked_indicators
from dashboards.site import write_site
from dashboards.text import t
from instruments.vocabulary import LANGUAGES
from instruments.study import DEMO_STUDY
from tests.conftest import ROOT
from benchmarks.harness.browser import chromium
from tests.dashboards.sample import AREAS, CATALOGUE, sample_content, sample_rows, sample_shapes, sample_words

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("TOEGANG_TEST_ARTIFACTS", ROOT / "build" / "test-artifacts"))
ALL_DRAWN = "[...document.querySelectorAll('.chart')].every(e => e.dataset.drawn === 'true')"
# Per chart: values plotly was given (non-null; an interval band or a map's area is a shape, not values: a map's
# values are its labels) and shapes it painted (bars with a width, markers, text labels).
PAINTED = """[...document.querySelectorAll('.chart')].map(el => ({
  id: el.id,
  values: el.data.filter(tr => tr.meta !== 'interval' && tr.meta !== 'area')
    .reduce((s, tr) => s + (tr.type === 'bar' ? tr.x : tr.y).filter(v => v !== null).length, 0),
  painted: [...el.querySelectorAll('.barlayer .point path')].filter(p => p.getBBox().width > 0).length
         + el.querySelectorAll('.scatterlayer .points path.point').length
         + el.querySelectorAll('.scatterlayer .textpoint').length,
}))"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser") / "site"
    write_site(root, sample_content(shapes=sample_shapes()))  # the neighbourhoods' map from the demo's polygons
    return root


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


class Visit:
    """A page with what it logged: console errors, uncaught exceptions, requests that left the disk."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route(re.compile(r"^(?!file:).*"), self._block)

    def _block(self, route):
        self.requests.append(route.request.url)
        route.abort()

    def open(self, url: str):
        self.page.goto(url)
        self.page.wait_for_function(ALL_DRAWN, timeout=15_000)
        return self.page


@pytest.fixture
def visit(browser):
    opened = Visit(browser)
    yield opened
    opened.context.close()


def _serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result.response["violations"] if v["impact"] in ("serious", "critical")]


def _every_page_or_each_type(pages: list[Path], lang: str) -> list[Path]:
    """Every page in English; in the other languages the first page of each type (a type: the name up to its
    first '-', "dimension-..." or "neighbourhood-..."), which the same code builds with other words."""
    if lang == "en":
        return pages
    first = {}
    for path in pages:
        first.setdefault(path.stem.split("-")[0], path)
    return sorted(first.values())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_loads_draws_its_charts_passes_axe_and_shows_words(site, visit, lang):
    """Every page of the sample site (every mark, every kind of hidden cell; in nl and fr each type of page) loads,
    draws, passes axe, shows no code in its rendered text (visible, for screen readers or in a chart) and explains
    on the same page each symbol a table, chart, tile or summary shows (``_codes_and_unexplained_marks``)."""
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    pages = sorted((site / lang).glob("*.html"))
    assert len(pages) == 13  # with the explorer and the factsheets index
    pages = _every_page_or_each_type(pages, lang)
    unsaid = []
    for path in pages:
        page = visit.open(path.as_uri())
        assert page.evaluate("document.documentElement.lang") == lang
        charts = page.evaluate(PAINTED)
        for chart in charts:
            assert chart["values"] > 0 and chart["painted"] == chart["values"], (path.name, chart)
        if path.name in ("index.html", "breakdown-neighbourhood.html", "comparison.html", "trend.html"):
            assert charts, path.name
        assert visit.errors == [] and visit.requests == [], path.name
        page.screenshot(path=shots / f"{lang}-{path.stem}.png", full_page=True)
        assert _serious(page) == [], path.name
        visit.errors.clear()  # axe-core itself cannot fetch stylesheets over file:// and says so
        unsaid += _codes_and_unexplained_marks(page, path.name)
    assert unsaid == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_factsheets_pass_axe_explain_their_marks_and_print_without_navigation(site, visit, lang):
    """Every factsheet (each area of the map's breakdown, each subject; in nl and fr one of each) loads from disk
    with no request, passes axe, shows no code and explains each mark; printed (print media), the navigation goes
    and tables do not break across pages."""
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    pages = sorted((site / lang / "factsheets").glob("*.html"))
    assert [p.stem for p in pages] == [*(f"neighbourhood-W0{k}" for k in range(1, 5)), "subject-S01"]
    pages = _every_page_or_each_type(pages, lang)
    unsaid = []
    for path in pages:
        page = visit.open(path.as_uri())
        assert page.evaluate("document.documentElement.lang") == lang
        assert visit.errors == [] and visit.requests == [], path.name
        assert page.locator("main table").count() >= 1 and page.locator("main svg.fs-dot").count() >= 1
        page.screenshot(path=shots / f"{lang}-factsheet-{path.stem}.png", full_page=True)
        assert _serious(page) == [], path.name
        visit.errors.clear()
        unsaid += _codes_and_unexplained_marks(page, f"factsheets/{path.name}")
        page.emulate_media(media="print")
        printed = page.evaluate("""[...document.querySelectorAll('nav')].map(n => getComputedStyle(n).display)
            .concat([...document.querySelectorAll('main table')].map(t => getComputedStyle(t).breakInside))""")
        assert set(printed) == {"none", "avoid"}, (path.name, printed)
    assert unsaid == []


def test_language_switch_changes_labels_and_lang(site, visit):
    page = visit.open((site / "en" / "breakdown-neighbourhood.html").as_uri())
    assert "Hertogin (Duchesse)" in page.inner_text("table")
    page.get_by_role("link", name="Français").click()
    page.wait_for_function(ALL_DRAWN)
    assert page.url.endswith("/fr/breakdown-neighbourhood.html")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.inner_text("h1") == "Quartier"  # the study's word for the breakdown, as a title
    assert "Duchesse" in page.inner_text("table") and "Hertogin (Duchesse)" not in page.inner_text("main")
    assert "Molenbeek historique" in page.inner_text("main") and "Historic Molenbeek" not in page.inner_text("main")
    page.locator("section[aria-labelledby=each-indicator] a[href^=dimension-]").first.click()  # its chart by area
    page.wait_for_function(ALL_DRAWN)
    ticks = page.eval_on_selector_all(".chart .ytick text", "els => els.map(e => e.textContent)")
    assert "Molenbeek historique" in ticks and "Historic Molenbeek" not in ticks
    assert page.get_by_role("link", name="Vue d'ensemble").is_visible()
    assert visit.errors == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_chart_its_table_and_hover_labels_show_the_indicator_rows(site, visit, lang):
    """A bar is its row's estimate; a point's hover label is its row said in words (value, marks, interval, n, each
    mark's meaning on a line; a withheld cell's reason), which site.js reads from the cell under the chart."""
    from dashboards.formatting import interval_text, value_text
    from dashboards.marks import row_marks, words
    from dashboards.pages.common import reasons

    rows = checked_indicators(sample_rows(), CATALOGUE).set_index("row")
    why = reasons(sample_content())
    hovers, marked, kinds = 0, 0, set()
    # Bars (trace j is the table's column j) on a dimension page; lines and small multiples (trace i is row i,
    # interval bands left out) on the trend page.
    for name in ("dimension-bekend.html", "trend.html"):
        page = visit.open((site / lang / name).as_uri())
        page.wait_for_function("[...document.querySelectorAll('section.block .chart')].every(c => c.dataset.drawn)")
        blocks = page.evaluate("""[...document.querySelectorAll('section.block')].map(b => ({
            cells: JSON.parse(document.getElementById(b.querySelector('.chart').dataset.figure).textContent).cells,
            traces: b.querySelector('.chart').data.filter(tr => tr.meta !== 'interval').map(tr => ({
              name: tr.name, values: tr.type === 'bar' ? tr.x : tr.y, hover: tr.customdata})),
            rows: [...b.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(td =>
              td.dataset.row ? Number(td.dataset.row) : null))}))""")
        assert blocks, name
        for block in blocks:
            kinds.add(block["cells"])
            for k, trace in enumerate(block["traces"]):
                for p, value in enumerate(trace["values"]):
                    number = block["rows"][p][k] if block["cells"] == "columns" else block["rows"][k][p]
                    if number is None:  # not measured: no point, no row
                        assert value is None
                        continue
                    row = rows.loc[number]
                    if block["cells"] == "columns":
                        assert trace["name"] == t("wave_label", lang, wave=row["wave"])
                    if row["suppressed"]:
                        assert value is None and trace["hover"][p] == why.text(row["reason"], lang, row["unit"])
                        continue
                    assert value == pytest.approx(row["estimate"], abs=1e-5)
                    marks = row_marks(row)
                    said = (value_text(row["estimate"], row["unit"], lang) + "".join(SYMBOLS[m] for m in marks)
                            + f" {interval_text(row['ci_low'], row['ci_high'], row['unit'], lang)}"
                            + f" · n\u00a0=\u00a0{int(row['n'])}"
                            + "".join(f"<br>{SYMBOLS[m]} {words(m, lang)}" for m in marks))
                    assert trace["hover"][p] == said.replace("&", "&amp;"), (name, trace["name"])
                    hovers, marked = hovers + 1, marked + bool(marks)
    assert kinds == {"columns", "rows"} and hovers > 20 and marked and visit.errors == []


MAP = """(() => { const el = document.querySelector('.area-map .chart');
  const box = e => { const b = e.getBoundingClientRect(); return {x: b.x + b.width / 2, y: b.y + b.height / 2,
                                                                  width: b.width, height: b.height}; };
  return {areas: el.data.filter(tr => tr.meta === 'area').map(tr => tr.name),
          fills: [...el.querySelectorAll('.scatterlayer .trace')].map(tr => [...tr.querySelectorAll('.js-fill')]
            .map(f => ({fill: f.style.fill, ...box(f)}))).filter(f => f.length).map(f => f[0]),
          labels: [...el.querySelectorAll('.scatterlayer .textpoint text')].map(t => ({text: t.textContent, ...box(t)})),
          notes: [...el.querySelectorAll('.annotation-text')].map(a => a.textContent)}; })()"""


def test_the_map_draws_each_area_with_its_value_hatches_the_hidden_and_says_why(site, visit):
    """Issue 22, part 4: one filled shape per area on the sequential scale, its value, interval and n printed on it
    and in its hover; the hidden areas hatched and their reasons in words; "schematic" on the page and the map;
    nothing fetched."""
    from dashboards.formatting import Reasons, interval_text, value_text
    from dashboards.tile_map import STEPS, step_of

    page = visit.open((site / "en" / "breakdown-neighbourhood.html").as_uri())
    drawn = page.evaluate(MAP)
    rows = checked_indicators(sample_rows(), CATALOGUE)
    rows = rows[(rows["indicator"] == "awareness") & (rows["breakdown"] == "neighbourhood") & (rows["wave"] == "2021")]
    names = {AREAS[r["domain"]]["en"]: r for _, r in rows.iterrows()}
    assert sorted(drawn["areas"]) == sorted(names) and len(drawn["fills"]) == len(drawn["labels"]) == 4
    for name, fill, label in zip(drawn["areas"], drawn["fills"], drawn["labels"]):
        row = names[name]
        assert fill["width"] > 40 and fill["height"] > 40  # a shape, painted
        assert label["text"].startswith(name)
        if row["suppressed"]:
            assert fill["fill"].startswith("url(") and label["text"] == name + "not shown"  # a hatch pattern
            continue
        red, green, blue = (int(STEPS[step_of(row["estimate"], 1.0)][0][i:i + 2], 16) for i in (1, 3, 5))
        assert fill["fill"] == f"rgb({red}, {green}, {blue})"
        value = value_text(row["estimate"], "proportion", "en")
        interval = interval_text(row["ci_low"], row["ci_high"], "proportion", "en")
        assert value in label["text"] and interval in label["text"] and f"n = {int(row['n'])}" in label["text"]
        page.mouse.move(label["x"], label["y"])  # the hover says the same
        hover = page.wait_for_function("""name => [...document.querySelectorAll('.area-map .hovertext')]
            .map(e => e.textContent).find(text => text.startsWith(name))""", arg=name).json_value()
        assert value in hover and interval in hover and f"n = {int(row['n'])}" in hover
    assert drawn["notes"] == ["Schematic boundaries"] and page.locator(".schematic-label").is_visible()
    hidden = page.eval_on_selector_all(".map-hidden li", "els => els.map(e => e.textContent)")
    why = Reasons(10)
    assert sorted(hidden) == sorted(f"{n} (hatched): {why.text(r['reason'], 'en')}." for n, r in names.items()
                                    if r["suppressed"])
    assert visit.errors == [] and visit.requests == []


def test_keyboard_reaches_the_content_with_a_visible_focus(site, visit):
    page = visit.open((site / "nl" / "index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["height"] > 0  # shown when focused, not only to screen readers
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate("""(() => { const s = getComputedStyle(document.activeElement);
        return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; })()""")
    assert focused[0] == "A" and focused[1] == "solid" and focused[2] == "3px"


def test_the_comparison_page_names_each_side_by_who_answered_in_each_language(site, visit):
    words = sample_words()["words"]
    page = visit.open((site / "en" / "comparison.html").as_uri())
    headers = page.eval_on_selector_all("table.text thead th", "els => els.map(e => e.textContent)")
    assert headers[2:4] == [words["respondents_field_actor"]["en"], words["respondents_parent"]["en"]]
    assert page.evaluate(PAINTED)[0]["values"] == 1  # the one gap with a number (2021)
    page.get_by_role("link", name="Nederlands").click()
    page.wait_for_function(ALL_DRAWN)
    assert page.inner_text("h1") == t("page_comparison", "nl")
    headers = page.eval_on_selector_all("table.text thead th", "els => els.map(e => e.textContent)")
    assert headers[2:4] == [words["respondents_field_actor"]["nl"], words["respondents_parent"]["nl"]]
    assert "Field actors" not in page.inner_text("main")
    assert visit.errors == []


def _hold_the_standards(visit, pages) -> None:
    """Each page: every chart drawn with a shape per value, no console error, no request, no serious axe-core
    violation."""
    for path in pages:
        page = visit.open(path.as_uri())
        for chart in page.evaluate(PAINTED):
            assert chart["values"] > 0 and chart["painted"] == chart["values"], (path.name, chart)
        assert visit.errors == [] and visit.requests == [], path.name
        assert _serious(page) == [], path.name
        visit.errors.clear()


def test_a_second_studys_pages_load_draw_and_pass_axe(second_site, visit):
    """The support-models site (conftest.py): its own pages (Levesque dimensions, clients beside workers) hold
    the same standards in a browser."""
    pages = sorted((second_site.site / "en").glob("*.html"))
    assert "comparison.html" in {p.name for p in pages}
    _hold_the_standards(visit, pages)


@pytest.mark.parametrize("study_id, lang", [("demo-antwerp", "fr"), ("demo-rotterdam", "nl")])
def test_the_shipped_studies_pages_load_draw_and_pass_axe(shipped_sites, visit, study_id, lang):
    """The example studies' sites (conftest.py): counts where a percentage is not published, a panel's page of the
    same persons followed; every chart drawn with a shape per value, no console error, no request, no serious
    axe-core violation."""
    site = shipped_sites[study_id]
    pages = sorted((site.site / lang).glob("*.html"))
    assert ("panel.html" in {p.name for p in pages}) == any(r.panel for r in site.study.instruments)
    _hold_the_standards(visit, pages)


# Issue 22, part 6: a reader sees words, never the codes the tables are built from. A code is a snake_case token
# (reason codes such as alpha_below_0.7, NCHS rule codes, quality flags, column names, indicator names such as
# awareness_rate.S01); the site's prose has no word with an underscore. Exempt: the downloads page's table of
# columns, a data dictionary that names the files' columns and codes exactly as the files hold them.
CODE = re.compile(r"\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+(?:\.[A-Za-z0-9_]+)*\b")
RENDERED = """(() => {
  const dictionary = location.pathname.endsWith('/downloads.html') ? [...document.querySelectorAll('main table')] : [];
  const skip = el => dictionary.some(d => d.contains(el));
  const texts = [document.title];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (el.closest('script, style') || skip(el)) continue;
    texts.push(n.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [alt]'))
    if (!skip(el)) texts.push(...['aria-label', 'title', 'alt'].map(a => el.getAttribute(a) || ''));
  return texts.join('\\n');
})()"""
# A symbol shown as a mark (in a table, a chart, a tile or a chart's summary) and the legend lines of its page.
MARKED = """(() => {
  const where = [...document.querySelectorAll('main table, main .chart svg text, main .tile, main .summary')];
  const legend = [...document.querySelectorAll('main .table-note, main .tile-note')].map(e => e.textContent.trim());
  return {marked: where.map(e => e.textContent), legend};
})()"""


# A symbol between two spaces is a separator ("2018 · Parents"), not a mark.
MARK = re.compile("|".join(f"(?<!\\s){re.escape(s)}|{re.escape(s)}(?!\\s)" for s in (*SYMBOLS.values(), ABSENT)))


def _codes_and_unexplained_marks(page, name: str) -> list[tuple[str, str, str]]:
    """(page, what, text) for every code in an opened page's rendered text and every mark without a legend line
    there."""
    found = [(name, "code", code) for code in sorted(set(CODE.findall(page.evaluate(RENDERED))))]
    seen = page.evaluate(MARKED)
    used = {m.group(0) for text in seen["marked"] for m in MARK.finditer(text)}
    return found + [(name, "mark without legend", s) for s in sorted(used)
                    if not any(line.startswith(f"{s} ") for line in seen["legend"])]


def test_the_code_pattern_finds_the_codes_pages_are_built_from():
    text = ("Niet getoond (alpha_below_0.7), field_actor_n_below_30; awareness_rate.S01 en nchs_flag: "
            "width_0.3_or_more")
    assert CODE.findall(text) == ["alpha_below_0.7", "field_actor_n_below_30", "awareness_rate.S01", "nchs_flag",
                                  "width_0.3_or_more"]
    assert CODE.findall("Wave 2021: 57% [52% – 61%] n = 64; Kind & Gezin; Korn-Graubard; 0,70") == []


def test_the_demo_site_shows_no_code_and_explains_its_dots(demo_root, browser):
    """The demo site as ``toegang demo`` builds it, every page in three languages: its cells not measured (a lone
    dot) have their legend, and no page names a reason, flag, column or indicator by its code (issue 22:
    alpha_below_0.7 on the method page). Its hundreds of charts are not drawn (scripts off: the words of charts
    are checked on the sample site above), which keeps this fast and free of drawing timeouts."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    found = []
    for lang in LANGUAGES:
        pages = sorted((demo_root / "site" / DEMO_STUDY / lang).rglob("*.html"))  # its factsheets too
        assert len(pages) > 10
        for path in pages:
            page.goto(path.as_uri())
            found += _codes_and_unexplained_marks(page, f"{lang}/{path.name}")
    context.close()
    assert found == []


# Issue 22, part 5: nothing empty. Per chart, the values its figure gives plotly (as PAINTED counts them); per data
# table, whether some cell carries a value (not withheld, not "not measured").
GIVEN = """[...document.querySelectorAll('main .chart[data-figure]')].map(el => {
  const spec = JSON.parse(document.getElementById(el.dataset.figure).textContent);
  return {id: el.id, values: spec.data.filter(tr => tr.meta !== 'interval')
    .reduce((s, tr) => s + ((tr.type === 'bar' ? tr.x : tr.y) || []).filter(v => v !== null).length, 0)};
})"""
TABLES = """[...document.querySelectorAll('main table.data')].map(t => ({
  caption: t.caption ? t.caption.textContent : '',
  cells: t.querySelectorAll('tbody td').length,
  shown: t.querySelectorAll('tbody td:not(.suppressed):not(.absent)').length}))"""


def test_no_chart_or_table_of_the_demo_site_has_every_cell_withheld(demo_root, browser):
    """The demo site as ``toegang demo`` builds it, every page in three languages: every chart is given values to
    draw (the sample site's test above checks in a drawn page that each value given is painted), and every data
    table has a cell with a value; a section whose every figure is withheld is one sentence instead (the demo's
    2021 gaps, 28 field actors). Scripts off, as above: its hundreds of charts need not be drawn to be read."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    empty, sentences = [], []
    for lang in LANGUAGES:
        for path in sorted((demo_root / "site" / DEMO_STUDY / lang).glob("*.html")):
            page.goto(path.as_uri())
            empty += [(lang, path.name, c["id"]) for c in page.evaluate(GIVEN) if c["values"] == 0]
            empty += [(lang, path.name, t["caption"]) for t in page.evaluate(TABLES) if t["cells"] and not t["shown"]]
            sentences += [(lang, path.name, s) for s in page.eval_on_selector_all(
                "main .withheld-note", "els => els.map(e => e.textContent)")]
    context.close()
    assert empty == []
    assert [(lang, name) for lang, name, _ in sentences] == [(lang, "comparison.html") for lang in LANGUAGES]
    assert sentences[-1][2] == t("gaps_withheld_wave", "en", wave="2021", why="fewer than 30 field actors answered",
                                 needs="at least 30 field actors")


# The indicator explorer (issue 22, part 2): its selectors, tabs, permalink and map, against the rows.
EXPLORER_DRAWN = "document.getElementById('x-chart').dataset.view === location.hash.slice(1)"
EXPLORER_VIEW = """(() => ({
  bars: document.getElementById('x-chart').data.map(tr => ({name: tr.name, y: tr.y, x: tr.x})),
  cells: [...document.querySelectorAll('#x-table td')].map(td => ({key: td.dataset.key || null,
    estimate: td.dataset.estimate ? Number(td.dataset.estimate) : null, text: td.textContent})),
  title: document.getElementById('x-title').textContent,
  selected: ['x-indicator', 'x-breakdown', 'x-wave'].map(id => document.getElementById(id).value),
}))()"""


def _explorer(site: Path, visit, lang: str = "en", fragment: str = ""):
    page = visit.page
    page.goto((site / lang / "explorer.html").as_uri() + fragment)
    page.wait_for_function(EXPLORER_DRAWN, timeout=15_000)
    return page


def _choose(page, select: str, value: str):
    page.select_option(select, value)
    page.wait_for_function(EXPLORER_DRAWN)
    return page.evaluate(EXPLORER_VIEW)


def _row(rows, indicator, breakdown, domain, wave):
    return rows[(rows["indicator"] == indicator) & (rows["breakdown"] == breakdown) & (rows["domain"] == domain)
                & (rows["wave"] == wave)].iloc[0]


def test_the_explorer_shows_the_chosen_indicators_rows_and_its_link_reopens_the_view(site, visit):
    """Choosing an indicator, a breakdown and a wave draws that indicator's rows (every bar and table cell equal to
    its row, a hidden one a gap with its reason); the fragment says the view and reopens it after a reload."""
    rows = checked_indicators(sample_rows(), CATALOGUE)
    page = _explorer(site, visit)
    for indicator, breakdown, wave in (("use", "neighbourhood", "2021"), ("unmet_need", "education", "2018"),
                                       ("awareness", "all", "2021")):
        _choose(page, "#x-indicator", indicator)
        _choose(page, "#x-breakdown", breakdown)
        view = _choose(page, "#x-wave", wave)
        assert view["selected"] == [indicator, breakdown, wave]
        assert CATALOGUE[indicator]["label"]["en"] in view["title"]
        (bars,) = view["bars"]
        assert bars["name"] == f"Wave {wave}" and len(bars["x"]) == len(view["cells"])
        for x, cell in zip(bars["x"], view["cells"]):
            key_indicator, key_breakdown, domain, key_wave = cell["key"].split("|")
            assert (key_indicator, key_wave) == (indicator, wave) and key_breakdown in (breakdown, "all")
            row = _row(rows, indicator, key_breakdown, domain, wave)
            if row["suppressed"]:
                assert x is None and cell["estimate"] is None and "not shown:" in cell["text"]
            else:
                assert x == pytest.approx(row["estimate"], rel=1e-4)
                assert cell["estimate"] == pytest.approx(row["estimate"], rel=1e-4)
        assert page.url.endswith(f"#i={indicator}&b={breakdown}&w={wave}&v=chart")
    # Every wave: one series per wave; then the table tab, and the link reopens both.
    view = _choose(page, "#x-wave", "all")
    assert [b["name"] for b in view["bars"]] == ["Wave 2018", "Wave 2021"]
    page.get_by_role("tab", name="Table").click()
    page.wait_for_function(EXPLORER_DRAWN)
    assert page.get_by_role("tabpanel").is_visible() and page.locator("#x-table table").is_visible()
    link = page.url
    assert link.endswith("#i=awareness&b=all&w=all&v=table")
    page.reload()
    page.wait_for_function(EXPLORER_DRAWN)
    again = page.evaluate(EXPLORER_VIEW)
    assert again["selected"] == ["awareness", "all", "all"] and again["title"] == view["title"]
    assert page.locator("#x-table table").is_visible() and not page.locator("#x-chart").is_visible()
    assert page.get_by_role("tab", name="Table").get_attribute("aria-selected") == "true"
    # The download is this indicator's rows, made in the page.
    href = page.get_attribute("#x-download", "href")
    csv = urllib.parse.unquote(href.split(",", 1)[1]).splitlines()
    assert len(csv) == 1 + int((rows["indicator"] == "awareness").sum())
    assert visit.errors == [] and visit.requests == []


def test_the_explorer_search_and_tabs_work_from_the_keyboard(site, visit):
    page = _explorer(site, visit, "fr")
    page.fill("#x-search", "obstacle")
    shown = page.eval_on_selector_all("#x-indicator option", "os => os.filter(o => !o.hidden).map(o => o.value)")
    assert shown == ["barrier_betaalbaar"]
    page.press("#x-search", "Enter")
    page.wait_for_function(EXPLORER_DRAWN)
    assert page.evaluate("document.activeElement.id") == "x-indicator"
    assert page.input_value("#x-indicator") == "barrier_betaalbaar"
    page.focus("#x-tab-chart")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(EXPLORER_DRAWN)
    assert page.evaluate("document.activeElement.id") == "x-tab-table"
    assert page.url.endswith("&v=table") and page.locator("#x-table").is_visible()
    # No map for a breakdown without one: its tab is not offered.
    assert not page.locator("#x-tab-map").is_visible()
    assert visit.errors == [] and visit.requests == []


def test_the_explorer_map_draws_one_shape_per_area_with_its_value_and_explains_a_hidden_one(site, visit):
    """Neighbourhoods, use in 2021: four areas, two of them hidden (fewer than 10 respondents; and the second
    hidden so that the first cannot be worked out), hatched and said in words."""
    rows = checked_indicators(sample_rows(), CATALOGUE)
    page = _explorer(site, visit, "en", "#i=use&b=neighbourhood&w=2021&v=map")
    page.wait_for_function("document.getElementById('x-map').dataset.drawn === 'true'")
    areas = page.evaluate("""document.getElementById('x-map').data.map(tr => ({
        code: tr.meta, text: tr.text, pattern: tr.fillpattern || null, fill: tr.fill}))""")
    assert sorted(a["code"] for a in areas) == ["W01", "W02", "W03", "W04"]
    assert all(a["fill"] == "toself" for a in areas)
    labels = page.eval_on_selector_all("#x-map .annotation-text", "els => els.map(e => e.textContent)")
    assert len(labels) == 4
    painted = page.eval_on_selector_all("#x-map .scatterlayer .trace path.js-fill", "els => els.length")
    assert painted == 4
    for area in areas:
        row = _row(rows, "use", "neighbourhood", area["code"], "2021")
        name = AREAS[area["code"]]["en"]
        if row["suppressed"]:
            assert area["pattern"] is not None and "not shown:" in area["text"]
            assert any(label.startswith(name) and "not shown" in label for label in labels)
        else:
            value = f"{round(100 * row['estimate'])}%"
            assert area["pattern"] is None and area["text"].startswith(f"{name}: {value} [")
            assert f"n = {int(row['n'])}" in area["text"]
            assert any(label == f"{name}{value}" for label in labels)
    note = page.inner_text("#x-map-note")
    assert f"Rest of Brussels: {t('reason_primary', 'en', min_n=10)}." in note
    assert f"Weststation (Gare de l'Ouest): {t('reason_secondary', 'en')}." in note
    assert _serious(page) == []
    visit.errors.clear()  # axe-core cannot fetch stylesheets over file://
    page.get_by_role("tab", name="Chart").click()
    page.wait_for_function(EXPLORER_DRAWN)
    assert page.url.endswith("&v=chart") and page.locator("#x-chart").is_visible()
    assert visit.errors == [] and visit.requests == []


DEFINITION = """(() => Object.fromEntries(['x-about', 'x-numerator', 'x-denominator', 'x-who'].map(id => {
  const dd = document.getElementById(id);
  return [id.slice(2), dd.closest('[hidden]') ? null : dd.textContent];
})))()"""


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_the_explorer_defines_the_chosen_indicator_by_who_is_counted_among_whom(site, visit, lang):
    """The definition follows the chosen indicator: what it measures, who is counted (numerator), among whom
    (denominator) and the population that answered, in the page's language; a single item is counted as its
    1-5 scores, and a difference, of two populations, names none."""
    words = sample_words()["words"]
    index = CATALOGUE["access_index.S01.bereikbaar"]
    page = _explorer(site, visit, lang, "#i=access_index.S01.bereikbaar&b=all&w=2021&v=chart")
    assert page.evaluate(DEFINITION) == {"about": index["description"][lang], "numerator": index["numerator"][lang],
                                         "denominator": index["denominator"][lang],
                                         "who": words["respondents_parent"][lang]}
    labels = page.eval_on_selector_all("#explorer dl.definition dt", "els => els.map(e => e.textContent)")
    assert [t("explorer_numerator", lang), t("explorer_denominator", lang), t("explorer_who", lang)] == labels[1:4]
    _choose(page, "#x-indicator", "field_actor_agree.S01.bereikbaar")
    shown = page.evaluate(DEFINITION)
    assert shown["numerator"] == CATALOGUE["field_actor_agree.S01.bereikbaar"]["numerator"][lang]
    assert shown["who"] == words["respondents_field_actor"][lang]
    _choose(page, "#x-indicator", "access_index.S02.begrijpbaar")
    shown = page.evaluate(DEFINITION)
    assert shown["about"] == t("single_item_note", lang)
    assert shown["numerator"] == t("explorer_single_item_numerator", lang)
    _choose(page, "#x-indicator", "perception_gap.S01.bereikbaar")
    shown = page.evaluate(DEFINITION)
    assert shown["numerator"] == CATALOGUE["perception_gap.S01.bereikbaar"]["numerator"][lang]
    assert shown["who"] is None
    assert visit.errors == [] and visit.requests == []
