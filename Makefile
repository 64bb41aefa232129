# Two commands: `make run` and `make test`. Everything else is set up on the way.
VENV      ?= .venv
PY        := $(VENV)/bin/python
UV        := $(VENV)/bin/uv
PORT      ?= 8501
CHROMIUM  ?= /usr/bin/chromium
AXE       := tests/browser/axe

.PHONY: run test install install-test chromium node axe lint format bench clean deploy-local

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv

# uv resolves and installs in seconds; plain pip is the fallback. --compile-bytecode writes the
# .pyc files once at install: with PYTHONDONTWRITEBYTECODE set, every process would otherwise
# compile its imports from source again (about half of a CLI call or a first page render).
$(VENV)/.installed: pyproject.toml | $(PY)
	$(UV) pip install --quiet --compile-bytecode --python $(PY) -e . || $(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(UV) pip install --quiet --compile-bytecode --python $(PY) -e ".[test]" || $(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

chromium:
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# axe-core for the accessibility checks, exactly as package-lock.json pins it. The stamp makes a
# second `make test` skip npm; a changed lock file installs again.
node:
	@command -v npm >/dev/null 2>&1 || { \
		echo "Installing Debian's nodejs and npm for the accessibility checks"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }

$(AXE)/node_modules/.installed: $(AXE)/package.json $(AXE)/package-lock.json
	@$(MAKE) --no-print-directory node
	cd $(AXE) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

axe: $(AXE)/node_modules/.installed

run: install
	$(PY) -m core migrate
	@echo "Open http://localhost:$(PORT) in your browser."
	$(PY) -m streamlit run server.py --server.port $(PORT) --server.headless true

# Two servers behind HAProxy on one PostgreSQL database (deploy/run-local.sh says what it needs).
deploy-local: install
	PY=$(PY) bash deploy/run-local.sh

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install-test chromium axe lint
	$(PY) -m pytest

bench: install
	$(PY) bench/matching.py
	$(PY) bench/dashboard.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts $(AXE)/node_modules
