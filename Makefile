# Sales Pulse — targets a new contributor can guess.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
# Two installs: what running the app needs (make run), and that plus the test tools (pytest,
# dash[testing] with selenium, ruff, schemathesis) for every other target.
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
PG_URL ?= postgresql+psycopg://127.0.0.1:5432/test
# Where `make run` serves: make run PORT=8080 HOST=0.0.0.0
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: help venv venv-test run test test-pg test-fast test-load test-faults bench lint format browser services clean

help:
	@echo "make run    - set up and serve the dashboard at http://$(HOST):$(PORT) (demo data; PORT=, HOST= to change)"
	@echo "make test   - set up and run the whole test suite (unit, integration, browser)"
	@echo "make test-load   - 20 users for 60 s against the served app, then the database checked"
	@echo "make test-faults - kill -9 mid-write, locked and unreachable database (SQLite, PostgreSQL)"
	@echo "make test-pg - the whole suite with the app-level tests on PostgreSQL too"
	@echo "make bench  - benchmarks at 1M and 10M demo orders on SQLite and PostgreSQL (bench/results/)"
	@echo "make lint   - ruff lint and format check"

$(PY):
	@echo "==> Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml setup.py | $(PY)
	@echo "==> Installing the app's packages into $(VENV) (Dash, pandas, statsmodels, SQLAlchemy, ...; a minute or two the first time)"
	$(PY) -m pip install -q -e .
	@touch $(RUN_STAMP)

$(TEST_STAMP): pyproject.toml setup.py | $(PY)
	@echo "==> Installing the app and its test tools into $(VENV) (pytest, dash[testing], ruff, ...)"
	$(PY) -m pip install -q -e ".[test]"
	@touch $(RUN_STAMP) $(TEST_STAMP)

venv: $(RUN_STAMP)

venv-test: $(TEST_STAMP)

# Demo mode: an embedded SQLite database with demo orders, everyone signed in as the demo admin.
run: venv
	@echo "==> Starting Sales Pulse. The first start creates data/sales.db and seeds 50,000 demo orders (about a minute)."
	@echo "==> Then open http://$(HOST):$(PORT) (Ctrl+C stops it)"
	SALES_PULSE_DEMO=1 HOST=$(HOST) PORT=$(PORT) $(PY) app.py

# Chromium + chromedriver for the dash_duo browser tests (see README).
browser:
	@if ! command -v chromedriver >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing chromium and chromium-driver..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; \
	  else \
	    echo "chromedriver not found: install it with 'sudo apt-get install chromium chromium-driver'"; exit 1; \
	  fi; \
	fi

# The PostgreSQL server the store tests also run against, and the Redis the cache and Celery
# tests use (each started if it is installed but down).
services:
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  if command -v pg_ctlcluster >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
	    pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start; \
	  else \
	    echo "PostgreSQL is not reachable on 127.0.0.1:5432 (set PG_URL)"; \
	  fi; \
	fi
	@if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then \
	  if command -v redis-server >/dev/null 2>&1; then \
	    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; \
	  else \
	    echo "Redis is not reachable on 127.0.0.1:6379 (set REDIS_TEST_URL)"; \
	  fi; \
	fi

# Two pytest workers (pytest-xdist): each test file on one, browser files included, dearest
# files first (tests/conftest.py groups and orders them; --no-loadscope-reorder keeps that order
# instead of xdist's by test count). TEST_WORKERS=0 runs everything in this process.
TEST_WORKERS ?= 2

test: venv-test browser services
	PG_URL=$(PG_URL) $(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

# The same suite with DATABASE_URL on a new, uniquely named PostgreSQL database: the app-level
# fixtures then make every test's database on that server (tests/databases.py). Dropped after.
test-pg: venv-test browser services
	@name=sp_make_$$(date +%s)_$$$$; \
	url=$$(PG_URL=$(PG_URL) $(PY) -m tests.databases create $$name) || exit 1; \
	trap 'PG_URL=$(PG_URL) $(PY) -m tests.databases drop '$$name EXIT; \
	echo "DATABASE_URL=$$url"; \
	DATABASE_URL=$$url PG_URL=$(PG_URL) $(PY) -m pytest -q

test-fast: venv-test
	PG_URL=$(PG_URL) $(PY) -m pytest -q -m "not browser" --ignore=tests/browser

# Not part of `make test` (time budget). The load test serves a fresh SQLite database seeded
# with demo orders (LOAD_DATABASE_URL=postgresql+psycopg://127.0.0.1:5432/postgres: a fresh
# database on that server instead); LOAD_USERS, LOAD_DURATION_S, ... tune it (bench/load).
LOAD_DATABASE_URL ?=

test-load: venv-test
	LOAD_DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) -m bench.load

test-faults: venv-test browser services
	PG_URL=$(PG_URL) $(PY) -m pytest -q tests/faults

# Every benchmark on demo databases of each size and backend (each built once, then reused),
# then bench/results/README.md. A quick run: make bench BENCH_SIZES=100000 BENCH_BACKENDS=sqlite
BENCH_SIZES    ?= 1000000 10000000
BENCH_BACKENDS ?= sqlite postgresql
BENCH_OVERVIEW_ARGS ?=
# From 5M orders on, the order_lines runs and the plan check take minutes per query: skipped
# (the naive pandas answers still check every app answer), and 10 timed runs instead of 20.
BENCH_BIG_ARGS ?= --lines-repeat 0 --no-plan-check --repeat 10

bench: venv-test services
	@set -e; for n in $(BENCH_SIZES); do for b in $(BENCH_BACKENDS); do \
	  echo "== bench: $$n orders on $$b"; \
	  url=$$(PG_URL=$(PG_URL) $(PY) -m bench.dataset --orders $$n --backend $$b); \
	  big=""; if [ $$n -ge 5000000 ]; then big="$(BENCH_BIG_ARGS)"; fi; \
	  BENCH_DATABASE_URL="$$url" $(PY) -m bench.overview $$big $(BENCH_OVERVIEW_ARGS); \
	  for part in history rfm forecast_anomalies pivot; do \
	    BENCH_DATABASE_URL="$$url" $(PY) -m bench.$$part; \
	  done; \
	done; done
	$(PY) -m bench.import_load --database-url "$$($(PY) -m bench.dataset --orders 1000000 --backend sqlite)"
	$(MAKE) browser
	$(PY) -m bench.page_load --database-url "$$($(PY) -m bench.dataset --orders 1000000 --backend sqlite)"
	$(PY) -m bench.summary

lint: venv-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .ruff_cache
