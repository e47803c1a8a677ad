"""Downloads: the published indicator rows and the catalogue as CSV and Parquet (aggregates only)."""

from __future__ import annotations

import html
from pathlib import Path

from dashboards.formatting import number
from dashboards.marks import PRESENT
from dashboards.model import COUNT_COLUMNS, INDICATOR_COLUMNS, SiteContent
from dashboards.pages.common import paragraph, plain_table
from dashboards.text import t

esc = html.escape


def _codes(content: SiteContent) -> dict[str, str]:
    """The codes of the study's breakdowns, of the instruments in the rows and of the study's NCHS rules (those
    in the rows where the site was not given the rules), for the columns that hold them."""
    used = set(map(str, content.indicators["instrument"]))
    instruments = [i for i in content.instruments if i in used] + sorted(used - set(content.instruments))
    flagged = {code for flag in content.indicators["nchs_flag"].dropna() for code in str(flag).split(";")} - {PRESENT}
    rules = content.proportions.codes if content.proportions is not None else ()
    return {"breakdown": ", ".join(content.breakdowns or sorted(set(content.indicators["breakdown"]) - {"all"})),
            "instrument": ", ".join(instruments), "nchs_flag": ", ".join(rules or sorted(flagged)) or "—"}


def downloads(content: SiteContent, files: list[Path], lang: str) -> str:
    items = "".join(
        f'<li><a href="../downloads/{esc(f.name)}" download>{esc(f.name)}</a> '
        f'({esc(t("file_" + f.suffix.lstrip("."), lang))}, {esc(number(f.stat().st_size / 1024, lang, 1))} kB)</li>'
        for f in files
    )
    codes = _codes(content)
    columns = [[c, t(f"col_{c}", lang, names=codes[c]) if c in codes else t(f"col_{c}", lang)]
               for c in (*INDICATOR_COLUMNS, *COUNT_COLUMNS)]  # the columns of indicators.csv
    return "".join([
        paragraph(t("downloads_intro", lang)),
        f'<ul class="downloads">{items}</ul>',
        f"<h2>{esc(t('columns_heading', lang))}</h2>",
        plain_table(t("columns_caption", lang), [t("column", lang), t("meaning", lang)], columns,
                    numeric=False),
    ])
