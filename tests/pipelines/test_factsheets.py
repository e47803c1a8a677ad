"""pipelines/factsheets.py and ``toegang factsheets``: the factsheet pages of a built site printed to PDF by
headless Debian Chromium, one per language, each with pages that carry text; a clear one-line message and exit
code 1 when Chromium is missing, or when there is no site or no such factsheet."""

import re
import zlib

import pytest
from typer.testing import CliRunner

from dashboards.site import write_site
from instruments.vocabulary import LANGUAGES
from pipelines import factsheets
from pipelines.cli import app
from tests.dashboards.sample import sample_content

STUDY = "sample"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The folder of every site, with the sample study's built in it."""
    root = tmp_path_factory.mktemp("factsheets") / "site"
    write_site(root / STUDY, sample_content())
    return root


def _pdf_facts(data: bytes) -> tuple[int, int]:
    """(pages, text-showing operators in its content streams) of a PDF as Chromium writes it."""
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    shown = 0
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            shown += len(re.findall(rb"\bT[jJ]\b", zlib.decompress(stream)))
        except zlib.error:  # an embedded font or image, not a page's content
            continue
    return pages, shown


@pytest.mark.browser
def test_toegang_factsheets_prints_one_pdf_per_language(sites, tmp_path):
    out = tmp_path / "pdf"
    result = CliRunner().invoke(app, ["factsheets", "--site", str(sites), "--study", STUDY, "--out", str(out),
                                      "--sheet", "neighbourhood-W01"])
    assert result.exit_code == 0, result.output
    assert "3 factsheet(s) of study sample printed" in result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf")) == \
        sorted(f"{lang}/neighbourhood-W01.pdf" for lang in LANGUAGES)
    printed = {lang: (out / lang / "neighbourhood-W01.pdf").read_bytes() for lang in LANGUAGES}
    for lang, data in printed.items():
        assert data.startswith(b"%PDF-"), lang
        pages, shown = _pdf_facts(data)
        # One A4 page of text: the title, the table of three figures, the legend and the method note.
        assert pages >= 1 and shown > 50, (lang, pages, shown)
        assert b"/FontFile" in data, lang  # its text is set in embedded fonts, not drawn as an image
    assert len(set(printed.values())) == 3  # each language's own words


def test_a_missing_chromium_is_said_in_one_line(sites, tmp_path, monkeypatch):
    monkeypatch.setattr(factsheets, "FALLBACK", tmp_path / "no-chromium")
    monkeypatch.delenv(factsheets.CHROMIUM_VARIABLE, raising=False)
    result = CliRunner().invoke(app, ["factsheets", "--site", str(sites), "--study", STUDY, "--out",
                                      str(tmp_path / "pdf")], env={"PATH": str(tmp_path)})
    assert result.exit_code == 1
    assert result.output.strip() == ("error: Chromium is not installed (no chromium on PATH nor /usr/bin/chromium): "
                                     "install Debian's chromium package (apt-get install chromium) to print "
                                     "factsheets")
    assert not (tmp_path / "pdf").exists()
    named = CliRunner().invoke(app, ["factsheets", "--site", str(sites), "--study", STUDY],
                               env={factsheets.CHROMIUM_VARIABLE: str(tmp_path / "missing")})
    assert named.exit_code == 1
    assert named.output.strip() == f"error: TOEGANG_CHROMIUM={tmp_path / 'missing'} is not an executable Chromium"


def test_a_chromium_that_fails_is_said_in_one_line(sites, tmp_path):
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    broken.chmod(0o755)
    result = CliRunner().invoke(app, ["factsheets", "--site", str(sites), "--study", STUDY, "--out",
                                      str(tmp_path / "pdf"), "--lang", "fr", "--sheet", "subject-S01"],
                                env={factsheets.CHROMIUM_VARIABLE: str(broken)})
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "did not print" in result.output and "(exit code 3): cannot open display" in result.output


@pytest.mark.parametrize("arguments, message", [
    (["--study", "other"], "no dashboard in"),
    (["--sheet", "nowhere-W09"], "no factsheet nowhere-W09 (there are: neighbourhood-W01, neighbourhood-W02, "),
    (["--lang", "de"], "unknown language(s) de; the site has nl, fr, en"),
])
def test_no_site_no_such_factsheet_or_language_is_refused(sites, tmp_path, arguments, message):
    result = CliRunner().invoke(app, ["factsheets", "--site", str(sites), "--study", STUDY, "--out",
                                      str(tmp_path / "pdf"), *arguments])
    assert result.exit_code == 1 and message in result.output
    assert not (tmp_path / "pdf").exists()
