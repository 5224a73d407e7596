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
# `make test` always runs on the embedded default, whatever the shell or a .env file says.
EMBEDDED := DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 REDIS_URL=
SERVICES := DATABASE_URL=$(SERVICES_DATABASE_URL) REDIS_URL=$(SERVICES_REDIS_URL)
# The catalogue lives in locale/; never walk the virtualenv or node_modules.
MESSAGE_IGNORES := --ignore=.venv --ignore=node_modules --ignore=.git --ignore=staticfiles --ignore=media

.PHONY: help setup run run-services test test-services bench lint format messages translations clean

help:
	@echo "make run            set up, load demo data and serve http://$(HOST):$(PORT) (SQLite, eager tasks)"
	@echo "make run-services   the same on PostgreSQL + Redis, with a Celery worker and beat"
	@echo "make test           the whole test suite on the embedded default (SQLite, eager tasks)"
	@echo "make test-services  the whole suite on PostgreSQL + Redis, with a real Celery worker"
	@echo "make bench          the matching, gallery and load benchmarks on PostgreSQL (BENCH=gallery for one; BENCH_ARGS=--sizes 1000x100)"
	@echo "make lint           ruff check, ruff format --check, makemigrations --check"
	@echo "make format         ruff check --fix and ruff format"
	@echo "make messages       compile the translation catalogues (.po -> .mo)"
	@echo "make setup          create .venv, install Python and npm packages, compile messages"
	@echo "make clean          remove .venv, node_modules, the SQLite database and compiled files"

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: make PYTHON=python3.11 ...")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed messages

messages: $(BIN)/.installed
	$(MANAGE) compilemessages $(MESSAGE_IGNORES) -v 0

# Links in e-mails and on posters drawn by background jobs point at the server being started.
run run-services: export DJANGO_SITE_URL ?= http://$(HOST):$(PORT)
run: setup
	$(EMBEDDED) $(MANAGE) migrate --no-input -v 0
	$(EMBEDDED) $(MANAGE) demo --url $(DJANGO_SITE_URL)
	$(EMBEDDED) $(MANAGE) runserver $(HOST):$(PORT)

# PostgreSQL + Redis: the web server, a Celery worker and Celery beat side by side; Ctrl-C stops all three.
run-services: DATABASE_URL ?= $(SERVICES_DATABASE_URL)
# Redis database 0, not 15: the tests flush that one.
run-services: REDIS_URL ?= redis://127.0.0.1:6379/0
run-services: setup
	@export DATABASE_URL='$(DATABASE_URL)' REDIS_URL='$(REDIS_URL)'; \
	$(BIN)/python -c "$$CREATE_DATABASE" && \
	$(MANAGE) migrate --no-input -v 0 && \
	$(MANAGE) demo --url $(DJANGO_SITE_URL) && \
	mkdir -p var && \
	trap 'kill $$(jobs -p) 2>/dev/null; wait' EXIT INT TERM; \
	$(BIN)/celery -A contactpunt worker --loglevel=INFO & \
	$(BIN)/celery -A contactpunt beat --loglevel=INFO --schedule=var/celerybeat-schedule & \
	$(MANAGE) runserver $(HOST):$(PORT)

# One pytest worker process per core (TEST_WORKERS=0: all in this process), each with its own in-memory SQLite
# database. Whole files go to one worker (a module's shared fixtures are built once) and keep
# pytest-django's order: tests on the rolled-back database first, then the transactional ones (their
# flush empties the reference lists), so --no-loadscope-reorder. The hostile-input tests try fewer
# examples here than in `make test-services`, which runs in one process (its tests share one Redis
# database and one Celery worker) with the `thorough` profile (tests/hostile/conftest.py).
TEST_WORKERS ?= auto
test: setup
	$(EMBEDDED) $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# Benchmarks on PostgreSQL with generated data, each printing a table: matching (1k×100, 10k×1k,
# 100k×10k; BENCH_ARGS) and then the story gallery (600 and 20,000 stories; BENCH_GALLERY_ARGS), each in
# a database of its own; then the load on the intake with gunicorn, and PostgreSQL and Redis failing
# (BENCH_LOAD_ARGS, e.g. --duration 10): it starts a PostgreSQL cluster and a Redis of its own; then the
# figures page with 1,000,000 candidates and 100,000 offers in 28 regions (BENCH_FIGURES_ARGS, e.g.
# --candidates 100000, or --keep to measure the data of the last run again).
# BENCH=gallery (or BENCH=matching, BENCH=load, BENCH=figures) runs one.
BENCH ?= matching gallery load figures
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/contactpunt_bench
BENCH_GALLERY_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/contactpunt_bench_gallery
BENCH_FIGURES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/contactpunt_bench_figures
bench: setup
	@set -e; for name in $(BENCH); do \
	  case $$name in \
	    matching) url='$(BENCH_DATABASE_URL)'; arguments='$(BENCH_ARGS)';; \
	    gallery) url='$(BENCH_GALLERY_DATABASE_URL)'; arguments='$(BENCH_GALLERY_ARGS)';; \
	    load) url=''; arguments='$(BENCH_LOAD_ARGS)';; \
	    figures) url='$(BENCH_FIGURES_DATABASE_URL)'; arguments='$(BENCH_FIGURES_ARGS)';; \
	    *) echo "Unknown benchmark '$$name': choose from matching, gallery, load, figures." >&2; exit 2;; \
	  esac; \
	  export DATABASE_URL="$$url" REDIS_URL=; \
	  if [ -n "$$url" ]; then $(BIN)/python -c "$$CREATE_DATABASE"; fi; \
	  $(BIN)/python bench/$$name.py $$arguments; \
	done

test-services: setup
	$(SERVICES) HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-thorough} $(BIN)/pytest -p no:cacheprovider

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(EMBEDDED) $(MANAGE) makemigrations --check --dry-run

# Update the Dutch catalogue from the code and templates; then translate the new empty entries.
translations: $(BIN)/.installed
	$(MANAGE) makemessages -l nl --no-location --no-obsolete $(MESSAGE_IGNORES) --ignore=tests --ignore='*/tests/*'

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles var db.sqlite3 db.sqlite3-*
	find locale -name '*.mo' -delete

# Creates the database named in DATABASE_URL on its PostgreSQL server when it does not exist yet.
define CREATE_DATABASE
import os, psycopg
from urllib.parse import urlsplit
url = urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
if url.scheme.startswith("postgres") and name:
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")
endef
export CREATE_DATABASE
