# Two commands: `make run` serves the demo, `make test` runs the tests. Both install what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app eventapp
PORT ?= 5000
HOST ?= 127.0.0.1

.PHONY: fonts vendor run test lint format bench install install-dev clean translations catalogues

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# PyICU (name collation) builds against ICU's headers: installed when missing and apt is usable.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	@pkg-config --exists icu-i18n 2>/dev/null || ! command -v apt-get >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
		apt-get install -y -qq libicu-dev pkg-config >/dev/null 2>&1 || \
		(apt-get update -qq && apt-get install -y -qq libicu-dev pkg-config >/dev/null) || true
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime catalogues

# Interface languages: catalogues (.po) are committed, compiled .mo files are not.
TRANSLATIONS := eventapp/translations
LOCALES := fr es ar ru zh
BABEL_KEYWORDS := -k _l -k lazy_gettext

catalogues: $(VENV)/.runtime
	@$(BIN)/pybabel -q compile -d $(TRANSLATIONS) --statistics >/dev/null

# Re-extract every marked string and bring each language's catalogue up to date.
translations: $(VENV)/.runtime
	$(BIN)/pybabel -q extract -F babel.cfg $(BABEL_KEYWORDS) --add-location=file \
		--ignore-dirs=".* ._ node_modules static tests migrations instance bench" \
		--project="WPS Focal Points Network" --copyright-holder="UN Women" -o $(TRANSLATIONS)/messages.pot .
	@for lang in $(LOCALES); do [ -f $(TRANSLATIONS)/$$lang/LC_MESSAGES/messages.po ] || \
		$(BIN)/pybabel -q init -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l $$lang; done
	$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS)

# Front-end libraries from npm into static/vendor/ (git-ignored); skipped when npm is absent.
# axe-core is only for the accessibility checks of the browser tests (tests/e2e).
vendor:
	@if command -v npm >/dev/null 2>&1; then \
		npm install --no-audit --no-fund --silent && mkdir -p static/vendor && \
		cp node_modules/jsqr/dist/jsQR.js static/vendor/jsQR.js && \
		cp node_modules/axe-core/axe.min.js static/vendor/axe.min.js; \
	else echo "npm not found: the scanner's camera needs static/vendor/jsQR.js (the code field still works); the browser tests need static/vendor/axe.min.js"; fi

install-dev: $(VENV)/.dev catalogues

# Badge names in Bengali, Tamil, Khmer, Myanmar, Ethiopic, Georgian and other scripts need Debian's
# Noto fonts (no PyPI package has them); installed when missing and apt is usable.
NOTO_CORE := /usr/share/fonts/truetype/noto/NotoSansEthiopic-Regular.ttf
fonts:
	@if [ ! -f $(NOTO_CORE) ] && command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		(apt-get install -y -qq fonts-noto-core >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y -qq fonts-noto-core >/dev/null)) || true; \
	fi
	@[ -f $(NOTO_CORE) ] || echo "fonts-noto-core missing: badge names in Bengali, Tamil, Khmer, Ethiopic and other scripts print in their Latin form"

run: install vendor fonts
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) badges prepare-fonts
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev vendor fonts
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Load tests drive the app with wrk (Debian's package), installed when missing and apt is usable.
bench: install-dev
	@command -v wrk >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
		apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
