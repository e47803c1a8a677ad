"""DuckDB warehouse: the append-only raw layer, typed clean tables and published tables."""
