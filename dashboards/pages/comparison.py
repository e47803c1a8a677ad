"""Parents versus field actors: the perception gaps (field-actor minus parent, DOMAIN.md section 3),
and, beside each gap, what each side said; a gap is a number only with at least 30 field actors."""

from __future__ import annotations

import html

import pandas as pd

from dashboards.blocks import Ids, block
from dashboards.formatting import interval_text, reason_text, value_text
from dashboards.matrix import matrix
from dashboards.model import SiteContent
from dashboards.pages.common import indicator_labels, paragraph, plain_table, present, wave_labels
from dashboards.text import t

GAP = "perception_gap."
esc = html.escape


def sides(gap: str) -> tuple[str, str]:
    """The parent and field-actor indicators a gap compares: the parents' access index and the count of
    field actors who agree (published from n >= 10, where the gap itself needs 30)."""
    subject = gap.removeprefix(GAP)
    return f"access_index.{subject}", f"field_actor_agree.{subject}"


def _said(row: pd.Series | None, lang: str, min_n: int) -> str:
    if row is None:
        return "·"
    if row["suppressed"]:
        return "— " + reason_text(row["reason"], lang, min_n)
    if row["unit"] == "count":  # field actors reported as a count: "12 of 18"
        return t("k_of_n", lang, k=int(row["estimate"]), n=int(row["n"]))
    text = f'{value_text(row["estimate"], row["unit"], lang)} {interval_text(row["ci_low"], row["ci_high"], row["unit"], lang)}'
    return text.strip() + ("" if pd.isna(row["n"]) else f" (n = {int(row['n'])})")


def _side(rows: pd.DataFrame, indicator: str, instrument: str | None, wave: str) -> pd.Series | None:
    found = rows[(rows["indicator"] == indicator) & (rows["wave"] == wave) & (rows["breakdown"] == "all")]
    if instrument is not None:
        found = found[found["instrument"] == instrument]
    return None if found.empty else found.iloc[0]


def comparison(content: SiteContent, lang: str, ids: Ids) -> str:
    rows = content.indicators
    gaps = [n for n in present(content) if content.entry(n).unit == "difference"]
    parts = [paragraph(t("gap_intro", lang)), paragraph(t("gap_rule", lang))]
    if not gaps:
        return "".join(parts) + paragraph(t("gap_none", lang), "empty")
    gap_rows = rows[rows["indicator"].isin(gaps) & (rows["breakdown"] == "all")]
    # Only gaps with a number in some wave are charted: a chart of gaps alone says nothing the table doesn't.
    charted = [n for n in gaps if (~gap_rows.loc[gap_rows["indicator"] == n, "suppressed"].astype(bool)).any()]
    if charted:
        chosen = gap_rows[gap_rows["indicator"].isin(charted)]
        grid = matrix(chosen, "indicator", "wave", indicator_labels(content, charted, lang),
                      wave_labels(chosen["wave"], lang))
        parts.append(block(ids, t("gap_chart", lang), grid, lang, content.min_n, corner=t("indicator", lang),
                           level=2))
    else:
        parts.append(paragraph(t("gap_none_computed", lang)))
    table_rows = []
    for wave in sorted(set(gap_rows["wave"])):
        for name in gaps:
            gap = _side(rows, name, None, wave)
            parent, actors = sides(name)
            table_rows.append([
                content.entry(name).label.get(lang, name), wave,
                _said(_side(rows, parent, "parent", wave), lang, content.min_n),
                _said(_side(rows, actors, "field_actor", wave), lang, content.min_n),
                _said(gap, lang, content.min_n),
            ])
    parts.append(f"<h2>{esc(t('gap_sides', lang))}</h2>")
    parts.append(plain_table(t("gap_sides_caption", lang),
                             [t("indicator", lang), t("wave", lang), t("parents", lang), t("field_actors", lang),
                              t("gap", lang)], table_rows, numeric=False))
    return "".join(parts)
