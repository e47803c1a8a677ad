# The set-up contract: on a machine with only python3, `make demo` and `make test` install what they
# need into .venv from the committed lock (uv.lock) and run.
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STAMP := $(VENV)/.synced
# uv ships its own certificate list; use the system's, as pip does, so TLS-inspecting networks work too.
export UV_SYSTEM_CERTS ?= 1
# Bytecode: a command imports pandas and Dagster from it, never from source (where PYTHONDONTWRITEBYTECODE is set,
# every process would compile them again: `import pipelines.definitions` 2 s, not 6-10). The install writes it for
# what the project's modules import (1,600 modules, 13 s) rather than for all 11,000 of .venv (uv's
# UV_COMPILE_BYTECODE, 45-70 s); under make, Python writes the rest on first import (the tests' own libraries).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test dev bench reliability lock clean serve

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

# Re-sync whenever the lock or the project metadata change.
$(STAMP): $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python $(PYTHON)
	TOEGANG_STUDIES= $(VENV)/bin/python -c 'import importlib, pkgutil; packages = ("instruments", "warehouse", \
	  "analyses", "dashboards", "pipelines"); [importlib.import_module(m.name) for p in packages \
	  for m in pkgutil.walk_packages(importlib.import_module(p).__path__, p + ".")]'
	@touch $(STAMP)

# The dashboard tests and benchmark drive Debian's chromium (Playwright's own browser download is not used).
# benchmarks/harness/browser.py installs it the same way when pytest runs on its own.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

demo: $(STAMP)
	$(VENV)/bin/toegang demo

# Three workers (TEST_WORKERS), each running whole files: a module's fixtures (a pipeline run) are made once. On 2
# cores a third worker fills the time the others wait on subprocesses, locks and the browser (with two, the CPUs
# were busy two thirds of the time): 909 → 786 s on the same checkout.
test: $(STAMP) $(CHROMIUM)
	$(VENV)/bin/python -m pytest -n $${TEST_WORKERS:-3} --dist loadfile --no-loadscope-reorder

# Reads [tool.dagster] in pyproject.toml: code location "toegang". Stop it with Ctrl-C.
dev: $(STAMP)
	@$(VENV)/bin/python -m pipelines.runner "$${DAGSTER_HOME:-$(CURDIR)/.dagster}" >/dev/null  # dagster.yaml: pools, no telemetry
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/.dagster} $(VENV)/bin/dagster dev -h 127.0.0.1 -p $${DAGSTER_PORT:-3000}

bench: $(STAMP) $(CHROMIUM)
	$(UV) sync --frozen --python $(PYTHON) --group bench
	$(VENV)/bin/python -m benchmarks
	@$(UV) sync --frozen --python $(PYTHON)  # back to the exact test environment
	$(VENV)/bin/python -m benchmarks.reliability

# The reliability suite at full size (>= 10,000 generated bad inputs, >= 20 SIGKILLs): a table in benchmarks/results.
reliability: $(STAMP)
	$(VENV)/bin/python -m benchmarks.reliability

# The demo's dashboard on http://127.0.0.1:8000/ (PORT to change it); Ctrl-C stops it.
serve: $(STAMP)
	$(VENV)/bin/toegang serve --port $${PORT:-8000}

lock: $(UV)
	$(UV) lock

clean:
	rm -rf data site .site-* build .dagster
