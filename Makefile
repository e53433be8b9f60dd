# Russia–Ukraine war diplomacy briefs. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock 2>/dev/null | sha256sum | cut -c1-12)

.DEFAULT_GOAL := help
.PHONY: help env reports site pdf test reader test-fast browser lab validate codebook lint format benchmark clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "setting up $(VENV) from requirements.lock (first run only)"
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	@$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $@

env: $(STAMP) ## Create the virtual environment (.venv) from the pinned requirements

# make exits 2 whenever a recipe fails, whatever the build's code: the recipe names the build's own
# exit code on its last line (README, "When things go wrong"); scripts that act on it run the build directly.
reports: $(STAMP) ## Validate the data and build every brief into reports/ (only what changed)
	@$(PY) -m analysis build || { code=$$?; echo "make reports: the build exited $$code (make itself exits 2; see README, When things go wrong)" >&2; exit $$code; }

site: $(STAMP) ## Build briefs sharing one plotly.min.js (smaller, for a website)
	@$(PY) -m analysis build --site --out reports/site

pdf: $(STAMP) ## Build briefs and print each to PDF (needs Chromium)
	@$(PY) -m analysis build --pdf

# pytest-xdist workers: one more than the cores, at most four (the tests wait on kernels, browsers and
# subprocesses, so a third worker on two cores keeps them busy); the tests sharing one reading of
# every brief stay in one worker (tests/conftest.py).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); echo $$(( n < 4 ? n + 1 : 4 )))
test: $(STAMP) ## Run the whole test suite (unit, integration, conventions, browser)
	@$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadgroup

reader: reports ## Read every brief in reports/ in Chromium against the reader rules (tests/reader)
	@READER_REPORTS=reports $(PY) -m pytest -q tests/reader/test_words.py tests/reader/test_charts_explained.py \
		tests/reader/test_layout.py tests/reader/test_eve_briefs.py tests/reader/test_accessibility.py

test-fast: $(STAMP) ## Unit and convention tests only
	@$(PY) -m pytest -q -m "not slow and not browser"

browser: ## Install headless Chromium for the browser tests and PDF export (Debian, as root)
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

lab: $(STAMP) ## Open the notebooks in JupyterLab (the .py files open as notebooks)
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@echo '{"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"python": "Jupytext Notebook"}}}' > $(VENV)/share/jupyter/lab/settings/overrides.json
	@$(VENV)/bin/jupyter lab notebooks/

validate: $(STAMP) ## Validate the data; errors name file:line:column
	@$(PY) -m analysis validate

codebook: $(STAMP) ## Regenerate data/README.md from the schemas
	@$(PY) -m analysis codebook

lint: $(STAMP) ## ruff check + format check
	@$(VENV)/bin/ruff check analysis tests benchmarks scripts && $(VENV)/bin/ruff format --check analysis tests benchmarks scripts

format: $(STAMP) ## Format the code with ruff
	@$(VENV)/bin/ruff format analysis tests benchmarks scripts

benchmark: $(STAMP) ## Naive vs ours: full build, no-op, one-table change, sizes, render times
	@$(PY) benchmarks/bench_build.py

clean: ## Remove built briefs (keeps .venv)
	@find reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
