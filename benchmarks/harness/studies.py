"""Study folders for runs that need their own surveys and sources."""

import shutil
from pathlib import Path

import yaml

from instruments.study import DEMO_STUDY, STUDIES, STUDY_FILE

DEMO = STUDIES / DEMO_STUDY
# What a study folder takes from the demo as it is: its questionnaires, subject lists, indicators and rules.
COPIED = ("instruments", "subjects.yaml", "indicators.yaml", "publication.yaml")
# The blocks of the demo's study.yaml a written study keeps: shared imports, instruments and roles, the
# dimension framework and the breakdowns.
KEPT = ("shared", "instruments", "dimensions", "breakdowns")


def write_study(folder: Path, study_id: str, surveys: list[dict], **extra) -> Path:
    """The study folder ``folder/<study_id>/`` using the demo's questionnaires, subject lists, indicators,
    publication rules and breakdowns, with its own ``surveys`` (export and margins paths relative to that
    folder, or absolute) and any other study.yaml keys in ``extra``; returns ``folder`` (the studies folder)."""
    study = folder / study_id
    study.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source, target = DEMO / name, study / name
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy(source, target)
    demo = yaml.safe_load((DEMO / STUDY_FILE).read_text(encoding="utf-8"))
    for breakdown in demo.get("breakdowns", {}).values():  # the files its breakdowns name (a map's areas)
        if isinstance(breakdown, dict) and breakdown.get("geojson"):
            shutil.copy(DEMO / breakdown["geojson"], study / breakdown["geojson"])
    (study / STUDY_FILE).write_text(yaml.safe_dump({
        "study_id": study_id, "title": {"nl": study_id, "fr": study_id, "en": study_id},
        **{key: demo[key] for key in KEPT}, "surveys": surveys, **extra,
    }, allow_unicode=True), encoding="utf-8")
    return folder


SECOND_STUDY = "support-models"
# A second kind of study, written only as configuration (client and worker instruments, a subject list of support
# models, one wave): the study runs side by side with the demo in the overlapping-runs scenario.
SECOND_FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "studies" / SECOND_STUDY


def second_study(folder: Path, responses: int = 60, seed: int = 7) -> Path:
    """The second study copied into ``folder/<study>/`` with generated responses (``instruments.generate``);
    returns ``folder`` (a studies folder, for ``TOEGANG_STUDIES`` or ``studies_dir``)."""
    from instruments.generate import write_study as generate
    from instruments.study import load_study

    shutil.copytree(SECOND_FIXTURE, folder / SECOND_STUDY)
    generate(load_study(SECOND_STUDY, folder), responses=responses, seed=seed)
    return folder
