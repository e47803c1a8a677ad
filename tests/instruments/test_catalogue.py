"""instruments/catalogue.py: the indicator catalogue in the generic vocabulary, resolved against the study's
questionnaires; every refusal names the file and the line (``toegang instruments check``)."""

import re
import shutil

import pytest
from typer.testing import CliRunner

from instruments.study import DEMO_STUDY, STUDIES, check_study, load_study, read_study
from pipelines.stages.indicators import wave_indicators


@pytest.fixture(scope="module")
def demo():
    return load_study(DEMO_STUDY)


def _copy(tmp_path):
    shutil.copytree(STUDIES / DEMO_STUDY, tmp_path / DEMO_STUDY, ignore=shutil.ignore_patterns("data"))
    return tmp_path / DEMO_STUDY


def _problems(folder) -> list[str]:
    study, problems = read_study(folder)
    return [str(p) for p in problems] or [str(p) for p in check_study(study)]


def test_the_demo_catalogue_resolves_without_a_problem(demo):
    assert check_study(demo) == []
    indicators = {i.name: i for i in wave_indicators(demo, "2021")}
    # Each kind of the vocabulary, from the demo's questionnaires alone.
    assert {i.kind for i in indicators.values()} == {"share", "mean", "scale_index", "count", "difference"}
    index = indicators["access_index.S01.bereikbaar"]
    assert index.label == {"nl": "Toegankelijkheid, bereikbaar: Consultatiebureau (Kind & Gezin)",
                           "fr": "Accessibilité, accessible (lieu, horaires) : Consultation ONE / Kind & Gezin",
                           "en": "Accessibility, reachable: Child health clinic"}
    assert [item.variable for item in index.items] == ["drS01_BR1", "drS01_BR2"] and index.universe is not None
    assert indicators["unmet_need_rate.OPV"].theme == "OPV" and indicators["unmet_need_rate.OPV"].service is None
    assert indicators["use_rate.S07"].shown is not None  # S07 exists in 2021 only
    assert "use_rate.S07" not in {i.name for i in wave_indicators(demo, "2018")}
    assert indicators["perception_gap.S01.bereikbaar"].of == ("field_actor_index.S01.bereikbaar",
                                                               "access_index.S01.bereikbaar")
    assert all("{" not in text for i in indicators.values()
               for text in [*i.label.values(), *i.description.values(), *i.numerator.values(), *i.denominator.values()])
    # Who is counted and among whom, in each language, with the subject's and the dimension's names in it.
    assert indicators["awareness_rate.S01"].numerator == {
        "nl": "Ouders die Consultatiebureau (Kind & Gezin) kennen",
        "fr": "Parents qui connaissent Consultation ONE / Kind & Gezin", "en": "Parents who know Child health clinic"}
    assert indicators["unmet_need_rate.OPV"].denominator["en"] == \
        "Parents with a need on Parenting who answered the support question"
    assert indicators["access_index.S01.bereikbaar"].denominator == {
        "nl": "Ouders die Consultatiebureau (Kind & Gezin) kennen en minstens twee derde van de uitspraken over "
              "'bereikbaar' beantwoordden",
        "fr": "Parents qui connaissent Consultation ONE / Kind & Gezin et ont répondu à au moins deux tiers des "
              "affirmations sur « accessible (lieu, horaires) »",
        "en": "Parents who know Child health clinic and answered at least two thirds of the statements on 'reachable'"}
    # Each dimension is named once, as the framework names it, in every indicator about it.
    for dimension in demo.framework.dimensions:
        label = indicators[f"barrier_prevalence.S01.{dimension.code}"].label
        assert all(dimension.labels[lang].lower() in label[lang].lower() for lang in label), label


def test_the_demo_catalogue_declares_its_links(demo):
    links = demo.catalogue.links
    text = demo.catalogue_path.read_text(encoding="utf-8")
    assert [(link.kind, link.measures, link.complete) for link in links] == [
        ("ratio", ("use_among_aware", "use_rate", "awareness_rate"), True),
        ("parts", ("partly_met_need_rate", "unmet_need_rate"), False),
        ("parts", ("unmet_need_prevalence", "unmet_need_rate"), False)]
    assert (links[0].numerator, links[0].denominator, links[1].whole, links[2].whole) == (
        "use_rate", "awareness_rate", 1.0, "unmet_need_rate")
    assert [link.line for link in links] == [_line(text, r"- ratio: use_among_aware"), _line(text, r"- whole: 1$"),
                                             _line(text, r"- whole: unmet_need_rate")]


def test_a_catalogue_without_links_has_none(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("\nlinks:")] + "\n", encoding="utf-8")
    study, problems = read_study(folder)
    assert problems == [] and study.catalogue.links == ()


def _line(text: str, pattern: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if re.search(pattern, line))


