# The one entry point for everything a person runs. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
SERVICES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/contactpunt
SERVICES_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: help setup run test test-services lint format messages bench clean

help:
	@echo "make run            set up, load demo data and serve http://$(HOST):$(PORT)"
	@echo "make test           the whole test suite on the embedded default (SQLite, eager tasks)"
	@echo "make test-services  the suite against PostgreSQL + Redis with a real Celery worker"
	@echo "make lint           ruff check, ruff format --check, makemigrations --check"

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11).")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed messages

messages: $(BIN)/.installed
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

run: setup
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) demo
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup
	$(BIN)/pytest

test-services: setup
	DATABASE_URL=$(SERVICES_DATABASE_URL) REDIS_URL=$(SERVICES_REDIS_URL) $(BIN)/pytest -p no:cacheprovider

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 db.sqlite3-*
