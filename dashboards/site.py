"""Build the static dashboard site: one folder per language, plotly.js shipped once as a local file.

The site is written to a temporary folder next to its destination and swapped in whole, so a reader
never sees half a dashboard. It holds aggregates only, never a respondent's row.
"""

from __future__ import annotations

import html
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from plotly.offline import get_plotlyjs

from dashboards.awareness_page import Labels, section
from dashboards.text import LANGUAGE_NAMES, LANGUAGES, t

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:72rem;margin:0 auto;
padding:1rem;color:#1a1a1a;background:#fff;line-height:1.5}
a{color:#0b57a4}a:focus,button:focus{outline:3px solid #b35900;outline-offset:2px}
nav.lang a{margin-right:1rem}nav.lang a[aria-current]{font-weight:bold}
table.data{border-collapse:collapse;margin:1rem 0;width:100%}
table.data th,table.data td{border:1px solid #767676;padding:.3rem .5rem;text-align:right}
table.data th[scope=row],table.data caption{text-align:left}
td.suppressed{color:#595959;background:#f2f2f2}
.n{color:#595959;font-size:.9em}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{margin-top:2rem;color:#595959;font-size:.9em}
"""


@dataclass(frozen=True)
class SiteContent:
    study_title: Mapping[str, str]
    indicators: pd.DataFrame  # awareness rows of every wave, suppression applied
    services: Labels
    areas: Labels
    instrument_versions: Mapping[str, str]  # wave -> parent instrument version
    min_n: int


def _language_nav(current: str) -> str:
    links = []
    for lang in LANGUAGES:
        current_attr = ' aria-current="page"' if lang == current else ""
        links.append(f'<a href="../{lang}/index.html" lang="{lang}" hreflang="{lang}"{current_attr}>'
                     f"{html.escape(LANGUAGE_NAMES[lang])}</a>")
    return f'<nav class="lang" aria-label="{html.escape(t("language", current))}">{"".join(links)}</nav>'


def page(content: SiteContent, lang: str) -> str:
    esc = html.escape
    sections = []
    for wave, rows in content.indicators.groupby("wave", sort=True):
        sections.append(section(rows, content.services, content.areas, str(wave), lang, content.min_n,
                                chart_id=f"awareness-{wave}"))
    versions = ", ".join(f"{esc(w)}: {esc(v)}" for w, v in sorted(content.instrument_versions.items()))
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(t("awareness_heading", lang))} · {esc(t("site_title", lang))}</title>
<link rel="stylesheet" href="../assets/style.css">
<script src="../assets/plotly.min.js"></script>
</head>
<body>
<header>{_language_nav(lang)}
<p>{esc(t("site_title", lang))}</p>
<h1>{esc(t("awareness_heading", lang))}</h1>
<p>{esc(t("study", lang))}: {esc(content.study_title.get(lang, ""))}</p>
</header>
<main>
<p>{esc(t("awareness_intro", lang))}</p>
<p>{esc(t("suppression_note", lang, min_n=content.min_n))}</p>
{"".join(sections)}
</main>
<footer><p>{esc(t("instrument_version", lang))}: {versions}</p></footer>
</body>
</html>
"""


def _root_index() -> str:
    links = "".join(
        f'<li><a href="{lang}/index.html" lang="{lang}" hreflang="{lang}">'
        f'{html.escape(t("site_title", lang))} ({html.escape(LANGUAGE_NAMES[lang])})</a></li>'
        for lang in LANGUAGES
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Toegang</title><link rel="stylesheet" href="assets/style.css"></head>
<body><main><h1>Toegang</h1><ul>{links}</ul></main></body>
</html>
"""


def write_site(site: Path, content: SiteContent) -> list[Path]:
    """Write the whole site to ``site`` (replacing what was there); return the pages written."""
    site = Path(site)
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}-", dir=site.parent))
    try:
        (staging / "assets").mkdir()
        (staging / "assets" / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
        (staging / "assets" / "style.css").write_text(STYLE, encoding="utf-8")
        (staging / "index.html").write_text(_root_index(), encoding="utf-8")
        for lang in LANGUAGES:
            (staging / lang).mkdir()
            (staging / lang / "index.html").write_text(page(content, lang), encoding="utf-8")
        staging.chmod(0o755)
        _swap_in(staging, site)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [site / "index.html", *(site / lang / "index.html" for lang in LANGUAGES)]


def _swap_in(staging: Path, site: Path) -> None:
    old = None
    if site.exists():
        old = site.with_name(f".{site.name}-old-{staging.name}")
        site.rename(old)
    staging.rename(site)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
