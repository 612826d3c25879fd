# Everything bootstraps a local .venv on first use (Python 3.11+).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chat web test browser lint bench score clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

chat: $(STAMP)
	$(BIN)/assistant chat

web: $(STAMP)
	$(BIN)/assistant web

# The browser tests drive Debian's chromium (installed when missing, see the script).
browser:
	bash tools/ensure-chromium.sh

test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/assistant bench

score: $(STAMP)
	$(BIN)/python ../shared/eval/score.py --command $(BIN)/assistant

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
