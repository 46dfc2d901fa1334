"""Tests run against PostgreSQL, the system of record, unless DATABASE_URL names another database."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import env_int, replica_databases, without_jit

SECRET_KEY = "test-only-key"
DEBUG = False
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal"),
        # 0 in the suite; the production-server tests (tests/servers.py) set it as production does.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
# Read replicas, when DATABASE_REPLICA_URLS names them, mirror the test database (base.py).
DATABASES.update(replica_databases(env_int("DATABASE_CONN_MAX_AGE", 0)))
without_jit(DATABASES)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the app folders without a collectstatic run.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
