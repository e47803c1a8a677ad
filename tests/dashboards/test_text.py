"""The translation catalogue is complete: every key in nl, fr and en with the same placeholders, every
key the pages ask for exists, and no key is left unused. The study's own words (its dimensions and
breakdowns, from its folder) exist for every key the pages ask the study for."""

import ast
import re
import string
from pathlib import Path

import pytest

from dashboards import text
from dashboards.model import UNITS
from dashboards.site import render_pages
from instruments.vocabulary import LANGUAGES
from tests.dashboards.sample import sample_content, sample_words

DASHBOARDS = Path(text.__file__).parent


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
    keys |= {f"unit_{u}" for u in UNITS}
    keys |= {f"overview_{u}" for u in UNITS}
    keys |= {k for k in text.TEXT if k.startswith(("reason_", "flag_", "col_", "file_"))}
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
    assert families == {"dim_{}", "dim_{}_about", "breakdown_{}"}  # a new family: add it here and to study_words
    words = sample_words()
    assert words["dimensions"] and words["breakdowns"]
    keys = {f"dim_{d}" for d in (*words["dimensions"], "other")} | {f"dim_{d}_about" for d in
                                                                     (*words["dimensions"], "other")}
    keys |= {f"breakdown_{b}" for b in words["breakdowns"]}
    assert keys - set(words["words"]) == set()
    for key in keys:
        assert all(words["words"][key][lang].strip() for lang in LANGUAGES), key
    assert set(words["compared"]) | set(words["checks"]) <= set(words["breakdowns"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_renders_in_every_language(lang, tmp_path):
    """A missing key or placeholder would raise while the pages are rendered."""
    files = []
    for name in ("indicators.csv", "indicators.parquet"):
        (tmp_path / name).write_text("x")
        files.append(tmp_path / name)
    pages = render_pages(sample_content(), lang, files)
    assert {"index.html", "neighbourhoods.html", "parents-field-actors.html", "trend.html", "method.html",
            "downloads.html", "dimension-bereikbaar.html"} <= set(pages)
    assert all(f'<html lang="{lang}">' in page for page in pages.values())
    # The study's words, never their keys (what SiteContent.text shows when a word is missing).
    words = sample_words()["words"]
    assert words["dim_bereikbaar"][lang] in pages["dimension-bereikbaar.html"]
    assert words["breakdown_neighbourhood"][lang] in pages["dimension-bereikbaar.html"]
    assert not [name for name, page in pages.items() if re.search(r"\b(dim|breakdown)_[a-z]", page)]


def test_no_page_text_is_left_in_another_language():
    """The French page does not carry the Dutch or English sentences of the catalogue."""
    content = sample_content()
    checked = ("overview_intro", "suppression_note", "gap_intro", "page_method", "skip_to_content")
    for lang in LANGUAGES:
        joined = "".join(render_pages(content, lang, []).values())
        for other in set(LANGUAGES) - {lang}:
            for key in checked:
                foreign = text.t(key, other, min_n=10)
                if foreign != text.t(key, lang, min_n=10):
                    assert foreign not in joined, (lang, other, key)
