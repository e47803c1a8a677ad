"""Resource wiring only. Values from the environment are read when a run starts."""

from pipelines.resources.limesurvey import LimeSurveyResource
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource

# Each resource reads its environment variables when a run starts (TOEGANG_*, LIMESURVEY_*), so the
# demo runs without a server and secrets never enter run configuration.
RESOURCES = {"warehouse": WarehouseResource(), "study": StudyResource(), "limesurvey": LimeSurveyResource()}
