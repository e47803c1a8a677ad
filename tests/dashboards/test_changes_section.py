"""The method page's section on what changed since each wave's previous update (MethodFacts.changes, from
warehouse/changes.py): per wave in nl/fr/en, the counts and the versions that changed, and the largest changed
cells with their published values, a hidden cell by its status alone; nothing when there is nothing to say."""

import html
import re
from dataclasses import replace

import pandas as pd
import pytest

from dashboards.pages.method import CHANGED_CELLS
from dashboards.site import render_pages
from dashboards.text import TEXT
from tests.dashboards.sample import CATALOGUE, sample_content, sample_method

WAVES = pd.DataFrame({"wave": ["2018", "2021"], "first": [True, False], "new": pd.array([pd.NA, 3], "Int64"),
                      "edited": pd.array([pd.NA, 1], "Int64"), "versions": ["", "instrument:parent,margins"],
                      "moved": [0, 1], "suppressed": [0, 1], "released": [0, 0]})
CELLS = pd.DataFrame([
    {"wave": "2021", "indicator": "awareness", "breakdown": "neighbourhood", "domain": "W01", "unit": "proportion",
     "before": 0.41, "after": 0.57, "se": 0.05, "change": "moved"},
    {"wave": "2021", "indicator": "use", "breakdown": "all", "domain": "all", "unit": "proportion",
     "before": None, "after": None, "se": None, "change": "suppressed"}])

SAID = {
    "nl": ["Golf 2018, eerste bijwerking: niets om mee te vergelijken.",
           "Golf 2021, sinds de vorige bijwerking: nieuwe antwoorden: 3, gecorrigeerd: 1; nieuwe versie: vragenlijst "
           "(Ouders) en bevolkingscijfers; cijfers die meer dan hun standaardfout verschoven: 1; cellen nu verborgen: "
           "1, weer getoond: 0."],
    "fr": ["Vague 2018, première mise à jour : rien à comparer.",
           "Vague 2021, depuis la mise à jour précédente : réponses nouvelles : 3, corrigées : 1 ; nouvelle "
           "version : questionnaire (Parents) et chiffres de population ; chiffres ayant bougé de plus que leur "
           "erreur type : 1 ; cellules désormais masquées : 1, de nouveau affichées : 0."],
    "en": ["Wave 2018, first update: nothing to compare.",
           "Wave 2021, since the previous update: new responses: 3, corrected: 1; new version: questionnaire (Parents) "
           "and population figures; figures that moved by more than their standard error: 1; cells now hidden: 1, "
           "shown again: 0."],
}


def _section(content, lang):
    """The method page's section on changes, as text with its tags ("" when the page has none)."""
    page = render_pages(content, lang, [])["method.html"]
    heading = TEXT["changes_heading"][lang]
    found = [s for s in re.findall(r"<section>.*?</section>", page, re.S) if html.escape(heading) in s]
    return html.unescape(found[0]) if found else ""


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_the_section_says_per_wave_what_changed(lang):
    content = sample_content(method=replace(sample_method(), changes=WAVES, changed_cells=CELLS))
    section = _section(content, lang)
    for sentence in SAID[lang]:
        assert sentence in section, (lang, sentence)
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", section, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", "<th>" + row) for row in rows]
    assert len(cells) == 2
    percent = {"nl": ("41%", "57%", "5,0 ptn"), "fr": ("41\u00a0%", "57\u00a0%", "5,0 pts"),
               "en": ("41%", "57%", "5.0 pts")}[lang]
    group = {"nl": "Wijk: Hertogin", "fr": "Quartier : Duchesse", "en": "Neighbourhood: Hertogin (Duchesse)"}[lang]
    assert cells[0][:3] == ["2021", CATALOGUE["awareness"]["label"][lang], group]
    assert cells[0][3] == f"{percent[0]} → {percent[1]}" and cells[0][4] == percent[2]
    hidden = {"nl": "nu verborgen", "fr": "désormais masquée", "en": "now hidden"}[lang]
    assert cells[1][3] == hidden and cells[1][4] == "—"  # the status, no value


def test_only_the_largest_changes_are_listed():
    many = pd.concat([CELLS.iloc[:1]] * (CHANGED_CELLS + 5), ignore_index=True)
    waves = WAVES.assign(moved=[0, len(many)])
    section = _section(sample_content(method=replace(sample_method(), changes=waves, changed_cells=many)), "en")
    assert f"The {CHANGED_CELLS} largest of {CHANGED_CELLS + 5} changes are listed below." in section
    assert section.count("<tr><th scope=\"row\">") == CHANGED_CELLS


def test_no_section_without_runs_to_report():
    assert _section(sample_content(), "en") == ""
    assert _section(sample_content(method=replace(sample_method(), changes=WAVES, changed_cells=CELLS)), "en")
