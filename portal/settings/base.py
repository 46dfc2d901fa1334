"""Settings shared by every environment; each value that differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from exc


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

# The embedded SQLite file lets a newcomer run the portal with nothing installed;
# PostgreSQL is the system of record and is chosen with DATABASE_URL.
DEFAULT_DATABASE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # A kept connection the server dropped (restart, failover, pg_terminate_backend) is
        # noticed before the request's first query and replaced, instead of failing it (issue 14).
        conn_health_checks=True,
    )
}


# ---------------------------------------------------------------- Read replicas (issue 14)
# DATABASE_REPLICA_URLS: comma-separated streaming replicas of DATABASE_URL. Requests read from
# one of them, writes go to the primary (portal/db_router.py, docs/deploy.md). Unset: one
# database and no router, as before. In tests each replica mirrors the test database (TEST MIRROR).
def replica_databases(conn_max_age: int) -> dict:
    replicas = {}
    for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
        conf = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
        # A replica that does not answer is skipped by the router; do not wait long for it.
        conf.setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DATABASE_REPLICA_CONNECT_TIMEOUT", 3))
        conf["TEST"] = {"MIRROR": "default"}
        replicas[f"replica{number}"] = conf
    return replicas


DATABASES.update(replica_databases(env_int("DATABASE_CONN_MAX_AGE", 60)))
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["portal.db_router.PrimaryReplicaRouter"] if DATABASE_REPLICAS else []
# ---------------------------------------------------------------- end of read replicas

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "portal",
    "records",
    "sources",
    "regions",
    "agreements",
    "mechanisms",
    "timeline",
    "findings",
    "dataset",
    "search",
    "api",
    "opendata",
]

MIDDLEWARE = [
    # Outermost, so that a lost database answers 503 wherever it was noticed (portal/unavailable.py).
    "portal.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early, so that a 304 or a cached API response skips sessions, CSRF and the view (records/middleware.py).
    "records.middleware.RevisionCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Django's cache: shared Redis when REDIS_URL is set (several workers see one cache), else this
# process's memory. It holds rendered API responses keyed by the dataset revision.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("PORTAL_LOCMEM_CACHE_ENTRIES", 2000)},
        }
    }
PORTAL_RESPONSE_CACHE = "default"
# Entries never go stale (a new revision changes the key); the timeout only frees space.
PORTAL_RESPONSE_CACHE_SECONDS = env_int("PORTAL_RESPONSE_CACHE_SECONDS", 24 * 3600)
PORTAL_CACHED_PATHS = ("/api/",)
PORTAL_UNCACHED_PATHS = ("/admin/", "/static/")

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Where the papers' plain texts live. They stay outside the repository; the quote check reads them.
PORTAL_SOURCES_DIR = Path(os.environ.get("PORTAL_SOURCES_DIR", BASE_DIR.parent / "shared" / "seeds"))
PORTAL_FIXTURES_DIR = Path(os.environ.get("PORTAL_FIXTURES_DIR", BASE_DIR / "fixtures"))
# Dataset releases (opendata app, issue 13): written by release_dataset, listed and served by /data/.
PORTAL_RELEASES_DIR = Path(os.environ.get("PORTAL_RELEASES_DIR", BASE_DIR / "releases"))
# The lists' ``search`` parameter (records/filters.py) runs through the search app; records imports
# no other app, so the project wires the two together here.
PORTAL_SEARCH_FUNCTION = "search.query.search_queryset"

# ---------------------------------------------------------------- REST API (api/)
API_ANON_THROTTLE_RATE = os.environ.get("API_ANON_THROTTLE_RATE", "") or None
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"] if API_ANON_THROTTLE_RATE else [],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_THROTTLE_RATE},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "区域警务协作知识库 API",
    "DESCRIPTION": "Read-only access to every cited record of the Regional Police Cooperation Knowledge Portal.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served by the portal itself: users may be offline or behind a firewall (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI otherwise posts the schema's URL to validator.swagger.io for its badge.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}
