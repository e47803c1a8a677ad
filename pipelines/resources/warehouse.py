"""The warehouse resource: where the DuckDB files and the site live, and a connection to them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

from warehouse.connection import connect
from warehouse.paths import Locations


# The concurrency pool of every asset that writes the warehouse. DuckDB takes one process per file, so the
# instance (dagster.yaml, pipelines/runner.py) limits the pool to one run at a time.
WAREHOUSE_POOL = "warehouse"


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse and the dashboard folder.

    Environment (read when a run starts, not at import): ``TOEGANG_HOME`` (default ``data/``) holds
    ``toegang.duckdb`` and ``raw.duckdb``; ``TOEGANG_SITE`` (default ``site/``) receives the dashboards;
    ``TOEGANG_BUILD`` (default ``build/``) the compiled instruments and the codebook. Set ``home``,
    ``site`` or ``build`` to override them.
    """

    home: str | None = None
    site: str | None = None
    build: str | None = None

    def locations(self) -> Locations:
        return Locations.from_env(home=self.home, site=self.site, build=self.build)

    @contextmanager
    def connect(self, lock_wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """``lock_wait``: seconds to wait while another process holds the file (default TOEGANG_LOCK_WAIT)."""
        with connect(self.locations(), lock_wait=lock_wait) as con:
            yield con
