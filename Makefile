# edgarmon developer commands. Every target installs what it needs first, so
# `make demo` and `make test` work on a fresh machine with Python 3.11+, a JDK and Maven.

SHELL       := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test lint format bench deploy-check broker-start broker-stop clean

$(STAMP): pyproject.toml
	@echo "install: creating $(VENV) and installing edgarmon with its dev tools (first run: about a minute)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check --progress-bar off -q --upgrade pip
	$(BIN)/pip install --disable-pip-version-check --progress-bar off -e '.[dev]' | awk '/^(Collecting|Successfully)/'
	touch $(STAMP)

## install: the Python dependencies and the Kafka broker's jars (cached)
install: $(STAMP)
	@$(BIN)/edgarmon broker install >/dev/null

## demo: the main job, offline, on a local broker started and stopped for it
demo: install
	$(BIN)/edgarmon demo

## test: the whole test suite (starts its own broker unless EDGARMON_KAFKA_BOOTSTRAP_SERVERS is set;
## installs kustomize and hadolint for tests/deploy; a skipped test fails the run)
test: install
	@scripts/deploy-check --test-tools | awk '!/^== tools$$/'
	$(BIN)/pytest --no-skips

## lint: ruff (lint and format check), mypy --strict, and the schema and settings-reference drift checks
lint: install
	$(BIN)/ruff check src services tests benchmarks
	$(BIN)/vulture
	$(BIN)/ruff format --check src services tests benchmarks
	$(BIN)/mypy src services tests benchmarks
	$(BIN)/edgarmon schemas --check
	$(BIN)/edgarmon config-reference --check README.md

## deploy-check: render every overlay, validate against Kubernetes schemas, lint (tools cached in .tools/)
deploy-check: install
	scripts/deploy-check

format: install
	$(BIN)/ruff check --fix src services tests benchmarks
	$(BIN)/ruff format src services tests benchmarks

## bench: the benchmarks; each prints percentiles, ratios and memory
bench: install
	@for bench in benchmarks/*_bench.py; do echo "== $$bench"; $(BIN)/python $$bench || exit 1; done

broker-start: install
	$(BIN)/edgarmon broker start

broker-stop:
	$(BIN)/edgarmon broker stop

clean:
	-$(BIN)/edgarmon broker stop
	rm -rf $(VENV) .kafka/run .mypy_cache .ruff_cache .pytest_cache
