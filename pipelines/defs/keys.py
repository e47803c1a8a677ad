"""A study's place in the Dagster definitions: its asset keys, wave partitions, pool and groups.

Every study gets its own asset graph (``pipelines/defs/study.py`` builds it from the asset modules' factories):
keys prefixed with the study (``demo_brussels/raw_responses``), partitions of its own waves only (a wave key of
another study is refused), and a pool of its own (``toegang_<study>``), which ``dagster.yaml`` limits to one
run: one writer per study's DuckDB files, while two studies run at the same time. An asset module names what it
depends on by key from here, never by importing another asset module (tests/test_architecture.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import dagster as dg

from instruments.study import Study

STUDY_TAG = "toegang/study"  # every run of a study carries its id in this tag
INGEST_GROUP = "ingest"  # the stage ``toegang ingest`` materialises


def dagster_name(study_id: str) -> str:
    """The study id as a Dagster name (letters, digits and ``_``): ``demo-brussels`` -> ``demo_brussels``."""
    return re.sub(r"[^A-Za-z0-9_]", "_", study_id)


@dataclass(frozen=True)
class StudyGraph:
    """What the asset factories need to know of a study when the definitions are built: its id, its waves (the
    partition keys) and its instruments (one clean asset each), and the studies folder it was read from. The
    assets load the study itself when they run."""

    study_id: str
    waves: tuple[str, ...]
    instruments: tuple[str, ...]
    studies_dir: str | None = None
    panels: tuple[str, ...] = ()  # its panel instruments: the panel asset follows their persons across waves

    @classmethod
    def of(cls, study: Study, studies_dir: Path | str | None = None) -> StudyGraph:
        return cls(study.study_id, tuple(study.waves), tuple(study.instrument_names),
                   str(studies_dir) if studies_dir is not None else None,
                   tuple(role.name for role in study.instruments if role.panel))

    @property
    def prefix(self) -> str:
        """The key prefix, and the start of every name (jobs, groups, pools) the study's definitions hold."""
        return dagster_name(self.study_id)

    def key(self, name: str) -> dg.AssetKey:
        return dg.AssetKey([self.prefix, name])

    def op_name(self, name: str) -> str:
        """The op of an asset, as run configuration names it (``ops: {<op_name>: {config: ...}}``)."""
        return self.key(name).to_python_identifier()

    def clean_key(self, instrument: str) -> dg.AssetKey:
        """The clean asset of an instrument: ``<study>/clean_<instrument>_responses``."""
        return self.key(f"clean_{instrument}_responses")

    @property
    def clean_keys(self) -> list[dg.AssetKey]:
        """One clean asset per instrument the study declares."""
        return [self.clean_key(name) for name in self.instruments]

    @cached_property
    def partitions(self) -> dg.StaticPartitionsDefinition:
        """The study's waves: a run of another study's wave is refused."""
        return dg.StaticPartitionsDefinition(list(self.waves))

    @property
    def pool(self) -> str:
        """Every asset that writes the study's DuckDB files takes this pool; ``dagster.yaml`` limits each pool to
        one run (``pipelines/runner.py``)."""
        return f"toegang_{self.prefix}"

    def group(self, stage: str) -> str:
        """The asset group of a stage of the study: ``demo_brussels_ingest``."""
        return f"{self.prefix}_{stage}"

    @property
    def tags(self) -> dict[str, str]:
        return {STUDY_TAG: self.study_id}

    @property
    def ingest_job_name(self) -> str:
        return f"{self.prefix}_ingest_job"


def run_wave(context: dg.AssetCheckExecutionContext) -> str | None:
    """The wave a check's run materialises (its partition), or None when it runs on its own: a check on a
    partitioned asset judges that wave only, so an old wave's state never blocks a new one's run."""
    return context.run.tags.get("dagster/partition")
