"""Factsheets: one printable page per area (a category of a breakdown with a map) and, where the study asks for it
(``factsheets: {subjects: true}``), per subject of the indicators. Each gives its key figures of the latest wave
with their 95% interval and n beside the same figures for all respondents, in a small static table with a dot
and its interval drawn in SVG (prints in black and white, no script), the legend of its marks and where the
numbers come from.

No test of an area against all respondents is made (the area is part of the whole: their estimates are not
independent), so a factsheet states both figures with their intervals and judges no difference.

The pages live in ``<lang>/factsheets/``, with an index among the site's pages (``INDEX``); ``toegang
factsheets`` prints them to PDF (pipelines/factsheets.py).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from dashboards.blocks import cell_html
from dashboards.formatting import Reasons, shown_as_count
from dashboards.layout import OWN_NAMES
from dashboards.marks import notes_html, row_marks
from dashboards.model import SiteContent
from dashboards.pages.common import (capitalised, domain_labels, indicator_label, main_respondents, main_rows,
                                     paragraph, present, reasons)
from dashboards.text import t
from instruments.vocabulary import LANGUAGES

esc = html.escape
FOLDER = "factsheets"  # inside each language's folder
INDEX = "factsheets.html"  # the index, one of the site's pages
_UNSAFE = re.compile(r"[^A-Za-z0-9-]")
# The dot-and-interval drawing: its width and height in CSS pixels, and the part of the width the scale takes.
WIDTH, HEIGHT, PAD = 160, 20, 6
# A table of more rows than an A4 page holds may break between its rows when printed; a shorter one is kept whole.
LONG = 22


@dataclass(frozen=True)
class Sheet:
    """One factsheet: of an area (``breakdown`` and its category ``code``) or of a subject (``breakdown`` None)."""

    file: str  # its file inside FOLDER
    code: str
    breakdown: str | None = None


def sheets(content: SiteContent) -> list[Sheet]:
    """The study's factsheets, areas first (breakdowns in publication order, categories in their labels' order),
    then subjects in catalogue order."""
    rows = content.indicators  # a map's breakdown has rows of broken-down instruments only
    found: list[Sheet] = []
    used: set[str] = set()

    def add(stem: str, code: str, breakdown: str | None) -> None:
        name, k = stem, 2
        while name in used:  # two codes the same once made safe for a file name
            name, k = f"{stem}-{k}", k + 1
        used.add(name)
        found.append(Sheet(f"{name}.html", code, breakdown))

    if "areas" in content.factsheets:
        for breakdown in (b for b in content.maps if b in content.breakdowns):
            codes = set(rows.loc[rows["breakdown"].to_numpy() == breakdown, "domain"].astype(str))
            order = list(content.domains.get(breakdown, {}))
            for code in sorted(codes, key=lambda c: (order.index(c) if c in order else len(order), c)):
                add(f"{breakdown}-{_UNSAFE.sub('_', code)}", code, breakdown)
    if "subjects" in content.factsheets:
        for code in _subjects(content, main_rows(content)):
            add(f"subject-{_UNSAFE.sub('_', code)}", code, None)
    return found


def _subjects(content: SiteContent, rows: pd.DataFrame) -> list[str]:
    """Subjects of a headline indicator with a published whole-sample figure, in catalogue order."""
    whole = rows[(rows["breakdown"] == "all") & ~rows["suppressed"]]
    subjects = [content.entry(n).subject for n in present(content, whole) if content.entry(n).headline]
    return list(dict.fromkeys(str(s) for s in subjects if s))


def sheet_title(content: SiteContent, sheet: Sheet, lang: str) -> str:
    if sheet.breakdown is None:
        return content.text(f"subject_{sheet.code}", lang)
    return domain_labels(content, sheet.breakdown, lang).get(sheet.code, sheet.code)


# --- the drawing ------------------------------------------------------------------------------------------


def _scale(unit: str) -> float | None:
    """The top of a unit's scale (from 0), or None: only shares and 0-100 indices are drawn."""
    return {"proportion": 1.0, "index": 100.0}.get(unit)


