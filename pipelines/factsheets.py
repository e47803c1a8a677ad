"""Factsheets as PDF: each factsheet page of a built site (``<site>/<study>/<lang>/factsheets/``,
dashboards/pages/factsheet.py) printed by Debian's Chromium, headless (``--print-to-pdf``, one process per page: the
page's own A4 print stylesheet lays it out). Only ``toegang factsheets`` needs Chromium; building the site never
does."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from instruments.vocabulary import LANGUAGES

FOLDER = "factsheets"  # dashboards.pages.factsheet.FOLDER: the pages' folder in each language's
CHROMIUM_VARIABLE = "TOEGANG_CHROMIUM"  # a Chromium to use instead of the one on PATH
NAMES = ("chromium", "chromium-browser")
FALLBACK = Path("/usr/bin/chromium")  # Debian's, when PATH does not reach it
TIMEOUT = 120  # seconds for one page


class FactsheetError(RuntimeError):
    """No site, no factsheet, no Chromium, or Chromium failed: the message says which, in one line."""


@dataclass(frozen=True)
class Printed:
    pdf: Path
    page: Path


def find_chromium(environ: dict[str, str] | None = None) -> Path:
    """``TOEGANG_CHROMIUM`` if set, else ``chromium`` on PATH, else /usr/bin/chromium; ``FactsheetError`` when none
    is there."""
    env = os.environ if environ is None else environ
    named = env.get(CHROMIUM_VARIABLE)
    if named:
        if Path(named).is_file() and os.access(named, os.X_OK):
            return Path(named)
        raise FactsheetError(f"{CHROMIUM_VARIABLE}={named} is not an executable Chromium")
    for name in NAMES:
        found = shutil.which(name, path=env.get("PATH", ""))
        if found:
            return Path(found)
    if FALLBACK.is_file() and os.access(FALLBACK, os.X_OK):
        return FALLBACK
    raise FactsheetError("Chromium is not installed (no chromium on PATH nor /usr/bin/chromium): install Debian's "
                         "chromium package (apt-get install chromium) to print factsheets")


def factsheet_pages(site: Path, languages: list[str] | None = None, only: list[str] | None = None) -> list[Path]:
    """The factsheet pages of a study's built site, per language (default every one), sorted; ``only``: the pages'
    names without .html (``<breakdown>-<code>``, ``subject-<code>``)."""
    languages = list(languages or LANGUAGES)
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise FactsheetError(f"unknown language(s) {', '.join(unknown)}; the site has {', '.join(LANGUAGES)}")
    if not (site / "index.html").is_file():
        raise FactsheetError(f"no dashboard in {site.resolve()}: build it first (toegang demo, or toegang run)")
    pages = [p for lang in languages for p in sorted((site / lang / FOLDER).glob("*.html"))]
    if not pages:
        raise FactsheetError(f"the dashboard in {site.resolve()} has no factsheets (a breakdown with map: true, "
                             "or factsheets: {subjects: true}, in study.yaml)")
    if only:
        missing = sorted(set(only) - {p.stem for p in pages})
        if missing:
            names = ", ".join(sorted({p.stem for p in pages}))
            raise FactsheetError(f"no factsheet {', '.join(missing)} (there are: {names})")
        pages = [p for p in pages if p.stem in only]
    return pages


def print_pdf(chromium: Path, page: Path, pdf: Path) -> None:
    """Print one page to ``pdf`` with headless Chromium; ``FactsheetError`` when it fails or writes no PDF."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.unlink(missing_ok=True)
    # A profile of its own: two prints at once (or a Chromium already open) would share and lock the default one.
    with tempfile.TemporaryDirectory(prefix="toegang-chromium-") as profile:
        command = [str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-extensions", f"--user-data-dir={profile}", "--no-pdf-header-footer",
                   f"--print-to-pdf={pdf}", page.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
        except OSError as exc:
            raise FactsheetError(f"Chromium ({chromium}) could not start: {exc}") from None
        except subprocess.TimeoutExpired:
            raise FactsheetError(f"Chromium took more than {TIMEOUT} s to print {page}") from None
    if done.returncode != 0 or not pdf.is_file() or pdf.read_bytes()[:5] != b"%PDF-":
        last = (done.stderr.strip().splitlines() or ["no message"])[-1][:200]
        raise FactsheetError(f"Chromium ({chromium}) did not print {page} (exit code {done.returncode}): {last}")


def print_factsheets(site: Path, out: Path, languages: list[str] | None = None, only: list[str] | None = None,
                     environ: dict[str, str] | None = None) -> list[Printed]:
    """Every factsheet page of the study's site ``site`` (in ``languages``, ``only`` those named) as
    ``<out>/<lang>/<name>.pdf``."""
    pages = factsheet_pages(site, languages, only)
    chromium = find_chromium(environ)
    printed = []
    for page in pages:
        pdf = out / page.parent.parent.name / f"{page.stem}.pdf"
        print_pdf(chromium, page, pdf)
        printed.append(Printed(pdf, page))
    return printed
