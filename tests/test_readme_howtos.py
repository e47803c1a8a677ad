"""The README's how-tos "Adding a study" and "Adding a wave" run as written: their shell blocks, one after the
other in one shell, in an empty folder that has only this checkout's .venv."""

import os
import re
import subprocess

import duckdb
import pytest

from tests.conftest import ROOT

HOWTOS = ("### Adding a study", "### Adding a wave")


def _block(readme: str, heading: str) -> str:
    section = readme[readme.index(heading) + len(heading):]
    section = section[:re.search(r"\n#{2,3} ", section).start()]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match, f"no shell block under {heading}"
    return match.group(1)


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    folder = tmp_path_factory.mktemp("howto")
    (folder / ".venv").symlink_to(ROOT / ".venv")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = "\n".join(_block(readme, heading) for heading in HOWTOS)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOEGANG_", "DAGSTER_", "LIMESURVEY_"))}
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=folder, env=env, capture_output=True,
                            text=True, timeout=900)
    return folder, script, result


def test_the_howtos_run_as_written(ran):
    folder, script, result = ran
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert script.count(".venv/bin/toegang") >= 8
    study = folder / "studies" / "family-hubs"
    assert (study / "study.yaml").is_file() and "demo_pseudonym_key" not in (study / "study.yaml").read_text()
    warehouses = list((folder / "data").rglob("toegang.duckdb"))
    assert len(warehouses) == 1
    with duckdb.connect(str(warehouses[0]), read_only=True) as con:
        waves = {w for (w,) in con.execute("SELECT DISTINCT wave FROM indicators.indicators WHERE study_id = "
                                           "'family-hubs'").fetchall()}
    assert waves == {"2018", "2021", "2027"}
    assert list((folder / "site").rglob("index.html"))
