# BW-portaal. `make run` starts the demo portal, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORTAL := $(VENV)/bin/portal
CHROMIUM := /usr/bin/chromium
# The print test: LibreOffice Calc without its desktop, Carlito (Calibri's metric twin) and poppler's PDF tools.
AFDRUKPAKKETTEN := libreoffice-calc-nogui fonts-crosextra-carlito poppler-utils
AFDRUKPROGRAMMAS := /usr/bin/soffice /usr/bin/pdftotext /usr/bin/pdfinfo /usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf

# make run serves the demo over plain HTTP on the loopback address, in ketentest mode (virtual clock)
# unless PORTAL_MODE says otherwise.
RUN_MODE := $(or $(PORTAL_MODE),ketentest)

.PHONY: setup lock lint run test bench chromium libreoffice pgclient clean

setup: $(VENV)/.geinstalleerd

# Every package at the version and hash in requirements.lock; then the portal itself, editable.
$(VENV)/.geinstalleerd: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 of nieuwer is nodig (gevonden: " + sys.version.split()[0] + ")")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

# Pin the dependencies of pyproject.toml (with every extra) again, after changing them there.
lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --strip-extras --extra postgres --extra test --extra lint \
		--generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# make run first keeps its settings (no secrets) in instance/portal.env, so that `portal` in a new shell
# works on the same database and in the same mode.
RUN_ENV = PORTAL_MODE=$(RUN_MODE) SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-0}

run: setup
	@$(RUN_ENV) $(PORTAL) instellingen bewaar
	$(RUN_ENV) $(PORTAL) db upgrade
	$(RUN_ENV) $(PORTAL) seed demo --if-empty
	$(RUN_ENV) $(PORTAL) serve --host 127.0.0.1 --port 5000

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Chromium ontbreekt; installeren met apt-get (Debian-pakket chromium)..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; \
	fi

# pg_dump and pg_restore, for `portal backup`/`portal herstel` and their test on PostgreSQL.
pgclient:
	@if [ ! -x /usr/bin/pg_dump ] || [ ! -x /usr/bin/pg_restore ]; then \
		echo "pg_dump ontbreekt; installeren met apt-get (Debian-pakket postgresql-client)..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql-client; \
	fi

# Installed quietly; apt-get's output is shown only when it fails.
libreoffice:
	@for pad in $(AFDRUKPROGRAMMAS); do [ -e $$pad ] || ontbreekt=1; done; \
	if [ -n "$$ontbreekt" ]; then \
		echo "LibreOffice Calc ontbreekt; installeren met apt-get (Debian-pakketten $(AFDRUKPAKKETTEN))..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		log=$$(mktemp); \
		if ! { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
				--no-install-recommends $(AFDRUKPAKKETTEN); } >$$log 2>&1; then \
			cat $$log; rm -f $$log; exit 1; \
		fi; \
		rm -f $$log; \
	fi

test: setup chromium libreoffice pgclient
	env -u TEST_DATABASE_URL $(PY) -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "Dezelfde suite op $$TEST_DATABASE_URL"; \
		$(PY) -m pytest; \
	fi

# Every measure on SQLite and, with BENCH_DATABASE_URL or TEST_DATABASE_URL set, on PostgreSQL; `make bench
# BENCH=--snel` is the under-two-minutes variant (see bench/README.md).
bench: setup
	$(PY) -m bench.run $(BENCH)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis *.egg-info
