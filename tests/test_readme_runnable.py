"""The README's shell blocks marked ```sh runnable run as written, each in its own shell, in a folder holding this
checkout's .venv and a copy of the session's demo run as its data/ (TOEGANG_HOME). `make demo` and the how-tos
(tests/test_readme_howtos.py) are not among them."""

import os
import re
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

BLOCK = re.compile(r"```sh runnable\n(.*?)```", re.S)


def _blocks() -> list[str]:
    return BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def test_the_readme_marks_blocks_runnable():
    blocks = _blocks()
    assert len(blocks) >= 3 and not any("make demo" in block for block in blocks)


@pytest.fixture(scope="module")
def folder(demo_root, tmp_path_factory):
    folder = tmp_path_factory.mktemp("readme")
    (folder / ".venv").symlink_to(ROOT / ".venv")
    shutil.copytree(demo_root / "home", folder / "data")
    return folder


@pytest.mark.parametrize("index", range(len(_blocks())))
def test_a_runnable_block_runs_as_written(folder, index):
    block = _blocks()[index]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOEGANG_", "DAGSTER_", "LIMESURVEY_"))}
    env |= {"TOEGANG_HOME": str(folder / "data"), "TOEGANG_SITE": str(folder / "site"),
            "TOEGANG_BUILD": str(folder / "build"), "DAGSTER_HOME": str(folder / ".dagster")}
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=folder, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, f"{block}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    assert result.stdout.strip()
