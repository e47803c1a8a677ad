"""`toegang` commands in their own processes, and the tables a run leaves, to compare runs."""

import os
import subprocess
import sys
from pathlib import Path

from warehouse.connection import connect
from warehouse.paths import Locations
from warehouse.tables import qualified

ROOT = Path(__file__).resolve().parents[2]


def toegang_process(root: Path, name: str, *args: str) -> subprocess.Popen:
    # Each process its own Dagster instance: what is under test is the warehouse lock, not SQLite's.
    env = {**os.environ, "DAGSTER_HOME": str(root / f"dagster-{name}"), "TOEGANG_LOCK_WAIT": "600"}
    return subprocess.Popen([sys.executable, "-m", "pipelines.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def tables_of(locations: Locations) -> dict[str, list]:
    """Every derived table's rows (not the run id each run stamps), and each stored response version (not its
    load's id or time)."""
    with connect(locations, read_only=True) as con:
        names = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'toegang' "
                            "AND schema_name <> 'meta' ORDER BY ALL").fetchall()
        tables = {}
        for s, t in names:
            columns = {r[0] for r in con.execute(f"DESCRIBE {qualified(s, t)}").fetchall()}
            chosen = "* EXCLUDE (run_id)" if "run_id" in columns else "*"
            tables[f"{s}.{t}"] = con.execute(f"SELECT {chosen} FROM {qualified(s, t)} ORDER BY ALL").fetchall()
        tables["meta.codebook"] = con.execute("SELECT * FROM meta.codebook ORDER BY ALL").fetchall()
        tables["raw versions"] = con.execute("SELECT survey_id, response_id, count(*) FROM raw.responses "
                                             "GROUP BY ALL ORDER BY ALL").fetchall()
    return tables
