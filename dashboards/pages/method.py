"""Method and data quality: sample sizes, weighting diagnostics, how standard errors follow each wave's sampling
design and how intervals are computed, the NCHS presentation standards for shares with the study's numbers, the
suppression rule, data-quality flags, the versions behind the numbers and what changed since each wave's previous
update."""

from __future__ import annotations

import html

import pandas as pd

from dashboards.formatting import number, percent, short_number, value_text
from dashboards.marks import FOOTNOTE, REVIEW, SYMBOLS, WITHHOLD
from dashboards.model import PROVENANCE_COLUMNS, SiteContent
from dashboards.pages.common import (capitalised, domain_labels, indicator_label, joined, paragraph, plain_table,
                                     reasons, respondents)
from dashboards.text import TEXT, t

esc = html.escape
FIRST_REASONS = ("primary", "secondary")  # the small-cell rule first; the study's own reasons after it


def _section(title: str, *parts: str) -> str:
    return f"<section><h2>{esc(title)}</h2>{''.join(parts)}</section>"


def _study_text(content: SiteContent, part: str, lang: str) -> str:
    """The study's own paragraph on ``part`` of its method (study.yaml ``method:``), or nothing."""
    return content.text(f"method_{part}", lang) if content.has_text(f"method_{part}") else ""


def _reasons(content: SiteContent, lang: str) -> str:
    """Each reason a cell of this site is hidden for, in words (its code only in ``data-reason``, which no reader
    sees); a reason only differences have is said as a difference says it ("no gap computed: ...")."""
    hidden = content.indicators[content.indicators["suppressed"].astype(bool)]
    units = {str(code): set(group["unit"]) for code, group in hidden.groupby("reason")}
    codes = [c for c in FIRST_REASONS if c in units] + sorted(set(units) - set(FIRST_REASONS))
    why = reasons(content)
    items = "".join(f'<li data-reason="{esc(code)}">'
                    f"{esc(why.text(code, lang, 'difference' if units[code] == {'difference'} else None))}</li>"
                    for code in codes)
    return f"<ul>{items}</ul>" if items else ""


def _given(value: object) -> str:
    """A text field of a frame row, "" where it is empty or missing."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _wave_variance(content: SiteContent, row: pd.Series, lang: str) -> str:
    """How one weighted wave's standard errors are estimated (a row of ``MethodFacts.designs``): per stratum (named
    by the study's breakdown of its column, if it has one) and from which design weights, then by linearisation
    or from replicate weights."""
    parts = []
    stratified = bool(_given(row["strata"]))
    if stratified:
        breakdown = _given(row["breakdown"])
        stratum = content.text(f"breakdown_{breakdown}", lang) if breakdown else t("stratum", lang)
        parts.append(t("design_strata", lang, stratum=stratum))
        if pd.notna(row["stratum_sizes"]) and bool(row["stratum_sizes"]):
            parts.append(t("design_strata_weights", lang, stratum=stratum))
    if row["variance"] == "replicates":
        parts.append(t("variance_bootstrap" if row["method"] == "bootstrap" else "variance_jackknife", lang,
                       count=number(int(row["replicates"]), lang)))
    else:
        parts.append(t("variance_strata" if stratified else "variance_linearisation", lang))
    return " ".join(parts)


def _variance(content: SiteContent, lang: str) -> list[str]:
    """How standard errors are estimated: once when every wave of the site is weighted and estimated the same
    way, else per wave ("2018: ..."), waves that agree together; without a weighted wave, by linearisation."""
    frame = content.method.designs
    if frame.empty:
        return [t("variance_linearisation", lang)]
    said: dict[str, list[str]] = {}
    for _, row in frame.sort_values("wave").iterrows():
        said.setdefault(_wave_variance(content, row, lang), []).append(str(row["wave"]))
    if len(said) == 1 and set(content.indicators["wave"].astype(str)) <= set(frame["wave"].astype(str)):
        return list(said)
    return [t("variance_waves", lang, waves=joined(waves, lang), text=text) for text, waves in said.items()]


def _intervals(content: SiteContent, lang: str) -> list[str]:
    """How the intervals are computed: for shares, the methods their rows name (``ci_method``); then means,
    indices, differences and counts."""
    rows = content.indicators
    methods = set(rows.loc[rows["unit"] == "proportion", "ci_method"].dropna().astype(str))
    said = [t(f"interval_{m}", lang) for m in ("beta", "clopper-pearson", "wilson", "logit") if m in methods]
    if "as_count" in rows and rows["as_count"].fillna(False).astype(bool).any():
        said.append(t("counts_rule", lang, min_n=content.min_percentage_n))
    if not content.panel_trajectory.empty:
        said.append(t("panel_rule", lang, min_pairs=content.min_pairs))
    return [*said, t("interval_wald", lang)]


def _nchs(content: SiteContent, lang: str) -> str:
    """The NCHS presentation standards with the study's numbers, and whether the study withholds what they would
    not publish or only marks it; nothing where no row was judged by them (no weighted share)."""
    rules, rows = content.proportions, content.indicators
    judged = rows["nchs_flag"].notna() | rows["reason"].astype(str).str.startswith("nchs_")
    if rules is None or not judged.any():
        return ""
    rule_text = t("nchs_rules", lang, n_eff=short_number(rules.min_n_eff_kg, lang),
                  width=short_number(100 * rules.max_width, lang),
                  present=short_number(100 * rules.present_width, lang),
                  relative=percent(100 * rules.max_relative_width, lang), df=rules.min_df)
    action = t("nchs_action_suppress" if rules.action == "suppress" else "nchs_action_flag", lang,
               withhold=SYMBOLS[WITHHOLD], footnote=SYMBOLS[FOOTNOTE], review=SYMBOLS[REVIEW])
    return _section(t("nchs_heading", lang), paragraph(rule_text), paragraph(action))


def _order(content: SiteContent, instrument: str) -> tuple:
    """Instruments in the study's order (then any other by name)."""
    known = list(content.instruments)
    return (known.index(instrument), "") if instrument in known else (len(known), str(instrument))


