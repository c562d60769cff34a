# Two commands set everything up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Debian's interpreter, not one under /root: sandboxed grading kernels run as an
# unprivileged user and must be able to execute the venv's python.
PYTHON ?= $(shell test -x /usr/bin/python3.11 && echo /usr/bin/python3.11 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
export LMS_DATA_DIR ?= $(CURDIR)/var
export LMS_PORT ?= 8000
APT_PACKAGES_BROWSER := chromium fonts-noto-core fonts-noto-color-emoji fonts-dejavu-core

.PHONY: help install browser run test test-postgres lint format screenshots bench loadtest clean

help:
	@echo "make run            install what is missing, migrate, load the demo, serve the LMS on :$(LMS_PORT) and JupyterHub on :8001"
	@echo "make test           install what is missing, lint, and run the whole suite (also on PostgreSQL when CI=true)"
	@echo "make test-postgres  run the suite against a throw-away PostgreSQL server"
	@echo "make screenshots    save screenshots of the main pages to var/screenshots/"
	@echo "make bench          grading and notebook start-up, each beside stock nbgrader / JupyterHub; print the ratios"
	@echo "make loadtest       200 residents submit within 60 s; latency, lost or duplicated submissions, time to graded"
	@echo "make format         format the code with ruff"

$(STAMP): requirements.txt
	@test -x /usr/bin/python3.11 || { echo "Installing Debian's python3.11"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11 python3.11-venv >/dev/null; }
	@test -x $(PY) || $(or $(wildcard /usr/bin/python3.11),$(PYTHON)) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

NODE_STAMP := node_modules/.installed-$(shell cksum package-lock.json | cut -d' ' -f1)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Installing Debian's nodejs and npm for JupyterHub's proxy"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	@rm -f node_modules/.installed-*
	@touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)
	@scripts/sandbox-access.sh

# Debian's Chromium drives the browser tests; Playwright never downloads a browser of its own.
browser:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES_BROWSER) >/dev/null; }

run: install
	$(PY) manage.py migrate --noinput
	@test -f "$(LMS_DATA_DIR)/.demo-loaded" || { $(PY) manage.py load_demo --submissions && touch "$(LMS_DATA_DIR)/.demo-loaded"; }
	$(PY) manage.py collectstatic --noinput --verbosity 0
	exec $(PY) scripts/run_services.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install browser lint
	DJANGO_SETTINGS_MODULE=lms.settings.test DATABASE_URL=sqlite://:memory: $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=lms.settings.test DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(BIN)/pytest
	@if [ "$$CI" = "true" ]; then $(MAKE) --no-print-directory test-postgres; fi

test-postgres: install browser
	scripts/with-postgres.sh $(BIN)/pytest

screenshots: install browser
	LMS_SCREENSHOT_DIR=$(LMS_DATA_DIR)/screenshots $(BIN)/pytest tests/e2e -k screenshots

bench: install browser
	$(PY) bench/grading.py
	$(PY) bench/sandbox.py
	$(PY) bench/spawn.py
	$(PY) bench/gradebook.py

loadtest: install
	$(PY) bench/loadtest.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
