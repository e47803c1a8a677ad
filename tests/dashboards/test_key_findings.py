"""The overview's key findings from respondents to sentences: a synthetic weighted sample with a clear difference
between two large groups and a larger but uncertain one between two small groups (each just over the small-cell
minimum) goes through the indicator table, the tested pairs (analyses.findings) and the site. Only the clear
one is said, with the numbers of its indicator rows as the tables show them and a link to a chart that exists;
the uncertain one passes at 5% alone but not after Holm over the page's family, and is not said."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analyses.comparisons import wave_differences
from analyses.findings import candidates, findings, pair_differences
from analyses.indicator_table import Indicator, IndicatorInputs, Sample, indicator_tables
from dashboards.formatting import value_text
from dashboards.model import ROW, MethodFacts, SiteContent, checked_indicators
from dashboards.site import write_site
from dashboards.text import t
from instruments.vocabulary import LANGUAGES

WAVE = "2021"
# Category -> (respondents, of whom aware): A and B differ by 20 points on 150 each; C and D by 43 points on 14
# each, just over the small-cell minimum of 10.
GROUPS = {"A": (150, 90), "B": (150, 60), "C": (14, 10), "D": (14, 4)}
AREAS = {"A": {"nl": "Noord", "fr": "Nord", "en": "North"}, "B": {"nl": "Zuid", "fr": "Sud", "en": "South"},
         "C": {"nl": "Oost", "fr": "Est", "en": "East"}, "D": {"nl": "West", "fr": "Ouest", "en": "West"}}
AWARE = Indicator("aware", "aware", "share", "proportion", "resp", headline=True, variable="knows",
                  codes=frozenset({True}), label={"nl": "Kent de dienst", "fr": "Connaît le service",
                                                  "en": "Knows the service"})
# A second headline share with no difference between the areas: a larger family, as a page has.
USED = Indicator("used", "used", "share", "proportion", "resp", headline=True, variable="used",
                 codes=frozenset({True}), label={"nl": "Gebruikte de dienst", "fr": "A utilisé le service",
                                                 "en": "Used the service"})


def _respondents() -> pd.DataFrame:
    rows = []
    for area, (n, aware) in GROUPS.items():
        for i in range(n):
            rows.append({"area": area, "knows": i < aware, "used": i % 2 == 0})
    frame = pd.DataFrame(rows)
    return frame.assign(w=1.0 + (np.arange(len(frame)) % 5) / 4)  # unequal weights: a design effect


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    inputs = IndicatorInputs(samples={"resp": Sample(_respondents(), "w", None, True)}, indicators=[AWARE, USED],
                             breakdowns={"area": "area"}, min_n=10)
    table = indicator_tables(inputs).indicators
    pairs = pair_differences(inputs, table, ["area"])
    rows = table.assign(wave=WAVE, study_id="s")
    family = findings(candidates(rows, pairs.assign(wave=WAVE), wave_differences(rows), {},
                                 indicators=["aware", "used"], compared=["area"]))
    words = {"breakdown_area": {"nl": "gebied", "fr": "zone", "en": "area"},
             "respondents_resp": {"nl": "Bewoners", "fr": "Habitants", "en": "Residents"}}
    content = SiteContent(study_title={lang: "Test" for lang in LANGUAGES}, indicators=rows,
                          catalogue={"aware": AWARE, "used": USED}, domains={"area": AREAS}, method=MethodFacts(),
                          min_n=10, breakdowns=("area",), compared=("area",), instruments=("resp",),
                          broken_down=("resp",), words=words, findings=family)
    root = tmp_path_factory.mktemp("findings") / "site"
    write_site(root, content)
    return rows, pairs, family, root, content


def _cell(rows, domain):
    return rows[(rows["indicator"] == "aware") & (rows["breakdown"] == "area") & (rows["domain"] == domain)].iloc[0]


def _findings(root, lang) -> list[tuple[str, str]]:
    """(sentence, link) of each key finding on the overview."""
    page = (root / lang / "index.html").read_text(encoding="utf-8")
    return [(html.unescape(re.sub(r"<[^>]+>", "", text)).strip(), html.unescape(href))
            for text, href in re.findall(r'<li class="finding">(.*?) <a href="([^"]+)">', page, re.S)]


def test_the_planted_pairs_are_tested_as_planted(planted):
    rows, pairs, family, _, _ = planted
    assert not rows["suppressed"].any()  # every cell published: C and D rest on 14 respondents each
    clear = pairs[(pairs["indicator"] == "aware") & (pairs["domain_a"] == "A") & (pairs["domain_b"] == "B")].iloc[0]
    small = pairs[(pairs["indicator"] == "aware") & (pairs["domain_a"] == "C") & (pairs["domain_b"] == "D")].iloc[0]
    # The small groups' difference is the larger one, and passes 5% alone; not after Holm over the family.
    assert abs(small["difference"]) > abs(clear["difference"]) + 0.1
    assert clear["p_value"] < 0.001
    found = family[(family["kind"] == "pair") & (family["domain"] == "C") & (family["domain_other"] == "D")].iloc[0]
    assert found["p_value"] < 0.05 <= found["p_adjusted"] and pd.isna(found["rank"])
    assert len(family) == len(pairs) == 12  # six pairs of four areas, two indicators: the whole family


@pytest.mark.parametrize("lang", LANGUAGES)
def test_only_the_clear_difference_is_said_with_its_rows_numbers_and_chart(planted, lang):
    rows, _, _, root, content = planted
    said = _findings(root, lang)
    assert len(said) == 1
    sentence, link = said[0]
    north, south = _cell(rows, "A"), _cell(rows, "B")
    expected = t("finding_pair", lang, label=AWARE.label[lang], wave=t("wave_label", lang, wave=WAVE).lower(),
                 breakdown=content.text("breakdown_area", lang),
                 high=value_text(north["estimate"], "proportion", lang), high_group=AREAS["A"][lang],
                 low=value_text(south["estimate"], "proportion", lang), low_group=AREAS["B"][lang])
    assert sentence == expected
    # Every number in the sentence is its row's, as the table under the chart shows it.
    numbers = re.findall(r"\d+(?:[.,]\d+)?", sentence.replace(WAVE, ""))
    assert numbers == [value_text(north["estimate"], "proportion", lang).rstrip("%\u00a0"),
                       value_text(south["estimate"], "proportion", lang).rstrip("%\u00a0")]
    # Nothing said about the small areas.
    assert AREAS["C"][lang] not in sentence and AREAS["D"][lang] not in sentence
    target, anchor = link.split("#")
    page = (root / lang / target).read_text(encoding="utf-8")
    section = re.search(rf'<section class="block" id="{re.escape(anchor)}">(.*?)</section>', page, re.S).group(1)
    numbered = checked_indicators(rows, content.catalogue)  # as write_site numbers them (data-row)
    for row, area in ((north, "A"), (south, "B")):
        number = _cell(numbered, area)[ROW]
        assert f'<td data-row="{number}"><b>{value_text(row["estimate"], "proportion", lang)}</b>' in html.unescape(
            section)


def test_nothing_to_say_is_one_sentence(planted):
    rows, _, family, root, content = planted
    quiet = replace(content, findings=family.assign(rank=pd.NA).astype({"rank": "Int64"}))
    target = root.parent / "quiet"
    write_site(target, quiet)
    page = (target / "en" / "index.html").read_text(encoding="utf-8")
    assert html.escape(t("findings_none", "en", count=len(family)), quote=True) in page
    assert 'class="finding"' not in page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_benchmark_is_said_with_its_value_and_source(planted, lang):
    """A declared benchmark far from the published whole-sample estimate (t far beyond Holm's bar over the family),
    and one within its interval: only the first is said, with the row's estimate, the value and the source."""
    from dashboards.pages.findings import findings_section

    rows, pairs, _, _, content = planted
    family = findings(candidates(rows, pairs.assign(wave=WAVE), wave_differences(rows), {"aware": 0.2, "used": 0.5},
                                 indicators=["aware", "used"], compared=["area"]))
    source = {"nl": "Regionale peiling", "fr": "Sondage régional", "en": "Regional poll"}
    words = {**content.words, "benchmark_aware": source, "benchmark_used": source}
    section = html.unescape(findings_section(replace(content, findings=family, words=words), lang))
    whole = rows[(rows["indicator"] == "aware") & (rows["breakdown"] == "all")].iloc[0]
    said = t("finding_above", lang, label=AWARE.label[lang], wave=t("wave_label", lang, wave=WAVE).lower(),
             value=value_text(whole["estimate"], "proportion", lang), benchmark=value_text(0.2, "proportion", lang),
             source=source[lang])
    assert said in section
    assert USED.label[lang] not in section  # 50% against 50%: nothing to say
