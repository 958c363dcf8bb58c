# Every target builds the virtual environment it needs (.venv) from pinned versions.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help demo test lint check bench clean package template

help: ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml constraints.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[aws]' -r requirements-dev.txt
	touch $(STAMP)

demo: $(STAMP) ## run the whole pipeline on a simulated conversation (no token, no network)
	$(BIN)/tglake demo

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/ruff check scripts
	$(BIN)/python scripts/render_template.py --check
	$(BIN)/cfn-lint infra/template.yaml

test: lint ## lint, type-check and run the test suite
	$(BIN)/pytest -q

bench: $(STAMP) ## run the benchmarks in bench/ and print their numbers
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/lambda_webhook.py --s3
	$(BIN)/python bench/bot.py
	$(BIN)/python bench/poll_throughput.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/etl.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/export_import.py

clean: ## remove the environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

package: $(STAMP) ## build the two Lambda zips into build/ (reproducible: same sources, same bytes)
	$(BIN)/python scripts/package_lambdas.py --out build

template: $(STAMP) ## re-render the generated parts of infra/template.yaml (Glue tables, queries)
	$(BIN)/python scripts/render_template.py
