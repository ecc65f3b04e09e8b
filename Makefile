# OMS Region — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := $(UV) run --frozen
export UV_PYTHON := 3.11
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: help install run seed test lint typecheck pytest contracts contracts-check compose-check bench frontend frontend-check chromium fonts java openssl clean

help:
	@echo "make run        - the whole system on http://127.0.0.1:8000 (embedded PostgreSQL, demo data)"
	@echo "make test       - lint, type checks, contract checks and every test"
	@echo "make bench      - benchmarks (figures go to docs/benchmarks.md)"
	@echo "make contracts  - regenerate contracts/openapi/*.json and contracts/asyncapi.yaml"

# uv itself comes from PyPI into a private venv, so a fresh machine needs only Python 3.11.
$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: $(UV) uv.lock pyproject.toml $(wildcard services/*/pyproject.toml)
	$(UV) sync --frozen --all-packages
	@touch $@

install: .venv/.synced

# npm writes node_modules/.package-lock.json on every install: a stamp newer than the lock.
FRONTEND_DEPS := frontend/node_modules/.package-lock.json

$(FRONTEND_DEPS): frontend/package-lock.json frontend/package.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

frontend: $(FRONTEND_DEPS)
	cd frontend && npm run build

# The generated TypeScript client is current, types check, lint is clean (zero warnings),
# unit and component tests pass.
frontend-check: $(FRONTEND_DEPS)
	cd frontend && npm run gen:api:check && npm run typecheck && npm run lint && npm test

# The browser tests drive Debian's Chromium; nothing downloads a browser.
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The verification report prints Cyrillic in PDF with Debian's DejaVu Sans; nothing downloads a font.
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null; }

# The linkage's Spark backend (OMS_VERIFICATION_LINKAGE_BACKEND=spark) and its test run on Debian's
# Java 17; pyspark comes from uv.lock and Splink's similarity jar from its wheel: nothing downloads at run time.
# (Slim Debian images lack the man directory the JRE's postinst links into.)
java:
	@command -v java >/dev/null || { mkdir -p /usr/share/man/man1 && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

# The pharmacy signature test checks the detached CMS with Debian's openssl command.
openssl:
	@command -v openssl >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null; }

run: install frontend fonts
	$(PY) python -m oms_embedded

seed: install
	$(PY) python -m oms_embedded seed

lint: install
	$(PY) ruff check services tests benchmarks
	$(PY) ruff format --check services tests benchmarks

typecheck: install
	$(PY) mypy services/kit/oms_kit services/gateway/gateway services/registry/registry \
		services/finance/finance services/pharmacy/pharmacy services/verification/verification \
		services/embedded/oms_embedded

contracts: install $(FRONTEND_DEPS)
	$(PY) python -m oms_embedded.contracts write
	cd frontend && npm run gen:api

contracts-check: install
	$(PY) python -m oms_embedded.contracts check

compose-check: install
	$(PY) python -m pytest -q tests/compose

pytest: install java openssl
	$(PY) python -m pytest services tests

test: lint typecheck contracts-check frontend-check frontend chromium fonts java openssl pytest

# Figures for docs/benchmarks.md. wrk comes from Debian's packages.
bench: install
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(PY) python benchmarks/bench_events.py
	$(PY) python benchmarks/bench_gateway.py
	$(PY) python benchmarks/bench_registry.py
	$(PY) python benchmarks/bench_verification_linkage.py
	$(PY) python benchmarks/bench_verification_run.py
	$(PY) python benchmarks/bench_finance_exchange.py
	$(PY) python benchmarks/bench_finance_classification.py
	$(PY) python benchmarks/bench_finance_forms.py
	$(PY) python benchmarks/bench_pharmacy_dispensing.py --pharmacies 8 --api --uvicorn --workers 2
	$(PY) python benchmarks/bench_pharmacy_dispensing.py --pharmacies 1
	$(PY) python benchmarks/bench_pharmacy_control.py

clean:
	rm -rf .venv $(TOOLS) .pytest_cache .mypy_cache .ruff_cache frontend/dist
