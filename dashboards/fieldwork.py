"""The fieldwork monitor: an internal page per wave and language for the research team (never part of the public
site: its counts are small). Per plan: the completes against the targets, a chart of the cumulative completes
with the target and the projection at the current pace, a table per breakdown and the invitation batches.
It takes plain tables (``analyses.fieldwork``) and the words the study gives it."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from dashboards.charts import figure_json
from dashboards.formatting import number, percent, short_number
from dashboards.layout import PLOTLY_FILE, esc, page_html
from dashboards.text import t
from instruments.vocabulary import LANGUAGES

ASSETS = Path(__file__).parent / "assets"
MONITOR_ASSETS = (PLOTLY_FILE, "site.js", "style.css")
Labels = Mapping[str, str]


@dataclass(frozen=True)
class MonitorSection:
    """One plan (a wave's instrument) as the page shows it."""

    title: Labels  # who answers, per language
    start: date
    end: date
    as_of: date
    progress: pd.DataFrame  # analyses.fieldwork.PROGRESS_COLUMNS; the total is target "" category ""
    daily: pd.DataFrame  # day, complete, partial, cumulative
    batches: pd.DataFrame | None = None  # analyses.fieldwork.invitation_batches; None: no participant table
    server: Mapping[str, int] | None = None  # get_summary's counts; None: not read from LimeSurvey
    loaded_at: datetime | None = None
    server_error: str | None = None  # the server could not be read: why
    target_titles: Mapping[str, Labels] = field(default_factory=dict)  # target -> its title, per language
    category_labels: Mapping[str, Mapping[str, Labels]] = field(default_factory=dict)  # target -> code -> label


@dataclass(frozen=True)
class MonitorPage:
    study_title: Labels
    wave: str
    sections: tuple[MonitorSection, ...]


def _status(status: str, lang: str) -> str:
    words = {"reached": t("fw_reached", lang), "on_track": t("fw_on_track", lang), "behind": t("fw_behind", lang),
             "stalled": t("fw_stalled", lang), "closed": t("fw_closed", lang), "not_started": t("fw_not_started", lang),
             "no_target": t("fw_no_target", lang)}
    return words[status]


def _day(value: object) -> str:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return "–"
    return pd.Timestamp(value).date().isoformat()


def _total(section: MonitorSection) -> pd.Series | None:
    rows = section.progress[section.progress["target"] == ""]
    return rows.iloc[0] if len(rows) else None


def _figure(section: MonitorSection, lang: str) -> dict:
    """Cumulative completes per day; the total's target as a line; the projection at the current pace, dashed."""
    days = [d.isoformat() for d in section.daily["day"]]
    data = [{"type": "scatter", "mode": "lines", "name": t("fw_cumulative", lang), "x": days,
             "y": [int(v) for v in section.daily["cumulative"]], "line": {"color": "#1f5f8b", "width": 3}}]
    total = _total(section)
    if total is not None and pd.notna(total["goal"]):
        data.append({"type": "scatter", "mode": "lines", "name": t("fw_target_line", lang),
                     "x": [section.start.isoformat(), section.end.isoformat()], "y": [total["goal"]] * 2,
                     "line": {"color": "#6b6b6b", "dash": "dot", "width": 2}})
        if total["projected"] is not None and pd.notna(total["projected"]) and len(days):
            data.append({"type": "scatter", "mode": "lines", "name": t("fw_projection", lang),
                         "x": [days[-1], _day(total["projected"])], "y": [int(total["complete"]), total["goal"]],
                         "line": {"color": "#b35900", "dash": "dash", "width": 2}})
    layout = {"height": 320, "margin": {"l": 50, "r": 20, "t": 10, "b": 40}, "showlegend": True,
              "legend": {"orientation": "h", "y": -0.2}, "xaxis": {"type": "date"},
              "yaxis": {"title": {"text": t("fw_completes", lang)}, "rangemode": "tozero"},
              "font": {"family": "system-ui, sans-serif", "size": 14}, "paper_bgcolor": "#fff",
              "plot_bgcolor": "#fff"}
    return {"data": data, "layout": layout}


def _summary(section: MonitorSection, lang: str) -> str:
    total = _total(section)
    # The progress total, as the targets and the terminal say it (the days stop at the window's end).
    complete = int(section.progress.loc[section.progress["target"] == "", "complete"].sum())
    partial = int(section.progress.loc[section.progress["target"] == "", "partial"].sum())
    if total is None or pd.isna(total["goal"]):
        return t("fw_summary_no_goal", lang, complete=number(complete, lang), partial=number(partial, lang))
    text = t("fw_summary", lang, complete=number(complete, lang), goal=number(total["goal"], lang),
             share=percent(round(100 * complete / total["goal"]), lang), partial=number(partial, lang),
             pace=short_number(round(total["pace"], 1), lang), status=_status(total["status"], lang))
    if total["projected"] is not None and pd.notna(total["projected"]):
        text += " " + t("fw_projected", lang, day=_day(total["projected"]), end=section.end.isoformat())
    return text


def _table(caption: str, head: list[str], rows: list[list[str]]) -> str:
    heads = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    body = "".join("<tr>" + f'<th scope="row">{esc(r[0])}</th>' + "".join(f"<td>{esc(c)}</td>" for c in r[1:])
                   + "</tr>" for r in rows)
    return (f'<div class="table-wrap"><table class="data"><caption>{esc(caption)}</caption>'
            f"<thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table></div>")


def _targets(section: MonitorSection, lang: str) -> str:
    parts = []
    head = [t("fw_col_category", lang), t("fw_col_target", lang), t("fw_col_complete", lang),
            t("fw_col_partial", lang), t("fw_col_share", lang), t("fw_col_pace", lang), t("fw_col_projected", lang),
            t("fw_col_status", lang)]
    for target, rows in section.progress.groupby("target", sort=False):
        if target == "":
            continue
        title = section.target_titles.get(target, {}).get(lang, target)
        labels = section.category_labels.get(target, {})
        lines = []
        for row in rows.itertuples():
            name = labels.get(row.category, {}).get(lang, row.category) if row.category else t("fw_no_answer", lang)
            has_goal = pd.notna(row.goal)
            lines.append([name, number(row.goal, lang) if has_goal else "–", number(row.complete, lang),
                          number(row.partial, lang), percent(round(100 * row.share), lang) if has_goal else "–",
                          short_number(round(row.pace, 1), lang), _day(row.projected), _status(row.status, lang)])
        parts.append(f"<h3>{esc(t('fw_by', lang, title=title))}</h3>"
                     + _table(t("fw_targets_caption", lang, title=title), head, lines))
    return "".join(parts)


def _invitations(section: MonitorSection, lang: str) -> str:
    if section.server_error:
        return (f"<h3>{esc(t('fw_invitations', lang))}</h3>"
                f"<p>{esc(t('fw_server_failed', lang, reason=section.server_error))}</p>")
    if section.server is None:
        return f"<h3>{esc(t('fw_invitations', lang))}</h3><p>{esc(t('fw_no_server', lang))}</p>"
    server = section.server
    intro = t("fw_server_counts", lang, complete=number(server.get("completed_responses", 0), lang),
              partial=number(server.get("incomplete_responses", 0), lang),
              participants=number(server.get("token_count", 0), lang),
              invited=number(server.get("token_sent", 0), lang), done=number(server.get("token_completed", 0), lang))
    if section.batches is None:
        return (f"<h3>{esc(t('fw_invitations', lang))}</h3><p>{esc(intro)}</p>"
                f"<p>{esc(t('fw_open_link', lang))}</p>")
    if not len(section.batches):
        return (f"<h3>{esc(t('fw_invitations', lang))}</h3><p>{esc(intro)}</p>"
                f"<p>{esc(t('fw_no_participants', lang))}</p>")
    head = [t("fw_col_batch", lang), t("fw_col_participants", lang), t("fw_col_reminded", lang),
            t("fw_col_completed", lang), t("fw_col_rate", lang)]
    rows = [[row.batch or t("fw_not_invited", lang), number(row.participants, lang), number(row.reminded, lang),
             number(row.completed, lang), percent(round(100 * row.rate), lang)] for row in section.batches.itertuples()]
    return (f"<h3>{esc(t('fw_invitations', lang))}</h3><p>{esc(intro)}</p>"
            + _table(t("fw_batches_caption", lang), head, rows))


def _section(section: MonitorSection, lang: str, number_: int) -> str:
    block = f"fw{number_}"
    loaded = (t("fw_loaded", lang, when=f"{section.loaded_at:%Y-%m-%d %H:%M}") if section.loaded_at
              else t("fw_nothing_loaded", lang))
    window = t("fw_window", lang, start=section.start.isoformat(), end=section.end.isoformat(),
               day=section.as_of.isoformat())
    chart = (f'<figure><div class="chart" id="{block}-chart" data-figure="{block}-data" role="img" '
             f'aria-label="{esc(t("fw_chart_label", lang))}" aria-describedby="{block}-s"></div>'
             f'<script type="application/json" id="{block}-data">{figure_json(_figure(section, lang))}</script>'
             f"<figcaption>{esc(t('fw_chart_caption', lang))}</figcaption></figure>")
    days = [[d.isoformat(), number(c, lang), number(p, lang), number(s, lang)] for d, c, p, s in
            zip(section.daily["day"], section.daily["complete"], section.daily["partial"], section.daily["cumulative"])]
    daily = (f"<details><summary>{esc(t('fw_daily', lang))}</summary>"
             + _table(t("fw_daily", lang), [t("fw_col_day", lang), t("fw_col_complete", lang),
                                             t("fw_col_partial", lang), t("fw_col_cumulative", lang)], days)
             + "</details>")
    return (f'<section class="block"><h2>{esc(section.title.get(lang, ""))}</h2>'
            f"<p>{esc(window)} {esc(loaded)}</p>"
            f'<p class="summary" id="{block}-s">{esc(_summary(section, lang))}</p>'
            f"{chart}{daily}{_targets(section, lang)}{_invitations(section, lang)}</section>")


def render(page: MonitorPage, lang: str) -> str:
    filename = f"{page.wave}.html"
    body = (f'<p class="notice" role="note"><strong>{esc(t("fw_internal", lang))}</strong></p>'
            f"<p>{esc(t('fw_about', lang))}</p>"
            + "".join(_section(s, lang, i) for i, s in enumerate(page.sections, start=1)))
    return page_html(lang=lang, filename=filename, title=t("fw_title", lang, wave=page.wave), body=body,
                     pages=[(filename, t("fw_title", lang, wave=page.wave))],
                     study_title=page.study_title.get(lang, ""), footer=esc(t("fw_internal", lang)), charts=True)


def write_monitor(folder: Path, page: MonitorPage) -> list[Path]:
    """The page of ``page.wave`` in every language in ``folder/<lang>/<wave>.html`` with the assets it loads; the
    folder's other waves stay. Returns the pages written."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "assets").mkdir(exist_ok=True)
    for name in MONITOR_ASSETS:
        shutil.copyfile(ASSETS / name, folder / "assets" / name)
    written = []
    for lang in LANGUAGES:
        target = folder / lang / f"{page.wave}.html"
        target.parent.mkdir(exist_ok=True)
        partial = target.with_suffix(".html.part")
        partial.write_text(render(page, lang), encoding="utf-8")
        partial.replace(target)  # a reader sees the old page or the new one
        written.append(target)
    return written