def _drawable(row) -> bool:
    return (row is not None and not row["suppressed"] and not shown_as_count(row)
            and not pd.isna(row["estimate"]))


def _x(value: float, top: float) -> float:
    return round(PAD + (WIDTH - 2 * PAD) * min(max(float(value), 0.0), top) / top, 1)


def dot_svg(row, reference, unit: str) -> str:
    """The figure as a dot with its interval as a line, over the reference's (all respondents) interval as a grey
    band and its value as a dashed line; nothing for a hidden cell, a count or a unit with no fixed scale. Hidden
    from screen readers: the cells beside it say the same. Its strokes and fills are in style.css (``.fs-dot``):
    a page holds one per figure."""
    top = _scale(unit)
    if top is None or not (_drawable(row) or _drawable(reference)):
        return ""
    mid = HEIGHT // 2
    parts = [f'<path class="a" d="M{PAD} {HEIGHT - 2}H{WIDTH - PAD}"/>']
    if _drawable(reference):
        if not pd.isna(reference["ci_low"]) and not pd.isna(reference["ci_high"]):
            low, high = _x(reference["ci_low"], top), _x(reference["ci_high"], top)
            parts.append(f'<path class="b" d="M{low:g} 2H{max(high, low + 1):g}V{HEIGHT - 3}H{low:g}Z"/>')
        parts.append(f'<path class="r" d="M{_x(reference["estimate"], top):g} 1V{HEIGHT - 2}"/>')
    if _drawable(row):
        if not pd.isna(row["ci_low"]) and not pd.isna(row["ci_high"]):
            parts.append(f'<path class="i" d="M{_x(row["ci_low"], top):g} {mid}H{_x(row["ci_high"], top):g}"/>')
        parts.append(f'<circle cx="{_x(row["estimate"], top):g}" cy="{mid}" r="4"/>')
    return f'<svg class="fs-dot" viewBox="0 0 {WIDTH} {HEIGHT}" aria-hidden="true">{"".join(parts)}</svg>'


def _legend(lang: str, dots: bool, reference: bool) -> str:
    """What the drawing shows, with a small copy of each of its parts."""
    dot = ('<svg class="fs-dot fs-key" viewBox="0 0 34 12" aria-hidden="true"><path class="i" d="M2 6H32"/>'
           '<circle cx="17" cy="6" r="4"/></svg>')
    band = ('<svg class="fs-dot fs-key" viewBox="0 0 34 12" aria-hidden="true"><path class="b" d="M2 1H32V11H2Z"/>'
            '<path class="r" d="M17 0V12"/></svg>')
    lines = [f'<p class="table-note">{dot} {esc(t("fs_legend_dot", lang))}</p>'] if dots else []
    if reference:
        lines.append(f'<p class="table-note">{band} {esc(t("fs_legend_band", lang))}</p>')
    return "".join(lines)


# --- tables -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    label: str
    cells: tuple  # the rows in the table's value columns (None: not measured)
    unit: str
    drawn: object  # the row drawn as a dot
    reference: object  # the row drawn as the band (all respondents)


def _table(caption: str, headers: list[str], lines: list[_Line], lang: str, why: Reasons) -> str:
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    head += f'<th scope="col">{esc(t("fs_scale", lang))}</th>'
    body, marks, absent = [], set(), False
    for line in lines:
        cells = "".join(cell_html(row, line.unit, lang, why) for row in line.cells)
        body.append(f'<tr><th scope="row">{esc(line.label)}</th>{cells}'
                    f'<td class="fs-drawing">{dot_svg(line.drawn, line.reference, line.unit)}</td></tr>')
        marks |= {m for row in line.cells for m in row_marks(row)}
        absent |= any(row is None for row in line.cells)
    rows = [row for line in lines for row in line.cells if row is not None]
    foot = notes_html(marks, lang, absent)
    if any(not bool(row["weighted"]) for row in rows):
        foot += f'<p class="table-note">{esc(t("unweighted_note", lang))}</p>'
    drawn = [line for line in lines if dot_svg(line.drawn, line.reference, line.unit)]
    if drawn:
        foot += _legend(lang, any(_drawable(line.drawn) for line in drawn),
                        any(_drawable(line.reference) for line in drawn))
    css = "data fs-table fs-long" if len(lines) > LONG else "data fs-table"
    return (f'<div class="table-wrap"><table class="{css}"><caption>{esc(caption)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{foot}</div>')


