"""The one Dagster entry point: every study of the studies folder (``TOEGANG_STUDIES``, default
``instruments/studies``) side by side, each with its own assets, wave partitions, pool, ingest job, schedules and
sensors (``pipelines/defs/study.py``), read when the code location loads."""

from pipelines.defs.study import build_definitions

defs = build_definitions()
