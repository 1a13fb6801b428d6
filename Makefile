# Every target creates or reuses .venv and installs what it needs.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

# pytest-xdist spreads the tests over every core (WORKERS=1 runs them in this process)
WORKERS ?= auto
PYTEST  := $(BIN)/python -m pytest -q $(if $(filter 1,$(WORKERS)),,-n $(WORKERS) --dist loadgroup)

test: $(STAMP)
	$(PYTEST)

test-fast: $(STAMP)
	$(PYTEST) -m "not slow"

bench: $(STAMP)
	@for script in benchmarks/*_bench.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
