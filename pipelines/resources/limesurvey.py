"""The LimeSurvey resource: where the server is and how to reach it, read from the environment when a connection
opens; the connection itself is ``pipelines.limesurvey.LimeSurveyConnection``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
from pydantic import Field

from pipelines.limesurvey import LimeSurveyConnection, LimeSurveyError


class LimeSurveyResource(dg.ConfigurableResource):
    """A LimeSurvey server's RemoteControl 2 API.

    Environment, read when a connection opens (never at import, never stored in run configuration):
    ``LIMESURVEY_URL`` (the endpoint, e.g. https://survey.example.org/index.php/admin/remotecontrol),
    ``LIMESURVEY_USERNAME``, ``LIMESURVEY_PASSWORD``. Read lazily so that runs on export files (the
    demo) need no server; a run that needs the server and lacks them fails naming the variable.
    """

    url: str | None = None
    username: str | None = None
    password: str | None = Field(default=None, repr=False)
    timeout_seconds: float = 120.0
    retries: int = 3
    backoff_seconds: float = 1.0
    page_size: int = Field(default=5000, description="Response ids per export call: LimeSurvey builds "
                           "each export whole in server memory.")

    def credentials(self) -> LimeSurveyResource:
        """This resource with every unset field taken from the environment."""
        values = {}
        for field_name, variable in (("url", "LIMESURVEY_URL"), ("username", "LIMESURVEY_USERNAME"),
                                     ("password", "LIMESURVEY_PASSWORD")):
            value = getattr(self, field_name) or os.environ.get(variable)
            if not value:
                raise LimeSurveyError("connect", None, f"{variable} is not set")
            values[field_name] = value
        return self.model_copy(update=values)

    @contextmanager
    def open(self) -> Iterator[LimeSurveyConnection]:
        connection = LimeSurveyConnection(self.credentials())
        try:
            yield connection
        finally:
            connection.close()
