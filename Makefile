# The two commands of the README's quick start, and what they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test messages clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: set up, then build a demo organisation in itss.sqlite3 with one account per role,
## assess everyone, show the framework overview and one person's explained assessment, and
## serve the pages and the API on 127.0.0.1:8000 until Ctrl+C
demo: $(STAMP)
	$(BIN)/itss framework list
	$(BIN)/itss demo
	$(BIN)/itss assess docs/examples/evidence-ja.yaml --as-of 2026-04-01
	$(BIN)/itss serve

## test: set up, then lint, type-check and run the whole test suite
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

## messages: compile the message catalogues (.po) into what runs (.mo), after editing them
messages: $(STAMP)
	$(BIN)/pybabel compile --domain itss --directory src/itss/i18n/locale

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
