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
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with connect(self.locations()) as con:
            yield con
