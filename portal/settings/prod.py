"""Production: refuses to start without its secrets rather than run with a guessable key.

HTTPS throughout (issue 14, "Security"; `manage.py check --deploy --fail-level WARNING` is clean):
plain-HTTP requests are redirected, browsers are told to use HTTPS only (HSTS), and the session and
CSRF cookies are sent over HTTPS only. Behind a proxy that terminates TLS and forwards plain HTTP,
set DJANGO_SECURE_PROXY_SSL_HEADER to the header it sets (e.g. X-Forwarded-Proto) — only when that
proxy overwrites the header, since a client could otherwise claim HTTPS — and PORTAL_NUM_PROXIES to
the number of proxies that append to X-Forwarded-For. See docs/deploy.md.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import api_renderers, env_bool, env_int, env_list

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the hosts the portal serves.")

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
_proxy_ssl_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

API_BROWSABLE = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": api_renderers(False)}  # noqa: F405

# Issue 10: static files under content-hashed names (far-future caching, no stale CSS after a deploy),
# gzip/brotli-compressed by whitenoise. Names come from collectstatic's manifest, so `make serve` and
# load/run run collectstatic first; the error pages fall back to plain HTML (with the request id)
# if a deployment forgot it.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