def _samples(content: SiteContent, lang: str) -> str:
    frame = content.method.samples
    if frame.empty:
        return paragraph(t("no_rows", lang))
    table = frame.pivot_table(index="wave", columns="instrument", values="responses", aggfunc="sum")
    table = table[sorted(table.columns, key=lambda name: _order(content, name))]
    header = [t("wave", lang), *(respondents(content, c, lang) for c in table.columns)]
    rows = [[str(w), *(number(v, lang) if pd.notna(v) else t("not_measured", lang) for v in r)]
            for w, r in table.iterrows()]
    return plain_table(t("samples_caption", lang), header, rows)


def _weighting(content: SiteContent, lang: str) -> str:
    frame = content.method.weighting
    if frame.empty:
        return paragraph(t("no_weights", lang))
    header = [t("wave", lang), t("w_n", lang), t("w_sum", lang), t("w_n_eff", lang), t("w_deff", lang),
              t("w_range", lang), t("w_cv", lang), t("w_trimmed", lang)]
    rows = [[str(r["wave"]), number(r["n"], lang), number(r["sum_w"], lang), number(r["n_eff"], lang, 1),
             number(r["deff"], lang, 2), f'{number(r["w_min"], lang, 1)} – {number(r["w_max"], lang, 1)}',
             number(r["cv"], lang, 2), number(r["trimmed"], lang)] for _, r in frame.sort_values("wave").iterrows()]
    return plain_table(t("weights_caption", lang), header, rows)


def _quality(content: SiteContent, lang: str) -> str:
    frame = content.method.quality
    if frame.empty:
        return paragraph(t("no_rows", lang))
    columns = sorted({(str(w), str(i)) for w, i in zip(frame["wave"], frame["instrument"])},
                     key=lambda c: (c[0], _order(content, c[1])))
    header = [t("flag", lang), *(f"{w} · {respondents(content, i, lang)}" for w, i in columns)]
    rows = []
    for flag, cells in frame.groupby("flag", sort=True):
        values = {(str(r["wave"]), str(r["instrument"])): r for _, r in cells.iterrows()}
        rows.append([t(f"flag_{flag}", lang) if f"flag_{flag}" in TEXT else str(flag),
                     *(t("k_of_n", lang, k=int(values[c]["flagged"]), n=int(values[c]["responses"]))
                       if c in values else t("not_measured", lang) for c in columns)])
    return plain_table(t("quality_caption", lang), header, rows)


def _versions(content: SiteContent, lang: str) -> str:
    frame = content.method.versions
    rows = [[str(r["wave"]), respondents(content, str(r["instrument"]), lang), str(r["version"])]
            for _, r in sorted(frame.iterrows(), key=lambda item: (str(item[1]["wave"]),
                                                                    _order(content, str(item[1]["instrument"]))))]
    parts = [plain_table(t("versions_caption", lang), [t("wave", lang), t("instrument", lang), t("version", lang)],
                         rows, numeric=False)] if rows else []
    indicators = content.indicators
    provenance = [c for c in PROVENANCE_COLUMNS if c in indicators.columns and c != "instrument_version"
                  and indicators[c].notna().any()]
    if provenance:
        table = indicators.groupby("wave")[provenance].agg(lambda v: ", ".join(sorted(set(map(str, v.dropna())))))
        parts.append(plain_table(t("provenance_caption", lang),
                                 [t("wave", lang), *(t(f"provenance_{c}", lang) for c in provenance)],
                                 [[str(w), *r] for w, r in table.iterrows()], numeric=False))
    return "".join(parts) or paragraph(t("no_rows", lang))


