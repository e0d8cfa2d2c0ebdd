# Two entry points: `make run` (the end-to-end job) and `make test` (lint, types, tests).
# Both set everything up on a fresh Debian machine: Debian packages, a venv, Python packages.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# bubblewrap: the sandbox; postgresql: storage tests; chromium: the HTML report test;
# prometheus: promtool checks the exporter's output and the rendered rules;
# prometheus-alertmanager: the rendered routing is checked and run; tmux: the live monitor is tested in it
DEBIAN_PACKAGES := bubblewrap postgresql chromium prometheus prometheus-alertmanager tmux
BUILTIN := src/agentic_testgen/datasets/builtin

.PHONY: docs run test setup system lint types unit clean schema

system:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

setup: system $(STAMP)
	@# Pynguin pins its own pytest: atg makes it an environment in the user's cache
	@# (~/.cache/atg/pynguin-<version>), found from any directory; nothing to do when it is there
	$(BIN)/atg setup pynguin
	@# JUnit + JaCoCo from Maven Central, atg's JUnit harness compiled: ~/.cache/atg/java-tools-*
	$(BIN)/atg setup java
	@# c8 and v8-to-istanbul from their pinned lock (npm ci): ~/.cache/atg/node-tools-*
	$(BIN)/atg setup javascript

run: setup
	$(BIN)/atg eval file --source examples/inventory/inventory.py \
		--tests examples/inventory/test_inventory.py --json out/inventory.json
	$(BIN)/atg eval file --source examples/inventory/inventory.py \
		--tests examples/inventory/weak_test_inventory.py --json out/inventory-weak.json
	$(BIN)/atg generate --file examples/inventory/inventory.py --coder offline --max-seconds 60 \
		--max-iterations 2 --output out/test_inventory_generated.py --force
	$(BIN)/atg eval file --source examples/inventory/inventory.py \
		--tests out/test_inventory_generated.py --json out/inventory-generated.json --html out/html
	$(BIN)/atg guard scan examples out/test_inventory_generated.py
	@# JavaScript and Java: offline characterization tests, then their evaluation with mutants
	$(BIN)/atg generate --file $(BUILTIN)/javascript/money.mjs --output out/money.test.mjs --force
	$(BIN)/atg eval file --source $(BUILTIN)/javascript/money.mjs --tests out/money.test.mjs \
		--json out/money.json --mutation-report out/money-mutants.json
	$(BIN)/atg generate --file $(BUILTIN)/java/Clamp.java --output out/ClampCharacterizationTest.java \
		--force
	$(BIN)/atg eval file --source $(BUILTIN)/java/Clamp.java \
		--tests out/ClampCharacterizationTest.java --json out/clamp.json \
		--mutation-report out/clamp-mutants.json
	$(BIN)/atg eval run --dataset mixed --workspace evals --evaluators safety,red_team --tag team=demo
	@# the agents on their labeled sets: a coder below its bar (most third-party coders are) or a
	@# critic under it on a loaded machine is reported and exits 1, which does not stop this job
	-$(BIN)/atg eval agents --workspace evals
	$(BIN)/atg eval run --dataset synthetic-simple --generator agent --name agent-demo \
		--workspace evals --jobs 2 --tag team=demo --evaluators none
	$(BIN)/atg slo report --workspace evals --window 1d
	$(BIN)/atg cost report --workspace evals --window 1d
	$(BIN)/atg trace show latest --workspace evals --depth 2
	$(BIN)/atg metrics show --workspace evals > out/metrics.prom
	promtool check metrics < out/metrics.prom
	@echo "generated tests: out/test_inventory_generated.py (page: out/html/inventory.html)"
	@echo "JavaScript and Java: out/money.test.mjs, out/ClampCharacterizationTest.java, mutants in out/*-mutants.json"
	@echo "suite reports: evals/results/*.html; history: atg eval trend agent-demo --workspace evals"
	@echo "guardrails: atg eval safety / atg eval redteam (stored as the suites safety, red_team)"
	@echo "metrics: out/metrics.prom ($$(grep -c '^# TYPE' out/metrics.prom) families); live: atg monitor --workspace evals"

lint: setup
	$(BIN)/ruff check src tests examples bench
	$(BIN)/ruff format --check src tests examples bench

types: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -n auto

test: lint types unit

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache

docs: setup
	$(BIN)/typer agentic_testgen.cli._app utils docs --name atg --title "atg command reference" \
		--output docs/cli.md

schema: setup
	$(BIN)/python -c "import json; from agentic_testgen.reports import result_schema; \
	open('docs/eval-result.schema.json', 'w').write(json.dumps(result_schema(), indent=2) + '\n')"
