"""The codebook: one row per exported column, exactly as LimeSurvey names it in a code-heading export.

It is the single source of labels for every later stage (clean tables, exports, dashboards), written as
JSON, as a DuckDB table (``meta.codebook``) and as a multilingual HTML page for people.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from pathlib import Path

from instruments.conditions import Condition
from instruments.model import LANGUAGES, QUESTION_TYPES, Column, Instrument

FIELDS = (
    "instrument", "wave", "instrument_version", "position", "column_name", "variable", "question", "subquestion",
    "type", "group_position", "question_nl", "question_fr", "question_en", "item_nl", "item_fr", "item_en",
    "answers", "dim_b", "dim_levesque", "polarity", "mirror", "service", "theme", "relevance", "free_text",
    "mandatory",
)


def _relevance(instrument: Instrument, column: Column) -> str | None:
    parts = instrument.conditions(column)
    if not parts:
        return None
    return parts[0].expression() if len(parts) == 1 else Condition("all", parts=tuple(parts)).expression()


def rows(instrument: Instrument) -> list[dict]:
    out = []
    for position, column in enumerate(instrument.columns(), start=1):
        q, sq = column.question, column.subquestion
        if column.is_other:
            item = {"nl": "Overige", "fr": "Autre", "en": "Other"}  # LimeSurvey's own label
        else:
            item = sq.labels if sq else {lang: "" for lang in LANGUAGES}
        answers = [] if column.is_other else [
            {"code": a.code, **a.labels, "missing": a.missing} for a in q.answer_options()
        ]
        out.append({
            "instrument": instrument.name,
            "wave": instrument.wave,
            "instrument_version": instrument.version,
            "position": position,
            "column_name": column.name,
            "variable": column.variable,
            "question": q.code,
            "subquestion": "other" if column.is_other else (sq.code if sq else None),
            "type": q.type,
            "group_position": q.group,
            **{f"question_{lang}": q.text[lang] for lang in LANGUAGES},
            **{f"item_{lang}": item[lang] for lang in LANGUAGES},
            "answers": answers,
            # The shared frameworks' item metadata (DOMAIN.md section 2: dim_b, dim_levesque).
            "dim_b": sq.dimension("b") if sq else None,
            "dim_levesque": sq.dimension("levesque") if sq else None,
            "polarity": sq.polarity if sq else None,
            "mirror": sq.mirror if sq else None,
            "service": instrument.about(column),  # the subject the item is about (its list's code)
            "theme": sq.theme if sq else None,
            "relevance": _relevance(instrument, column),
            "free_text": column.free_text,
            "mandatory": q.mandatory,
        })
    return out


def write_json(path: Path, instruments: Iterable[Instrument]) -> None:
    document = {"columns": [row for instrument in instruments for row in rows(instrument)]}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


_PAGE_TEXT = {
    "title": {"nl": "Codeboek", "fr": "Livre de codes", "en": "Codebook"},
    "column": {"nl": "Kolom", "fr": "Colonne", "en": "Column"},
    "type": {"nl": "Type", "fr": "Type", "en": "Type"},
    "question": {"nl": "Vraag", "fr": "Question", "en": "Question"},
    "answers": {"nl": "Antwoorden", "fr": "Réponses", "en": "Answers"},
    "dimension": {"nl": "Dimensie", "fr": "Dimension", "en": "Dimension"},
    "mirror": {"nl": "Spiegelitem", "fr": "Item miroir", "en": "Mirror item"},
    "shown_if": {"nl": "Getoond als", "fr": "Affiché si", "en": "Shown if"},
    "version": {"nl": "versie", "fr": "version", "en": "version"},
    "wave": {"nl": "golf", "fr": "vague", "en": "wave"},
}


def write_html(path: Path, instruments: Iterable[Instrument], lang: str = "en") -> None:
    """A readable page: per instrument and wave, every column with its question and answers in nl/fr/en."""
    esc = html.escape
    t = {key: value[lang] for key, value in _PAGE_TEXT.items()}
    sections = []
    for instrument in instruments:
        body = []
        for row in rows(instrument):
            texts = "".join(
                f'<div lang="{code}"><b>{code}</b> {esc(row[f"question_{code}"])}'
                + (f" — {esc(row[f'item_{code}'])}" if row[f"item_{code}"] else "") + "</div>"
                for code in LANGUAGES
            )
            answers = "".join(
                f"<li><code>{esc(a['code'])}</code> {esc(a[lang])}</li>" for a in row["answers"]
            )
            dimension = " / ".join(esc(d) for d in (row["dim_b"], row["dim_levesque"]) if d)
            body.append(
                f"<tr><th scope=\"row\"><code>{esc(row['column_name'])}</code></th>"
                f"<td>{esc(QUESTION_TYPES.get(row['type'], row['type']))}</td><td>{texts}</td>"
                f"<td><ul>{answers}</ul></td><td>{dimension}</td><td>{esc(row['mirror'] or '')}</td>"
                f"<td><code>{esc(row['relevance'] or '')}</code></td></tr>"
            )
        caption = (f"{esc(instrument.title[lang])} ({esc(instrument.name)}, {t['wave']} {esc(instrument.wave or '')}, "
                   f"{t['version']} {esc(instrument.version)})")
        sections.append(
            f'<section><h2>{caption}</h2><table><caption class="visually-hidden">{caption}</caption>'
            f"<thead><tr><th scope=\"col\">{t['column']}</th><th scope=\"col\">{t['type']}</th>"
            f"<th scope=\"col\">{t['question']}</th><th scope=\"col\">{t['answers']}</th>"
            f"<th scope=\"col\">{t['dimension']}</th><th scope=\"col\">{t['mirror']}</th>"
            f"<th scope=\"col\">{t['shown_if']}</th></tr></thead><tbody>{''.join(body)}</tbody></table></section>"
        )
    path.write_text(
        f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t['title']}</title>
<style>body{{font-family:system-ui,sans-serif;margin:1rem;color:#1a1a1a}}table{{border-collapse:collapse}}
th,td{{border:1px solid #767676;padding:.25rem .4rem;vertical-align:top;text-align:left}}ul{{margin:0;padding-left:1rem}}
.visually-hidden{{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}}</style></head>
<body><main><h1>{t['title']}</h1>{''.join(sections)}</main></body></html>
""",
        encoding="utf-8",
    )
