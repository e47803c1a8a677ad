"""Compile an instrument to a LimeSurvey 6 survey structure file (``.lss``).

The layout copies what LimeSurvey 6.4.2 itself exports and imports (``shared/fixtures/limesurvey/
survey_definition_toegang_test_246810.lss``): DBVersion 620, texts in the ``*_l10ns`` sections (one row
per object and language), every value in CDATA, empty values as empty elements, sections in the
exporter's order. Conditions go into ``relevance``/``grelevance`` as ExpressionScript; no
``<conditions>`` section, which LimeSurvey would turn back into relevance and overwrite ours.

File ids (gid, qid, aid) are placeholders that LimeSurvey renumbers on import; they only need to be
unique and consistent within the file. Codes are the stable keys: question and subquestion codes
become the export columns (``kent[S01]``) that ``instruments.codebook`` describes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import count
from pathlib import Path

from instruments.model import Instrument

DB_VERSION = "620"  # LimeSurvey 6.4.2
THEMES = {"L": "listradio", "M": "multiplechoice", "F": "arrays/array", "N": "numerical",
          "S": "shortfreetext", "T": "longfreetext", "Y": "yesno", "D": "date"}
# Date and number formats per survey language, as in the recorded survey (5 = dd/mm/yyyy, 9 = mm-dd-yyyy;
# number format 1 = decimal comma).
DATE_FORMAT = {"nl": "5", "fr": "5", "en": "9"}
NUMBER_FORMAT = {"nl": "1", "fr": "1", "en": "0"}
_QUESTION_FIELDS = ("qid", "parent_qid", "sid", "gid", "type", "title", "preg", "other", "mandatory",
                    "question_order", "scale_id", "same_default", "relevance", "modulename", "encrypted",
                    "question_theme_name", "same_script")
_XML_INVALID = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _cdata(value: str) -> str:
    value = _XML_INVALID.sub("", value)
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _section(name: str, fields: Iterable[str], rows: list[Mapping[str, object]]) -> list[str]:
    if not rows:
        return []  # LimeSurvey never writes an empty section
    fields = list(fields)
    lines = [f" <{name}>", "  <fields>", *(f"   <fieldname>{f}</fieldname>" for f in fields), "  </fields>", "  <rows>"]
    for row in rows:
        lines.append("   <row>")
        for f in fields:
            value = row.get(f)
            if value is None:
                continue  # not set: LimeSurvey's default applies
            text = str(value)
            lines.append(f"    <{f}/>" if text == "" else f"    <{f}>{_cdata(text)}</{f}>")
        lines.append("   </row>")
    lines += ["  </rows>", f" </{name}>"]
    return lines


def compile_lss(instrument: Instrument, survey_id: int, *, admin: str = "Toegang") -> str:
    """The ``.lss`` text of ``instrument`` as LimeSurvey survey ``survey_id`` (the desired sid)."""
    languages = [instrument.base_language, *(lang for lang in instrument.languages if lang != instrument.base_language)]
    # Main questions from 101, subquestions from 10001: qids must be unique across both.
    qids, sub_qids, aids = count(101), count(10001), count(5001)
    answer_ids, group_l10n_ids, question_l10n_ids = count(8001), count(301), count(1001)
    answers, answer_l10ns, groups, group_l10ns = [], [], [], []
    questions, subquestions, question_l10ns, attributes = [], [], [], []

    for group in instrument.groups:
        gid = group.position * 10
        groups.append({"gid": gid, "sid": survey_id, "group_order": group.position, "randomization_group": "",
                       "grelevance": group.relevance.expression() if group.relevance else "1"})
        group_l10ns += [{"id": next(group_l10n_ids), "gid": gid, "group_name": group.labels[lang],
                         "description": "", "language": lang} for lang in languages]

    order_in_group: dict[int, int] = {}
    for q in instrument.questions:
        qid = next(qids)
        gid = q.group * 10
        order_in_group[gid] = order_in_group.get(gid, 0) + 1
        base = {"sid": survey_id, "gid": gid, "type": q.type, "preg": "", "scale_id": 0, "same_default": 0,
                "modulename": "", "encrypted": "N", "question_theme_name": THEMES[q.type], "same_script": 0}
        questions.append({**base, "qid": qid, "parent_qid": 0, "title": q.code, "other": "Y" if q.other else "N",
                          "mandatory": "Y" if q.mandatory else "N", "question_order": order_in_group[gid],
                          "relevance": q.relevance.expression() if q.relevance else "1"})
        question_l10ns += [{"id": next(question_l10n_ids), "qid": qid, "question": q.text[lang],
                            "help": q.help[lang] if q.help else "", "language": lang, "script": ""}
                           for lang in languages]
        for order, sq in enumerate(q.subquestions, start=1):
            sqid = next(sub_qids)
            subquestions.append({**base, "qid": sqid, "parent_qid": qid, "title": sq.code, "other": "N",
                                 "mandatory": "N", "question_order": order,
                                 "relevance": sq.relevance.expression() if sq.relevance else "1"})
            question_l10ns += [{"id": next(question_l10n_ids), "qid": sqid, "question": sq.labels[lang],
                                "help": "", "language": lang, "script": ""} for lang in languages]
        for order, answer in enumerate(q.answers, start=1):
            aid = next(aids)
            answers.append({"aid": aid, "qid": qid, "code": answer.code, "sortorder": order,
                            "assessment_value": 0, "scale_id": 0})
            answer_l10ns += [{"id": next(answer_ids), "aid": aid, "answer": answer.labels[lang], "language": lang}
                             for lang in languages]
        if q.type == "N":
            for attribute, value in (("min_num_value_n", q.minimum), ("max_num_value_n", q.maximum)):
                if value is not None:
                    attributes.append({"qid": qid, "attribute": attribute, "value": value, "language": ""})

    survey = {
        "sid": survey_id, "gsid": 1, "admin": admin, "adminemail": "inherit", "anonymized": "N", "format": "G",
        "savetimings": "Y", "template": "fruity_twentythree", "language": instrument.base_language,
        "additional_languages": " ".join(languages[1:]), "datestamp": "Y", "ipaddr": "N", "refurl": "N",
        "usecookie": "N", "allowsave": "Y", "alloweditaftercompletion": "N", "tokenlength": 15,
        "showwelcome": "Y", "questionindex": 0,
    }
    settings = [{"surveyls_survey_id": survey_id, "surveyls_language": lang, "surveyls_title": instrument.title[lang],
                 "surveyls_description": "", "surveyls_welcometext": "", "surveyls_endtext": "",
                 "surveyls_dateformat": DATE_FORMAT.get(lang, "6"), "surveyls_numberformat": NUMBER_FORMAT.get(lang, "0")}
                for lang in languages]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>', "<document>", " <LimeSurveyDocType>Survey</LimeSurveyDocType>",
        f" <DBVersion>{DB_VERSION}</DBVersion>", " <languages>",
        *(f"  <language>{lang}</language>" for lang in languages), " </languages>",
        *_section("answers", ("aid", "qid", "code", "sortorder", "assessment_value", "scale_id"), answers),
        *_section("answer_l10ns", ("id", "aid", "answer", "language"), answer_l10ns),
        *_section("groups", ("gid", "sid", "group_order", "randomization_group", "grelevance"), groups),
        *_section("group_l10ns", ("id", "gid", "group_name", "description", "language"), group_l10ns),
        *_section("questions", _QUESTION_FIELDS, questions),
        *_section("subquestions", _QUESTION_FIELDS, subquestions),
        *_section("question_l10ns", ("id", "qid", "question", "help", "language", "script"), question_l10ns),
        *_section("question_attributes", ("qid", "attribute", "value", "language"), attributes),
        *_section("surveys", survey.keys(), [survey]),
        *_section("surveys_languagesettings", settings[0].keys(), settings),
        "</document>",
    ]
    return "\n".join(lines) + "\n"


def write_lss(path: Path, instrument: Instrument, survey_id: int) -> Path:
    path.write_text(compile_lss(instrument, survey_id), encoding="utf-8")
    return path
