"""A fresh demo run equals the committed snapshot (tests/snapshot.py): the refactoring guard.

When this fails on purpose (a change that moves numbers), rebuild with ``python -m tests.snapshot`` in the
same commit and say which rows moved and why; the failure lists each of them.
"""

import json
import shutil

import duckdb
import pytest

from tests.conftest import run_locations
from tests.snapshot import EXCLUDED, MANIFEST, SNAPSHOT, _sha256, compare
from warehouse.sql import quote_ident, sql_literal


@pytest.fixture(scope="module")
def fresh_demo(demo_root):
    return run_locations(demo_root)


@pytest.mark.e2e
def test_a_fresh_demo_run_equals_the_snapshot(fresh_demo):
    differences = compare(fresh_demo)
    assert not differences, f"{len(differences)} differences from {SNAPSHOT}:\n" + "\n".join(differences)


# Tables of what the demo study does not have: a panel instrument.
NOT_IN_THE_DEMO = {"indicators.panel_changes", "indicators.panel_trajectory"}


def test_the_snapshot_is_whole():
    manifest = json.loads((SNAPSHOT / MANIFEST).read_text(encoding="utf-8"))
    tables = manifest["tables"]
    assert {"indicators.indicators", "indicators.channel_sensitivity", "indicators.comparisons",
            "weighted.parent_weights", "meta.codebook"} <= tables.keys()
    assert any(name.startswith("clean.") for name in tables)
    for name, entry in tables.items():
        assert not set(entry["columns"]) & EXCLUDED.keys(), name
        with duckdb.connect() as con:
            rows = con.execute("SELECT count(*) FROM read_parquet(?)",
                               [str(SNAPSHOT / entry["parquet"])]).fetchall()[0][0]
        assert rows == entry["rows"], name
        assert rows > 0 or name in NOT_IN_THE_DEMO, name
    # The versions that say what produced a row are compared, not excluded.
    assert {"instrument_version", "margins_version"} <= tables["indicators.indicators"]["columns"].keys()
    assert any(f.endswith(".lss") for f in manifest["files"]) and "codebook.json" in manifest["files"]
    for name, entry in manifest["files"].items():
        assert _sha256(SNAPSHOT / "files" / name) == entry["sha256"], name


def _rewrite(path, column, predicate, expression):
    """Rewrite one Parquet file with ``column`` set to ``expression`` on the rows matching ``predicate``."""
    moved = path.with_suffix(".old")
    path.rename(moved)
    column = quote_ident(column)
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT * REPLACE (CASE WHEN {predicate} THEN {expression} ELSE {column} END "
                    f"AS {column}) FROM read_parquet({sql_literal(str(moved))})) TO {sql_literal(str(path))} "
                    "(FORMAT parquet)")
    moved.unlink()


def _first(path, key, condition):
    with duckdb.connect() as con:
        row = con.execute(f"SELECT {', '.join(map(quote_ident, key))} FROM read_parquet({sql_literal(str(path))}) "
                          f"WHERE {condition} ORDER BY ALL LIMIT 1").fetchall()[0]
    return " AND ".join(f"{quote_ident(c)} = {sql_literal(v) if isinstance(v, str) else v}"
                        for c, v in zip(key, row)), row


def test_the_comparison_names_each_moved_value_and_changed_byte(tmp_path):
    copy = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT, copy)
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    indicators, weights = manifest["tables"]["indicators.indicators"], manifest["tables"]["weighted.parent_weights"]

    # 1e-9 relative: a proportion (below 1, the absolute rule) and a weight in persons (above 1, relative).
    where, row = _first(copy / indicators["parquet"], indicators["key"], "estimate BETWEEN 0.01 AND 0.99")
    _rewrite(copy / indicators["parquet"], "estimate", where, "estimate * (1 + 1e-9)")
    by_weight, person = _first(copy / weights["parquet"], weights["key"], "weight > 1")
    _rewrite(copy / weights["parquet"], "weight", by_weight, "weight * (1 - 1e-9)")
    # Within the tolerance: not a difference.
    _rewrite(copy / weights["parquet"], "raked_weight", by_weight, "raked_weight * (1 + 1e-14)")
    # A value that becomes NULL.
    _rewrite(copy / indicators["parquet"], "se", where, "NULL")
    # One byte of one compiled file.
    lss = next(name for name in manifest["files"] if name.endswith(".lss"))
    data = bytearray((copy / "files" / lss).read_bytes())
    data[1000] ^= 0x01
    (copy / "files" / lss).write_bytes(bytes(data))

    differences = compare(copy)
    assert len(differences) == 4, "\n".join(differences)
    assert differences[0].startswith(f"file {lss}: differs from byte 1000 ")
    text = "\n".join(differences)
    label = ", ".join(f"{c}={v!r}" for c, v in zip(indicators["key"], row))
    assert f"table indicators.indicators: column estimate at ({label}): " in text
    assert f"table indicators.indicators: column se at ({label}): " in text and "None now" in text
    label = ", ".join(f"{c}={v!r}" for c, v in zip(weights["key"], person))
    assert f"table weighted.parent_weights: column weight at ({label}): " in text
    assert "relative 1e-09" in text and "raked_weight" not in text
    assert compare(SNAPSHOT) == []


@pytest.mark.e2e
def test_the_demo_neighbourhood_errors_follow_its_declared_design(fresh_demo):
    """The demo declares its neighbourhoods as strata (design weights N_h / n_h, fpc N_h): its published 2018
    neighbourhood estimates and SEs equal R's calibrate(calfun = "raking") on that design to 1e-6
    (tests/fixtures/r_calibrate/make_demo_expected.R), and are far from rake()'s, which ignore the design
    weights in the residuals (barrier S01 bereikbaar in W01: 0.068 against 0.352)."""
    from pathlib import Path

    expected = json.loads((Path(__file__).parent / "fixtures" / "r_calibrate" / "demo_expected.json").read_text())
    with duckdb.connect(str(fresh_demo.warehouse), read_only=True) as con:
        rows = con.execute("SELECT indicator, domain, estimate, se FROM indicators.indicators WHERE "
                           "wave = '2018' AND breakdown = 'neighbourhood'").df()
    published = {(r.indicator, r.domain): (r.estimate, r.se) for r in rows.itertuples()}
    compared = 0
    for indicator, cells in expected["calibrate"].items():
        for domain, estimate, se, rake_se in zip(cells["domain"], cells["estimate"], cells["se"],
                                                 expected["rake"][indicator]["se"]):
            mine = published[(indicator, domain)]
            if mine[1] != mine[1]:  # withheld (NaN): the index gate or a small cell
                continue
            assert mine[0] == pytest.approx(estimate, rel=1e-9), (indicator, domain)
            assert mine[1] == pytest.approx(se, rel=1e-6), (indicator, domain)
            compared += 1
    assert compared >= 15
    bereikbaar = expected["rake"]["barrier_prevalence.S01.bereikbaar"]["se"][0]
    assert published[("barrier_prevalence.S01.bereikbaar", "W01")][1] < bereikbaar / 4
