"""The frame of every page: lang attribute, skip link, page navigation, language switch, footer."""

from __future__ import annotations

import html

from dashboards.text import t
from instruments.vocabulary import LANGUAGE_NAMES, LANGUAGES

esc = html.escape
PLOTLY_FILE = "plotly-basic.min.js"
# Each language named in itself, capitalised as a link starts ("Français"), for the language switch.
OWN_NAMES = {x: LANGUAGE_NAMES[x][x][:1].upper() + LANGUAGE_NAMES[x][x][1:] for x in LANGUAGES}


def language_switch(lang: str, filename: str) -> str:
    links = []
    for other in LANGUAGES:
        current = ' aria-current="true"' if other == lang else ""
        links.append(f'<li><a href="../{other}/{filename}" lang="{other}" hreflang="{other}"{current}>'
                     f"{esc(OWN_NAMES[other])}</a></li>")
    return f'<nav class="lang" aria-label="{esc(t("language", lang))}"><ul>{"".join(links)}</ul></nav>'


def page_nav(lang: str, filename: str, pages: list[tuple[str, str]]) -> str:
    items = []
    for target, title in pages:
        current = ' aria-current="page"' if target == filename else ""
        items.append(f'<li><a href="{esc(target)}"{current}>{esc(title)}</a></li>')
    return f'<nav class="pages" aria-label="{esc(t("pages", lang))}"><ul>{"".join(items)}</ul></nav>'


def page_html(*, lang: str, filename: str, title: str, body: str, pages: list[tuple[str, str]],
              study_title: str, footer: str, charts: bool, more_scripts: tuple[str, ...] = ()) -> str:
    """``more_scripts``: files of assets/ a page runs after plotly.js and site.js (the explorer's)."""
    scripts = (f'<script defer src="../assets/{PLOTLY_FILE}"></script>\n<script defer src="../assets/site.js"></script>\n'
               if charts else "")
    scripts += "".join(f'<script defer src="../assets/{name}"></script>\n' for name in more_scripts)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · {esc(t("site_title", lang))}</title>
<link rel="stylesheet" href="../assets/style.css">
{scripts}</head>
<body>
<a class="skip-link" href="#main">{esc(t("skip_to_content", lang))}</a>
<header class="site-header">
<div class="masthead"><p class="site-title">{esc(t("site_title", lang))}</p>{language_switch(lang, filename)}</div>
<p class="study">{esc(t("study", lang, title=study_title))}</p>
{page_nav(lang, filename, pages)}
</header>
<main id="main" tabindex="-1">
<h1>{esc(title)}</h1>
{body}
</main>
<footer class="site-footer">{footer}</footer>
</body>
</html>
"""


def root_index(titles: dict[str, str]) -> str:
    """site/index.html: the way in, in each language."""
    links = "".join(
        f'<li lang="{lang}"><a href="{lang}/index.html" hreflang="{lang}">{esc(t("site_title", lang))} '
        f"({esc(OWN_NAMES[lang])})</a></li>"
        for lang in LANGUAGES
    )
    study = " / ".join(esc(titles.get(lang, "")) for lang in LANGUAGES)
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Toegang</title><link rel="stylesheet" href="assets/style.css"></head>
<body><main id="main"><h1>Toegang</h1><p>{study}</p><ul class="languages">{links}</ul></main></body>
</html>
"""
