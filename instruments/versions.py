"""Load an instrument as it was: from a definition file, or from a git revision of this repository."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from instruments.loader import SHARED, load_instrument
from instruments.model import Instrument, InstrumentError
from instruments.study import STUDIES, load_study, read_study

REPOSITORY = Path(__file__).resolve().parents[1]


def _git(repository: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repository), *args], capture_output=True, timeout=60)


def _is_revision(repository: Path, ref: str) -> bool:
    if ref.startswith("-"):  # never let a revision be read as an option
        return False
    return _git(repository, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode == 0


def _extract(repository: Path, ref: str, folder: Path, target: Path) -> bool:
    """The files under ``folder`` (relative to the repository) as they were at ``ref``, written below ``target``."""
    archive = _git(repository, "archive", "--format=tar", ref, "--", folder.as_posix())
    if archive.returncode != 0:
        return False
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return True


def load_version(ref: str, name: str, study_id: str, wave: str, repository: Path = REPOSITORY) -> Instrument:
    """``ref`` is a definition file (YAML, read with the study's scales and subject lists) or a git revision
    (tag, branch, commit) of ``repository``, whose study folder and shared material are read as they were."""
    study = load_study(study_id)
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        with tempfile.TemporaryDirectory(prefix="toegang-version-") as tmp:
            copy = Path(tmp) / f"{name}.yaml"  # an instrument is named by its file
            shutil.copy(path, copy)
            return load_instrument(copy, context=study.context, wave=wave)
    if not _is_revision(repository, ref):
        raise InstrumentError(f"{ref!r} is neither a definition file (.yaml) nor a git revision")
    studies, shared = STUDIES.relative_to(REPOSITORY) / study_id, SHARED.relative_to(REPOSITORY)
    with tempfile.TemporaryDirectory(prefix="toegang-version-") as tmp:
        if not _extract(repository, ref, studies, Path(tmp)) or not (Path(tmp) / studies / "study.yaml").is_file():
            raise InstrumentError(f"revision {ref}: no study folder {studies.as_posix()}/ (a revision from before "
                                  "studies were folders cannot be read)")
        _extract(repository, ref, shared, Path(tmp))
        old, problems = read_study(Path(tmp) / studies, Path(tmp) / shared)
        if old is None or problems:
            raise InstrumentError(f"revision {ref}: " + "\n".join(str(p) for p in problems))
        return old.instrument(name, wave)
