# Two commands for a fresh machine: `make run` (embedded SQLite, or DATABASE_URL) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000

.PHONY: install run setup test bench clean serve loadtest

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_portal_data
	$(PY) manage.py collectstatic --noinput --verbosity 0

run: setup
	$(PY) manage.py runserver $(ADDR)

# Production server (issue 14): gunicorn.conf.py; needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS
# (portal.settings.prod), see docs/deploy.md.
serve: install
	$(PY) manage.py collectstatic --noinput --verbosity 0
	PORTAL_BIND=$(ADDR) $(VENV)/bin/gunicorn -c gunicorn.conf.py portal.wsgi:application

# Load test against gunicorn: real dataset + 10,000 synthetic agreements, 50 users, 60 s (load/run).
loadtest: install
	load/run

# Tests run against PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal).
# The search suite runs a second time on SQLite (the embedded default), so both search backends
# pass the same shared tests (tests/test_search_*.py).
SEARCH_SQLITE_DB ?= /tmp/portal-search-test.sqlite3
test: install
	$(PY) -m pytest $(PYTEST_ARGS)
	DATABASE_URL=sqlite:///$(SEARCH_SQLITE_DB) $(PY) -m pytest tests/test_search_relevance.py tests/test_search_index.py tests/test_search_api.py tests/test_search_ranked.py tests/test_search_scale.py tests/test_search_processes.py tests/test_search_rebuild.py --create-db

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
