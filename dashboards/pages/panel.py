"""The panel page: a panel instrument's persons followed across waves (meetings). Who took part at each wave and
how they came and went; each measure of several subjects ranked per wave; and the change between waves on the
persons present at both only, from the study's ``min_pairs`` pairs (``analyses.panel``)."""

from __future__ import annotations

import html

import pandas as pd

from dashboards.formatting import estimate_text, lowered, number, percent
from dashboards.model import SiteContent
from dashboards.pages.common import indicator_label, paragraph, plain_table, respondents
from dashboards.text import t

PAGE = "panel.html"
esc = html.escape


def _wave(wave: str, lang: str) -> str:
    return t("wave_label", lang, wave=wave)


def _presence(content: SiteContent, instrument: str, lang: str) -> str:
    flows = content.panel_trajectory[content.panel_trajectory["instrument"] == instrument]
    header = [t("panel_wave", lang), t("panel_present", lang), t("panel_stayed", lang), t("panel_joined", lang),
              t("panel_returned", lang), t("panel_dropped", lang)]
    rows = [[_wave(str(r.wave), lang), *(number(int(v), lang) for v in (r.n, r.stayed, r.joined, r.returned,
                                                                         r.dropped))]
            for r in flows.sort_values("wave").itertuples()]
    caption = t("panel_presence_caption", lang, respondents=respondents(content, instrument, lang))
    return f"<h2>{esc(t('panel_presence', lang))}</h2>" + plain_table(caption, header, rows)


def _measure(name: str) -> str:
    """The measure of an indicator's name (measure[.subject][.dimension], pipelines/stages/indicators.py)."""
    return name.split(".", 1)[0]


def _rankings(content: SiteContent, instrument: str, lang: str) -> list[str]:
    """Each measure the instrument asks for several subjects, its published values ranked at each wave (highest
    first); a value shown as a count ranks by its share, and is written as the count."""
    rows = content.indicators
    rows = rows[(rows["instrument"] == instrument) & (rows["breakdown"] == "all") & ~rows["suppressed"]]
    out = []
    for measure, group in rows.groupby(rows["indicator"].map(_measure), sort=False):
        names = group["indicator"].unique()
        if len(names) < 2:
            continue
        waves = sorted(group["wave"].unique())
        ranked = {w: group[group["wave"] == w].sort_values(["estimate", "indicator"], ascending=[False, True])
                  for w in waves}
        depth = max(len(r) for r in ranked.values())
        table = [[number(rank + 1, lang)] + [
            (f"{_subject_label(content, r.iloc[rank]['indicator'], lang)}: "
             f"{estimate_text(r.iloc[rank], r.iloc[rank]['unit'], lang)}") if rank < len(r) else "—"
            for r in ranked.values()] for rank in range(depth)]
        title = t("panel_ranked", lang, measure=_measure_label(content, names[0], lang))
        out.append(f"<h2>{esc(title)}</h2>" + plain_table(title, [t("panel_rank", lang),
                                                                  *(_wave(w, lang) for w in waves)], table,
                                                           numeric=False))
    return out


def _measure_label(content: SiteContent, name: str, lang: str) -> str:
    """A measure's name: its first subject's label without the subject ("Learning need" of "Learning need: X")."""
    label = indicator_label(content, name, lang)
    return label.rsplit(":", 1)[0] if ":" in label else label


def _subject_label(content: SiteContent, name: str, lang: str) -> str:
    """What a ranked indicator is about: its label after the measure's ("X" of "Learning need: X")."""
    label = indicator_label(content, name, lang)
    return label.rsplit(":", 1)[1].strip() if ":" in label else label


def _value(value: object, kind: str, lang: str) -> str:
    if value is None or pd.isna(value):
        return "—"
    return percent(round(100 * float(value)), lang) if kind == "binary" else number(float(value), lang, 2)


