"""What an in-process run (``toegang run``, ``toegang ingest``) prints, and how a refused run explains itself.

Dagster's own console logger prints every failure with its stack trace (tens of lines per failed step, twice: the
step and the run). The command line prints the stages' own lines instead, and after a refused run the finding of
each failed blocking check (``ChecksFailed``), read from the run's events; ``--debug`` restores Dagster's logger.
The run's events, tracebacks included, stay in the Dagster instance either way.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass

import dagster as dg

# Metadata a check may add for the command line: the one command that helps next.
NEXT = "next"


@dg.logger(config_schema={"log_level": dg.Field(str, is_required=False, default_value="INFO"),
                          "name": dg.Field(str, is_required=False, default_value="toegang")},
           description="The stages' own messages, one line each; no framework events, no stack traces.")
def stage_lines(init_context: dg.InitLoggerContext) -> logging.Logger:
    config = init_context.logger_config
    log = logging.Logger(config["name"], level=logging.getLevelName(config["log_level"].upper()))
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_stage_message)
    handler.setFormatter(logging.Formatter("  %(message)s"))
    log.addHandler(handler)
    return log


def _stage_message(record: logging.LogRecord) -> bool:
    """Keep a stage's own message (``context.log``), without Dagster's prefix; drop the framework's events."""
    meta = getattr(record, "dagster_meta", None)
    if meta is None:
        return True
    if meta.get("dagster_event") is not None:
        return False
    record.msg, record.args = meta.get("orig_message", record.msg), ()
    return True


def run_loggers(debug: bool) -> dict:
    """The loggers of an in-process run, under the name run configuration uses (``console``)."""
    return {"console": dg.colored_console_logger if debug else stage_lines}


@dataclass(frozen=True)
class CheckFailure:
    check: str
    asset: str
    wave: str | None
    description: str
    details: dict
    next: str | None

    def lines(self) -> list[str]:
        where = f"{self.asset}" + (f", wave {self.wave}" if self.wave else "")
        lines = [f"check {self.check} failed ({where})"]
        lines += [f"  {line}" for line in (self.description or "").split("\n") if line]
        if not self.description:  # the check's findings in words, else its metadata
            lines += [f"  {key}: {_short(value)}" for key, value in self.details.items()]
        if self.next:
            lines.append(f"  next: {self.next}")
        return lines


class ChecksFailed(RuntimeError):
    """A run stopped by its blocking checks: what each one found."""

    def __init__(self, failures: list[CheckFailure]):
        self.failures = failures
        text = "\n".join(line for failure in failures for line in failure.lines())
        super().__init__(f"refused by {len(failures)} blocking check(s):\n{text}")


def _short(value, limit: int = 300) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit] + " ..."


def failed_checks(instance: dg.DagsterInstance, run_id: str) -> list[CheckFailure]:
    """The run's failed checks of ERROR severity, from its event log."""
    failures = []
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    tags = instance.get_run_by_id(run_id).tags
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        if evaluation.passed or evaluation.severity != dg.AssetCheckSeverity.ERROR:
            continue
        metadata = {key: getattr(value, "value", value) for key, value in (evaluation.metadata or {}).items()}
        suggestion = metadata.pop(NEXT, None)
        details = {key: value for key, value in metadata.items() if value not in (None, [], {}, "")}
        failures.append(CheckFailure(
            check=evaluation.check_name, asset=evaluation.asset_key.to_user_string(),
            wave=evaluation.partition or tags.get("dagster/partition"),
            description=evaluation.description or "", details=details, next=suggestion))
    return failures
