"""Debian's chromium for the browser tests and the dashboard benchmark, installed through apt when it is
missing (Playwright's own browser download is not used: it cannot be fetched here)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path(os.environ.get("TOEGANG_CHROMIUM", "/usr/bin/chromium"))


def ensure_chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"], check=True, env=env)
    return CHROMIUM


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Playwright browser on Debian's chromium."""
    from playwright.sync_api import sync_playwright

    path = ensure_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(path), headless=True)
        try:
            yield browser
        finally:
            browser.close()
