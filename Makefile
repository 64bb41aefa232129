# Two commands: `make run` and `make test`. Everything else is set up on the way.
VENV      ?= .venv
PY        := $(VENV)/bin/python
UV        := $(VENV)/bin/uv
PORT      ?= 8501
CHROMIUM  ?= /usr/bin/chromium

.PHONY: run test install install-test chromium lint format bench clean deploy-local

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

test: install-test chromium lint
	$(PY) -m pytest

bench: install
	$(PY) bench/matching.py
	$(PY) bench/dashboard.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts
