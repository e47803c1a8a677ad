"""The code version stamped on every published row: the git commit of the checkout, or the package version."""

import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@cache
def code_version() -> str:
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"], capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        return commit + ("-modified" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        try:
            return "toegang-" + version("toegang")
        except PackageNotFoundError:
            return "unknown"
