# Every target builds the virtual environment it needs (.venv) from pinned versions.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WHEELS := $(VENV)/lambda-wheels/.fetched
CHROMIUM := /usr/bin/chromium


LOCK := requirements.lock
LOWEST := .venv-lowest
DIST := build/dist
COMPILE := $(BIN)/uv pip compile pyproject.toml

.PHONY: help demo test lint check bench bench-quick clean package template chromium lock lowest dist

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# every package from the lock, checked against its hashes; then tglake itself, built with the
# locked setuptools (no build isolation, so nothing unhashed is fetched)
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

# the bot layer's arm64 wheels, fetched once from the package index; later builds and the
# packaging tests read them from here, offline
$(WHEELS): $(STAMP) $(LOCK)
	$(BIN)/python scripts/package_lambdas.py --fetch-wheels
	touch $(WHEELS)

chromium: ## Debian's chromium for the report's browser test: installed when missing and root
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium (the report's browser test opens the report in it)"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else \
	    echo "The report's browser test needs Debian's chromium. Run:  sudo apt-get install -y chromium" >&2; \
	    exit 1; \
	  fi; \
	fi

lock: $(STAMP) ## renew requirements.lock: the newest versions pyproject.toml allows, with hashes
	$(COMPILE) --extra aws --group dev --generate-hashes --universal --python-version 3.11 --upgrade -o $(LOCK)

# the lowest versions pyproject.toml allows (direct dependencies at their lower bounds), installed
# once into .venv-lowest (needs PyPI; redone only when pyproject.toml changes), smoke-tested each run
$(LOWEST)/.installed: pyproject.toml $(STAMP)
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	# setuptools: the build's floor; botocore: boto3's, which lowest-direct would take at its newest
	printf 'setuptools>=77\nbotocore>=1.35.2\n' > $(LOWEST)/build.in
	$(COMPILE) $(LOWEST)/build.in --extra aws --resolution lowest-direct --python-version 3.11 -q -o $(LOWEST)/lowest.txt
	$(LOWEST)/bin/python -m pip install -q -r $(LOWEST)/lowest.txt
	$(LOWEST)/bin/python -m pip install -q --no-deps --no-build-isolation .
	touch $@

lowest: $(LOWEST)/.installed ## smoke-test tglake at the lower bounds of its dependencies
	$(BIN)/python scripts/smoke_lowest.py $(LOWEST)

dist: $(STAMP) ## build the sdist and wheel into build/dist and check them with twine
	rm -rf $(DIST)
	$(BIN)/python -m build --no-isolation --outdir $(DIST) -q
	$(BIN)/twine check --strict $(DIST)/*

demo: $(STAMP) ## run the whole pipeline on a simulated conversation (no token, no network)
	$(BIN)/tglake demo

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/ruff check scripts
	$(BIN)/python scripts/render_template.py --check
	$(BIN)/python scripts/build_lexicon.py --check
	$(BIN)/cfn-lint infra/template.yaml

test: chromium lint $(WHEELS) ## lint, type-check, run the test suite, smoke-test the lowest bounds, build and check
	$(BIN)/pytest -q
	$(MAKE) lowest dist

bench: $(STAMP) ## run the benchmarks in bench/ and print their ratios to each floor (~15 min)
	$(BIN)/python bench/ingest.py --wrk --tmpfs
	$(BIN)/python bench/ingest.py --wrk
	$(BIN)/python bench/etl.py --sizes 100000,1000000 --rounds 3
	$(BIN)/python bench/scale_model.py
	$(BIN)/python bench/lambda_webhook.py --s3
	$(BIN)/python bench/bot.py
	$(BIN)/python bench/poll_throughput.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/export_import.py

bench-quick: $(STAMP) ## the floor ratios only, short runs (~3 min)
	$(BIN)/python bench/ingest.py --wrk --quick --tmpfs
	$(BIN)/python bench/etl.py --quick
	$(BIN)/python bench/scale_model.py

clean: ## remove the environment and caches
	rm -rf $(VENV) $(LOWEST) $(DIST) .pytest_cache .mypy_cache .ruff_cache

package: $(WHEELS) ## build the two Lambda zips into build/ (reproducible: same sources, same bytes)
	$(BIN)/python scripts/package_lambdas.py --out build

template: $(STAMP) ## re-render the generated parts of infra/template.yaml (Glue tables, queries)
	$(BIN)/python scripts/render_template.py
