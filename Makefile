# The two commands: `make run` and `make test`. Both create .venv when missing and install
# only when a requirements file changed since the last install (stamp files).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8501
# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work
# here). make test installs the package when the binary is missing; COPILOT_SKIP_BROWSER=1
# skips both the install and the browser tests.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BROWSER := $(if $(filter 1,$(COPILOT_SKIP_BROWSER)),,$(CHROMIUM))
# The store tests also run on PostgreSQL: tests/support/postgres_server.py starts a throwaway server on
# loopback from Debian's binaries. make test installs the package when no initdb is found;
# COPILOT_SKIP_POSTGRES=1 skips both the install and the PostgreSQL runs of the tests.
POSTGRES := $(if $(filter 1,$(COPILOT_SKIP_POSTGRES)),,postgres)
# Receipts: photos and scans are read by Debian's Tesseract OCR. make test installs it when the
# binary is missing (the accuracy test reads images with it); make run works without it and
# the Expenses page says how to add it.
TESSERACT := /usr/bin/tesseract

.PHONY: run test lint format sandbox bench bench-receipts clean chromium postgres tesseract mcp

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(RUN_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $(RUN_STAMP) $@

# A file target: nothing to do (and nothing printed) once the binary exists. The emoji font
# makes the page icons render in screenshots instead of empty boxes.
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-color-emoji

chromium: | $(CHROMIUM)

$(TESSERACT):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tesseract-ocr

tesseract: | $(TESSERACT)

# Silent when a server is there (the version folder differs between Debian releases).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; }

run: $(RUN_STAMP)
	$(BIN)/streamlit run app.py --server.address $(HOST) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

test: $(DEV_STAMP) | $(BROWSER) $(POSTGRES) $(TESSERACT)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

sandbox: $(RUN_STAMP)
	$(BIN)/python -m sandbox

# The MCP server (stdio; MCP_ARGS="--transport http" for Streamable HTTP on 127.0.0.1:8765).
# Not echoed: on stdio, stdout carries the protocol.
MCP_ARGS ?=
mcp: $(RUN_STAMP)
	@$(BIN)/python -m mcp_server $(MCP_ARGS)

# The benchmark (bench/perf.py): a sandbox at size large with 50 ms per request, our
# client against the official SDK, the floor, a revisit, memory, dashboards, tool sizes.
BENCH_SIZE ?= large
BENCH_LATENCY_MS ?= 50
bench: $(DEV_STAMP)
	$(BIN)/python -m bench.perf --size $(BENCH_SIZE) --latency-ms $(BENCH_LATENCY_MS)

# How well receipts are read, per field, over the generated corpus (PDFs and OCR'd images).
bench-receipts: $(DEV_STAMP) | $(TESSERACT)
	$(BIN)/python -m bench.receipts

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
