"""The LimeSurvey resource: where the server is and how to reach it, read from the environment when a connection
opens; the connection itself is ``pipelines.limesurvey.LimeSurveyConnection``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
from pydantic import Field

from pipelines.limesurvey import (BACKOFF_SECONDS, PAGE_SIZE, RETRIES, TIMEOUT_SECONDS, LimeSurveyConnection,
                                 ServerSettings)


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
    timeout_seconds: float = TIMEOUT_SECONDS
    retries: int = RETRIES
    backoff_seconds: float = BACKOFF_SECONDS
    page_size: int = Field(default=PAGE_SIZE, description="Response ids per export call: LimeSurvey builds "
                           "each export whole in server memory.")

    def settings(self) -> ServerSettings:
        """These settings, every unset one of url, username and password from the environment."""
        return ServerSettings.from_environment(**self.model_dump())

    @contextmanager
    def open(self) -> Iterator[LimeSurveyConnection]:
        with self.settings().open() as connection:
            yield connection
