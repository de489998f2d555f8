# Two entry points: `make demo` (set up, batch-check the bundled examples, write a report)
# and `make test` (set up, run the whole test suite). Both work on a fresh machine with Python 3.11.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint bench browser validators clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,web]'
	touch $(STAMP)

setup: $(STAMP)

# The date the examples are written for (see examples/README.md). The examples include plans
# that fail (exit 1) and plans that cannot be read (exit 2): the demo shows both; any other
# exit code stops it.
AS_OF ?= 2030-06-01

demo: $(STAMP)
	@mkdir -p out
	$(BIN)/nis batch examples --as-of $(AS_OF) --out out/results.jsonl --csv out/results.csv || [ $$? -le 2 ]
	$(BIN)/nis check examples/*.yaml examples/*.json --as-of $(AS_OF) \
		--format html --output out/report.html || [ $$? -le 2 ]
	@echo
	@echo "Demo output, as of $(AS_OF):"
	@echo "  $(CURDIR)/out/results.jsonl  one JSON record per example (broken ones get an error record)"
	@echo "  $(CURDIR)/out/results.csv    one row per example"
	@echo "  $(CURDIR)/out/report.html    the report on every example plan: open it in a browser"

test: $(STAMP)
	$(BIN)/python -m pytest

# The static gates CI runs after the tests: ruff over the code, tests and benchmarks, and
# mypy --strict over the package (configuration in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy --strict src/inclusion_standards

# nis's own schemas compiled to Python and shipped (src/inclusion_standards/validators/): run
# after editing a schema in schemas/; a test fails until it is.
validators: $(STAMP)
	$(BIN)/python -c 'from pathlib import Path; from inclusion_standards.documents import DOCUMENT_TYPES, \
		validator_source; [Path(f"src/inclusion_standards/validators/{t}.py").write_text(validator_source(t), \
		encoding="utf-8") for t in DOCUMENT_TYPES]'

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/peers.py
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/scaling.py
	$(BIN)/python benchmarks/batch.py

# The browser the web page's end-to-end test drives: Debian's Chromium (never a browser
# download). Installed with apt-get when running as root with apt; otherwise the test is
# skipped and .ci/run says so. Prints the browser's path when one is there.
BROWSER ?= /usr/bin/chromium

browser:
	@if [ ! -x $(BROWSER) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	@if [ -x $(BROWSER) ]; then $(BROWSER) --version; else echo "no browser at $(BROWSER)"; fi

clean:
	rm -rf $(VENV) build out *.egg-info src/*.egg-info
