# Two commands: `make run` serves the site, `make test` runs the whole suite.
# Everything else here is what those two need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test install install-dev migrate load check clean static

help:
	@echo "make run    set up .venv, migrate, load the briefings and serve http://$(HOST):$(PORT) (SQLite)"
	@echo "make test   run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)"

# The front end: GOV.UK Frontend and sass from npm (package-lock.json), built
# into static/build/. Stamp files keep a second run instant; the build is an
# order-only prerequisite of the Python environment so that run, test and CI
# (install-dev, then collectstatic) always have it.
NPM ?= npm
FRONTEND_SOURCES := $(wildcard frontend/*)

node_modules/.installed: package.json package-lock.json
	@command -v $(NPM) >/dev/null || { echo "The front end is built with Node.js 20+ and npm: install them first (Debian/Ubuntu: sudo apt-get install nodejs npm)."; exit 1; }
	$(NPM) ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

static/build/.built: node_modules/.installed $(FRONTEND_SOURCES)
	node frontend/build.mjs
	touch $@

static: static/build/.built

$(VENV)/.runtime: requirements.txt | static
	@command -v pg_config >/dev/null || { echo "psycopg2 builds from source and needs PostgreSQL's headers: install them first (Debian/Ubuntu: sudo apt-get install libpq-dev gcc python3-dev)."; exit 1; }
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
