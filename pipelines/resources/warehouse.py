"""The warehouse resource: where each study's DuckDB files and site live, and a connection to them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

from warehouse.connection import connect
from warehouse.paths import Locations


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouses and dashboard folders, one per study.

    Environment (read when a run starts, not at import): ``TOEGANG_HOME`` (default ``data/``) holds a folder per
    study with its ``toegang.duckdb``, ``raw.duckdb``, inbox, archive, quarantine and exports;
    ``TOEGANG_SITE`` (default ``site/``) a folder per study with its dashboard; ``TOEGANG_BUILD`` (default
    ``build/``) the compiled instruments and codebook per study. Set ``home``, ``site`` or ``build`` to override
    them (the folders of every study: the study's own folder is inside).
    """

    home: str | None = None
    site: str | None = None
    build: str | None = None

    def locations(self, study_id: str) -> Locations:
        return Locations.of_study(study_id, home=self.home, site=self.site, build=self.build)

    @contextmanager
    def connect(self, study_id: str, lock_wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """The study's warehouse. ``lock_wait``: seconds to wait while another process holds its files (default
        TOEGANG_LOCK_WAIT)."""
        with connect(self.locations(study_id), lock_wait=lock_wait) as con:
            yield con
