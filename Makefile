# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Rasa 3.6 needs Python 3.10: pyenv's 3.10 (see .python-version), else python3.10 on PATH.
PYTHON310 ?= $(shell pyenv which python 2>/dev/null | grep -q 3.10 && pyenv which python || command -v python3.10)
# Rasa reports no usage to its vendor from any command of ours.
export RASA_TELEMETRY_ENABLED ?= false
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)

.PHONY: install run run-cluster test audit validate conversation-tests model bench-nlu bench-chat bench-load bench-catalog bench-lookup bench-faults bench-insights bench-answers browser voikko haproxy clean

install: $(STAMP)

# Every package in ONE pip run: installing more into an env that holds rasa lets
# pip lift SQLAlchemy and aiohttp past rasa's pins.
$(STAMP): requirements.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found: install it with pyenv (pyenv install 3.10.13)"; exit 1; }
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

run: install voikko
	mkdir -p var models
	$(PY) -m bot catalog load-samples
	$(PY) -m bot run

# The production layout on this machine (README, "Several instances"): HAProxy in front of two web apps,
# two Rasa servers and two action servers, PostgreSQL (tracker store, app database) and Redis.
run-cluster: install voikko haproxy
	mkdir -p var models
	$(PY) -m bot cluster

model: install
	$(PY) -m bot model ensure

validate: install
	$(PY) -m bot responses check
	$(PY) -m rasa data validate --fail-on-warnings --config config.yml --domain domain.yml --data data/nlu data/rules data/stories

conversation-tests: model
	mkdir -p var
	for lang in fi sv en; do \
	  $(PY) -m rasa test core --model "$$($(PY) -m bot model path)" --stories tests/test_conversations_$$lang.yml \
	    --fail-on-prediction-errors --out var/conversation-tests-$$lang --no-plot || exit 1; \
	done

test: validate model browser voikko haproxy
	$(PY) -m pytest
	$(MAKE) conversation-tests

# pip-audit of .venv's packages against PyPI's advisories, in its own venv; --strict fails when a
# package cannot be looked up. Not part of `make test`: see the README's "Dependency audit".
AUDIT_VENV := .venv-audit
audit: install
	test -x $(AUDIT_VENV)/bin/pip-audit || { python3 -m venv $(AUDIT_VENV) && \
	  $(AUDIT_VENV)/bin/pip install --disable-pip-version-check -q -r tools/audit-requirements.txt; }
	$(AUDIT_VENV)/bin/pip-audit --strict --progress-spinner off --desc off \
	  --path $$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') \
	  $$(grep -v '^#' tools/audit-ignore.txt | sed -n 's/^\([^ ]\+\).*/--ignore-vuln \1/p') \
	  || { echo "make audit FAILED: an advisory not in tools/audit-ignore.txt, or PyPI's per-release JSON"; \
	       echo "API (its vulnerability data) could not be reached; see the README's Dependency audit."; exit 1; }

bench-nlu: install
	$(PY) bench/nlu.py

# The catalogue at 100,000 events, 50,000 offers and 5,000 services on SQLite and PostgreSQL.
bench-catalog: install
	$(PY) bench/catalog.py

# Precision at 3 of look-ups on the sample catalogue: the whole-sentence search against the
# parsed query (tests/catalog/lookup_cases/), Finnish with the fallback and with Voikko.
bench-lookup: install voikko
	$(PY) bench/lookup.py

# The insights over a generated year (40,000 conversations): the aggregation's time and p95 of
# each page's rendering from the counters, on SQLite and PostgreSQL (target under 200 ms).
bench-insights: install
	$(PY) bench/insights.py

# Time from an editor's save in the studio to the live answer in the NLG (p50/p95 of 20 saves), with one
# web app instance (SQLite, PostgreSQL) and two instances on one PostgreSQL database.
bench-answers: install
	$(PY) bench/answers_live.py

# N concurrent WebSocket conversations through the gateway against posting straight to Rasa.
bench-chat: model
	$(PY) bench/chat.py

# This assistant (gateway and chat API) against stock `rasa init` under load, alternating.
bench-load: model
	$(PY) bench/load.py

# 20 conversations through the cluster while a Rasa server, an action server and a web app are killed,
# PostgreSQL restarts and Redis stops (its own PostgreSQL and Redis): lost/duplicated/out-of-order counts.
bench-faults: model haproxy
	$(PY) bench/cluster_faults.py

# The browser tests (tests/e2e) need Debian's Chromium and axe-core (package.json, npm ci).
browser: node_modules/axe-core/axe.min.js
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

# Finnish morphology for the look-up parser: Debian's libvoikko1 and its Finnish dictionary
# (the `libvoikko` binding is in requirements.txt). Without them Finnish falls back to suffix keys.
voikko:
	@test -e /usr/lib/voikko/5/mor-standard/index.txt || { \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q libvoikko1 voikko-fi; }

# The cluster's load balancer (bot/cluster/haproxy.py; its test starts the cluster): Debian's HAProxy.
haproxy:
	@test -x /usr/sbin/haproxy || { \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q haproxy; }

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf var/bench var/conversation-tests-*
