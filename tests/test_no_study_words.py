"""A study is configuration: no study's words in the code. The demo study's instrument names, clean column
prefixes, question codes used as breakdowns, area, service and theme codes and dimension codes appear in no
code of warehouse/, analyses/, dashboards/, pipelines/ or instruments/ (comments and docstrings aside, and
the demo's own generator, instruments/demo_study.py, which writes the demo's bundled files)."""

import io
import re
import tokenize

import yaml

from tests.conftest import ROOT

PACKAGES = ("warehouse", "analyses", "dashboards", "pipelines", "instruments")
EXEMPT = {"instruments/demo_study.py"}
DEMO = ROOT / "instruments" / "studies" / "demo-brussels"


def _demo_words() -> dict[str, re.Pattern]:
    study = yaml.safe_load((DEMO / "study.yaml").read_text(encoding="utf-8"))
    subjects = yaml.safe_load((DEMO / "subjects.yaml").read_text(encoding="utf-8"))
    dimensions = yaml.safe_load((ROOT / "instruments" / "shared" / "dimensions.yaml").read_text(encoding="utf-8"))
    scales = yaml.safe_load((ROOT / "instruments" / "shared" / "scales.yaml").read_text(encoding="utf-8"))
    parent = yaml.safe_load((DEMO / "instruments" / "parent.yaml").read_text(encoding="utf-8"))
    themes = [sq["code"] for group in parent["groups"] for q in group["questions"] if q["code"] == "nood"
              for sq in q["subquestions"]]
    words = {
        "instrument name": list(study["instruments"]),
        "breakdown question code": [b["column"] for b in study["breakdowns"].values() if b["column"] != "start_language"],
        "service code": [s["code"] for s in subjects["services"]["items"]],
        "area code": [a["code"] for a in scales["neighbourhood"]],
        "theme code": themes,
        "dimension code": [code for framework in dimensions.values() for code in framework["dimensions"]],
    }
    patterns = {kind: re.compile(r"\b(" + "|".join(map(re.escape, values)) + r")\b") for kind, values in words.items()}
    patterns["column prefix"] = re.compile(r"\b(kent|gebruik|tevreden|nood|steun)_")
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


def test_the_code_names_no_word_of_the_demo_study():
    patterns = _demo_words()
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
                        found.append(f"{relative}:{line}: {kind} {match.group(1)!r}")
    assert not found, "\n".join(found)


def test_the_check_finds_a_study_word():
    patterns = _demo_words()
    hits = [kind for _, text in _code_tokens('x = f(path.parent)\ny = "clean.parent_responses"\nkent_S01 = 1\n')
            for kind, pattern in patterns.items() if pattern.search(text)]
    assert "column prefix" in hits and "service code" not in hits
    assert not [t for _, t in _code_tokens('"""A parent docstring."""\n# parent\n') if patterns["instrument name"].search(t)]
    assert [t for _, t in _code_tokens('name = "parent"\n') if patterns["instrument name"].search(t)]
