"""The translation catalogue is complete: every key in nl, fr and en with the same placeholders, every
key the pages ask for exists, and no key is left unused; it holds no study's words. The study's own words (its
dimensions, breakdowns, who answers each instrument, its method texts, from its folder) exist for every key
the pages ask the study for, and each dimension is named one way per language, on the pages and in the
catalogue's indicator labels."""

import ast
import html
import re
import string
from pathlib import Path

import pandas as pd
import pytest

from dashboards import marks, text
from dashboards.formatting import Reasons
from dashboards.model import UNITS, MethodFacts, SiteContent
from dashboards.site import render_pages
from instruments.study import DEMO_STUDY, load_study
from instruments.vocabulary import LANGUAGES
from pipelines.stages.indicators import wave_indicators
from pipelines.stages.publish import indicator_catalogue, study_words
from tests.conftest import ROOT
from tests.dashboards.sample import CATALOGUE, sample_content, sample_words
from tests.dashboards.words import found
from tests.dashboards.words import study_words as study_words_in

DASHBOARDS = Path(text.__file__).parent
FIXTURE_STUDIES = ROOT / "tests" / "fixtures" / "studies"
# Two studies with different instruments, subjects, breakdowns and dimension frameworks (b and levesque).
STUDIES = [(DEMO_STUDY, None), ("support-models", FIXTURE_STUDIES)]



def _placeholders(value: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(value) if name}


@pytest.mark.parametrize("key", sorted(text.TEXT))
def test_every_key_has_three_languages_with_the_same_placeholders(key):
    entry = text.TEXT[key]
    assert set(entry) == set(LANGUAGES), key
    assert all(entry[lang].strip() for lang in LANGUAGES), key
    assert _placeholders(entry["nl"]) == _placeholders(entry["fr"]) == _placeholders(entry["en"]), key


