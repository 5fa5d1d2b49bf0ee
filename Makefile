# Every target sets up .venv by itself on a fresh machine, and skips that when
# requirements are unchanged (the stamp is named by their hash, not mtimes,
# because a fresh clone gives every file the same mtime).

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
REQ_HASH := $(shell cat requirements.txt requirements-test.txt | sha256sum | cut -c1-16)
STAMP := $(VENV)/.installed-$(REQ_HASH)
# The checkers the tests run (axe-core, the Nu Html Checker), pinned by package-lock.json.
NODE_HASH := $(shell sha256sum package-lock.json | cut -c1-16)
NODE_STAMP := node_modules/.installed-$(NODE_HASH)
FIGURES := $(BIN)/python -m plugins.figures.cli
PORT ?= 8000
export MPLCONFIGDIR := $(CURDIR)/.cache/matplotlib
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help html serve devserver check test clean publish bench screenshots

help:
	@echo "make serve      build the site and serve it at http://localhost:$(PORT)/"
	@echo "make devserver  rebuild on every save under content/ data/ theme/ plugins/, and serve"
	@echo "make html       build into output/ (the old site stays if the build fails)"
	@echo "make check      check data/ only, in well under a second"
	@echo "make test       run every test"
	@echo "make publish    build with publishconf.py into output/ after all checks"
	@echo "make bench      measure build times against a bare Pelican build"
	@echo "make screenshots  every page at 390/1280 px, light/dark, into screenshots/"
	@echo "make clean      remove output/ and caches"

$(STAMP): requirements.txt requirements-test.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	rm -f $(VENV)/.installed-*
	touch $@

# npm ci empties node_modules/ first, so an old stamp never survives a new lock file.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

html: $(STAMP)
	$(FIGURES) build

serve: html
	$(FIGURES) serve --port $(PORT)

devserver: $(STAMP)
	$(FIGURES) devserver --port $(PORT)

check: $(STAMP)
	$(FIGURES) check

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

publish: $(STAMP)
	$(FIGURES) build --settings publishconf.py

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

screenshots: html
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf output .output-* .cache screenshots .pytest_cache