class Figures:
    """The rows the factsheets read, as plain records (read by column name, as the tables' cells are), selected
    once: of ``main_rows``, those for all respondents and of each breakdown with a map, of the headline indicators
    (every indicator when none is one) and, with subjects' factsheets, of every indicator of a subject."""

    def __init__(self, content: SiteContent):
        rows = main_rows(content)
        names = [n for n in content.catalogue if content.entry(n).headline] or list(content.catalogue)
        if "subjects" in content.factsheets:
            names += [n for n in content.catalogue if content.entry(n).subject]
        rows = rows[rows["breakdown"].isin(["all", *content.maps]) & rows["indicator"].isin(names)]
        self.records = rows.to_dict("records")
        self.cell = {(r["indicator"], r["breakdown"], r["domain"], r["wave"]): r for r in self.records}

    def of(self, breakdown: str, domain: str | None = None, names: set[str] | None = None) -> list[dict]:
        return [r for r in self.records if r["breakdown"] == breakdown and (domain is None or r["domain"] == domain)
                and (names is None or r["indicator"] in names)]

    def whole(self, indicator: str, wave: str) -> dict | None:
        return self.cell.get((indicator, "all", "all", wave))


def _present(content: SiteContent, records: list[dict]) -> list[str]:
    """Indicator names with records, in catalogue order, differences left out."""
    names = {r["indicator"] for r in records}
    return [n for n in content.catalogue if n in names and content.entry(n).unit != "difference"]


def _method_note(content: SiteContent, lang: str) -> str:
    return (f'<section class="fs-method" aria-labelledby="fs-method"><h2 id="fs-method">'
            f'{esc(t("fs_method_title", lang))}</h2>'
            + paragraph(t("fs_method", lang, respondents=main_respondents(content, lang)))
            + paragraph(t("fs_no_test", lang))
            + paragraph(t("suppression_note", lang, min_n=content.min_n))
            + f'<p><a href="../method.html">{esc(t("fs_method_link", lang))}</a></p></section>')


def _withheld_words(content: SiteContent, records: list[dict], lang: str) -> str:
    """Why the withheld ``records`` are withheld, each reason once, in words."""
    why = reasons(content)
    return "; ".join(dict.fromkeys(why.text(r["reason"], lang, r["unit"]) for r in records if r["suppressed"]))


