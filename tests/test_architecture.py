"""Dependencies point one way: pipelines -> (warehouse, analyses, dashboards, instruments); only
pipelines imports Dagster."""

import ast

import pytest

from tests.conftest import ROOT

PROJECT = {"instruments", "pipelines", "warehouse", "analyses", "dashboards"}
ALLOWED = {
    "instruments": {"instruments"},
    "warehouse": {"warehouse", "instruments"},
    "analyses": {"analyses"},
    "dashboards": {"dashboards"},
}


def _imports(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_layers_import_only_downstream(package):
    imports = _imports(package)
    assert "dagster" not in imports, imports.get("dagster")
    wrong = {name: files for name, files in imports.items() if name in PROJECT and name not in ALLOWED[package]}
    assert not wrong


def test_the_check_sees_imports():
    assert "dagster" in _imports("pipelines")
