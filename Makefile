# Yurd: the README's commands. Every target installs what it needs first (make setup).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PG_URL ?= postgres://postgres@127.0.0.1:5432/yurd
HOST ?= 127.0.0.1
PORT ?= 8000
HOUSEHOLDS ?= 2000
PYTEST_WORKERS ?= 2

.PHONY: setup demo serve test test-sqlite test-postgres test-browser lint bench messages clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

messages: setup
	@$(BIN)/yurd compiletranslations

demo: setup messages
	$(BIN)/yurd migrate --noinput
	$(BIN)/yurd demo --households $(HOUSEHOLDS)
	$(BIN)/yurd collectstatic --noinput --verbosity 0
	@echo "Serving Yurd on http://$(HOST):$(PORT) with a task worker alongside (Ctrl-C stops both)."
	@trap 'kill 0' EXIT; \
	  DEBUG=true $(BIN)/yurd worker & \
	  DEBUG=true $(BIN)/yurd runserver $(HOST):$(PORT)

test: setup messages test-sqlite test-postgres test-browser

test-sqlite: setup
	@echo "== Test suite on SQLite"
	DATABASE_URL= $(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS) -q

# PostgreSQL runs when reachable; in CI (CI=true) it must be.
test-postgres: setup
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.replace('/yurd','/postgres'), connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== Test suite on PostgreSQL"; \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS) -q; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL at $(PG_URL) is not reachable" >&2; exit 1; \
	else echo "== PostgreSQL not reachable at $(PG_URL): skipping its run (CI runs it)."; fi

test-browser: setup
	@if [ -x /usr/bin/chromium ]; then \
	  echo "== Browser tests (Chromium)"; \
	  DATABASE_URL= YURD_TEST_SQLITE_FILE=true $(BIN)/pytest -m browser -q -p no:xdist; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "(no browser tests collected)"; status=0; fi; \
	  exit $$status; \
	elif [ "$$CI" = "true" ]; then echo "/usr/bin/chromium is missing" >&2; exit 1; \
	else echo "== Chromium not installed (apt-get install chromium): skipping browser tests."; fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check yurd config bench conftest.py manage.py
	$(BIN)/mypy yurd config

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf var test-artifacts .pytest_cache .mypy_cache .ruff_cache
