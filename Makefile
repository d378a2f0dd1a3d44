# Two commands set everything up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
# Use the machine's python3; never download a Python.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3
export UV_PROJECT_ENVIRONMENT := .venv
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
BIN := .venv/bin
DEMO_ADDRESS ?= 127.0.0.1:8000

.PHONY: help install install-test demo test test-sqlite test-postgres lint format

help:
	@echo "make demo   install, migrate, load the demo partnership and serve it on http://127.0.0.1:8000"
	@echo "make test   install what the tests need and run the whole suite on SQLite and PostgreSQL"

# Bootstrap uv from PyPI when the machine has none.
.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

install: $(UV)
	$(UV) sync --frozen --no-dev --inexact

install-test: $(UV)
	$(UV) sync --frozen
	scripts/install-system-packages

demo: install
	$(BIN)/saferhub migrate --noinput
	$(BIN)/saferhub demo --address $(DEMO_ADDRESS)
	scripts/serve-demo $(DEMO_ADDRESS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test-sqlite: install-test
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: install-test
	@echo "== Test suite on PostgreSQL =="
	scripts/with-throwaway-postgres $(BIN)/pytest

test: lint test-sqlite test-postgres

# Benchmarks and the load test: never in CI (a benchmark is not a test), each on a throwaway
# PostgreSQL. BENCH_ARGS / LOAD_ARGS pass options on, e.g.
#   make bench BENCH_ARGS="--scale city"    make load LOAD_ARGS="--quick --scale city"
.PHONY: install-bench bench load

install-bench: $(UV)
	$(UV) sync --frozen --group bench
	scripts/install-system-packages

# Every script under bench/ on the region data set, then one table; non-zero if a target is missed.
bench: install-bench
	scripts/with-throwaway-postgres $(BIN)/python bench/suite.py $(BENCH_ARGS)

# The production configuration under locust: 5 minutes at 50 users, a 30-minute soak at 20.
load: install-bench
	scripts/with-throwaway-postgres $(BIN)/python bench/load/run.py $(LOAD_ARGS)
