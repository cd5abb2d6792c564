# The README's commands are these targets. Everything installs from the project's own files.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
OUT := data/out
SAMPLE_INPUTS := $(wildcard data/sample/*) $(wildcard pipeline/*.py) $(wildcard data/*.csv) $(wildcard data/*.toml) $(wildcard data/timex/*)

.PHONY: run build test lint bench bench-dashboard chromium clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The sample table is rebuilt only when it is missing or older than its inputs.
$(OUT)/events.parquet: $(VENV)/.installed $(SAMPLE_INPUTS)
	$(PY) -m pipeline build data/sample --out $(OUT)

build: $(OUT)/events.parquet

run: $(OUT)/events.parquet
	$(VENV)/bin/streamlit run dashboard.py

chromium:
	@bash scripts/ensure_chromium.sh

test: $(VENV)/.dev-installed chromium
	$(PY) -m pytest

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy pipeline

bench: $(VENV)/.dev-installed
	$(PY) bench/bench_build.py

bench-dashboard: $(VENV)/.dev-installed chromium
	$(PY) bench/bench_dashboard.py

clean:
	rm -rf $(OUT) data/cache .pytest_cache
