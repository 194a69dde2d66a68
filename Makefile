# Fourth Pillar: `make run` sets up and starts the bot, `make test` runs every test.
# Both create the virtualenv and install the project on first use (and again when pyproject.toml changes).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PACKAGES := valuation prompts bot cli storage charts bench

.PHONY: setup run test lint bench bench-quick soak clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	@echo "Installing Fourth Pillar and its dependencies into $(VENV): a minute or two on the first run."
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -e '.[dev]'
	@echo "Installed."
	touch $(STAMP)

run: $(STAMP)
	@test -f .env || { echo "Create .env with DISCORD_TOKEN=... first (see .env.example)."; exit 2; }
	$(BIN)/fourth-pillar run

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(wildcard $(PACKAGES))

bench: $(STAMP)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.bot --no-charts  # the interaction-cost targets: the command itself, without its chart
	$(BIN)/python -m bench.charts
	$(BIN)/python -m bench.chart_latency

# The bot benchmark with small batches (well under a minute): a smoke run for CI, not the numbers.
bench-quick: $(STAMP)
	$(BIN)/python -m bench.bot --quick

# The reliability suite at full size (>= 10,000 interactions against the real bot and the fake Discord on 127.0.0.1,
# a few minutes); prints the table the README shows. `make test` runs quick versions of the same scenarios.
soak: $(STAMP)
	$(BIN)/python -m tests.reliability.soak

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
