# Puente: `make run` starts the platform on embedded defaults; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
export PATH := $(HOME)/.local/bin:$(PATH)

.PHONY: help uv sync tools chromium run test test-fast lint contracts migrate migration kafka-up kafka-down pg-up pg-down up down bench bench-caseload bench-notices bench-notice-subscribers i18n-coverage bench-subscriptions bench-console

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

uv: ## install uv if it is missing (from PyPI)
	@command -v uv >/dev/null 2>&1 || [ -x "$(UV)" ] || python3 -m pip install --quiet --user uv \
	  || python3 -m pip install --quiet --break-system-packages --user uv

sync: uv ## install the locked Python dependencies into .venv
	@$(UV) sync --locked --quiet

tools: tools/node_modules/.package-lock.json ## the ecosystem's reference tools that check our contracts (npm)

tools/node_modules/.package-lock.json: tools/package.json tools/package-lock.json
	cd tools && npm ci --ignore-scripts --no-audit --no-fund

chromium: ## Debian's Chromium and its driver for the console's browser tests (apt-get, if missing)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get install -y -q chromium chromium-driver >/dev/null || \
	  { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q chromium chromium-driver >/dev/null; }; }

run: sync ## the whole platform in one process: embedded bus, SQLite under var/, demo field simulator
	PUENTE_SIMULATOR=$${PUENTE_SIMULATOR:-true} PUENTE_CLOCK_SPEED=$${PUENTE_CLOCK_SPEED:-7200} \
	  PUENTE_WEBHOOK_ALLOW_PRIVATE=$${PUENTE_WEBHOOK_ALLOW_PRIVATE:-true} \
	  $(UV) run --locked python -m puente_platform

test: sync tools chromium kafka-up pg-up ## every test: lint, types, unit, wiring, real Kafka + PostgreSQL, the console in Chromium
	$(MAKE) lint
	PUENTE_REQUIRE_SERVERS=1 $(UV) run --locked pytest -ra

test-fast: sync tools ## the tests that need no server
	$(UV) run --locked pytest -m "not servers"

lint: ## ruff, mypy (strict on schemas and runtime), and contract exports up to date
	$(UV) run --locked ruff check .
	$(UV) run --locked ruff format --check .
	$(UV) run --locked mypy

migrate: sync ## bring every service's database to this code (each service also does at start)
	$(UV) run --locked python -m puente_platform.migrate

migration: sync ## a new revision of one history from its models: make migration SERVICE=x MESSAGE="..."
	@test -n "$(SERVICE)" -a -n "$(MESSAGE)" || { echo 'usage: make migration SERVICE=<service|runtime> MESSAGE="what changes"'; exit 2; }
	$(UV) run --locked python -m puente_platform.migrate revision "$(SERVICE)" "$(MESSAGE)"

contracts: ## re-export JSON Schema and AsyncAPI after a deliberate contract change
	$(UV) run --locked python -m puente_schemas.export schemas

kafka-up: ## a single-node KRaft Kafka on 127.0.0.1:9092 (jars from Maven Central)
	deploy/kafka/kafka.sh up

kafka-down:
	deploy/kafka/kafka.sh down

pg-up: ## PostgreSQL on 127.0.0.1:5432 (installed with apt if missing)
	deploy/postgres/pg.sh up

pg-down:
	deploy/postgres/pg.sh down

up: sync kafka-up pg-up ## distributed: each service its own process on Kafka and PostgreSQL
	deploy/local/services.sh up

down: ## stop what `make up` started
	deploy/local/services.sh down

bench: bench-caseload sync kafka-up pg-up ## the caseload benches, 1,000 families end to end, and 2,000 through transport and processing, vs raw aiokafka
	$(UV) run --locked python -m tests.bench.journey
	$(UV) run --locked python -m tests.bench.services

bench-notices: sync ## webhook deliveries of one notice to 1,000 organisations, vs as many signed POSTs sent directly with httpx
	$(UV) run --locked python -m tests.bench.notices

bench-caseload: sync ## scheduling, transport and processing rules over the whole caseload (~70,000 people)
	$(UV) run --locked python -m tests.bench.scheduling
	$(UV) run --locked python -m tests.bench.transport
	$(UV) run --locked python -m tests.bench.processing

bench-console: sync ## the console's GraphQL queries (p50, p99, vs a baseline query) on 25,000 families, and navigation to a drawn overview in headless Chromium
	$(UV) run --locked python -m tests.bench.console

bench-notice-subscribers: sync ## 1,000 live `notices` subscribers on one gateway: delay from notice to receipt (p50, p99) and memory per subscriber, vs raw hub listeners
	$(UV) run --locked python -m tests.bench.notice_subscribers

i18n-coverage: sync ## per language, which message ids its catalogue lacks (puente_texts)
	$(UV) run --locked python -m puente_texts

bench-subscriptions: sync ## memory of 1,000 idle familyEvents subscriptions beside the gateway before them
	$(UV) run --locked python -m tests.bench.subscriptions
