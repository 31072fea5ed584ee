# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
# The first interpreter that runs and is 3.11 or newer.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
  $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && command -v $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export ITSM_DEMO_PASSWORD ?= itsm-demo-2026

.PHONY: run test lint audit worker beat check-python clean migrate demo image image-test \
  gettext messages compilemessages

check-python:
	@if [ -z "$(PYTHON)" ]; then echo "ITSM needs Python 3.11 or newer: install it (e.g. apt-get install python3 python3-venv) and run make again."; exit 1; fi
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { echo "ITSM needs Python's venv module: install it (e.g. apt-get install python3-venv) and run make again."; exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/base.txt
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@ $(VENV)/.base-installed

migrate: $(VENV)/.base-installed
	@$(BIN)/python manage.py migrate --no-input -v 0

demo: migrate
	@$(BIN)/python manage.py seed_demo

## run: the product on http://127.0.0.1:8000 with demo data and a background worker
run: $(VENV)/.base-installed
	@# Links in e-mails (SITE_URL, unless set) follow HOST and PORT; run_local sets them too.
	@HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py prepare_local
	@echo ""
	@echo "  Portal (end users):    http://$(HOST):$(PORT)/portal/"
	@echo "  Responder workspace:   http://$(HOST):$(PORT)/admin/"
	@echo "  Public status page:    http://$(HOST):$(PORT)/status/"
	@echo "  REST API and docs:     http://$(HOST):$(PORT)/api/v1/  http://$(HOST):$(PORT)/api/docs/"
	@echo "  Demo logins (password: $$ITSM_DEMO_PASSWORD): admin, manager, agent (responder), alice, bob (end users)"
	@echo "  E-mail is written to var/outbox/ unless EMAIL_HOST is set."
	@echo ""
	@# Server, worker and beat start and stop together, however they are stopped.
	@exec $(BIN)/python manage.py run_local $(HOST):$(PORT)

## test: the whole suite (PostgreSQL, Redis and browser tests when configured)
test: $(VENV)/.dev-installed
	@scripts/ensure-browser
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

audit: $(VENV)/.dev-installed
	$(BIN)/bandit -q -c pyproject.toml -r itsm incidents portal notifications api integrations problems reviews reports email_intake oncall messaging paging identity knowledge preparedness drills satisfaction statuspage profiles --severity-level high
	@# Fails on any known vulnerability it can look up; a package whose advisories cannot be
	@# fetched (no route to the advisory service) is reported as skipped, not passed silently.
	$(BIN)/pip-audit --no-deps --disable-pip --progress-spinner off -r requirements/base.txt

## image: the container image (Dockerfile), tagged itsm:latest
image:
	podman build --format docker -t itsm:latest . || docker build -t itsm:latest .

## image-test: build the image, run the compose topology (2 web, worker, beat, PostgreSQL,
## Redis, object store, mail catcher) and check it through the proxy; see README "Deploy"
image-test:
	scripts/image-test

worker: $(VENV)/.base-installed
	$(BIN)/celery -A itsm worker --loglevel=INFO

beat: $(VENV)/.base-installed
	$(BIN)/celery -A itsm beat --loglevel=INFO

clean:
	rm -rf $(VENV) var staticfiles

# --- Translations (README "Languages") ------------------------------------------------------
LOCALES := de fr
MESSAGE_DIRS := --ignore 'tests/*' --ignore 'bench/*' --ignore 'var/*' --ignore 'staticfiles/*' \
  --ignore 'scripts/*'

## gettext: the system's msgfmt/xgettext, installed when missing
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext; }

## messages: extract every marked string into locale/<lang>/LC_MESSAGES/django.po, compile
## them, and list what still lacks a translation (fails while anything does)
messages: $(VENV)/.base-installed gettext
	$(BIN)/python manage.py makemessages --no-obsolete --add-location file --no-wrap \
	  $(MESSAGE_DIRS) $(addprefix --locale ,$(LOCALES))
	@$(MAKE) --no-print-directory compilemessages
	@status=0; for lang in $(LOCALES); do \
	  po=locale/$$lang/LC_MESSAGES/django.po; \
	  left=$$(msgattrib --no-wrap --untranslated --no-obsolete $$po | grep -c '^msgid ' || true); \
	  fuzzy=$$(msgattrib --no-wrap --only-fuzzy --no-obsolete $$po | grep -c '^msgid ' || true); \
	  echo "$$lang: $$left untranslated, $$fuzzy fuzzy"; \
	  if [ "$$left$$fuzzy" != "00" ]; then status=1; \
	    msgattrib --no-wrap --only-fuzzy --no-obsolete $$po | grep '^msgid ' | head -20; \
	    msgattrib --no-wrap --untranslated --no-obsolete $$po | grep '^msgid ' | head -20; fi; \
	done; exit $$status

## compilemessages: locale/*/LC_MESSAGES/django.mo from the .po files (committed, so a
## checkout runs without gettext; tests/i18n checks they are in step)
compilemessages: $(VENV)/.base-installed gettext
	$(BIN)/python manage.py compilemessages --ignore '.venv' --ignore 'var' $(MESSAGE_DIRS) \
	  $(addprefix --locale ,$(LOCALES))
