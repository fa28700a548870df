# Two commands: `make run` serves the demo, `make test` runs the tests. Both install what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app eventapp
PORT ?= 5000
HOST ?= 127.0.0.1

.PHONY: fonts vendor run test lint format bench install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime

# Front-end libraries from npm into static/vendor/ (git-ignored); skipped when npm is absent.
vendor:
	@if command -v npm >/dev/null 2>&1; then \
		npm install --no-audit --no-fund --silent && mkdir -p static/vendor && \
		cp node_modules/jsqr/dist/jsQR.js static/vendor/jsQR.js; \
	else echo "npm not found: the scanner's camera needs static/vendor/jsQR.js (the code field still works)"; fi

install-dev: $(VENV)/.dev

# Badge names in Ethiopic, Georgian and Armenian need Debian's Noto fonts (no PyPI package has
# them); installed when missing and apt is usable.
NOTO_CORE := /usr/share/fonts/truetype/noto/NotoSansEthiopic-Regular.ttf
fonts:
	@if [ ! -f $(NOTO_CORE) ] && command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		(apt-get install -y -qq fonts-noto-core >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y -qq fonts-noto-core >/dev/null)) || true; \
	fi
	@[ -f $(NOTO_CORE) ] || echo "fonts-noto-core missing: badge names in Ethiopic, Georgian and Armenian cannot print"

run: install vendor fonts
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev vendor fonts
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
