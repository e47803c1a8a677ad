"""Quoting for the names and the few values that cannot be query parameters.

Names that come from data (question codes, file names) are quoted as identifiers; values go in as
parameters wherever DuckDB takes them, and as escaped literals only where it does not (views, ATTACH).
"""


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
