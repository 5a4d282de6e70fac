# The README's two commands are `make run` and `make test`; .ci/run calls `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin

.PHONY: install run migrate test lint typecheck layers pytest bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

## Run the bot (long polling; migrates the database at start). Needs BOT_TOKEN (env or .env).
run: install
	$(PY) -m bot run

migrate: install
	$(PY) -m bot migrate

## Everything CI checks: lint, format, types, layer contracts, then all four test tiers.
test: install lint typecheck layers pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

layers:
	$(BIN)/lint-imports

# Two workers by default: CI has two cores, and every test session makes its own database.
# worksteal: a worker that runs out takes half of the other's queue (the tests start slowest
# tier first, see tests/conftest.py), so the run does not end waiting on one long tail.
PYTEST_WORKERS ?= 2

pytest:
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal --durations=10

bench: install
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV)
