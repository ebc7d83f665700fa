# Leerlingzorg. `make demo` and `make test` do all their own set-up.
SHELL := /bin/bash
UV := $(shell ./scripts/ensure-uv.sh)
PYTHON := $(shell UV=$(UV) ./scripts/find-python.sh)
export UV_PYTHON := $(PYTHON)
RUN := $(UV) run --frozen
# Debian packages (chromium, gettext, postgresql) are installed on demand; sudo when not root.
# Wait (up to 10 minutes) when another installation holds the dpkg lock instead of failing.
APT := $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600
PYTEST_ARGS ?=

.PHONY: help sync sync-dev messages demo serve worker test test-sqlite test-postgres browser lint bench bench-load clean check-python

help:
	@echo "make demo   - installeer, vul demodata en start op http://127.0.0.1:8000"
	@echo "make test   - alle tests op SQLite en PostgreSQL (ook de browsertests)"
	@echo "make bench  - benchmarks op PostgreSQL (bestuur-grote dataset)"
	@echo "make bench-load - belasting: gunicorn + worker + locust, 50 gebruikers (BENCH_LOAD_SECONDS=60)"
	@echo "make bench SCALE=5 - groei: N x 20.000 leerlingen en N x 1.000.000 dossierregels (zonder SCALE: 12.000);"
	@echo "             bewaren en hermeten: BENCH_DATABASE=\$$(bench/cluster.sh start) BENCH_REUSE=1 (docs/scaling.md)"
	@echo "make lint   - ruff"
	@echo "make messages - vertalingen compileren (locale/*.mo)"

check-python:
	@test -n "$(PYTHON)" || (echo "Python 3.12+ ontbreekt / missing (zie README.md)"; exit 1)

# One environment for demo and tests (uv run would re-add the dev group anyway).
sync: check-python
	$(UV) sync --frozen

sync-dev: sync

# The compiled catalogues (.mo) are generated, not committed: build them from locale/*/django.po.
messages: sync
	@command -v msgfmt >/dev/null || ($(APT) update -qq && $(APT) install -y -qq gettext)
	$(RUN) python manage.py compilemessages --ignore=.venv

demo: sync messages
	mkdir -p var
	$(RUN) python manage.py migrate --noinput
	$(RUN) python manage.py demo
	@echo "Leerlingzorg draait op http://127.0.0.1:8000 (stoppen: Ctrl+C)"
	@# The task worker sends the queued e-mail (into var/mail/); the periodic runner does
	@# reminders, outbox retries and retention every 5 minutes, as cron would in production.
	$(RUN) python manage.py db_worker --interval 2 & worker=$$!; \
	  (while true; do $(RUN) python manage.py run_periodic >/dev/null; sleep 300; done) & periodic=$$!; \
	  trap "kill $$worker $$periodic" EXIT; \
	  $(RUN) python manage.py runserver 127.0.0.1:8000

browser:
	@test -x /usr/bin/chromium || ($(APT) update -qq && $(APT) install -y -qq chromium)
	@command -v pdftotext >/dev/null || ($(APT) update -qq && $(APT) install -y -qq poppler-utils)

# Both suites side by side (one per core), each into var/test-logs/<suite>.log, printed after both end
# with a summary line per suite; fails when either fails. `make test-sqlite` / `make test-postgres`
# run one suite alone, in the terminal.
test: sync-dev browser lint messages
	@MAKE="$(MAKE)" UV="$(UV)" ./scripts/test-suites.sh

test-sqlite:
	@echo "== tests op SQLite =="
	$(RUN) pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== tests op PostgreSQL =="
	./scripts/with-postgres.sh $(RUN) pytest $(PYTEST_ARGS)

lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .

# In-process timings (bench/run.py), then the load harness on its own throw-away PostgreSQL: the
# table per page with its ratio to the bare view (issue #13). Short smoke run: BENCH_LOAD_SECONDS=15
# BENCH_SATURATION_SECONDS=3 BENCH_USERS=10 BENCH_DOSSIER_ENTRIES=20000 (see bench/load.py).
bench: sync-dev
	./scripts/with-postgres.sh $(RUN) python bench/run.py
	./scripts/with-postgres.sh $(RUN) python bench/load.py

# The load harness (bench/load.py): school-day mix at 50 users with think time, then per page a closed
# loop for saturation and the ratio to the bare view; results in bench/results/load-*.{md,json}.
bench-load: sync-dev
	./scripts/with-postgres.sh $(RUN) python bench/load.py

clean:
	rm -rf var/leerlingzorg.sqlite3 var/mail var/media staticfiles
