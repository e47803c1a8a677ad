"""The overview's key findings: a few sentences, each with its numbers as the indicator rows publish them and a
link to the chart they come from. Which findings (``SiteContent.findings``) the statistics chose
(``analyses.findings``); here they are only said."""

from __future__ import annotations

import html

import pandas as pd

from dashboards.formatting import lowered, value_text
from dashboards.model import SiteContent
from dashboards.pages.breakdowns import breakdowns_shown
from dashboards.pages.breakdown_map import map_page_name
from dashboards.pages.common import breakdown_anchor, domain_labels, indicator_label, whole_anchor
from dashboards.text import t

esc = html.escape
OVERVIEW = "overview"  # the overview's own charts: whole_anchor(unit, OVERVIEW)


def _dimension_page(content: SiteContent, indicator: str) -> str:
    return f"dimension-{content.entry(indicator).dimension or 'other'}.html"


def finding_link(content: SiteContent, finding) -> str | None:
    """Where a finding's chart is: ``page#id`` (``#id`` on the overview itself), or None where no page charts it."""
    entry = content.entry(finding["indicator"])
    if finding["kind"] == "pair":
        breakdown = finding["breakdown"]
        anchor = breakdown_anchor(finding["indicator"], breakdown)
        if breakdown in breakdowns_shown(content, entry):
            return f"{_dimension_page(content, finding['indicator'])}#{anchor}"
        if breakdown in content.maps:
            return f"{map_page_name(breakdown)}#{anchor}"
        return None
    if entry.headline:
        return f"#{whole_anchor(entry.unit, OVERVIEW)}"
    unit = "single" if entry.single_item else entry.unit
    return f"{_dimension_page(content, finding['indicator'])}#{whole_anchor(unit)}"


def _cell(content: SiteContent, wave: str, indicator: str, breakdown: str, domain: str) -> pd.Series | None:
    rows = content.indicators
    found = rows[(rows["wave"].astype(str) == wave) & (rows["indicator"] == indicator)
                 & (rows["breakdown"] == breakdown) & (rows["domain"].astype(str) == domain)]
    return None if found.empty else found.iloc[0]


def _said(row: pd.Series | None, unit: str, lang: str) -> str | None:
    """A published cell's value as its table says it; None for a withheld cell or one published as a count."""
    if row is None or bool(row["suppressed"]) or bool(row.get("as_count", False)) or pd.isna(row["estimate"]):
        return None
    return value_text(row["estimate"], unit, lang)


def finding_sentence(content: SiteContent, finding, lang: str) -> str | None:
    """The finding in words, its numbers the published rows' (None if a cell it needs is not published)."""
    name = finding["indicator"]
    entry = content.entry(name)
    label = indicator_label(content, name, lang)
    wave = str(finding["wave"])
    wave_words = lowered(t("wave_label", lang, wave=wave))
    if finding["kind"] == "pair":
        breakdown = finding["breakdown"]
        sides = [(str(finding[key]), _cell(content, wave, name, breakdown, str(finding[key])))
                 for key in ("domain", "domain_other")]
        if any(_said(row, entry.unit, lang) is None for _, row in sides):
            return None
        (high_code, high), (low_code, low) = sorted(sides, key=lambda side: -float(side[1]["estimate"]))
        groups = domain_labels(content, breakdown, lang)
        return t("finding_pair", lang, label=label, wave=wave_words,
                 breakdown=content.text(f"breakdown_{breakdown}", lang),
                 high=_said(high, entry.unit, lang), high_group=groups.get(high_code, high_code),
                 low=_said(low, entry.unit, lang), low_group=groups.get(low_code, low_code))
    if finding["kind"] == "change":
        before_wave = str(finding["wave_before"])
        after = _said(_cell(content, wave, name, "all", "all"), entry.unit, lang)
        before = _said(_cell(content, before_wave, name, "all", "all"), entry.unit, lang)
        if after is None or before is None:
            return None
        rise = float(finding["difference"]) > 0
        return t("finding_rise" if rise else "finding_fall", lang, label=label, after=after, before=before,
                 wave_after=wave_words, wave_before=lowered(t("wave_label", lang, wave=before_wave)))
    value = _said(_cell(content, wave, name, "all", "all"), entry.unit, lang)
    if value is None:
        return None
    above = float(finding["difference"]) > 0
    return t("finding_above" if above else "finding_below", lang, label=label, wave=wave_words, value=value,
             benchmark=value_text(finding["benchmark"], entry.unit, lang),
             source=content.text(f"benchmark_{name}", lang))


def findings_section(content: SiteContent, lang: str) -> str:
    """The key findings, headed, each a sentence with a link to its chart; one sentence when none passed; nothing
    when the page had nothing to compare."""
    family = content.findings
    if family is None or family.empty:
        return ""
    chosen = family.dropna(subset=["rank"]).sort_values("rank")
    items = []
    for _, finding in chosen.iterrows():
        sentence = finding_sentence(content, finding, lang)
        if sentence is None:
            continue
        link = finding_link(content, finding)
        # The link's name says which chart: its words, then the indicator for a screen reader.
        hidden = f'<span class="visually-hidden">: {esc(indicator_label(content, finding["indicator"], lang))}</span>'
        more = f' <a href="{esc(link)}">{esc(t("finding_link", lang))}{hidden}</a>' if link else ""
        items.append(f'<li class="finding">{esc(sentence)}{more}</li>')
    count = len(family)
    body = (f'<p>{esc(t("findings_intro", lang, count=count))}</p><ul class="findings">{"".join(items)}</ul>'
            if items else f'<p class="finding-none">{esc(t("findings_none", lang, count=count))}</p>')
    return (f'<section class="key-findings" aria-labelledby="key-findings-h">'
            f'<h2 id="key-findings-h">{esc(t("findings_heading", lang))}</h2>{body}</section>')