def _literal_keys(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _literal_keys(node.body) | _literal_keys(node.orelse)
    return set()  # built from a prefix and a code: the families below


def _keys_named_in_code() -> set[str]:
    """Keys of t(...) calls in the dashboards, plus the families built from a prefix and a code."""
    keys = set()
    for path in DASHBOARDS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t" and node.args:
                keys |= _literal_keys(node.args[0])
            # A sentence of withheld figures in another form than the default (Reasons.withheld_sentence).
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "withheld_sentence":
                keys |= {k for kw in node.keywords if kw.arg == "key" for k in _literal_keys(kw.value)}
    keys |= {f"unit_{u}" for u in UNITS}
    keys |= {f"overview_{u}" for u in UNITS}
    keys |= {k for k in text.TEXT if k.startswith(("reason_", "flag_", "col_", "file_", "interval_", "provenance_",
                                                    "why_", "needs_"))}
    keys |= {*marks.ORDER, *(f"{m}_short" for m in marks.ORDER)}  # a mark's note, and its words in short
    return keys


def test_code_asks_only_for_keys_that_exist_and_every_key_is_used():
    named = _keys_named_in_code()
    assert named - set(text.TEXT) == set()
    assert set(text.TEXT) - named == set()
    # The dimensions' and breakdowns' words are the study's: none is left in the package.
    assert not [k for k in text.TEXT if k.startswith(("dim_", "breakdown_"))]


def _study_key_families() -> set[str]:
    """The keys the pages ask the study for (``content.text(...)``), with each code as ``{}``."""
    families = set()
    for path in DASHBOARDS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "text" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "content" and node.args:
                key = node.args[0]
                assert isinstance(key, (ast.Constant, ast.JoinedStr)), ast.unparse(key)
                parts = key.values if isinstance(key, ast.JoinedStr) else [key]
                families.add("".join(p.value if isinstance(p, ast.Constant) else "{}" for p in parts))
    return families


def test_every_study_word_the_pages_ask_for_exists_in_the_study():
    """``SiteContent.text`` shows the key itself for a missing word: the demo study must have them all."""
    families = _study_key_families()
    # A new family: add it here and to study_words.
    # benchmark_<indicator>: asked only for a finding about a benchmark the study declares (the demo has none).
    assert families == {"dim_{}", "dim_{}_about", "breakdown_{}", "respondents_{}", "method_{}", "benchmark_{}",
                        "subject_{}"}
    words = sample_words()
    assert words["dimensions"] and words["breakdowns"] and words["instruments"]
    keys = {f"dim_{d}" for d in (*words["dimensions"], "other")} | {f"dim_{d}_about" for d in
                                                                     (*words["dimensions"], "other")}
    keys |= {f"breakdown_{b}" for b in words["breakdowns"]}
    keys |= {f"respondents_{i}" for i in words["instruments"]}
    keys |= {f"method_{part}" for part in ("samples", "weighting", "caveats")}  # the demo has each (optional)
    # Its subjects' names, for their factsheets (factsheets: {subjects: true}).
    keys |= {f"subject_{entry['subject']}" for entry in CATALOGUE.values() if entry.get("subject")}
    assert keys - set(words["words"]) == set()
    for key in keys:
        assert all(words["words"][key][lang].strip() for lang in LANGUAGES), key
    assert set(words["compared"]) | set(words["checks"]) | set(words["maps"]) <= set(words["breakdowns"])
    assert set(words["broken_down"]) <= set(words["instruments"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_renders_in_every_language(lang, tmp_path):
    """A missing key or placeholder would raise while the pages are rendered."""
    files = []
    for name in ("indicators.csv", "indicators.parquet"):
        (tmp_path / name).write_text("x")
        files.append(tmp_path / name)
    pages = render_pages(sample_content(), lang, files)
    assert {"index.html", "breakdown-neighbourhood.html", "comparison.html", "trend.html", "method.html",
            "downloads.html", "dimension-bereikbaar.html"} <= set(pages)
    assert all(f'<html lang="{lang}">' in page for page in pages.values())
    # The study's words, never their keys (what SiteContent.text shows when a word is missing).
    words = sample_words()["words"]
    assert words["dim_bereikbaar"][lang] in pages["dimension-bereikbaar.html"]
    assert words["breakdown_neighbourhood"][lang] in pages["dimension-bereikbaar.html"]
    assert words["respondents_field_actor"][lang] in pages["comparison.html"]
    assert html.escape(words["method_caveats"][lang]) in pages["method.html"]
    assert not [name for name, page in pages.items()
                if re.search(r"\b(dim|breakdown|respondents|method)_[a-z]", page)]


def test_no_page_text_is_left_in_another_language():
    """The French page does not carry the Dutch or English sentences of the catalogue."""
    content = sample_content()
    checked = ("suppression_note", "compare_intro", "samples_intro", "page_method", "skip_to_content")
    for lang in LANGUAGES:
        joined = "".join(render_pages(content, lang, []).values())
        for other in set(LANGUAGES) - {lang}:
            for key in checked:
                foreign = text.t(key, other, min_n=10)
                if foreign != text.t(key, lang, min_n=10):
                    assert foreign not in joined, (lang, other, key)


@pytest.mark.parametrize(("study_id", "studies"), STUDIES)
def test_the_site_text_holds_no_study_word(study_id, studies):
    """dashboards/text.py keeps only the site's own text: no instrument's respondents, breakdown, area,
    subject or dimension of a study, in any language (tests/test_no_study_words.py greps the code for codes)."""
    words = study_words_in(load_study(study_id, studies))
    assert len(words["en"]) > 20
    assert [(key, lang, found(words[lang], entry[lang])) for key, entry in text.TEXT.items() for lang in LANGUAGES
            if found(words[lang], entry[lang])] == []


def test_reasons_are_said_with_the_studys_numbers_and_respondents():
    why = Reasons(10, {"client": {"nl": "Cliënten", "fr": "Clients", "en": "Clients"}})
    assert why.text("primary", "en") == "not shown: fewer than 10 respondents"
    assert why.text("alpha_below_0.6", "nl").endswith("(Cronbachs alfa onder 0,60)")
    assert why.text("alpha_below_0.75", "en").endswith("(Cronbach's alpha below 0.75)")
    assert why.text("client_n_below_20", "fr") == ("non affiché : moins de 20 clients ; en dessous, seuls des "
                                                   "effectifs sont publiés")
    assert why.text("client_n_below_20", "en", "difference") == ("no gap computed: fewer than 20 clients; see the "
                                                                 "counts on each side")
    assert why.text("client_index_withheld", "en") == "no gap computed: the index of the clients is not shown"
    assert why.text("client_proportion_withheld", "nl") == ("geen verschil berekend: het aandeel bij de cliënten "
                                                            "wordt niet getoond")
    # An instrument the study names no respondents for is named by its name; an unknown code is said in words
    # without the code (issue 22: no internal code on a public page).
    assert why.text("team-b_n_below_5", "en").startswith("not shown: fewer than 5 team-b;")
    assert why.text("client_count_withheld", "en") == "not shown under one of the study's rules"
    assert why.text("embargo", "fr") == "non affiché en vertu d'une règle de l'étude"


def _one_per_dimension(study) -> SiteContent:
    """Content with one row per measure, dimension and wave (whole sample, published): every page a study's
    words reach, drawn quickly."""
    rows, seen = [], set()
    for wave in study.waves:
        for indicator in wave_indicators(study, wave):
            if (indicator.measure, indicator.dimension, wave) in seen:
                continue
            seen.add((indicator.measure, indicator.dimension, wave))
            value = {"proportion": 0.5, "index": 50.0, "mean": 3.0, "count": 12.0, "difference": 5.0}[indicator.unit]
            rows.append({"study_id": study.study_id, "wave": wave, "indicator": indicator.name, "breakdown": "all",
                         "domain": "all", "instrument": indicator.instrument, "estimate": value, "se": 1.0,
                         "ci_low": value - 1, "ci_high": value + 1, "n": 40, "n_eff": 40.0, "deff": 1.0,
                         "weighted": False, "low_n_eff": False, "suppressed": False, "reason": None,
                         "unit": indicator.unit, "ci_method": None, "df": 39, "n_eff_kg": None, "nchs_flag": None})
    return SiteContent(study_title=study.title, indicators=pd.DataFrame(rows),
                       catalogue=indicator_catalogue(study, study.waves), domains={}, method=MethodFacts(), min_n=10,
                       **study_words(study))


def _h1(page: str) -> str:
    return html.unescape(re.search(r"<h1>(.*?)</h1>", page).group(1))


def _chart_headings(page: str) -> list[str]:
    return [html.unescape(x) for x in re.findall(r'<h2 id="b\d+-h">(.*?)</h2>', page)]


def _nav_link(page: str, target: str) -> str:
    """The text of the page's navigation link to ``target``."""
    nav = re.search(r'<nav class="pages".*?</nav>', page).group(0)
    return html.unescape(re.search(rf'<a href="{re.escape(target)}"[^>]*>(.*?)</a>', nav).group(1))


@pytest.mark.parametrize(("study_id", "studies"), STUDIES)
def test_every_dimension_has_one_label_per_language(study_id, studies):
    """Issue 16: a dimension is named by its framework's label, one per language: the title of its page and its
    link in every page's navigation, the trend's headings, and (first letter lowered) inside every indicator
    label of the catalogue; no page or label names it any other way."""
    study = load_study(study_id, studies)
    framework = study.framework.dimensions
    assert all(len({d.labels[lang] for d in framework}) == len(framework) for lang in LANGUAGES)  # none shared
    catalogue = indicator_catalogue(study, study.waves)
    # The dimensions the study's items have (the support-models questionnaires have one).
    dimensions = [d for d in framework if any(e.dimension == d.code for e in catalogue.values())]
    assert dimensions
    labels = {lang: [d.labels[lang] for d in dimensions] for lang in LANGUAGES}
    content = _one_per_dimension(study)
    for lang in LANGUAGES:
        for dimension in dimensions:
            named = [e.label[lang] for e in catalogue.values() if e.dimension == dimension.code]
            assert named and all(dimension.words[lang] in label for label in named), (dimension.code, lang)
            others = [d for d in framework if d != dimension]
            assert not [label for label in named for d in others if d.words[lang] in label], (dimension.code, lang)
        pages = render_pages(content, lang, [])
        trend_dimensions = {h.rsplit(":", 1)[0].strip() for h in _chart_headings(pages["trend.html"])}
        assert trend_dimensions - {content.text("dim_other", lang)} == set(labels[lang])
        for dimension in dimensions:
            page = f"dimension-{dimension.code}.html"
            assert _h1(pages[page]) == dimension.labels[lang]
            assert {_nav_link(other, page) for other in pages.values()} == {dimension.labels[lang]}
