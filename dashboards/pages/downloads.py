"""Downloads: the published indicator rows and the catalogue as CSV and Parquet (aggregates only)."""

from __future__ import annotations

import html
from pathlib import Path

from dashboards.formatting import number
from dashboards.model import INDICATOR_COLUMNS
from dashboards.pages.common import paragraph, plain_table
from dashboards.text import t

esc = html.escape


def downloads(files: list[Path], lang: str) -> str:
    items = "".join(
        f'<li><a href="../downloads/{esc(f.name)}" download>{esc(f.name)}</a> '
        f'({esc(t("file_" + f.suffix.lstrip("."), lang))}, {esc(number(f.stat().st_size / 1024, lang, 1))} kB)</li>'
        for f in files
    )
    columns = [[c, t(f"col_{c}", lang)] for c in INDICATOR_COLUMNS]  # the columns of indicators.csv
    return "".join([
        paragraph(t("downloads_intro", lang)),
        f'<ul class="downloads">{items}</ul>',
        f"<h2>{esc(t('columns_heading', lang))}</h2>",
        plain_table(t("columns_caption", lang), [t("column", lang), t("meaning", lang)], columns,
                    numeric=False),
    ])
