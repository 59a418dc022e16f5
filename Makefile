# collabgov — the two commands a newcomer needs are `make run` and `make test`.

PYTHON ?= python3
VENV   ?= .venv
HOST   ?= $(or $(COLLABGOV_HOST),127.0.0.1)
PORT   ?= $(or $(COLLABGOV_PORT),8000)
BIN    := $(VENV)/bin
# Reinstalls when pyproject.toml changes.
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck format install clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "collabgov needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Create the environment, migrate the database, load the demo case into a new database, serve.
run: $(STAMP)
	$(BIN)/collabgov db upgrade
	$(BIN)/collabgov demo load --if-empty
	$(BIN)/collabgov serve --host $(HOST) --port $(PORT)

## Create the environment and run the whole suite: lint, types, tests (SQLite, and PostgreSQL
## when COLLABGOV_TEST_POSTGRES_URL is set or a server answers on the local socket).
test: $(STAMP) lint typecheck
	$(BIN)/pytest

## Extract the web app's messages into messages.pot and update the Indonesian catalog; translate
## the new entries in api/translations/id/LC_MESSAGES/messages.po (the app compiles it at start).
.PHONY: messages
messages: $(STAMP)
	$(BIN)/pybabel extract -F api/translations/babel.cfg -o api/translations/messages.pot \
		--no-wrap --sort-by-file --project=collabgov --version=0.1.0 \
		--copyright-holder="collabgov contributors" --msgid-bugs-address="" .
	$(BIN)/pybabel update -i api/translations/messages.pot -d api/translations -D messages \
		--no-wrap --ignore-obsolete

## Measure speed on a large synthetic case, on SQLite and (when it answers on 127.0.0.1)
## PostgreSQL: HTTP reads, pages and writes beside bare reference endpoints, derived views,
## memory. Prints a table; never fails on time. `make bench SIZE=small` for a quick run;
## more options through BENCH_ARGS (e.g. BENCH_ARGS=--no-network; see --help).
SIZE ?= large
BENCH_ARGS ?=
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python -m bench.scale_bench --size $(SIZE) $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy governance api tests

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
