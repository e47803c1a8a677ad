"""Runs are partitioned by survey wave; the keys are the waves of the configured studies."""

import dagster as dg

from instruments.study import all_waves

wave_partitions = dg.StaticPartitionsDefinition(all_waves())
