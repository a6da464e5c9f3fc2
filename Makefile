# jobledger: the one entry point. Every target builds what it needs from nothing,
# and stamp files keep a repeated call fast.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
VENDOR := src/jobledger/core/static/vendor
ASSETS_STAMP := $(VENDOR)/.copied
LINT_PATHS := src tests bench

# Tests run tasks inline; the SQLite run ignores any DATABASE_URL set in the shell.
TEST_ENV := TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend
PYTEST := $(BIN)/pytest -n 2

.PHONY: help run test lint fmt bench assets clean

help:
	@echo "make run     serve jobledger with the demo company on http://127.0.0.1:$${PORT:-8000}/"
	@echo "make test    lint, then the test suite on SQLite and on PostgreSQL"
	@echo "make lint    ruff, ruff format --check, mypy, makemigrations --check"
	@echo "make fmt     format and auto-fix"
	@echo "make bench   run the benchmarks in bench/"
	@echo "make assets  fetch the front-end assets into $(VENDOR)/"
	@echo "make clean   remove .venv, node_modules, copied assets and caches (keeps var/)"

run: $(PY_STAMP) $(ASSETS_STAMP)
	scripts/run.sh

test: lint $(ASSETS_STAMP)
	scripts/ensure-debian-packages.sh postgresql chromium
	@echo "== tests on SQLite"
	env -u DATABASE_URL $(TEST_ENV) $(PYTEST)
	@echo "== tests on PostgreSQL"
	scripts/with-postgres.sh env $(TEST_ENV) $(PYTEST)

lint: $(PY_STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy
	$(BIN)/jobledger makemigrations --check --dry-run

fmt: $(PY_STAMP)
	$(BIN)/ruff format $(LINT_PATHS)
	$(BIN)/ruff check --fix $(LINT_PATHS)

bench: $(PY_STAMP)
	@if [ -f bench/run.py ]; then $(BIN)/python bench/run.py; \
	else echo "No benchmarks yet (bench/run.py is missing)."; fi
	$(BIN)/python bench/exports.py
	$(BIN)/python bench/ubl.py
	env -u DATABASE_URL $(BIN)/python bench/backlog.py
	scripts/with-postgres.sh $(BIN)/python bench/backlog.py
	scripts/ensure-debian-packages.sh wkhtmltopdf
	$(BIN)/python bench/documents.py

assets: $(ASSETS_STAMP)

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var/staticfiles \
		.pytest_cache .mypy_cache .ruff_cache .hypothesis build dist src/*.egg-info
	find src tests bench -name __pycache__ -type d -prune -exec rm -rf {} +

$(BIN)/python:
	python3 -m venv $(VENV)

# Reinstall only when the dependencies may have changed.
$(PY_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check --quiet -e '.[dev]'
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The pages load these from /static/vendor/; the folder is git-ignored and rebuilt here.
$(ASSETS_STAMP): $(NPM_STAMP) Makefile
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/htmx $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons $(VENDOR)/chart.js
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/bootstrap/dist/css/bootstrap.min.css* $(VENDOR)/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* $(VENDOR)/bootstrap/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css \
		node_modules/bootstrap-icons/font/fonts $(VENDOR)/bootstrap-icons/
	cp node_modules/chart.js/dist/chart.umd.min.js* $(VENDOR)/chart.js/
	touch $@
