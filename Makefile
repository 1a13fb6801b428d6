# Every target creates or reuses .venv and installs what it needs.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast bench lint docs docs-serve figures clean

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

# the documentation site, offline, into site/ (--strict: a broken link or a warning fails)
docs: $(STAMP)
	$(BIN)/python -m mkdocs build --strict --site-dir site

docs-serve: $(STAMP)
	$(BIN)/python -m mkdocs serve --dev-addr 127.0.0.1:8001

# the site's figures, drawn from real runs (committed; rerun after changing what they show)
figures: $(STAMP)
	$(BIN)/python docs/figures/make_figures.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts

clean:
	rm -rf $(VENV) build site *.egg-info src/*.egg-info .pytest_cache
