# The README's two commands: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
# The lock is written by uv from pyproject.toml (make lock) and checked by CI (make lock-check).
LOCK_COMPILE = $(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 --quiet --custom-compile-command "make lock"
HOST ?= 127.0.0.1
PORT ?= 8000
# In development every absolute link (mails, feeds, canonical tags, the demo's printed
# addresses) follows the port the server runs on: `make run PORT=8101`.
SITE_URL ?= http://$(HOST):$(PORT)
# `make run` writes mails as files under var/mail/ (read them at /beheer/mail/, see README).
DEV_ENV = DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$$(cat var/secret_key)" SITE_URL="$(SITE_URL)" \
	DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
PYTEST_ARGS ?= -n auto
# axe-core for the browser tests' accessibility sweep: pinned in package.json and
# package-lock.json, installed from the npm registry by `npm ci` (test-only, never served).
AXE := node_modules/axe-core/axe.min.js

.PHONY: run test lint demo migrate messages install clean lock lock-check axe bench bench-scale bench-import bench-upload bench-enumeration

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

axe: $(AXE)

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

migrate: $(STAMP) var/secret_key
	DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$$(cat var/secret_key)" $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py demo

# The task worker runs beside the dev server, so mail (written to var/mail/) leaves through
# the same queue as in production; both stop together.
run: demo
	@mkdir -p var/mail
	$(DEV_ENV) sh -c '\
	  $(BIN)/python manage.py db_worker --no-reload --interval 1 --verbosity 0 & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)'

test: $(STAMP) $(AXE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Readers' pages against nginx's own speed (benchmarks/pages.py): needs nginx and wrk from
# Debian; PostgreSQL when DATABASE_URL is set, Redis when REDIS_URL is set. Prints one table.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.pages $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

# After changing dependencies in pyproject.toml: pin them (the versions already locked are kept).
lock: $(STAMP)
	$(LOCK_COMPILE) -o requirements.lock

# Fails when requirements.lock does not match pyproject.toml (CI runs this).
lock-check: $(STAMP)
	@cp requirements.lock $(VENV)/lock-check.txt
	@$(LOCK_COMPILE) -o $(VENV)/lock-check.txt
	@diff -u requirements.lock $(VENV)/lock-check.txt || { echo "requirements.lock is out of date with pyproject.toml: run 'make lock' and commit it"; exit 1; }

# The WordPress import of 5,000 posts with 20,000 comments, on SQLite and (with
# BENCH_POSTGRES_URL=postgres://user@host:5432/postgres, or DATABASE_URL) on PostgreSQL: a table.
bench-import: $(STAMP)
	$(BIN)/python benchmarks/wxr_import.py $(BENCH_ARGS)

# Peak memory and time of one upload: a 24-megapixel photo and a 160 KB PNG of 40 megapixels.
bench-upload: $(STAMP)
	$(BIN)/python benchmarks/upload.py

# Known and unknown addresses at the password-reset and sign-up forms, with a slow mail server.
bench-enumeration: $(STAMP)
	$(BIN)/python -W ignore benchmarks/enumeration.py

# Pages at 1,000 posts / 10,000 comments against 100,000 / 1,000,000, on PostgreSQL
# (BENCH_PG_URL, BENCH_DB_PREFIX; BENCH_ARGS="--sizes 1000:10000,20000:200000" for others).
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/scale.py $(BENCH_ARGS)

messages: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=var --ignore=benchmarks --ignore=tests
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages -l nl --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules
