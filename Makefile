# Leerlingzorg. `make demo` and `make test` do all their own set-up.
SHELL := /bin/bash
UV := $(shell ./scripts/ensure-uv.sh)
PYTHON := $(shell UV=$(UV) ./scripts/find-python.sh)
export UV_PYTHON := $(PYTHON)
RUN := $(UV) run --frozen
PYTEST_ARGS ?=

.PHONY: help sync sync-dev messages demo serve worker test test-sqlite test-postgres browser lint bench clean check-python

help:
	@echo "make demo   - installeer, vul demodata en start op http://127.0.0.1:8000"
	@echo "make test   - alle tests op SQLite en PostgreSQL (ook de browsertests)"
	@echo "make bench  - benchmarks op PostgreSQL (bestuur-grote dataset)"
	@echo "make lint   - ruff"
	@echo "make messages - vertalingen compileren (locale/*.mo)"

check-python:
	@test -n "$(PYTHON)" || (echo "Python 3.12+ ontbreekt / missing (zie README.md)"; exit 1)

sync: check-python
	$(UV) sync --frozen --no-dev

sync-dev: check-python
	$(UV) sync --frozen

# The compiled catalogues (.mo) are generated, not committed: build them from locale/*/django.po.
messages: check-python
	@command -v msgfmt >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext)
	$(RUN) python manage.py compilemessages --ignore=.venv

demo: sync messages
	mkdir -p var
	$(RUN) python manage.py migrate --noinput
	$(RUN) python manage.py demo
	$(RUN) python manage.py run_periodic
	@echo "Leerlingzorg draait op http://127.0.0.1:8000 (stoppen: Ctrl+C)"
	$(RUN) python manage.py db_worker --interval 2 & trap "kill $$!" EXIT; \
	  $(RUN) python manage.py runserver 127.0.0.1:8000

browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	@command -v pdftotext >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils)

test: sync-dev browser lint messages test-sqlite test-postgres

test-sqlite:
	@echo "== tests op SQLite =="
	$(RUN) pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== tests op PostgreSQL =="
	./scripts/with-postgres.sh $(RUN) pytest $(PYTEST_ARGS)

lint:
	$(RUN) ruff check .

bench: sync-dev
	./scripts/with-postgres.sh $(RUN) python bench/run.py

clean:
	rm -rf var/leerlingzorg.sqlite3 var/mail var/media staticfiles
