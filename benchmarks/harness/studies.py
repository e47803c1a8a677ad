"""Study files for runs that need their own surveys and sources."""

from pathlib import Path

import yaml

from instruments.loader import CATALOGUES
from instruments.study import DEMO_STUDY, load_study


def write_study(folder: Path, study_id: str, surveys: list[dict], **extra) -> Path:
    """A study file using the demo catalogue and breakdowns, for tests that need their own surveys and
    sources."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{study_id}.yaml"
    path.write_text(yaml.safe_dump({
        "study_id": study_id, "title": {"nl": study_id, "fr": study_id, "en": study_id},
        "catalogue": str(CATALOGUES / "demo-brussels.yaml"), "breakdowns": load_study(DEMO_STUDY).breakdowns,
        "surveys": surveys, **extra,
    }), encoding="utf-8")
    return folder
