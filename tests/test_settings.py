"""Settings come from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys

from django.conf import settings


def run_with(env):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    return subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, cwd=settings.BASE_DIR)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with({"DJANGO_SETTINGS_MODULE": "portal.settings.prod", "DJANGO_ALLOWED_HOSTS": "portal.example"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_with({"DJANGO_SETTINGS_MODULE": "portal.settings.prod", "DJANGO_SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_development_defaults_to_the_embedded_sqlite_database():
    result = run_with({"DJANGO_SETTINGS_MODULE": "portal.settings.dev"})
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql():
    result = run_with({"DJANGO_SETTINGS_MODULE": "portal.settings.dev", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/portal"})
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_chinese_language_and_shanghai_time():
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE) == ("zh-hans", "Asia/Shanghai")


def cache_backend_with(env):
    code = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "REDIS_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code], env={**base, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", **env},
        capture_output=True, text=True, cwd=settings.BASE_DIR,
    )
    return result.stdout.strip()


def test_the_cache_is_local_memory_by_default():
    assert cache_backend_with({}) == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_selects_the_shared_redis_cache():
    assert cache_backend_with({"REDIS_URL": "redis://127.0.0.1:6379/0"}) == "django.core.cache.backends.redis.RedisCache"
