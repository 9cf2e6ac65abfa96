# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make serve   build and serve the site on http://127.0.0.1:8000
#   make test    lint, workflow checks, the strict build and every test
# Other verbs: build, check, bench, lock, clean.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# MkDocs 1.x prints a banner about MkDocs 2 on every run; README explains the stack risk once.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test lint check bench lock clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Installs exactly what the lock files name, verified by hash, and nothing else.
$(VENV)/.build-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.build-installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.txt
	@touch $@

serve: $(VENV)/.build-installed
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(VENV)/.build-installed
	$(BIN)/mkdocs build --strict --clean

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests
	$(BIN)/zizmor --offline --quiet .github/workflows
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

# The W3C Nu HTML Checker for tests/test_html_valid.py, exactly as tests/vnu/package-lock.json
# names it. --ignore-scripts: its install script would download a Java runtime; the test uses
# the system's java (.ci/run installs Debian's).
tests/vnu/node_modules/.installed: tests/vnu/package.json tests/vnu/package-lock.json
	npm ci --prefix tests/vnu --no-audit --no-fund --ignore-scripts
	@touch $@

test: lint tests/vnu/node_modules/.installed
	$(BIN)/python -m pytest

check: $(VENV)/.dev-installed
	$(BIN)/python scripts/check_site.py $(CHECK_ARGS)

# Benchmarks (scripts/bench.py): lychee and LinkChecker from requirements-bench.txt into .venv,
# Lighthouse and linkinator from bench/package-lock.json into bench/node_modules (npm ci).
$(VENV)/.bench-installed: requirements-bench.txt $(VENV)/.dev-installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-bench.txt
	@touch $@

bench/node_modules/.installed: bench/package.json bench/package-lock.json
	npm ci --prefix bench --no-audit --no-fund
	@touch $@

bench: $(VENV)/.bench-installed bench/node_modules/.installed
	$(BIN)/python scripts/bench.py

# Recompile the lock files after editing requirements*.in (needs the package index). Index
# locations are not written into the files: they belong to the machine, not the project.
COMPILE := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: $(VENV)/.dev-installed
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile $(COMPILE) -o requirements.txt requirements.in
	$(BIN)/pip-compile $(COMPILE) -o requirements-dev.txt requirements-dev.in
	$(BIN)/pip-compile $(COMPILE) -o requirements-bench.txt requirements-bench.in

clean:
	rm -rf site .pytest_cache .ruff_cache