CHANGED_CELLS = 20  # the method page lists the largest changes only; `toegang changes` lists them all


def _versions_text(versions: str, content: SiteContent, lang: str) -> str:
    """"new version of the population figures and the software" from "margins,code"."""
    what = []
    for item in filter(None, versions.split(",")):
        kind, _, name = item.partition(":")
        what.append(t("changed_instrument", lang, name=respondents(content, name, lang)) if name
                    else t("changed_instruments" if kind == "instrument" else "changed_margins" if kind == "margins"
                           else "changed_code", lang))
    return t("changes_versions", lang, what=joined(what, lang)) if what else t("changes_no_versions", lang)


def _se_text(se: object, unit: str, lang: str) -> str:
    if pd.isna(se):
        return "—"
    return f"{number(100 * float(se), lang, 1)} {t('pp', lang)}" if unit == "proportion" else number(float(se), lang, 2)


def _changed_cell(content: SiteContent, row: pd.Series, lang: str) -> list[str]:
    name, breakdown = str(row["indicator"]), str(row["breakdown"])
    figure = indicator_label(content, name, lang) if name in content.catalogue else name
    group = domain_labels(content, breakdown, lang).get(str(row["domain"]), str(row["domain"]))
    if breakdown != "all":
        group = t("changes_in_group", lang, breakdown=capitalised(content.text(f"breakdown_{breakdown}", lang)),
                  domain=group)
    if row["change"] == "moved":
        change = f"{value_text(row['before'], row['unit'], lang)} → {value_text(row['after'], row['unit'], lang)}"
    else:
        change = t("changes_hidden" if row["change"] == "suppressed" else "changes_released", lang)
    return [str(row["wave"]), figure, group, change, _se_text(row["se"], str(row["unit"]), lang)]


def _changes(content: SiteContent, lang: str) -> str:
    """Per wave what changed since its previous update, then the largest changes of the published cells."""
    waves, cells = content.method.changes, content.method.changed_cells
    if waves.empty:
        return ""
    said = []
    for _, row in waves.sort_values("wave").iterrows():
        if bool(row["first"]):
            said.append(t("changes_first", lang, wave=row["wave"]))
            continue
        responses = (t("changes_responses_unknown", lang) if pd.isna(row["new"]) else
                     t("changes_responses", lang, new=number(row["new"], lang), edited=number(row["edited"], lang)))
        said.append(t("changes_wave", lang, wave=row["wave"], responses=responses,
                      versions=_versions_text(_given(row["versions"]), content, lang),
                      moved=number(row["moved"], lang), suppressed=number(row["suppressed"], lang),
                      released=number(row["released"], lang)))
    parts = [paragraph(t("changes_intro", lang)), "<ul>" + "".join(f"<li>{esc(s)}</li>" for s in said) + "</ul>"]
    if not cells.empty:
        shown = cells.head(CHANGED_CELLS)
        if len(cells) > len(shown):
            parts.append(paragraph(t("changes_listed", lang, shown=len(shown), total=number(len(cells), lang))))
        header = [t("wave", lang), t("changes_figure", lang), t("changes_group", lang), t("changes_change", lang),
                  t("changes_se", lang)]
        parts.append(plain_table(t("changes_caption", lang), header,
                                 [_changed_cell(content, row, lang) for _, row in shown.iterrows()], numeric=False))
    return _section(t("changes_heading", lang), *parts)


def method(content: SiteContent, lang: str) -> str:
    # The site's general text, with the study's own paragraphs (study.yaml method:) where it has them.
    study = {part: _study_text(content, part, lang) for part in ("samples", "weighting", "caveats")}
    samples = " ".join(text for text in (t("samples_intro", lang), study["samples"]) if text)
    weighting = [paragraph(text) for text in (study["weighting"], t("weights_intro", lang)) if text]
    estimation = [paragraph(text) for text in (t("estimation_text", lang), *_variance(content, lang),
                                                 *_intervals(content, lang), t("findings_method", lang),
                                                 study["caveats"]) if text]
    return "".join([
        _section(t("samples_heading", lang), paragraph(samples), _samples(content, lang)),
        _section(t("weights_heading", lang), *weighting, _weighting(content, lang)),
        _section(t("estimation_heading", lang), *estimation),
        _nchs(content, lang),
        _section(t("suppression_heading", lang), paragraph(t("suppression_note", lang, min_n=content.min_n)),
                 _reasons(content, lang)),
        _section(t("quality_heading", lang), paragraph(t("quality_intro", lang)), _quality(content, lang)),
        _section(t("versions_heading", lang), _versions(content, lang)),
        _changes(content, lang),
    ])
