# Two commands set up a fresh machine: `make dev` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: dev test lint format bench lock contract examples clean cluster cluster-down test-cluster test-image

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

# Installs exactly what uv.lock pins; --locked fails if pyproject.toml moved on without it.
$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --locked --quiet --python $(PYTHON)
	touch $@

# `make dev` needs only what the services run on, not the test and lint tools. --inexact
# keeps whatever a full sync installed, so `make dev` and `make test` take turns in one .venv
# without reinstalling each other's packages; each stamp is remade only when the lock moves.
$(VENV)/.synced-runtime: $(UV) uv.lock pyproject.toml
	$(UV) sync --locked --quiet --no-dev --inexact --python $(PYTHON)
	touch $@

# After changing dependencies in pyproject.toml: `make lock`, then commit uv.lock.
lock: $(UV)
	$(UV) lock --python $(PYTHON)

dev: $(VENV)/.synced-runtime
	$(VENV)/bin/ctxh dev

# The real OpenID Connect provider tests/e2e/test_identity_provider.py runs, installed here
# from its lock file so that no test downloads anything. Without npm, CI fails here; a
# developer's machine goes on, and those tests skip saying why.
IDENTITY_PROVIDER := tests/e2e/identity/node_modules/.installed
$(IDENTITY_PROVIDER): tests/e2e/identity/package.json tests/e2e/identity/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix tests/e2e/identity --no-audit --no-fund && touch $@; \
	elif [ "$$CI" = true ]; then \
		echo "npm is missing: the end-to-end tests need it for the identity provider" >&2; exit 1; \
	else \
		echo "npm is missing: the tests against a real identity provider will skip"; \
	fi

# The whole suite on a throwaway PostgreSQL, then the same suite on embedded SQLite.
test: $(VENV)/.synced $(IDENTITY_PROVIDER)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	bash deploy/with-test-postgres.sh $(VENV)/bin/pytest $(PYTEST_ARGS)
	env -u CTXH_TEST_DATABASE_URL $(VENV)/bin/pytest -q -m "not once" $(PYTEST_ARGS)

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: $(VENV)/.synced
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The npm tools contract/package-lock.json pins, installed again only when it changes.
CONTRACT_TOOLS := contract/node_modules/.installed
$(CONTRACT_TOOLS): contract/package.json contract/package-lock.json
	cd contract && npm ci
	touch $@

# The committed OpenAPI documents (openapi/, written by `ctxh openapi --write`) as clients will
# use them: Spectral lint, TypeScript types for contract/workflow.ts, a Python client.
contract: $(VENV)/.synced $(CONTRACT_TOOLS)
	bash contract/check.sh

# The documents' examples, recorded from the in-process suite's real requests into each
# service's openapi_examples.json; then the snapshots in openapi/ are written again.
EXAMPLE_SUITES := tests/foundation tests/access tests/cases tests/workforce tests/reporting
examples: $(VENV)/.synced
	bash deploy/with-test-postgres.sh $(VENV)/bin/pytest -q --record-examples $(EXAMPLE_SUITES)
	$(VENV)/bin/ctxh openapi --write

# The production topology on this machine (tools/cluster): PostgreSQL under Patroni with
# etcd, two processes of each service behind nginx. `make cluster-down` stops and removes it.
cluster: $(VENV)/.synced
	bash deploy/cluster-packages.sh
	$(VENV)/bin/python -m tools.cluster up

cluster-down: $(VENV)/.synced
	$(VENV)/bin/python -m tools.cluster down

# Failover drills on a cluster of its own, then the end-to-end suite through its nginx.
test-cluster: $(VENV)/.synced
	bash deploy/cluster-packages.sh
	CTXH_TEST_CLUSTER=1 $(VENV)/bin/pytest -q -p no:cacheprovider tests/e2e $(PYTEST_ARGS)

# The image: built with podman (deploy/build-image.sh), its files checked, and a service
# run from them as the image's own user.
test-image: $(VENV)/.synced
	CTXH_TEST_IMAGE=1 $(VENV)/bin/pytest -q -p no:cacheprovider tests/deploy/test_image.py

# Benchmarks print ratios against a bare baseline measured in the same run (needs wrk).
# PEOPLE sets the province's size (200,000 by default): make bench BENCH=lists PEOPLE=1000000
bench: $(VENV)/.synced
	command -v wrk >/dev/null || apt-get install -y -qq wrk
	[[ "$(BENCH)" != *cluster* ]] || bash deploy/cluster-packages.sh
	BENCH_PEOPLE=$(PEOPLE) bash deploy/with-test-postgres.sh $(VENV)/bin/python -m bench $(BENCH)

clean:
	rm -rf $(VENV) $(TOOLS) var/*.db var/*.db-wal var/*.db-shm
	rm -rf contract/node_modules contract/generated tests/e2e/identity/node_modules
