"""Settings shared by every environment; each value that differs between machines comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

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


def without_jit(databases: dict) -> dict:
    """PostgreSQL connections with JIT compilation off (issue 14, "Load and scale").

    With 10,000 agreements the planner's cost estimates of the facet and search-filter queries pass
    ``jit_above_cost``, and PostgreSQL spent up to 490 ms compiling a query that then ran in 20 ms
    (EXPLAIN ANALYZE under the load test's data): the portal's queries are short lookups, where JIT
    never pays back. Set per connection, so no database setting has to be remembered on each server.
    """
    for conf in databases.values():
        if conf.get("ENGINE", "").endswith("postgresql"):
            options = conf.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return databases


without_jit(DATABASES)
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
    "axes",
    "django_guid",
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
    "explore",
]

MIDDLEWARE = [
    # First, so that every log line of the request, the 503 and the 500 page carry its id.
    "django_guid.middleware.guid_middleware",
    # Outermost, so that a lost database answers 503 wherever it was noticed (portal/unavailable.py).
    "portal.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the response cache, so that every answer (a cached one, a 304, an error) gets the
    # headers and a cached body is never served with another request's nonce.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Malformed requests (NUL bytes, invalid UTF-8, 1,000+ parameters, huge URLs) stop here with a 4xx.
    "portal.guard.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early, so that a 304 or a cached API response skips sessions, CSRF and the view (records/middleware.py).
    "records.middleware.RevisionCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions (a chosen language persists in its cookie), before common (redirects).
    "django.middleware.locale.LocaleMiddleware",
    # The API speaks one language whatever the reader's browser asks for.
    "portal.guard.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes requires: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
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
# The API, and the sitemap index with its section pages (no CSP nonce in them, so a stored copy is
# the same answer for everyone).
PORTAL_CACHED_PATHS = ("/api/", "/sitemap.xml", "/sitemap-")
# Paths DRF throttles: the middleware must let every call reach the view when a rate is set.
PORTAL_THROTTLED_PATHS = ("/api/",)
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
                # csp_nonce: inline <script> blocks (the JSON-LD) carry the response's nonce.
                "django.template.context_processors.csp",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # OWASP ASVS 5.0 V6.2.1: at least 12 characters (Django's default is 8).
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese by default, English one click away (issue 10). Interface strings only: record content
# stays as the papers wrote it. The choice persists in the language cookie (/i18n/lang/<code>/).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
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
# ``updated_since`` (records/filters.py) asks the edit history which records' answers changed
# (issue 14: a mirror stays exact), for the same reason.
PORTAL_CHANGES_FUNCTION = "history.changes.changed_since"

# ---------------------------------------------------------------- REST API (api/)
API_ANON_THROTTLE_RATE = os.environ.get("API_ANON_THROTTLE_RATE", "") or None
# The public API is anonymous and read-only (issue 14, "Security"): no authentication at all (Basic
# authentication on it let anyone guess passwords unthrottled; a session would make it personal),
# JSON only unless API_BROWSABLE (the browsable API is a development aid), our JSON errors on every
# view (search included), and the throttle keyed on the address the nearest trusted proxy saw.
API_BROWSABLE = env_bool("API_BROWSABLE", False)


def api_renderers(browsable: bool) -> list[str]:
    return ["rest_framework.renderers.JSONRenderer"] + (["rest_framework.renderers.BrowsableAPIRenderer"] if browsable else [])


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": api_renderers(API_BROWSABLE),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Reads API_ANON_THROTTLE_RATE per request; no rate set means nobody is throttled.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_THROTTLE_RATE},
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    # How many proxies in front of the portal append to X-Forwarded-For. 0: the client is the peer
    # address (REMOTE_ADDR); n: the n-th address from the right, the one our outermost proxy saw.
    # DRF's default (None) takes the whole header, which any client can write.
    "NUM_PROXIES": env_int("PORTAL_NUM_PROXIES", 0),
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
    # drf-spectacular's enum hook, then the rules every operation shares (empty parameters, the
    # guard's and the throttle's answers): api/schema.py.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.state_api_rules"],
}

# ---------------------------------------------------------------- Security headers (issue 14)
# Django's own Content-Security-Policy (django.middleware.csp). Scripts only from the portal itself
# or carrying this response's nonce, never inline code without it; nothing may frame the portal.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # A <style> block needs the nonce too; style="" attributes are refused (keep styles in static/).
    "style-src": [CSP.SELF, CSP.NONCE],
    # Swagger UI's stylesheet draws its icons as data: URIs.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"

# ---------------------------------------------------------------- Editors (issue 14, "Editors")
# Sessions exist only for staff in the admin. They end after PORTAL_SESSION_IDLE_MINUTES without a
# request (each request pushes the expiry forward) and when the browser closes; logging out deletes
# the session row (Django's logout flushes it), so a copied cookie is worthless afterwards.
SESSION_COOKIE_AGE = env_int("PORTAL_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: after AXES_FAILURE_LIMIT failed logins for one account, or from one address, that
# account or address is refused, even with the right password, for PORTAL_LOCKOUT_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("PORTAL_LOGIN_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PORTAL_LOCKOUT_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "errors/locked.html"
# The same client address as the API's throttle (PORTAL_NUM_PROXIES), not a header a client writes.
AXES_CLIENT_IP_CALLABLE = "portal.guard.client_address"

# ---------------------------------------------------------------- Request ids and logging
# Every request gets an id: the caller's X-Request-ID when it is a UUID, a new one otherwise. It
# comes back in the X-Request-ID header, is on every log line, and the 500 page shows it, so a
# reader's report can be matched to the log.
DJANGO_GUID = {"GUID_HEADER_NAME": "X-Request-ID", "EXPOSE_HEADER": False}
# json (one object per line, for the log collector) or text (for a developer's terminal).
PORTAL_LOG_FORMAT = os.environ.get("PORTAL_LOG_FORMAT", "json")
PORTAL_LOG_LEVEL = os.environ.get("PORTAL_LOG_LEVEL", "INFO")


def logging_config(log_format: str, level: str, stream: str = "stdout") -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "django_guid.log_filters.CorrelationId", "correlation_id_field": "request_id"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
                # ISO 8601 in UTC: the same clock in every process, whatever TIME_ZONE says.
                "timestamp": "time",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "json_ensure_ascii": False,
            },
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": f"ext://sys.{stream}",
                "filters": ["request_id"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # Django's own handlers (console only with DEBUG, mail to ADMINS) are replaced by ours.
            "django": {"handlers": [], "level": level, "propagate": True},
            # One line per request about where its id came from is noise; so is axes' start-up banner
            # (its login failures and lock-outs, from "axes.handlers", are kept).
            "django_guid": {"level": "ERROR"},
            "axes.apps": {"level": "WARNING"},
        },
    }


LOGGING = logging_config(PORTAL_LOG_FORMAT, PORTAL_LOG_LEVEL)
# ---------------------------------------------------------------- Edit history (history/, issue 14)
# Every insert, update and delete of a dataset row is kept by PostgreSQL triggers (django-pghistory),
# with who, when, from which address and through which road. Grouped here, and added to the lists
# rather than written into them, so the other settings of issue 14 merge without conflicts.
INSTALLED_APPS += ["pgtrigger", "pghistory", "pghistory.admin", "history"]
# After authentication, so the context knows the signed-in user.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "history.middleware.HistoryContextMiddleware",
)
# Auto-created many-to-many link tables have no migrations to carry triggers, so all history
# triggers are (re)installed after each migrate, as the dataset revision's are (records/revision.py).
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True
# Reads write nothing: only requests that can change data carry a history context.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PGHISTORY_ADMIN_MODEL = "history.RecordChange"
PGHISTORY_ADMIN_CLASS = "history.admin.RecordChangeAdmin"
