"""A study is configuration: no study's words in the code. The words of every study folder under
instruments/studies (instrument names, clean column prefixes, question codes used as breakdowns or naming a
professional's role or organisation, the categories of its breakdowns, area, subject and theme codes, and the
dimension codes) appear in no code of warehouse/, analyses/, dashboards/, pipelines/ or instruments/
(comments and docstrings aside, and the bundled demo's own generator, instruments/demo_study.py, which writes
the demo's files)."""

import io
import re
import tokenize
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

PACKAGES = ("warehouse", "analyses", "dashboards", "pipelines", "instruments")
EXEMPT = {"instruments/demo_study.py"}
STUDIES = ROOT / "instruments" / "studies"
STUDY_FOLDERS = sorted(p.parent for p in STUDIES.glob("*/study.yaml"))
DEMO = STUDIES / "demo-brussels"
SHARED = ROOT / "instruments" / "shared"
# Answer codes that are also SQL keywords: in the code they are its SQL, not a study's category.
SQL_WORDS = {"AND", "NOT", "ALL", "ANY", "ASC", "DESC", "END", "FOR", "SET", "NULL", "CASE", "WHEN", "THEN", "ELSE",
             "FROM", "JOIN", "LEFT", "WITH", "OVER", "LIKE", "CAST"}


def _read(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None


def _questions(folder: Path, study: dict):
    """(instrument name, question) of every question of the study's instruments."""
    for name, role in study["instruments"].items():
        definition = _read(folder / (role or {}).get("definition", f"instruments/{name}.yaml"))
        for group in definition["groups"]:
            for question in group["questions"]:
                yield name, question


def _study_words(folder: Path) -> dict[str, re.Pattern]:
    study = _read(folder / "study.yaml")
    subjects = _read(folder / "subjects.yaml") or {}
    scales = {**(_read(SHARED / "scales.yaml") or {}), **(_read(folder / "scales.yaml") or {})}
    dimensions = _read(SHARED / "dimensions.yaml")
    questions = list(_questions(folder, study))
    columns = [b["column"] for b in (study.get("breakdowns") or {}).values() if b["column"] != "start_language"]
    by_list = {(q["code"], name): q for name, q in questions}

    def answers(question: dict) -> list[str]:
        given = question.get("answers") or []
        return [a["code"] for a in (scales.get(given, []) if isinstance(given, str) else given)]

    # A breakdown's categories: the answer codes of its question, those long enough to be words of their own
    # (a code such as "E" or "A1" could be anything).
    categories = [code for _, q in questions if q["code"] in columns for code in answers(q)
                  if len(code) >= 3 and not code.isdigit() and code not in SQL_WORDS]
    themes = []  # the subquestions of a question that is a subject list (unless made from another list)
    for spec in subjects.values():
        if "question" in spec:
            listed = by_list[(spec["question"]["code"], spec["question"]["instrument"])].get("subquestions")
            themes += [sq["code"] for sq in listed] if isinstance(listed, list) else []
    if folder == DEMO:  # the demo's areas are a shared scale
        categories += [a["code"] for a in scales["neighbourhood"]]
    words = {
        "instrument name": list(study["instruments"]),
        "breakdown question code": columns,
        "identifying question code": [q["code"] for _, q in questions if q.get("identifies")],
        "breakdown category or area code": categories,
        "subject code": [s["code"] for spec in subjects.values() for s in spec.get("items", [])],
        "theme code": themes,
        "dimension code": [code for framework in dimensions.values() for code in framework["dimensions"]],
    }
    patterns = {kind: re.compile(r"\b(" + "|".join(map(re.escape, dict.fromkeys(values))) + r")\b")
                for kind, values in words.items() if values}
    # Clean columns of a question with subquestions are <code>_<subcode> (kent_S01).
    prefixes = sorted({q["code"] for _, q in questions if q.get("subquestions") and "{" not in q["code"]})
    if prefixes:
        patterns["column prefix"] = re.compile(r"\b(" + "|".join(map(re.escape, prefixes)) + r")_")
    return patterns


def _code_tokens(text: str):
    """(line, text) of every string literal that is not a docstring and every name that is not an attribute
    (``path.parent`` is pathlib's)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    previous = None
    for i, token in enumerate(tokens):
        if token.type == tokenize.STRING:
            before = previous.type if previous is not None else tokenize.NEWLINE
            docstring = before in (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT) and \
                tokens[i + 1].type in (tokenize.NEWLINE, tokenize.NL)
            if not docstring:
                yield token.start[0], token.string
        elif token.type == tokenize.NAME and not (previous is not None and previous.string == "."):
            yield token.start[0], token.string
        elif token.type == tokenize.FSTRING_MIDDLE if hasattr(tokenize, "FSTRING_MIDDLE") else False:
            yield token.start[0], token.string
        if token.type not in (tokenize.COMMENT, tokenize.NL):
            previous = token


def test_every_bundled_study_is_checked():
    assert DEMO in STUDY_FOLDERS and len(STUDY_FOLDERS) >= 3
    for folder in STUDY_FOLDERS:
        patterns = _study_words(folder)
        assert {"instrument name", "dimension code"} <= set(patterns), folder.name


@pytest.mark.parametrize("folder", STUDY_FOLDERS, ids=[f.name for f in STUDY_FOLDERS])
def test_the_code_names_no_word_of_the_study(folder):
    patterns = _study_words(folder)
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if relative in EXEMPT:
                continue
            for line, text in _code_tokens(path.read_text(encoding="utf-8")):
                for kind, pattern in patterns.items():
                    match = pattern.search(text)
                    if match:
                        found.append(f"{relative}:{line}: {folder.name} {kind} {match.group(1)!r}")
    assert not found, "\n".join(found)


def test_the_check_finds_a_study_word():
    patterns = _study_words(DEMO)
    hits = [kind for _, text in _code_tokens('x = f(path.parent)\ny = "clean.parent_responses"\nkent_S01 = 1\n')
            for kind, pattern in patterns.items() if pattern.search(text)]
    assert "column prefix" in hits and "subject code" not in hits
    assert not [t for _, t in _code_tokens('"""A parent docstring."""\n# parent\n') if patterns["instrument name"].search(t)]
    assert [t for _, t in _code_tokens('name = "parent"\n') if patterns["instrument name"].search(t)]
    antwerp = _study_words(STUDIES / "demo-antwerp")
    for word, kind in (('"steunmodel"', "breakdown question code"), ('"NWAN"', "breakdown category or area code"),
                       ('"functie"', "identifying question code"), ("ervaring_WELK", "column prefix")):
        assert antwerp[kind].search(word), (word, kind)
    assert _study_words(STUDIES / "demo-rotterdam")["subject code"].search('"CASUS"')
