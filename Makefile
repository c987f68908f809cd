# Back Office — everything a newcomer needs, from nothing but Python 3.12, make and git.
# Python 3.12, the functions' Lambda runtime: python3.12 on the PATH, else one pyenv installed.
ifndef PYTHON
PYTHON := $(shell for p in python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12); do \
  $$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && { echo $$p; break; }; done)
endif
VENV := .venv
BIN := $(VENV)/bin
SAM_VENV := .tools/sam
SAM := $(SAM_VENV)/bin/sam
SAM_CLI_VERSION := 1.170.0
AWS_VENV := .tools/aws
AWS_CLI := $(AWS_VENV)/bin/aws
AWS_CLI_VERSION := 1.46.3
LOCUST_VENV := .tools/locust
LOCUST := $(LOCUST_VENV)/bin/locust
LOCUST_VERSION := 2.47.0
USERS ?= 100
MINUTES ?= 5
CHECKOV_VENV := .tools/checkov
CHECKOV := $(CHECKOV_VENV)/bin/checkov
CHECKOV_VERSION := 3.3.30
# what the functions deploy, alone, for measuring cold starts (3.13 too where python3.13 is installed)
LAMBDA_PYTHON := .tools/lambda-python3.12/bin/python
PYTHON313 ?= python3.13
LAMBDA_REQUIREMENTS := functions/requirements.txt layers/pdf/requirements.txt layers/calendar/requirements.txt layers/statements/requirements.txt
CHROMIUM := /usr/bin/chromium
# axe-core, which the browser tests inject into every page they reach to check WCAG 2.1 AA
AXE_VERSION := 4.14.1
AXE := .tools/axe/node_modules/axe-core/axe.min.js
# Debian's Chromium for the browser tests, with fonts for Thai (Latin and Vietnamese come with it),
# and poppler's pdftoppm, which turns the report PDFs into pictures the tests look at
BROWSER_PACKAGES := chromium fonts-thai-tlwg poppler-utils
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

# The region a deployed stack lives in: empty, the one samconfig.local.toml keeps (else ap-southeast-1)
REGION ?=
AT_REGION = $(if $(REGION),--region $(REGION))

# Any tier runs as if it were another moment: make test NOW=2026-12-31T23:59:00+07:00 (infra/timeshift.py)
NOW ?=

.DEFAULT_GOAL := help
.PHONY: help install run test unit integration e2e e2e-tools tour constraints openapi messages lint typecheck package validate documents bench load publish-portal deploy smoke teardown clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 is required (no python3.12 on the PATH or under pyenv)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml functions/requirements.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

install: $(VENV)/.installed ## create .venv and install the project with its tools

run: install ## start the whole back office locally (API on :3000, embedded AWS on :4566)
	$(BIN)/backoffice local --parameter-overrides BillReader=text-layer

$(SAM):
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet aws-sam-cli==$(SAM_CLI_VERSION)

$(AWS_CLI):
	$(PYTHON) -m venv $(AWS_VENV)
	$(AWS_VENV)/bin/pip install --quiet awscli==$(AWS_CLI_VERSION)

$(LOCUST):
	$(PYTHON) -m venv $(LOCUST_VENV)
	$(LOCUST_VENV)/bin/pip install --quiet locust==$(LOCUST_VERSION)

$(CHECKOV):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet checkov==$(CHECKOV_VERSION)

$(LAMBDA_PYTHON): $(LAMBDA_REQUIREMENTS)
	$(PYTHON) -m venv .tools/lambda-python3.12
	.tools/lambda-python3.12/bin/pip install --quiet $(addprefix -r ,$(LAMBDA_REQUIREMENTS))
	@if $(PYTHON313) --version >/dev/null 2>&1; then \
	  $(PYTHON313) -m venv .tools/lambda-python3.13 && \
	  .tools/lambda-python3.13/bin/pip install --quiet $(addprefix -r ,$(LAMBDA_REQUIREMENTS)); fi
	@touch $@

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES)

