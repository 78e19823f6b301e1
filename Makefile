# Bayegan: `make run` sets everything up and serves the UI; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
BAYEGAN := $(VENV)/bin/bayegan
# tesseract-ocr-script-arab: the Arabic-script model, the second reader of scanned dates and numbers;
# fonts-farsiweb: the held-out font of bench-metadata's scans
DEBIAN_PACKAGES := tesseract-ocr tesseract-ocr-fas tesseract-ocr-eng tesseract-ocr-script-arab poppler-utils \
  fonts-noto-core fonts-farsiweb chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install system-packages python-packages vendor demo run test test-fast clean-data

install: system-packages python-packages vendor

# Debian packages: Tesseract with its Persian data, poppler's pdftotext, fonts, Chromium for UI tests.
system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required"; exit 1; }
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

python-packages: $(VENV)/.installed

# The Vazirmatn web font, from the npm registry's `vazirmatn` package, served by the app itself
# (the intranet has no internet). search_web/static/vendor/ is git-ignored: this target makes it.
VAZIRMATN_VERSION := 33.0.3
FONT_DIR := search_web/static/vendor/vazirmatn
JDP_VERSION := 0.9.12
JDP_DIR := search_web/static/vendor/jalalidatepicker

vendor: $(FONT_DIR)/.installed $(JDP_DIR)/.installed

$(FONT_DIR)/.installed:
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm; }
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent vazirmatn@$(VAZIRMATN_VERSION) >/dev/null && \
	   tar xzf vazirmatn-$(VAZIRMATN_VERSION).tgz) && \
	  mkdir -p $(FONT_DIR) && \
	  cp "$$tmp"/package/fonts/webfonts/Vazirmatn-Regular.woff2 \
	     "$$tmp"/package/fonts/webfonts/Vazirmatn-Bold.woff2 "$$tmp"/package/OFL.txt $(FONT_DIR)/
	touch $@

# The Jalali date picker of the date fields, from the npm registry's `@majidh1/jalalidatepicker` (MIT):
# its minified build (the plain one runs its modules through eval, which the CSP forbids).
$(JDP_DIR)/.installed:
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm; }
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent @majidh1/jalalidatepicker@$(JDP_VERSION) >/dev/null && \
	   tar xzf majidh1-jalalidatepicker-$(JDP_VERSION).tgz) && \
	  mkdir -p $(JDP_DIR) && \
	  cp "$$tmp"/package/dist/jalalidatepicker.min.js "$$tmp"/package/dist/jalalidatepicker.min.css \
	     "$$tmp"/package/LICENSE $(JDP_DIR)/
	touch $@

# The demo documents, generated from text in scripts/make_demo.py, then ingested; the follow-ups of
# documents dated up to 1398/12/29 are applied to the decision register as the secretariat would.
demo: install
	$(PY) -m scripts.make_demo documents/demo
	$(BAYEGAN) ingest documents/demo
	$(BAYEGAN) register apply --all --until 1398/12/29 --user دبیرخانه

# On the first run there is no account: make an admin with a random password, kept 0600 in the data folder.
run: demo
	@if [ "$$($(BAYEGAN) user list --json)" = "[]" ]; then \
	  pw=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(12))"); \
	  echo "$$pw" | $(BAYEGAN) user add admin --role admin >/dev/null && \
	  (umask 077 && echo "$$pw" > documents/admin-password.txt) && \
	  echo "First run: log in as 'admin' with the password in documents/admin-password.txt: $$pw"; \
	fi
	$(BAYEGAN) serve

# Our modules compiled once before the suite: the suite starts hundreds of Python processes, and where
# PYTHONDONTWRITEBYTECODE is set (it is where we develop) each would compile every module it imports again (0.4 s of
# CPU a process). compileall writes the .pyc files whatever that variable says.
PACKAGES := archive indexer search_web scripts bench tests
# Two pytest workers per core (pytest-xdist): most of a test's time is spent waiting on the real
# processes it starts (servers, watchers, commands killed and restarted), so a core runs two; the
# suite is written to pass on a loaded machine. Each worker starts with its share of the tests in a row
# (a module's tests together, so the browser modules start their shared server once), the longest
# modules first (tests/conftest.py: LONGEST_FIRST); a worker that runs out takes half of another's
# remaining tests (--dist worksteal). The slowest tests are listed at the end.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) * 2 )))
test: install
	$(PY) -m compileall -q -j 0 $(PACKAGES)
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist worksteal --durations=15

# The quick loop while working: everything but the tests marked slow (OCR, browser, crash walks).
test-fast: install
	$(PY) -m pytest -q -n auto -m "not slow"

clean-data:
	rm -rf documents/originals documents/index documents/catalog.sqlite3* documents/demo

# Performance benchmarks (print their tables; not part of `make test`). BENCH_DOCS sets the scale;
# BENCH_FLAT=1 builds the search archive straight into the catalog and reindexes it (one record a
# document: the way to 100,000 documents in about an hour; ingesting them would take a working day).
BENCH_DOCS ?= 10000
.PHONY: bench-search bench-load
bench-search: install
	$(PY) -m bench.search --docs $(BENCH_DOCS) $(if $(BENCH_FLAT),--flat)

bench-load: install
	$(PY) -m bench.load --docs $(BENCH_DOCS) --clients 16 --seconds 60

# Precision and recall of the follow-up states proposed to the decision register (55 labelled documents
# and the demo's follow-ups).
.PHONY: bench-register
bench-register: install
	$(PY) -m bench.register

# Accuracy of kind, date, number, organization and resolution count on 81 labelled documents.
.PHONY: bench-metadata
bench-metadata: install
	$(PY) -m bench.metadata

# Extraction accuracy (CER per format and producer), OCR throughput against bare tesseract, and the
# documents of ../shared/real-docs through ingest and search (word recall, probe phrases, OCR'd pages).
.PHONY: bench-extraction
bench-extraction: install
	$(PY) -m bench.extraction

# Search relevance (MRR@10, Recall@10, Hamshahri MAP@1000) on the shared Persian retrieval sets and the
# manager-query set: through `bayegan ingest` and the /api/search code, the index fed directly, and plain
# Whoosh. RELEVANCE_KEEP=DIR keeps the ingested archives there and reuses them (the first ingest of the
# 6,770 public documents takes most of an hour); RELEVANCE_ARGS passes more options (--server ...).
RELEVANCE_KEEP ?=
RELEVANCE_ARGS ?=
.PHONY: bench-relevance
bench-relevance: install
	$(PY) -m bench.relevance $(if $(RELEVANCE_KEEP),--keep $(RELEVANCE_KEEP)) $(RELEVANCE_ARGS)

# Cold start of `bayegan status`, `bayegan search` and the server.
.PHONY: bench-startup
bench-startup: install
	$(PY) -m bench.startup --docs $(BENCH_DOCS)

# Ingest throughput (files/min) and peak memory: bulk ingest, the inbox watcher and reindex.
.PHONY: bench-ingest
bench-ingest: install
	$(PY) -m bench.ingest --files 1000 --reindex-docs $(BENCH_DOCS)
