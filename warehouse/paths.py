"""Where Toegang keeps a study's files. Read from the environment when asked, never at import time.

Studies live side by side: ``TOEGANG_HOME/<study>/`` (default ``data/<study>/``) holds one study's warehouse,
raw layer, inbox, archive, quarantine and exports, ``TOEGANG_SITE/<study>/`` (default ``site/<study>/``) its
dashboard, and ``TOEGANG_BUILD/<study>/`` (default ``build/<study>/``) its compiled instruments. Two studies
share no file, so they run at the same time (DuckDB takes one writing process per file).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from instruments.model import NAME_PATTERN

HOME_VARIABLE, SITE_VARIABLE, BUILD_VARIABLE = "TOEGANG_HOME", "TOEGANG_SITE", "TOEGANG_BUILD"
WAREHOUSE_FILE, RAW_FILE = "toegang.duckdb", "raw.duckdb"


class InvalidStudyId(ValueError):
    pass


def checked_study_id(study_id: str) -> str:
    """The id names folders (home, site, build): refuse anything that could leave them."""
    if not isinstance(study_id, str) or not NAME_PATTERN.match(study_id):
        raise InvalidStudyId(f"invalid study id {str(study_id)[:80]!r}: letters, digits, '_' or '-' (at most 64)")
    return study_id


def home_root(environ: Mapping[str, str] | None = None, home: str | Path | None = None) -> Path:
    """The folder of study homes: ``home``, else ``TOEGANG_HOME``, else ``data/``."""
    env = os.environ if environ is None else environ
    return Path(home or env.get(HOME_VARIABLE) or "data")


@dataclass(frozen=True)
class Locations:
    """The places of one study: ``home`` (``TOEGANG_HOME/<study>/``: warehouse, raw layer, inbox, archive,
    quarantine, exports), ``site`` (``TOEGANG_SITE/<study>/``: its dashboard) and ``build`` (the build folder,
    in which the study's instruments go to ``<study>/``). ``Locations.of_study`` finds them; a test may name
    the folders itself."""

    home: Path
    site: Path
    build: Path

    @classmethod
    def of_study(cls, study_id: str, environ: Mapping[str, str] | None = None, home: str | Path | None = None,
                 site: str | Path | None = None, build: str | Path | None = None) -> Locations:
        """``home``, ``site`` and ``build`` are the folders of every study (default ``TOEGANG_HOME``, ``data/``;
        ``TOEGANG_SITE``, ``site/``; ``TOEGANG_BUILD``, ``build/``); the study's own home and site are the
        folders named by its id inside them."""
        env = os.environ if environ is None else environ
        checked_study_id(study_id)
        return cls(
            home=home_root(env, home) / study_id,
            site=Path(site or env.get(SITE_VARIABLE) or "site") / study_id,
            build=Path(build or env.get(BUILD_VARIABLE) or "build"),
        )

    @property
    def warehouse(self) -> Path:
        """The analytic warehouse: clean, weighted and published tables, no tokens."""
        return self.home / WAREHOUSE_FILE

    @property
    def raw(self) -> Path:
        """The raw layer, kept in its own file because it holds tokens: the warehouse can be shared
        without it."""
        return self.home / RAW_FILE

    @property
    def inbox(self) -> Path:
        """Export files dropped for the study (``pipelines/inbox.py``)."""
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
