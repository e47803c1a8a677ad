"""The awareness page: awareness of each service by neighbourhood, per wave, as a chart, a text
summary and a data table. Suppressed cells are an explained gap, never a zero."""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboards.text import t

# Okabe-Ito: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# Bar patterns, so that no neighbourhood is told apart by colour alone.
PATTERNS = ("", "/", ".", "x", "\\", "+", "-", "|")

Labels = Mapping[str, Mapping[str, str]]  # code -> language -> label


def _label(labels: Labels, code: str, lang: str) -> str:
    return labels.get(code, {}).get(lang, code)


def _percent(value: object, lang: str) -> str:
    text = f"{100 * float(value):.0f}%"
    return text.replace("%", "\u00a0%") if lang == "fr" else text


def _area_label(code: str, areas: Labels, lang: str) -> str:
    return t("all_neighbourhoods", lang) if code == "ALL" else _label(areas, code, lang)


def figure(wave_rows: pd.DataFrame, services: Labels, areas: Labels, lang: str) -> go.Figure:
    fig = go.Figure()
    area_codes = list(dict.fromkeys(wave_rows["neighbourhood"]))
    service_codes = list(dict.fromkeys(wave_rows["service"]))
    for i, area in enumerate(area_codes):
        rows = wave_rows[wave_rows["neighbourhood"] == area].set_index("service").reindex(service_codes)
        shown = rows["suppression"].isna()
        estimate = [float(v) if ok else None for v, ok in zip(rows["estimate"], shown)]

        def gap(values, sign):
            return [abs(float(v) - e) if e is not None and pd.notna(v) else None for v, e in zip(values, estimate)]

        fig.add_bar(
            name=_area_label(area, areas, lang),
            x=[_label(services, s, lang) for s in service_codes],
            y=estimate,
            # 95% intervals as error bars (asymmetric: logit intervals)
            error_y={"type": "data", "symmetric": False, "array": gap(rows["ci_high"], 1),
                     "arrayminus": gap(rows["ci_low"], -1), "color": "#333333", "thickness": 1.2},
            customdata=[int(v) if ok else 0 for v, ok in zip(rows["n"], shown)],
            hovertemplate="%{x}<br>%{y:.0%} (n = %{customdata})<extra>%{fullData.name}</extra>",
            marker={"color": PALETTE[i % len(PALETTE)], "pattern": {"shape": PATTERNS[i % len(PATTERNS)]}},
        )
    fig.update_layout(
        barmode="group",
        yaxis={"title": t("share_aware", lang), "tickformat": ".0%", "range": [0, 1]},
        legend={"title": t("neighbourhood", lang)},
        margin={"l": 60, "r": 20, "t": 20, "b": 80},
        height=460,
        template="plotly_white",
        font={"size": 14},
    )
    return fig


def summary(wave_rows: pd.DataFrame, services: Labels, wave: str, lang: str) -> str:
    totals = wave_rows[wave_rows["is_total"] & wave_rows["suppression"].isna()]
    if totals.empty:
        return ""
    best = totals.loc[totals["estimate"].astype(float).idxmax()]
    least = totals.loc[totals["estimate"].astype(float).idxmin()]
    return t(
        "summary", lang, wave=wave, share=_percent(best["estimate"], lang), n=int(best["n"]),
        service=_label(services, best["service"], lang),
        least_service=_label(services, least["service"], lang), least_share=_percent(least["estimate"], lang),
    )


def table_html(wave_rows: pd.DataFrame, services: Labels, areas: Labels, lang: str, min_n: int) -> str:
    area_codes = list(dict.fromkeys(wave_rows["neighbourhood"]))
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(_area_label(a, areas, lang))}</th>' for a in area_codes)
    body = []
    for service, rows in wave_rows.groupby("service", sort=False):
        cells = []
        for area in area_codes:
            row = rows[rows["neighbourhood"] == area].iloc[0]
            if pd.notna(row["suppression"]):
                text = t("suppressed", lang, min_n=min_n)
                cells.append(f'<td class="suppressed"><abbr title="{esc(text)}">—</abbr>'
                             f'<span class="visually-hidden">{esc(text)}</span></td>')
            else:
                interval = (f' <span class="ci">[{esc(_percent(row["ci_low"], lang))}–{esc(_percent(row["ci_high"], lang))}]'
                            "</span>" if pd.notna(row["ci_low"]) else "")
                cells.append(f'<td data-value="{float(row["estimate"]):.6f}">{esc(_percent(row["estimate"], lang))}'
                             f'{interval} <span class="n">({int(row["n"])})</span></td>')
        body.append(f'<tr><th scope="row">{esc(_label(services, service, lang))}</th>{"".join(cells)}</tr>')
    return (
        f'<table class="data"><caption>{esc(t("table_caption", lang))}</caption>'
        f'<thead><tr><th scope="col">{esc(t("service", lang))}</th>{head}</tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table>'
    )


def section(wave_rows: pd.DataFrame, services: Labels, areas: Labels, wave: str, lang: str,
            min_n: int, chart_id: str) -> str:
    fig = figure(wave_rows, services, areas, lang)
    chart = fig.to_html(full_html=False, include_plotlyjs=False, div_id=chart_id,
                        config={"displaylogo": False, "responsive": True})
    esc = html.escape
    note = "" if bool(wave_rows["weighted"].all()) else f'<p class="note">{esc(t("unweighted", lang))}</p>'
    return (
        f'<section aria-labelledby="{chart_id}-h"><h2 id="{chart_id}-h">{esc(t("wave", lang))} {esc(wave)}</h2>'
        f'<p class="summary">{esc(summary(wave_rows, services, wave, lang))}</p>{note}'
        f'<figure role="group" aria-label="{esc(t("awareness_heading", lang))} {esc(wave)}">{chart}</figure>'
        f"{table_html(wave_rows, services, areas, lang, min_n)}</section>"
    )
