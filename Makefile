# The README's two commands: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
# The lock is written by uv from pyproject.toml (make lock) and checked by CI (make lock-check).
LOCK_COMPILE = $(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 --quiet --custom-compile-command "make lock"
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n auto

.PHONY: run test lint demo migrate messages install clean lock lock-check bench-scale

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

migrate: $(STAMP) var/secret_key
	DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$$(cat var/secret_key)" $(BIN)/python manage.py migrate --noinput

demo: migrate
	DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$$(cat var/secret_key)" $(BIN)/python manage.py demo

run: demo
	DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$$(cat var/secret_key)" $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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

# Pages at 1,000 posts / 10,000 comments against 100,000 / 1,000,000, on PostgreSQL
# (BENCH_PG_URL, BENCH_DB_PREFIX; BENCH_ARGS="--sizes 1000:10000,20000:200000" for others).
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/scale.py $(BENCH_ARGS)

messages: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=var --ignore=benchmarks --ignore=tests
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages -l nl --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