REFUSALS = [
    # (what to change in indicators.yaml, the line the refusal points at (a pattern of the result), message)
    ("    kind: scale_index\n    instrument: field_actor", "    kind: scale_indx\n    instrument: field_actor",
     r"kind: scale_indx", "unknown kind 'scale_indx'"),
    ('item: "kent[{subject}]"', 'item: "knet[{subject}]"', r"^  awareness_rate:",
     "item 'knet[S01]' is not a column of parent"),
    ("    per: themes\n    item: \"steun[{subject}]\"\n    codes: [\"N\"]\n    universe",
     "    per: thema\n    item: \"steun[{subject}]\"\n    codes: [\"N\"]\n    universe", r"^  unmet_need_rate:",
     "per: unknown subject list 'thema'"),
    ('    headline: false\n    numerator:\n      nl: "Ouders die {subject} de voorbije 12 maanden gebruikten"',
     '    headline: false\n    breakdowns: [postcode]\n    numerator:\n      nl: "Ouders die {subject} de voorbije 12 '
     'maanden gebruikten"', r"^  use_among_aware:", "breakdowns: unknown breakdown 'postcode'"),
    ("    instrument: field_actor\n    per: [services, dimension]\n    # A 0-100",
     "    instrument: fieldactor\n    per: [services, dimension]\n    # A 0-100", r"^  field_actor_agree:",
     "instrument 'fieldactor' is not one of the study's"),
    ('codes: ["N"]\n    universe', 'codes: ["X"]\n    universe', r"^  unmet_need_rate:",
     "codes X are not answers of 'steun[OPV]'"),
    ('universe: {question: "gebruik[{subject}]", equals: "Y"}\n    headline: false\n    numerator:\n      nl: "Gebr',
     'universe: {question: "gebruk[{subject}]", equals: "Y"}\n    headline: false\n    numerator:\n      nl: "Gebr',
     r"^  satisfaction:", "universe refers to 'gebruk[S01]'"),
    # The texts: every language, and only the placeholders the measure fills in.
    ('      fr: "Parents qui connaissent {subject}"\n', "", r"^    numerator:$",
     "measure awareness_rate numerator: no text in fr"),
    ('    denominator:\n      nl: "Ouders die de vraag of ze {subject} kennen beantwoordden"\n      fr: "Parents qui '
     'ont répondu à la question de savoir s\'ils connaissent {subject}"\n      en: "Parents who answered the question '
     'whether they know {subject}"\n', "    denominator: parents who answered the awareness item\n",
     r"^    denominator: parents who answered", "measure awareness_rate denominator: no text in nl, fr, en"),
    ('      en: "Parents who know {subject}"', '      en: "Parents who know {service}"', r"^    numerator:$",
     "numerator: unknown placeholder {service} in the en text (this measure's: {subject})"),
    ('      en: "Parents who know {subject}"', '      en: "Parents who know {dimension}"', r"^    numerator:$",
     "numerator: unknown placeholder {dimension} in the en text (this measure's: {subject})"),
    ('      en: "Parents who know {subject}"', '      en: "Parents who know {subject"', r"^    numerator:$",
     "numerator: unbalanced braces in the en text"),
    ("of: [field_actor_index, access_index]", "of: [field_actor_index, acces_index]", r"^  perception_gap:",
     "of: unknown measure 'acces_index'"),
    ("    at_least: 75\n", "", r"^  field_actor_agree:", "missing at_least"),
    ('    not_shown: "no"\n    headline: true', '    not_shown: "never"\n    headline: true', r'not_shown: "never"',
     "not_shown must be 'no'"),
    # links:
    ("    numerator: use_rate\n    denominator", "    numerator: use_rat\n    denominator", r"numerator: use_rat$",
     "link 1: numerator: unknown measure 'use_rat'"),
    ("  - whole: 1\n", "  - whole: [1]\n", r"whole: \[1\]", "link 2: whole must be a number or a measure's name"),
    ("    complete: false\n", "    complet: false\n", r"complet: false", "link 2: complet: not a key of a parts link"),
    ("    complete: false\n", '    complete: "no"\n', r'complete: "no"', "link 2: complete must be true or false"),
    ("    numerator: use_rate\n    denominator", "    numerator: unmet_need_rate\n    denominator",
     r"- ratio: use_among_aware", "link 1: the measures of a link must have the same per and instrument"),
    ("  - ratio: use_among_aware\n    numerator: use_rate\n    denominator: awareness_rate\n",
     "  - ratio: access_index\n    numerator: field_actor_index\n    denominator: barrier_prevalence\n",
     r"- ratio: access_index", "link 1: the measures of a link must have the same per and instrument"),
    ("  - ratio: use_among_aware\n", "  - rate: use_among_aware\n", r"- rate: use_among_aware",
     "link 1: a link is a mapping with either ratio (numerator, denominator) or whole (parts, complete)"),
    ("    parts: [unmet_need_prevalence]", "    parts: [field_actor_agree]", r"parts: \[field_actor_agree\]",
     "link 3: parts: 'field_actor_agree' is a count"),
    ("    parts: [partly_met_need_rate, unmet_need_rate]", "    parts: [unmet_need_rate]",
     r"parts: \[unmet_need_rate\]$", "link 2: parts must list measures (two or more when the whole is a number)"),
]


@pytest.mark.parametrize("old, new, line, message", REFUSALS, ids=[r[3][:30] for r in REFUSALS])
def test_each_refusal_names_the_file_and_the_line(tmp_path, old, new, line, message):
    folder = _copy(tmp_path)
    path = folder / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    problems = _problems(folder)
    expected = f"{path}:{_line(text, line)}: "
    assert any(p.startswith(expected) and message in p for p in problems), (expected, message, problems)


def test_instruments_check_lists_the_refusals_with_file_and_line(tmp_path):
    from pipelines.cli import app

    folder = _copy(tmp_path)
    path = folder / "indicators.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: mean", "kind: median"), encoding="utf-8")
    result = CliRunner().invoke(app, ["instruments", "check", "--study", DEMO_STUDY, "--studies", str(tmp_path)])
    assert result.exit_code != 0
    assert re.search(rf"{re.escape(str(path))}:\d+: measure satisfaction_mean: unknown kind 'median'", result.output)
    assert "Traceback" not in result.output
    fine = CliRunner().invoke(app, ["instruments", "check", "--study", DEMO_STUDY])
    assert fine.exit_code == 0 and "no problems" in fine.output