def area_sheet(content: SiteContent, sheet: Sheet, lang: str, figures: Figures | None = None) -> str:
    """The body of an area's factsheet: its headline figures of the latest wave beside all respondents'. A wave
    whose every figure of the area is withheld is one sentence saying why, and the latest wave with figures
    follows."""
    figures = figures or Figures(content)
    own = figures.of(str(sheet.breakdown), sheet.code)
    names = _present(content, own)
    names = [n for n in names if content.entry(n).headline] or names
    own = [r for r in own if r["indicator"] in set(names)]
    if not own:
        return paragraph(t("no_rows", lang))
    area = sheet_title(content, sheet, lang)
    breakdown = content.text(f"breakdown_{sheet.breakdown}", lang)
    latest = max(r["wave"] for r in own)
    published = [r["wave"] for r in own if not r["suppressed"]]
    wave = max(published) if published else latest
    parts = [f'<p class="fs-kind">{esc(t("fs_area_kind", lang, breakdown=capitalised(breakdown), wave=wave))}</p>',
             paragraph(t("fs_area_intro", lang, respondents=main_respondents(content, lang), area=area,
                         wave=wave)),
             f'<h2>{esc(t("fs_key_figures", lang))}</h2>']
    if not published:
        parts.append(paragraph(t("fs_all_withheld_always", lang, reasons=_withheld_words(content, own, lang))))
    else:
        if wave != latest:
            withheld = _withheld_words(content, [r for r in own if r["wave"] == latest], lang)
            parts.append(paragraph(t("fs_all_withheld", lang, wave=latest, reasons=withheld, earlier=wave)))
        by_name = {r["indicator"]: r for r in own if r["wave"] == wave}
        lines = [_Line(indicator_label(content, n, lang), (by_name[n], figures.whole(n, wave)), content.entry(n).unit,
                       by_name[n], figures.whole(n, wave)) for n in names if n in by_name]
        parts.append(_table(t("fs_area_caption", lang, area=area, wave=wave),
                            [t("indicator", lang), area, t("all_respondents", lang)], lines, lang, reasons(content)))
    parts.append(_method_note(content, lang))
    return "".join(parts)


def subject_sheet(content: SiteContent, sheet: Sheet, lang: str, figures: Figures | None = None) -> str:
    """The body of a subject's factsheet: its indicators for all respondents, then its headline indicators by each
    breakdown with a map, beside all respondents."""
    figures = figures or Figures(content)
    mine = {n for n in content.catalogue if content.entry(n).subject == sheet.code}
    whole_rows = figures.of("all", names=mine)
    if not whole_rows:
        return paragraph(t("no_rows", lang))
    wave = max(r["wave"] for r in whole_rows)
    shown = _present(content, [r for r in whole_rows if r["wave"] == wave])
    subject = sheet_title(content, sheet, lang)
    everyone = t("all_respondents", lang)
    why = reasons(content)
    lines = [_Line(indicator_label(content, n, lang), (figures.whole(n, wave),), content.entry(n).unit,
                   figures.whole(n, wave), None) for n in shown]
    parts = [f'<p class="fs-kind">{esc(t("fs_subject_kind", lang, wave=wave))}</p>',
             paragraph(t("fs_subject_intro", lang, respondents=main_respondents(content, lang), subject=subject,
                         wave=wave)),
             f'<h2>{esc(t("fs_key_figures", lang))}</h2>',
             _table(t("fs_subject_caption", lang, subject=subject, wave=wave), [t("indicator", lang), everyone],
                    lines, lang, why)]
    headline = [n for n in shown if content.entry(n).headline]
    for breakdown in (b for b in content.maps if b in content.breakdowns):
        local = [r for r in figures.of(breakdown, names=set(headline)) if r["wave"] == wave]
        charted = [n for n in headline if any(r["indicator"] == n for r in local)]
        if not charted:
            continue
        title = content.text(f"breakdown_{breakdown}", lang)
        parts.append(f'<h2>{esc(t("by_breakdown", lang, breakdown=title))}</h2>')
        areas = domain_labels(content, breakdown, lang)
        for name in charted:
            by_area = {r["domain"]: r for r in local if r["indicator"] == name}
            order = [c for c in areas if c in by_area] + sorted(set(by_area) - set(areas))
            unit, reference = content.entry(name).unit, figures.whole(name, wave)
            lines = [_Line(everyone, (reference,), unit, reference, None)]
            lines += [_Line(areas.get(code, code), (by_area[code],), unit, by_area[code], reference)
                      for code in order]
            label = indicator_label(content, name, lang)
            parts.append(_table(t("fs_by_area_caption", lang, indicator=label, wave=wave),
                                [capitalised(title), t("wave_label", lang, wave=wave)], lines, lang, why))
    parts.append(_method_note(content, lang))
    return "".join(parts)


