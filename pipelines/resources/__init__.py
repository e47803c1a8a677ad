"""Dagster resources: thin wrappers that hand plain objects to the assets."""
