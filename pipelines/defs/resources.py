"""Resource wiring only. Values from the environment are read when a run starts."""

from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource

RESOURCES = {"warehouse": WarehouseResource(), "study": StudyResource()}
