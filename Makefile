# Every target sets up .venv by itself on a fresh machine, and skips that when
# requirements are unchanged (each stamp is named by their hash, not mtimes,
# because a fresh clone gives every file the same mtime). Building the site needs
# requirements.txt only; the tests and the linter need requirements-test.txt too.

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_HASH := $(shell cat requirements.txt | sha256sum | cut -c1-16)
STAMP := $(VENV)/.installed-run-$(RUN_HASH)
TEST_HASH := $(shell cat requirements.txt requirements-test.txt | sha256sum | cut -c1-16)
TEST_STAMP := $(VENV)/.installed-test-$(TEST_HASH)
# The checkers the tests run (axe-core, the Nu Html Checker), pinned by package-lock.json.
NODE_HASH := $(shell sha256sum package-lock.json | cut -c1-16)
NODE_STAMP := node_modules/.installed-$(NODE_HASH)
FIGURES := $(BIN)/python -m plugins.figures.cli
PORT ?= 8000
export MPLCONFIGDIR := $(CURDIR)/.cache/matplotlib
# Python keeps compiled modules in __pycache__/ (ignored by git and by the build's
# fingerprint): a rebuild then skips compiling the plugin, ~35 ms.
unexport PYTHONDONTWRITEBYTECODE

# Deploying (see README, "Publish"). Override on the command line, e.g.
#   make deploy-rsync SSH_TARGET=deploy@news.example.org:/var/www/figures/
#   make deploy-github CNAME=figures.example.org
SSH_TARGET ?=
GHP_REMOTE ?= origin
GHP_BRANCH ?= gh-pages
GHP_PUSH ?= --push
CNAME ?=

.PHONY: help html serve devserver preview check lint test clean publish deploy-github deploy-rsync bench screenshots messages

help:
	@echo "make serve      build the site and serve it at http://localhost:$(PORT)/"
	@echo "make devserver  rebuild on every save under content/ data/ theme/ plugins/, and serve: open pages reload or show the problems; /_preview/ shows every chart, card, figure and claim"
	@echo "make preview    the same, with pages marked Status: draft (built into .cache/preview/, never published)"
	@echo "make html       build into output/ (the old site stays if the build fails)"
	@echo "make check      every check the build makes before Pelican (data, pages, templates, settings), without building"
	@echo "make test       check the code with ruff, then run every test"
	@echo "make lint       check the code with ruff only"
	@echo "make publish    build with publishconf.py, check everything, then replace output/"
	@echo "make deploy-github  publish, then put output/ on the gh-pages branch and push it"
	@echo "make deploy-rsync SSH_TARGET=user@host:/path/  publish, then copy output/ there over SSH"
	@echo "make bench      measure build times against a bare Pelican build"
	@echo "make screenshots  every page at 390/1280 px, light/dark, into screenshots/"
	@echo "make messages   list every translatable interface string in .cache/messages.pot (Babel's extractors)"
	@echo "make clean      remove output/ and caches"

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-run-*
	touch $@

# On top of the runtime stamp: pytest, the browser driver, ruff (requirements-test.txt).
$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	rm -f $(VENV)/.installed-test-*
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

# Drafts (`Status: draft`) are never built into output/; this builds them, at the
# address they will have, into .cache/preview/ (which nothing publishes) and serves that.
preview: $(STAMP)
	$(FIGURES) devserver --drafts --port $(PORT)

check: $(STAMP)
	$(FIGURES) check

# ruff first (pyproject.toml): a finding stops `make test`, and so CI, before pytest starts.
lint: $(TEST_STAMP)
	$(BIN)/ruff check .

test: lint $(NODE_STAMP)
	$(BIN)/python -m pytest

# A full build with publishconf.py in a scratch folder; data, typed figures and
# links are checked before it replaces output/.
publish: $(STAMP)
	$(FIGURES) publish

# GitHub Pages: output/ becomes the only commit content of $(GHP_BRANCH), pushed to
# $(GHP_REMOTE) (GHP_PUSH= to commit without pushing). GitHub ignores _headers;
# the <meta> tags still carry the security policy.
deploy-github:
	$(MAKE) publish
	$(BIN)/ghp-import --no-jekyll $(GHP_PUSH) --remote $(GHP_REMOTE) --branch $(GHP_BRANCH) \
	  $(if $(CNAME),--cname $(CNAME)) --message "Publish $$(git rev-parse --short HEAD 2>/dev/null || echo site)" output

# Any web server you can reach over SSH. Files are swapped in at the end
# (--delay-updates) and files no longer in the site are removed (--delete-after).
deploy-rsync:
	@test -n "$(SSH_TARGET)" || { echo "make deploy-rsync: set SSH_TARGET, e.g. make deploy-rsync SSH_TARGET=deploy@news.example.org:/var/www/figures/ — nothing was published" >&2; exit 2; }
	@command -v rsync >/dev/null || { echo "make deploy-rsync: rsync is not installed (apt-get install rsync) — nothing was published" >&2; exit 2; }
	$(MAKE) publish
	rsync -rlvz --checksum --delete-after --delay-updates --chmod=D755,F644 -e ssh output/ "$(SSH_TARGET)"

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

# Playwright drives the browser: a test requirement.
screenshots: html $(TEST_STAMP)
	$(BIN)/python scripts/screenshots.py

# Every string the templates and the plugin mark for translation, as Babel extracts
# them (babel.cfg; -k t:2 is the plugin's translator, as in plugins/figures/i18n.py),
# with their lines, into .cache/messages.pot (not committed: the catalogue is the
# record). The plugin's own strings also go, sorted and without lines, into
# plugins/figures/messages.pot (committed: the build checks the catalogues against it
# without extracting Python code, and a test fails when it is out of date).
messages: $(STAMP)
	mkdir -p .cache
	$(BIN)/pybabel extract -F babel.cfg -k t:2 --sort-by-file --omit-header -o .cache/messages.pot .
	$(BIN)/pybabel extract -k t:2 --no-location --sort-output --omit-header -o plugins/figures/messages.pot plugins/figures

clean:
	rm -rf output .output-* .cache screenshots .pytest_cache .ruff_cache
