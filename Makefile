# Two commands for a fresh machine with python3 and pip:  make demo  |  make test
SHELL := /bin/bash
PYTHON ?= python3
# uv from PATH, else from the user site, else bootstrapped into .tools/ (a venv, so that a
# Debian python3 that refuses `pip install --user` (PEP 668) works too)
UV_BOOTSTRAP := $(CURDIR)/.tools/bin/uv
UV := $(shell command -v uv 2>/dev/null || ($(PYTHON) -m uv --version >/dev/null 2>&1 && echo $(PYTHON) -m uv) || echo $(UV_BOOTSTRAP))
export UV_PYTHON_DOWNLOADS := never
export DO_NOT_TRACK := 1
export DAGSTER_DISABLE_TELEMETRY := 1
export DATA_DIR := $(CURDIR)/data
export SMARTDATA_SOURCES_DIR ?= $(DATA_DIR)/sources
export SMARTDATA_WAREHOUSE ?= $(DATA_DIR)/warehouse.duckdb
export DAGSTER_HOME ?= $(DATA_DIR)/dagster_home
CUSTOMERS ?= 600
SEED ?= 42
RUN := $(UV) run --frozen

.PHONY: demo test setup install sample-data manifest dagster-home ui docs bench clean

demo: setup sample-data  ## fill the mart from the demo sources and print a summary
	@echo "Running the nightly_refresh job (log: $(DATA_DIR)/last_run.log) ..."
	@$(RUN) dagster job execute -m orchestration.definitions -j nightly_refresh > $(DATA_DIR)/last_run.log 2>&1 \
		|| (grep -E "STEP_FAILURE|Error|error" $(DATA_DIR)/last_run.log | tail -40; echo "the run failed; full log: $(DATA_DIR)/last_run.log"; exit 1)
	$(RUN) python -m orchestration.summary

test: setup  ## run the test suite
	$(RUN) pytest -n 2 --dist loadgroup

setup: install manifest dagster-home

install:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || test -x $(UV_BOOTSTRAP) \
		|| ($(PYTHON) -m venv .tools && .tools/bin/pip install --quiet uv)
	$(UV) sync --frozen

# New sample data replaces every source wholesale: start the warehouse afresh, or incremental
# entities would merge the new data into the old by their stored watermarks.
sample-data:
	rm -f $(SMARTDATA_WAREHOUSE) $(SMARTDATA_WAREHOUSE).wal
	$(RUN) python -m sources.demo --customers $(CUSTOMERS) --seed $(SEED) --out $(SMARTDATA_SOURCES_DIR)

# dbt's manifest is prepared here, not at Dagster load time (prepare_if_dev only runs under dagster dev).
manifest:
	cd dbt_project && $(RUN) dbt parse --profiles-dir . --quiet

dagster-home:
	@mkdir -p $(DAGSTER_HOME) && cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml

ui: setup  ## the Dagster UI on http://127.0.0.1:3000
	$(RUN) dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

docs: setup  ## dbt docs on http://127.0.0.1:8080
	cd dbt_project && $(RUN) dbt docs generate --profiles-dir . && $(RUN) dbt docs serve --profiles-dir . --host 127.0.0.1 --port 8080

clean:
	rm -rf data dbt_project/target dbt_project/logs

# Scales S (demo, 600 customers) and M (50,000) by default; `make bench SCALE=L` for 500,000.
SCALE ?= S M
bench: setup  ## refresh benchmark (not part of make test); JSON in bench-results/
	$(RUN) python -W ignore -m benchmarks.refresh $(foreach scale,$(SCALE),--scale $(scale))
