# Every target builds the virtual environment it needs (.venv) from pinned versions.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WHEELS := $(VENV)/lambda-wheels/.fetched
CHROMIUM := /usr/bin/chromium

.PHONY: help demo test lint check bench bench-quick clean package template chromium

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml constraints.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[aws]' -r requirements-dev.txt
	touch $(STAMP)

# the bot layer's arm64 wheels, fetched once from the package index; later builds and the
# packaging tests read them from here, offline
$(WHEELS): $(STAMP) constraints.txt
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

demo: $(STAMP) ## run the whole pipeline on a simulated conversation (no token, no network)
	$(BIN)/tglake demo

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/ruff check scripts
	$(BIN)/python scripts/render_template.py --check
	$(BIN)/cfn-lint infra/template.yaml

test: chromium lint $(WHEELS) ## lint, type-check and run the test suite (what CI runs)
	$(BIN)/pytest -q

bench: $(STAMP) ## run the benchmarks in bench/ and print their ratios to each floor (~15 min)
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
	$(BIN)/python bench/ingest.py --wrk --quick
	$(BIN)/python bench/etl.py --quick
	$(BIN)/python bench/scale_model.py

clean: ## remove the environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

package: $(WHEELS) ## build the two Lambda zips into build/ (reproducible: same sources, same bytes)
	$(BIN)/python scripts/package_lambdas.py --out build

template: $(STAMP) ## re-render the generated parts of infra/template.yaml (Glue tables, queries)
	$(BIN)/python scripts/render_template.py
