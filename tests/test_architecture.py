"""Dependencies point one way: pipelines -> (warehouse, analyses, dashboards, instruments); only pipelines
imports Dagster, and its stages (``pipelines/stages``) never do, even indirectly. The stages hold the work, the
asset modules only call them, and the benchmarks measure the package, not the tests."""

import ast
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PROJECT = {"instruments", "pipelines", "warehouse", "analyses", "dashboards"}
ALLOWED = {
    "instruments": {"instruments"},
    "warehouse": {"warehouse", "instruments"},
    "analyses": {"analyses"},
    "dashboards": {"dashboards"},
}
# The shared domain words (languages, dimensions, breakdowns): the one module every layer may read.
VOCABULARY = "instruments.vocabulary"
ASSET_MODULES = {p.stem for p in (ROOT / "pipelines" / "defs").glob("*.py") if "@dg.asset" in p.read_text("utf-8")}


def _imports(package: str) -> dict[str, set[str]]:
    """Top-level package imported -> files importing it; a module name counts under its package."""
    found: dict[str, set[str]] = {}
    for path, name in _modules(package):
        found.setdefault(name.split(".")[0], set()).add(path)
    return found


def _modules(folder: str) -> list[tuple[str, str]]:
    """(file, imported module) for every absolute import under ``folder``."""
    pairs = []
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            pairs += [(str(path.relative_to(ROOT)), name) for name in names]
    return pairs


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_layers_import_only_downstream(package):
    imports = _imports(package)
    assert "dagster" not in imports, imports.get("dagster")
    wrong = {(path, name) for path, name in _modules(package)
             if name.split(".")[0] in PROJECT and name.split(".")[0] not in ALLOWED[package] and name != VOCABULARY}
    assert not wrong


def test_the_check_sees_imports():
    assert "dagster" in _imports("pipelines")
    assert ("pipelines/defs/ingest.py", "pipelines.stages.ingest") in _modules("pipelines/defs")
    assert {"ingest", "weight", "indicators", "publish"} <= ASSET_MODULES


def test_stages_run_without_dagster():
    """Not even through another module: importing every stage loads neither Dagster nor the asset modules."""
    stages = sorted(p.stem for p in (ROOT / "pipelines" / "stages").glob("*.py") if p.stem != "__init__")
    code = ("import sys\n" + "".join(f"import pipelines.stages.{s}\n" for s in stages) +
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'dagster' or m.startswith('pipelines.defs')"
            " or m.startswith('pipelines.resources'))[:5])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]" and len(stages) >= 7


def test_the_analyses_load_no_plotting_library():
    """``import analyses`` and every name it offers load neither a plotting library nor pingouin (which pulls in
    matplotlib) until a test that needs pingouin runs: a script that only rakes starts in a fraction of the time."""
    code = ("import sys\nimport analyses\nfor name in analyses.__all__:\n    getattr(analyses, name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('matplotlib', 'seaborn', 'pingouin', 'plotly', 'dagster')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"
    # The check sees them: computing an alpha loads pingouin and its matplotlib.
    used = code.replace("print(", "analyses.cronbach_alpha(__import__('pandas').DataFrame({'a': [1, 2, 3], "
                                  "'b': [1, 3, 2]}))\nprint(")
    result = subprocess.run([sys.executable, "-c", used], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "'matplotlib'" in result.stdout and "'pingouin'" in result.stdout, result.stdout + result.stderr[-500:]


def test_building_the_definitions_loads_no_stage():
    """The asset modules import their stage inside the asset: ``import pipelines.definitions`` (every command, the
    Dagster UI) loads no stage, hence neither the statistics nor the site builder."""
    code = ("import sys\nimport pipelines.definitions\nprint(sorted(m for m in sys.modules if m.startswith("
            "('pipelines.stages', 'analyses.', 'dashboards.', 'scipy.stats', 'pingouin', 'plotly'))))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


def test_asset_modules_import_no_other_asset_module():
    wrong = {(path, name) for path, name in _modules("pipelines/defs")
             if path.rsplit("/", 1)[1][:-3] in ASSET_MODULES and name.startswith("pipelines.defs.")
             and name.rsplit(".", 1)[1] in ASSET_MODULES}
    assert not wrong  # dependencies between assets are asset keys, not imports


def test_benchmarks_import_no_test_module():
    assert not {(path, name) for path, name in _modules("benchmarks") if name.split(".")[0] == "tests"}