# zbar reads the payment QR codes back from the drawn invoices; poppler's pdftoppm draws the PDFs as pictures
ZBAR := /usr/bin/zbarimg
$(ZBAR):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends zbar-tools
PDFTOPPM := /usr/bin/pdftoppm
$(PDFTOPPM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends poppler-utils

$(AXE):
	command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends npm
	npm install --silent --no-audit --no-fund --prefix .tools/axe axe-core@$(AXE_VERSION)

lint: install $(CHECKOV) ## ruff, cfn-lint and checkov
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cfn-lint template.yaml
	$(CHECKOV) --file template.yaml --config-file .checkov.yaml

typecheck: install ## mypy
	$(BIN)/mypy

validate: $(SAM) ## sam validate --lint
	$(SAM) validate --lint --region ap-southeast-1

package: $(SAM) ## build the deployable artifacts into .aws-sam/build (no Docker needed)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(SAM) build --parallel --cached

test: lint typecheck validate package $(AWS_CLI) $(LOCUST) $(CHROMIUM) $(AXE) $(ZBAR) ## lint, type-check and run the whole test suite
	$(BIN)/pytest

unit: install $(ZBAR) $(PDFTOPPM) ## quick loop: the rules, the boundaries and the API contract (no AWS, seconds)
	$(BIN)/pytest -q tests/unit tests/guards/test_boundaries.py tests/guards/test_declared_once.py tests/guards/test_openapi.py tests/guards/test_docs.py tests/guards/test_messages.py

integration: install $(SAM) ## adapters, services, the template's guards and IAM, on moto (about 6 min)
	$(BIN)/pytest -q tests/integration tests/guards tests/deploy

e2e-tools: install $(AWS_CLI) $(LOCUST) $(CHROMIUM) $(AXE)

e2e: e2e-tools ## each flow through a running local cloud, the portal in a browser
	$(BIN)/pytest -q tests/e2e tests/security

constraints: install ## pin every package of .venv, transitive ones too, in constraints.txt
	@{ head -2 constraints.txt; $(BIN)/pip freeze --exclude-editable | grep -v '^backoffice'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

openapi: install ## write functions/apidocs/openapi.json from the routers (a test fails when it drifts)
	$(BIN)/python -c "from infra.openapi import write; print('changed' if write() else 'unchanged')"

messages: install ## compile the message catalogues into what the functions and the portal read
	$(BIN)/python -m infra.messages

documents: install ## draw one of each customer document, in each country's form, into docs/images/documents
	$(BIN)/python -m tests.documents docs/images/documents

TOUR := day-2-new-invoice@1280 day-3-preview@1280 day-4-partly-paid@1280 day-6-hand-over@1280 day-8-analysis@1280 day-3-preview@375 day-9-my-cheques@375
tour: e2e-tools ## walk a clerk's day in the browser and keep its pictures for the README in docs/images/tour
	$(BIN)/pytest -q -p no:randomly tests/e2e/test_portal.py -k clerk_s_day
	mkdir -p docs/images/tour
	for shot in $(TOUR); do cp "test-artifacts/portal/$$shot.png" "docs/images/tour/$$(echo $$shot | sed 's/^day-[0-9]-//; s/@/-/').png"; done

bench: install package $(LAMBDA_PYTHON) ## cold starts and AWS requests per operation; writes bench/results.json
	$(BIN)/python -m bench

load: install $(LOCUST) ## month-end crowd against a local cloud (USERS=100 MINUTES=5); writes bench/load.json
	$(BIN)/python -m bench.load --users $(USERS) --minutes $(MINUTES)

publish-portal: install ## upload web/portal/ to a deployed stack: make publish-portal STACK=backoffice
	@test -n "$(STACK)" || { echo "name the stack: make publish-portal STACK=<name>"; exit 1; }
	$(BIN)/backoffice publish-portal --stack $(STACK) $(AT_REGION)

deploy: install $(SAM) ## build, deploy and publish the portal: make deploy STACK=<name> (guided the first time)
	@test -n "$(STACK)" || { echo "name the stack: make deploy STACK=<name>"; exit 2; }
	$(BIN)/backoffice check-stack-name $(STACK)
	$(BIN)/backoffice check-region $(REGION)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(SAM) build
	@if [ -f samconfig.local.toml ]; then \
	  $(SAM) deploy --config-file samconfig.local.toml --stack-name $(STACK) $(AT_REGION); \
	else \
	  cp samconfig.toml samconfig.local.toml && \
	  $(SAM) deploy --guided --config-file samconfig.local.toml --stack-name $(STACK) $(AT_REGION); \
	fi
	$(BIN)/backoffice publish-portal --stack $(STACK) $(AT_REGION)
	@echo "Next: $(BIN)/backoffice users add you@yourco.com --role admin --stack $(STACK) $(AT_REGION)"
	@echo "      make smoke STACK=$(STACK) $(if $(REGION),REGION=$(REGION))"

smoke: install ## prove every trigger works: make smoke STACK=<name> (no STACK: the running local cloud)
	$(BIN)/backoffice smoke $(if $(STACK),--stack $(STACK) $(AT_REGION))

teardown: install ## delete a deployed stack, keeping its data: make teardown STACK=<name> [DELETE_DATA=1]
	@test -n "$(STACK)" || { echo "name the stack: make teardown STACK=<name>"; exit 2; }
	$(BIN)/backoffice teardown --stack $(STACK) $(AT_REGION) $(if $(DELETE_DATA),--delete-data)

clean: ## remove build output and local state (keeps .venv)
	rm -rf .aws-sam .backoffice .pytest_cache .mypy_cache .ruff_cache test-artifacts