def _counted(row, lang: str) -> tuple[str, str]:
    """Higher / same / lower and before -> after, said as counts of the pairs ("3 / 6 / 2 of 11", "4 → 5 of 11";
    medians for a scale): on fewer pairs than the study's min_percentage_n no percentage or mean is shown."""
    n = int(row.n_pairs)
    direction = t("k_of_n", lang, k=" / ".join(number(int(v), lang) for v in (row.n_higher, row.n_unchanged,
                                                                            row.n_lower)), n=number(n, lang))
    if pd.isna(row.value_before) and pd.isna(row.median_before):  # withheld (panel_levels_note)
        return direction, "—"
    if row.kind == "binary":
        before, after = (number(round(float(v) * n), lang) for v in (row.value_before, row.value_after))
        return direction, t("k_of_n", lang, k=f"{before} → {after}", n=number(n, lang))
    medians = f"{number(float(row.median_before), lang, 1)} → {number(float(row.median_after), lang, 1)}"
    return direction, t("panel_medians", lang, medians=medians)


def _p(value: object, lang: str) -> str:
    if value is None or pd.isna(value):
        return "—"
    return "< " + number(0.001, lang, 3) if float(value) < 0.001 else number(float(value), lang, 3)


def _change_row(content: SiteContent, row, lang: str) -> list[str]:
    label = indicator_label(content, row.indicator, lang)
    between = f"{_wave(str(row.wave_before), lang)} → {_wave(str(row.wave_after), lang)}"
    others = f"{number(int(row.n_before_only), lang)} / {number(int(row.n_after_only), lang)}"
    pairs = number(int(row.n_pairs), lang)
    if pd.isna(row.n_higher):  # too few pairs, or a change that would give away a small group: who was there
        why = (t("panel_too_few", lang, min_pairs=content.min_pairs) if row.n_pairs < content.min_pairs
               else t("panel_withheld", lang, min_n=content.min_n))
        return [label, between, pairs, why, "", "", "", others]
    if row.n_pairs < content.min_percentage_n:
        direction, values = _counted(row, lang)
    else:
        direction = " / ".join(percent(round(100 * float(v)), lang)
                               for v in (row.share_higher, row.share_unchanged, row.share_lower))
        values = f"{_value(row.value_before, row.kind, lang)} → {_value(row.value_after, row.kind, lang)}"
    test = t("panel_wilcoxon" if row.kind == "ordinal" else "panel_mcnemar", lang)
    p = t("panel_no_change", lang) if pd.isna(row.p_value) else f"{_p(row.p_value, lang)} ({test})"
    effect = "—" if pd.isna(row.effect_size) else number(float(row.effect_size), lang, 2)
    return [label, between, pairs, direction, values, p, effect, others]


def _changes(content: SiteContent, instrument: str, lang: str) -> str:
    changes = content.panel_changes
    changes = changes[changes["instrument"] == instrument]
    if changes.empty:
        return ""
    order = {name: i for i, name in enumerate(content.catalogue)}
    # Per indicator: each wave against the one before, in order, then the last against the first.
    waves = sorted(set(changes["wave_before"]) | set(changes["wave_after"]))
    span = (changes["wave_before"] == waves[0]) & (changes["wave_after"] == waves[-1]) & (len(waves) > 2)
    changes = changes.assign(_order=changes["indicator"].map(order), _span=span).sort_values(
        ["_order", "_span", "wave_after"], kind="stable")
    header = [t("indicator", lang), t("panel_between", lang), t("panel_pairs", lang), t("panel_direction", lang),
              t("panel_values", lang), t("panel_test", lang), t("panel_effect", lang), t("panel_others", lang)]
    rows = [_change_row(content, row, lang) for row in changes.itertuples() if row.indicator in order]
    caption = t("panel_changes_caption", lang, respondents=respondents(content, instrument, lang))
    return (f"<h2>{esc(t('panel_changes', lang))}</h2>" + plain_table(caption, header, rows, numeric=False)
            + paragraph(t("panel_levels_note", lang, min_n=content.min_n, min_group=content.min_group))
            + paragraph(t("panel_method", lang)))


def panel(content: SiteContent, lang: str, ids=None) -> str:
    parts = []
    for instrument in dict.fromkeys(content.panel_trajectory["instrument"]):
        who = lowered(respondents(content, instrument, lang))
        parts.append(paragraph(t("panel_intro", lang, respondents=who, min_pairs=content.min_pairs)))
        parts.append(_presence(content, instrument, lang))
        parts += _rankings(content, instrument, lang)
        parts.append(_changes(content, instrument, lang))
    return "".join(parts)
