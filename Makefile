# One way to run things. `make demo` and `make test` do all the set-up a fresh machine needs.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# localstripe, the fake Stripe that `make demo` runs for test payments.
STRIPE_PORT ?= 8420
CHROMIUM ?= /usr/bin/chromium
# Extra pytest arguments: make test PYTEST_ARGS="-k search -x"
PYTEST_ARGS ?=
# Extra bench arguments: make bench BENCH_ARGS="--skip-mirror --articles 20000"
BENCH_ARGS ?=
# The browser tests share one live server and one Chromium per worker; two workers roughly
# halve the run on two cores. TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= auto

.PHONY: venv demo test bench lint format messages clean

venv: $(INSTALLED)

# Reinstalls only when pyproject.toml changes.
$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

demo: export DEBUG = 1
demo: venv
	@$(MAKE) --no-print-directory _messages_if_possible
	mkdir -p "$${SAMIZDAT_DATA_DIR:-var}"
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo
	@echo "The demo newsroom is at  http://$(HOST):$(PORT)/en/  and  http://$(HOST):$(PORT)/ru/"
	@echo "Editors log in at        http://$(HOST):$(PORT)/admin/  as  admin / $$($(PY) manage.py \
		shell --no-imports -c 'from samizdat.demo.loader import DEMO_PASSWORD; print(DEMO_PASSWORD)')"
	@echo "(or as reporter / editor, to try the review workflow). Ctrl-C stops the server."
	@echo
	$(PY) manage.py run_demo --host $(HOST) --port $(PORT) --stripe-port $(STRIPE_PORT)

test: venv
	@$(MAKE) --no-print-directory _messages_if_possible
	@test -x $(CHROMIUM) || echo "note: $(CHROMIUM) is missing, so the browser tests will be" \
		"skipped (apt-get install chromium)"
	$(PY) -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS)) $(PYTEST_ARGS)

# Every performance figure in one run (bench/README.md): about 10 minutes on two cores. Needs
# PostgreSQL and Redis on 127.0.0.1 (as CI has); installs nginx and wrk with apt-get if missing.
bench: venv
	$(PY) -m bench.run $(BENCH_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Compiles samizdat/locale/*/LC_MESSAGES/django.po; needs GNU gettext (apt-get install gettext).
messages: venv
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: apt-get install gettext"; exit 1; }
	$(PY) manage.py compilemessages --ignore=$(VENV) --ignore=var --ignore=.git

# demo and test compile the interface translations when they can, and say so when they can't.
_messages_if_possible:
	@if command -v msgfmt >/dev/null; then \
		$(PY) manage.py compilemessages --ignore=$(VENV) --ignore=var --ignore=.git >/dev/null; \
	else \
		echo "note: msgfmt not found, using the committed .mo files (apt-get install gettext)"; \
	fi

# Leaves var/ alone: with the default settings it holds the site's database and media.
clean:
	rm -rf .pytest_cache .ruff_cache build *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
