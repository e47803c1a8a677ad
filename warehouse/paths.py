"""Where Toegang keeps its files. Read from the environment when asked, never at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Locations:
    """``TOEGANG_HOME`` (default ``data/``) holds the warehouse and the file inbox; the site goes to
    ``TOEGANG_SITE`` (default ``site/``); compiled instruments and the codebook to ``build/``."""

    home: Path
    site: Path
    build: Path

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, home: str | None = None,
                 site: str | None = None, build: str | None = None) -> Locations:
        env = os.environ if environ is None else environ
        return cls(
            home=Path(home or env.get("TOEGANG_HOME") or "data"),
            site=Path(site or env.get("TOEGANG_SITE") or "site"),
            build=Path(build or env.get("TOEGANG_BUILD") or "build"),
        )

    @property
    def warehouse(self) -> Path:
        """The analytic warehouse: clean, weighted and published tables, no tokens."""
        return self.home / "toegang.duckdb"

    @property
    def raw(self) -> Path:
        """The raw layer, kept in its own file because it holds tokens: the warehouse can be shared
        without it."""
        return self.home / "raw.duckdb"

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def quarantine(self) -> Path:
        return self.home / "quarantine"

    @property
    def exports(self) -> Path:
        """Files for analysts: published indicators, pseudonymised microdata without free text, reviewed
        quotes. Microdata are still personal data: share them under the study's data agreement."""
        return self.home / "exports"

    def ensure(self) -> Locations:
        for folder in (self.home, self.inbox, self.archive, self.quarantine):
            folder.mkdir(parents=True, exist_ok=True)
        return self
