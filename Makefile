# Two commands on a fresh machine:
#   make run   — install everything and start the app on http://localhost:8501
#   make test  — install everything (plus Chromium for the browser tests) and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

.PHONY: setup run test browser fonts bench clean

setup: $(VENV)/.installed web/.vendored

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Leaflet + plugins from the npm registry into web/ (never served); then only the files the map
# uses (layers/webassets.py) are copied to static/vendor/, which the app serves (offline maps).
web/node_modules/.installed: web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

web/.vendored: web/node_modules/.installed layers/webassets.py $(VENV)/.installed
	$(PY) -m layers.webassets
	touch $@

run: setup fonts
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

# Debian's Noto CJK: Chinese text in briefing sheets (atlas/fonts.py finds it; no tofu boxes).
fonts:
	@if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; fi; \
	fi

# Debian's Chromium (browser tests, screenshots), Noto CJK (Chinese text in briefings) and
# poppler-utils (pdffonts/pdftoppm check the briefing PDFs).
browser:
	@if ! command -v chromium >/dev/null || ! fc-list | grep -qi "Noto Sans CJK" || ! command -v pdffonts >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk poppler-utils >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk poppler-utils >/dev/null; fi; \
	fi

test: setup browser
	$(PY) -m pytest

bench: setup browser
	for b in bench/*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) web/node_modules web/.vendored static/vendor .pytest_cache
