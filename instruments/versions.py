"""Load an instrument as it was: from a definition file, or from a git revision of this repository."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from instruments.loader import CATALOGUES, DEFINITIONS, load_instrument, load_service_catalogue
from instruments.model import Instrument, InstrumentError

REPOSITORY = Path(__file__).resolve().parents[1]


def _git(repository: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repository), *args], capture_output=True, timeout=60)


def _is_revision(repository: Path, ref: str) -> bool:
    if ref.startswith("-"):  # never let a revision be read as an option
        return False
    return _git(repository, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode == 0


def _from_revision(repository: Path, ref: str, relative: str, target: Path) -> bool:
    shown = _git(repository, "show", f"{ref}:{relative}")
    if shown.returncode != 0:
        return False
    target.write_bytes(shown.stdout)
    return True


def load_version(ref: str, name: str, study_id: str, wave: str, repository: Path = REPOSITORY) -> Instrument:
    """``ref`` is a definition file (YAML) or a git revision (tag, branch, commit) of ``repository``."""
    with tempfile.TemporaryDirectory(prefix="toegang-version-") as tmp:
        folder = Path(tmp)
        definitions = folder / "definitions"
        definitions.mkdir()
        catalogue = folder / "catalogue.yaml"
        path = Path(ref)
        if path.suffix in (".yaml", ".yml") and path.is_file():
            shutil.copy(path, definitions / f"{name}.yaml")
            scales = path.parent / "scales.yaml"
            shutil.copy(scales if scales.is_file() else DEFINITIONS / "scales.yaml", definitions / "scales.yaml")
            shutil.copy(CATALOGUES / f"{study_id}.yaml", catalogue)
        elif _is_revision(repository, ref):
            root = DEFINITIONS.relative_to(REPOSITORY).as_posix()
            for file in (f"{name}.yaml", "scales.yaml"):
                if not _from_revision(repository, ref, f"{root}/{file}", definitions / file):
                    raise InstrumentError(f"revision {ref}: no {root}/{file}")
            catalogues = CATALOGUES.relative_to(REPOSITORY).as_posix()
            if not _from_revision(repository, ref, f"{catalogues}/{study_id}.yaml", catalogue):
                shutil.copy(CATALOGUES / f"{study_id}.yaml", catalogue)
        else:
            raise InstrumentError(f"{ref!r} is neither a definition file (.yaml) nor a git revision")
        return load_instrument(name, catalogue=load_service_catalogue(catalogue), wave=wave, definitions=definitions)
