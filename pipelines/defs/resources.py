"""Resource wiring only. Values from the environment are read when a run starts."""

from pathlib import Path

from pipelines.resources.limesurvey import LimeSurveyResource
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource


def resources(studies_dir: Path | str | None = None) -> dict:
    """Each resource reads its environment variables when a run starts (TOEGANG_*, LIMESURVEY_*), so the demo
    runs without a server and secrets never enter run configuration."""
    return {"warehouse": WarehouseResource(),
            "study": StudyResource(studies_dir=str(studies_dir) if studies_dir is not None else None),
            "limesurvey": LimeSurveyResource()}


RESOURCES = resources()
