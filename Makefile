# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make serve   build and serve the site on http://127.0.0.1:8000
#   make test    lint, workflow checks, the strict build and every test
# Other verbs: build, check, offline, bench, lock, clean; build-properdocs, build-zensical, test-zensical
# (the other engines, README "Stack").

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# MkDocs 1.x prints a banner about MkDocs 2 on every run; README explains the stack risk once.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test lint check offline bench lock clean trials-watch build-properdocs build-zensical test-zensical

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

# The engine that serves and builds the site (README, "Stack"): MkDocs today. The switch to
# ProperDocs, the maintained fork that gate B proves writes the same bytes, is one variable:
#   make build ENGINE=properdocs
# (-f: ProperDocs reads mkdocs.yml only as a deprecated fallback for properdocs.yml.)
ENGINE ?= mkdocs
PD_VENV := .venv-properdocs
ifeq ($(ENGINE),properdocs)
ENGINE_DEPS := $(PD_VENV)/.installed
ENGINE_CMD := $(PD_VENV)/bin/properdocs
else ifeq ($(ENGINE),mkdocs)
ENGINE_DEPS := $(VENV)/.build-installed
ENGINE_CMD := $(BIN)/mkdocs
else
$(error ENGINE must be mkdocs or properdocs, not '$(ENGINE)')
endif

serve: $(ENGINE_DEPS)
	$(ENGINE_CMD) serve -f mkdocs.yml --dev-addr 127.0.0.1:8000

build: $(ENGINE_DEPS)
	$(ENGINE_CMD) build -f mkdocs.yml --strict --clean

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

# Gate B (tests/test_engine_properdocs.py) needs the ProperDocs virtualenv.
test: lint tests/vnu/node_modules/.installed $(PD_VENV)/.installed
	$(BIN)/python -m pytest

check: $(VENV)/.dev-installed
	$(BIN)/python scripts/check_site.py $(CHECK_ARGS)

# One zip per language in dist/, readable from file:// with no network (scripts/make_offline.py).
# Builds the site (strict) into a temporary folder unless OFFLINE_ARGS says --site DIR.
offline: $(VENV)/.dev-installed
	$(BIN)/python scripts/make_offline.py $(OFFLINE_ARGS)

# Compare trials.yaml with ClinicalTrials.gov (network); the result feeds `make check`.
trials-watch: $(VENV)/.dev-installed
	$(BIN)/python scripts/trials_watch.py $(WATCH_ARGS)

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

# Other engines (README, "Stack"), each in its own virtualenv from its own lock file: ProperDocs
# answers `import mkdocs` itself (gate B, in `make test`); Zensical is tried and may fail (job C).
ZS_VENV := .venv-zensical

$(PD_VENV)/.installed: requirements-properdocs.txt | $(BIN)/python
	$(PYTHON) -m venv $(PD_VENV)
	$(PD_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-properdocs.txt
	@touch $@

$(ZS_VENV)/.installed: requirements-zensical.txt | $(BIN)/python
	$(PYTHON) -m venv $(ZS_VENV)
	$(ZS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-zensical.txt
	@touch $@

build-properdocs: $(PD_VENV)/.installed
	$(PD_VENV)/bin/properdocs build -f mkdocs.yml --strict --clean -d site-properdocs

build-zensical: $(ZS_VENV)/.installed
	$(PYTHON) scripts/engines.py zensical site-zensical --venv $(ZS_VENV)

# Job C: the feature checks on every Zensical variant; writes the table to ENGINE_C_REPORT.
ENGINE_C_REPORT ?= engine-c-report.md
test-zensical: $(VENV)/.dev-installed $(ZS_VENV)/.installed
	ENGINE_C_REPORT=$(ENGINE_C_REPORT) $(BIN)/python -m pytest -m engine_c tests/test_engine_zensical.py

# Recompile the lock files after editing requirements*.in (needs the package index). Index
# locations are not written into the files: they belong to the machine, not the project.
COMPILE := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: $(VENV)/.dev-installed
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile $(COMPILE) -o requirements.txt requirements.in
	$(BIN)/pip-compile $(COMPILE) -o requirements-dev.txt requirements-dev.in
	$(BIN)/pip-compile $(COMPILE) -o requirements-bench.txt requirements-bench.in
	$(BIN)/pip-compile $(COMPILE) -o requirements-zensical.txt requirements-zensical.in
# MkDocs left out: gate B proves the build needs none (requirements-properdocs.in).
	$(BIN)/pip-compile $(subst --allow-unsafe,--unsafe-package mkdocs,$(COMPILE)) \
		-o requirements-properdocs.txt requirements-properdocs.in

clean:
	rm -rf site dist site-properdocs site-zensical engine-c-report.md .pytest_cache .ruff_cache