# --- pages ------------------------------------------------------------------------------------------------


def factsheet_links(content: SiteContent, breakdown: str, lang: str) -> str:
    """A paragraph linking the factsheets of ``breakdown``'s areas (for its map page); nothing when it has none."""
    found = [s for s in sheets(content) if s.breakdown == breakdown]
    if not found:
        return ""
    links = ", ".join(f'<a href="{FOLDER}/{esc(s.file)}">{esc(sheet_title(content, s, lang))}</a>' for s in found)
    return f'<p class="fs-links">{esc(t("fs_links", lang))} {links}</p>'


def index_page(content: SiteContent, lang: str) -> str:
    """The body of the factsheets' index: every factsheet, grouped by breakdown, then the subjects."""
    found = sheets(content)
    if not found:
        return paragraph(t("no_rows", lang))
    parts = [paragraph(t("fs_index_intro", lang))]
    groups: dict[str | None, list[Sheet]] = {}
    for sheet in found:
        groups.setdefault(sheet.breakdown, []).append(sheet)
    for breakdown, group in groups.items():
        heading = (t("fs_subjects", lang) if breakdown is None
                   else capitalised(content.text(f"breakdown_{breakdown}", lang)))
        items = "".join(f'<li><a href="{FOLDER}/{esc(s.file)}">{esc(sheet_title(content, s, lang))}</a></li>'
                        for s in group)
        parts.append(f'<h2>{esc(heading)}</h2><ul class="fs-index">{items}</ul>')
    return "".join(parts)


def _frame(content: SiteContent, sheet: Sheet, lang: str, body: str) -> str:
    """A factsheet's page: the site's look, one folder down; a way back instead of the site's navigation."""
    title = sheet_title(content, sheet, lang)
    current = ' aria-current="true"'
    switch = "".join(
        f'<li><a href="../../{other}/{FOLDER}/{esc(sheet.file)}" lang="{other}" hreflang="{other}"'
        f'{current if other == lang else ""}>{esc(OWN_NAMES[other])}</a></li>' for other in LANGUAGES)
    back = [("../" + INDEX, t("page_factsheets", lang)), ("../index.html", t("page_overview", lang))]
    if sheet.breakdown is not None:
        back.insert(1, (f"../breakdown-{sheet.breakdown}.html",
                        capitalised(content.text(f"breakdown_{sheet.breakdown}", lang))))
    nav = "".join(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for href, text in back)
    waves = ", ".join(sorted(content.indicators["wave"].unique()))
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · {esc(t("page_factsheets", lang))} · {esc(t("site_title", lang))}</title>
<link rel="stylesheet" href="../../assets/style.css">
</head>
<body class="factsheet">
<a class="skip-link" href="#main">{esc(t("skip_to_content", lang))}</a>
<header class="site-header">
<div class="masthead"><p class="site-title">{esc(t("site_title", lang))}</p>
<nav class="lang" aria-label="{esc(t("language", lang))}"><ul>{switch}</ul></nav></div>
<p class="study">{esc(t("study", lang, title=content.study_title.get(lang, "")))}</p>
<nav class="pages" aria-label="{esc(t("pages", lang))}"><ul>{nav}</ul></nav>
</header>
<main id="main" tabindex="-1">
<h1>{esc(title)}</h1>
{body}
</main>
<footer class="site-footer"><p>{esc(t("footer", lang, waves=waves, min_n=content.min_n))}</p></footer>
</body>
</html>
"""


def factsheet_pages(content: SiteContent, lang: str) -> dict[str, str]:
    """``factsheets/<file>`` -> the HTML of every factsheet in ``lang``."""
    out = {}
    figures = Figures(content)
    for sheet in sheets(content):
        body = (subject_sheet(content, sheet, lang, figures) if sheet.breakdown is None
                else area_sheet(content, sheet, lang, figures))
        out[f"{FOLDER}/{sheet.file}"] = _frame(content, sheet, lang, body)
    return out
