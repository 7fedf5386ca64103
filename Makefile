# Yurd: the README's commands. Every target installs what it needs first (make setup).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements/requirements.lock
# Named by the content of the lock and the package's metadata: reinstalled when either
# changes, and not when a checkout only touches them.
STAMP := $(VENV)/.installed-$(shell cat $(LOCK) pyproject.toml | sha1sum | cut -c1-12)
UV_LOCKED := $(shell sed -n 's/^uv==\([^ ]*\).*/\1/p' $(LOCK))
PG_URL ?= postgres://postgres@127.0.0.1:5432/yurd
HOST ?= 127.0.0.1
PORT ?= 8000
HOUSEHOLDS ?= 2000
PYTEST_WORKERS ?= 2
# axe-core for the browser tests' accessibility check, exactly as tests/js/package-lock.json
# pins it (npm ci checks its hash); reinstalled when the lock changes.
AXE_STAMP := tests/js/node_modules/.installed-$(shell sha1sum tests/js/package-lock.json | cut -c1-12)

# uv reads no pip.conf: it follows pip's index (a mirror, where one is configured)
# unless UV_DEFAULT_INDEX is set. Expanded only in the recipes that call uv.
PIP_INDEX_URL ?= $(shell $(PYTHON) -m pip config get global.index-url 2>/dev/null)
UV = $(if $(strip $(PIP_INDEX_URL)),UV_DEFAULT_INDEX="$${UV_DEFAULT_INDEX:-$(PIP_INDEX_URL)}" )$(BIN)/uv
UV_COMPILE = $(UV) pip compile --quiet --generate-hashes --python-version 3.11 --python-platform linux \
	--extra dev pyproject.toml requirements/tools.in -o $(LOCK)

.PHONY: setup system-packages demo serve test test-sqlite test-postgres test-browser lint bench messages clean \
	lock outdated

setup: system-packages $(STAMP) $(AXE_STAMP)

# Debian libraries and programs (scripts/system-packages lists them): installed as root, else named.
system-packages:
	@PYTHON=$(PYTHON) scripts/system-packages

# The virtualenv holds exactly the lock, every file checked against its hash: pip bootstraps
# uv from uv's own hashed line, then uv syncs the rest (pip needed minutes for the same).
$(STAMP): | system-packages
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@[ "$$($(BIN)/uv --version 2>/dev/null | cut -d' ' -f2)" = "$(UV_LOCKED)" ] || $(BIN)/python -m pip install --quiet \
	  --require-hashes --no-deps -r <(awk '/^uv==/ { keep = 1; print; next } /^[^ ]/ { keep = 0 } keep' $(LOCK))
	$(UV) pip sync --quiet --require-hashes --python $(BIN)/python $(LOCK)
	$(UV) pip install --quiet --no-deps --no-build-isolation --python $(BIN)/python -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

$(AXE_STAMP): | system-packages
	@if command -v npm >/dev/null; then \
	  npm ci --prefix tests/js --no-audit --no-fund --loglevel=error && rm -f tests/js/node_modules/.installed-* && touch $@; \
	else echo "npm is missing: the browser tests' accessibility check will be skipped (apt-get install npm)."; fi

# Refresh the lock after changing pyproject.toml: pins stay where the ranges allow.
# `make lock UPGRADE=1` moves every package to its newest allowed release (then run make test).
lock: setup
	$(UV_COMPILE) $(if $(UPGRADE),--upgrade)

# Newer releases than the lock has (some may lie outside pyproject.toml's ranges).
outdated: setup
	@$(UV) pip list --outdated --python $(BIN)/python

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

# The browser tests mostly wait on pages (about 0.6 of a core), so they run beside the
# PostgreSQL suite instead of after it; their output follows that suite's.
test: setup messages test-sqlite
	@mkdir -p test-artifacts
	@$(MAKE) --no-print-directory test-browser > test-artifacts/browser.log 2>&1 & browser=$$!; \
	  $(MAKE) --no-print-directory test-postgres; postgres=$$?; \
	  wait $$browser; browser=$$?; \
	  cat test-artifacts/browser.log; \
	  [ $$postgres -eq 0 ] && [ $$browser -eq 0 ]

test-sqlite: setup
	@echo "== Test suite on SQLite"
	DATABASE_URL= $(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS) --dist loadgroup -q

# PostgreSQL runs when reachable; in CI (CI=true) it must be.
test-postgres: setup
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.replace('/yurd','/postgres'), connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== Test suite on PostgreSQL"; \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS) --dist loadgroup -q; \
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
	$(BIN)/mypy yurd config conftest.py
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf var test-artifacts .pytest_cache .mypy_cache .ruff_cache tests/js/node_modules .import_linter_cache
