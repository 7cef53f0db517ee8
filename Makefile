# SynQ for Jupyter — the two commands of the README:
#   make dev    set everything up and open JupyterLab with SynQ (SQLite, local workers)
#   make test   set everything up and run every check and test
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
STAMP := $(VENV)/.synq-installed
PYTEST_ARGS ?=

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
# npm scripts call jupyter-builder, which lives in the venv.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: dev test setup lint typecheck jstest pytest bench clean

# The venv is rebuilt when the dependency manifests change.
$(STAMP): pyproject.toml package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	npm ci --no-audit --no-fund
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

setup: $(STAMP)

dev: setup
	$(BIN)/jupyter lab $(ROOT_FLAG)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	npm run --silent lint

typecheck: setup
	$(BIN)/mypy
	MYPYPATH=bench $(BIN)/mypy bench  # the benchmarks are not run by the tests: keep them honest
	npm run --silent typecheck

jstest: setup
	npm run --silent test:unit

pytest: setup
	bash .ci/ensure-system
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck jstest pytest

bench: setup
	$(BIN)/python bench/transpile_overhead.py
	$(BIN)/python bench/job_overhead.py
	$(BIN)/python bench/submit_throughput.py
	$(BIN)/python bench/execution_overhead.py
	$(BIN)/python bench/vqe_h2.py
	$(BIN)/python bench/qaoa_ratios.py
	$(BIN)/python bench/qnn_vs_svc.py
	$(BIN)/python bench/transpile_strategy.py

clean:
	rm -rf $(VENV) node_modules synq_jupyter/labextension labextension/lib
