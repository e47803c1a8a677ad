"""The pipeline's stages, without Dagster: each takes the study, a warehouse connection or folder and a wave,
does its work and returns what it did (the assets' metadata). The Dagster assets (``pipelines/defs``), the
CLI and the benchmarks all call these, so there is one implementation of each stage."""
