# Two commands: `make run` serves the site, `make test` runs the whole suite.
# Everything else here is what those two need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test install install-dev migrate load check clean static system-deps

help:
	@echo "make run    set up .venv, migrate, load the briefings and serve http://$(HOST):$(PORT) (SQLite)"
	@echo "make test   run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)"

# The front end: GOV.UK Frontend and sass from npm (package-lock.json), built
# into static/build/. Stamp files keep a second run instant; the build is an
# order-only prerequisite of the Python environment so that run, test and CI
# (install-dev, then collectstatic) always have it.
NPM ?= npm
FRONTEND_SOURCES := $(wildcard frontend/*)

# System packages the build needs: gcc and libpq's headers (psycopg2 builds
# from source), Python's venv module, Node.js and npm (the front end). On a
# Debian or Ubuntu machine, run as root, whatever is missing is installed with
# apt-get; otherwise the message says what to install.
system-deps:
	@missing=""; \
	command -v gcc >/dev/null || missing="$$missing gcc"; \
	command -v pg_config >/dev/null || missing="$$missing libpq-dev"; \
	$(PYTHON) -c "import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))" 2>/dev/null || missing="$$missing python3-dev"; \
	$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	command -v $(NPM) >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing the system packages the build needs:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Install these system packages first, then run make again:$$missing"; \
	    echo "  (Debian/Ubuntu: sudo apt-get install$$missing)"; \
	    exit 1; \
	  fi; \
	fi; \
	$(PYTHON) -c "import sys; sys.exit(sys.version_info < (3, 11))" || { \
	  echo "Python 3.11 or later is needed; $(PYTHON) is $$($(PYTHON) --version 2>&1). Run: make run PYTHON=python3.12 (or another)"; exit 1; }; \
	node -e "process.exit(Number(process.versions.node.split('.')[0]) >= 20 ? 0 : 1)" || { \
	  echo "Node.js 20 or later is needed to build the front end; this machine has $$(node --version)."; \
	  echo "  Install it from https://nodejs.org/ or your distribution's backports, then run make again."; exit 1; }

node_modules/.installed: package.json package-lock.json | system-deps
	$(NPM) ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

static/build/.built: node_modules/.installed $(FRONTEND_SOURCES)
	node frontend/build.mjs
	touch $@

static: static/build/.built

$(VENV)/.runtime: requirements.txt | system-deps static
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

migrate: install
	$(PY) manage.py migrate --noinput

load: migrate
	$(PY) manage.py load_kb

run: load
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(BIN)/pytest

check: install-dev
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 tests/artifacts node_modules static/build
