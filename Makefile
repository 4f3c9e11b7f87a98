# `make run` serves the kiosk; `make test` installs what the tests need and runs them all.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app kiosk
PORT ?= 8000
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt
# Debian packages: the app's PDF rendering needs Pango, and fonts for every language it speaks
# (Noto: Arabic, Chinese, Vietnamese, Greek); the tests drive Chromium, zbar and poppler, and put
# Caddy (deploy/Caddyfile) in front of the app, its root trusted in NSS (certutil).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core fonts-noto-cjk
TEST_SYSTEM_PACKAGES := $(SYSTEM_PACKAGES) chromium zbar-tools poppler-utils shellcheck \
  caddy libnss3-tools
# PostgreSQL-backed tests run wherever the server programs are on PATH.
KIOSK_TEST_POSTGRES ?= $(shell command -v initdb >/dev/null && command -v pg_ctl >/dev/null && echo 1 || echo 0)
# Test processes side by side (pytest-xdist), one per CPU: most of a browser test is waiting,
# so two share a CPU well. Each has its own browser, PostgreSQL server and Caddy authority.
TEST_WORKERS ?= auto

# The kiosk's words in each language: kiosk/translations/<code>/LC_MESSAGES/messages.po, committed;
# compiled to .mo here, never committed.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard kiosk/translations/*/LC_MESSAGES/messages.po))

.PHONY: run test lint docs vendor system-packages clean catalogues messages

run: $(VENV)/.installed vendor catalogues
	scripts/system-packages.sh $(SYSTEM_PACKAGES) || echo "PDF downloads of sheets need Pango (above)."
	$(FLASK) migrate
	$(FLASK) seed
	$(FLASK) urls --port $(PORT)
	PORT=$(PORT) exec $(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

test: $(VENV)/.test-installed vendor system-packages catalogues lint
	KIOSK_TEST_POSTGRES=$(KIOSK_TEST_POSTGRES) $(BIN)/pytest -n $(TEST_WORKERS) --durations=20

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

# The staff guide's pictures (docs/images/) and the demonstrations' key poses as the blind check
# saw them (docs/images/demonstrations/), taken from the real app in Chromium.
docs: $(VENV)/.test-installed vendor system-packages catalogues
	STAFF_GUIDE_IMAGES=docs/images $(BIN)/pytest -q tests/e2e/test_staff_guide_screenshots.py
	DEMONSTRATION_IMAGES=docs/images/demonstrations $(BIN)/pytest -q \
	  tests/e2e/test_demonstration_pictures.py

# Faults, load, two servers on PostgreSQL, soak, big forms, many PDFs: minutes each, so not in
# `make test`; their output is in docs/resilience-and-performance.md.
.PHONY: bench faults
bench: $(VENV)/.test-installed vendor system-packages
	bench/load.sh
	$(BIN)/python bench/two_servers.py
	$(BIN)/python bench/soak.py
	$(BIN)/python bench/body_limits.py
	$(BIN)/python bench/pdf_renders.py
	$(BIN)/python bench/sign_in_timing.py
	$(BIN)/python bench/https_proxy.py
	$(BIN)/python bench/render_cost.py --before b51cf6f
	$(BIN)/python bench/compression.py
	$(BIN)/python bench/lighthouse.py --before b587f0e

faults: $(VENV)/.test-installed vendor system-packages
	$(BIN)/python bench/fault_server_kill.py
	$(BIN)/python bench/fault_writer_kill.py
	$(BIN)/python bench/fault_read_only.py

vendor: static/vendor/htmx.min.js

catalogues: $(CATALOGUES)

kiosk/translations/%/LC_MESSAGES/messages.mo: kiosk/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel --quiet compile -i $< -o $@ -l $*

# After marking words with _() or plural(): every catalogue gets the new ones to translate.
messages: $(VENV)/.installed
	mkdir -p kiosk/translations
	$(BIN)/pybabel extract -F babel.cfg -k plural:1,2 -k words -k _l -k Still:1 -k N_ --no-wrap --sort-by-file \
	  -o kiosk/translations/messages.pot .
	$(BIN)/pybabel update -i kiosk/translations/messages.pot -d kiosk/translations --no-wrap --no-fuzzy-matching \
	  || echo "No catalogue yet: pybabel init -i kiosk/translations/messages.pot -d kiosk/translations -l CODE"
	$(BIN)/pybabel extract -F babel-console.cfg -k plural:1,2 -k _l -k N_ --no-wrap --sort-by-file \
	  -o kiosk/translations/console.pot .

system-packages:
	scripts/system-packages.sh $(TEST_SYSTEM_PACKAGES)

$(VENV)/.installed: pyproject.toml constraints.txt
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Python 3.11 or newer is needed (python3 is $$(python3 --version))." >&2; exit 1; }
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed
	$(PIP_INSTALL) -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

static/vendor/htmx.min.js: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache .ruff_cache test-artifacts
	find kiosk/translations -name "*.mo" -delete
