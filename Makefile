# The two commands a newcomer needs: `make run` (the quick start) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help run test bench lint messages install install-dev static

help:
	@echo "make run    - install, load administrative units and demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - run the whole suite against PostgreSQL and Redis"
	@echo "make bench  - measure the speed targets (PARTS=national: on 1.5 million households)"
	@echo "make messages - refresh and compile the translation catalogues"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || \
	  { echo "FrontWelfare needs Python 3.12 or newer (found: $$($(PYTHON) --version 2>&1))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installs are stamped, so a second `make run` reuses what is there.
$(VENV)/.installed-run: pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-run
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

frontwelfare/static/vendor/.built: node_modules/.package-lock.json
	npm run --silent build
	@touch $@

install: $(VENV)/.installed-run
install-dev: $(VENV)/.installed-dev
static: frontwelfare/static/vendor/.built

run: install static
	@mkdir -p var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_areas
	$(PY) manage.py load_demo
ifdef REDIS_URL
	@echo "REDIS_URL is set: starting the web server, a Celery worker and Celery beat (Ctrl-C stops all)."
	PORT=$(PORT) $(VENV)/bin/honcho -f Procfile.dev start
else
	@echo "No REDIS_URL: background tasks run in-process. Ctrl-C stops the server."
	$(PY) manage.py runserver 127.0.0.1:$(PORT)
endif

test: install-dev static
	DJANGO_SETTINGS_MODULE=frontwelfare.settings.test $(PY) manage.py check_services
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=frontwelfare.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

bench: install-dev static
	DJANGO_SETTINGS_MODULE=frontwelfare.settings.test $(PY) manage.py check_services
	DJANGO_SETTINGS_MODULE=frontwelfare.settings.test $(PY) -m tests.bench $(PARTS)

lint: install-dev
	$(VENV)/bin/ruff check .

# Needs GNU gettext (Debian: gettext). The compiled .mo files are committed.
messages: install-dev
	$(PY) manage.py makemessages --locale vi --ignore ".venv/*" --ignore "node_modules/*" --ignore "tests/*" --no-obsolete
	$(PY) manage.py compilemessages --ignore ".venv/*" --ignore "node_modules/*"
