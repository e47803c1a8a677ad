"""Secrets and personal data (benchmarks/harness/secrets_scan.py): after a full run against the LimeSurvey
test server, the LimeSurvey password and the pseudonym key appear nowhere (not even in the raw layer), and
the respondents' tokens, IP addresses and e-mail addresses appear nowhere outside the raw layer: not in a
log line, the Dagster instance, the warehouse (every table and view, and the file's bytes), the site, the
build folder, the fieldwork monitor (which read the participants from the server) or the warehouse part of a
backup."""

import pytest

from benchmarks.harness.secrets_scan import planted_run, scan_catalog, scan_everything
from warehouse.connection import connect

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return planted_run(tmp_path_factory.mktemp("secrets"))


@pytest.fixture(scope="module")
def findings(run):
    return scan_everything(run)


def test_the_run_carried_the_planted_data_into_the_raw_layer_where_the_scan_finds_it(run):
    assert len(run.planted["token"]) == len(run.planted["email"]) == len(run.planted["ip"]) == 277 + 31
    sample = {sorted(run.planted[kind])[0] for kind in ("token", "ip", "email")}  # names went to the server only
    with connect(run.locations, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM clean.parent_responses").fetchall()[0][0] > 200
        found = {line.split(": ", 1)[1] for line in scan_catalog(con, "raw", sample)}
    assert found == sample  # the scan below would see them
    assert len(run.log_lines) > 20 and (run.root / "backup" / "warehouse").is_dir()
    monitor = (run.locations.home / "fieldwork" / "en" / "2018.html").read_text(encoding="utf-8")
    assert "277 participants, 0 invited" in monitor
    assert len(run.planted["name"]) == 277


@pytest.mark.parametrize("place", ["logs", "dagster instance", "warehouse tables", "warehouse file",
                                   "raw layer (secrets only)", "site", "build", "fieldwork monitor", "warehouse backup",
                                   "raw backup (secrets only)"])
def test_nothing_is_found(findings, place):
    assert findings[place] == []
