# 窗口无否决权 kiosk — `make help` lists the targets.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（找不到 $(PYTHON)）；可用 make PYTHON=python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the kiosk with its dev tools

run: $(STAMP) ## Start the kiosk on the bundled demo centre
	$(BIN)/kiosk run

test: $(STAMP) ## Install everything and run every test (lint contracts, rules, pytest)
	$(BIN)/lint-imports
	$(BIN)/kiosk rules check
	$(BIN)/kiosk rules test
	$(BIN)/pytest -q

check: $(STAMP) ## Lint, format check, type check, import contracts
	$(BIN)/ruff check kiosk tests bench
	$(BIN)/ruff format --check kiosk tests bench
	$(BIN)/mypy kiosk
	$(BIN)/lint-imports

soak: $(STAMP) ## Long concurrency and durability runs
	KIOSK_SOAK=1 $(BIN)/pytest -q -m "slow or not slow"

bench: $(STAMP) ## Print classification and case-store benchmark figures
	$(BIN)/python bench/classify_latency.py
	$(BIN)/python bench/store_write.py
	$(BIN)/python bench/search_latency.py

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

.PHONY: help install run test check soak bench clean
