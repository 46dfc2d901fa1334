"""Conditional requests and a response cache, both keyed by the dataset revision.

Curated data changes rarely and every change moves the revision (``records/revision.py``), so a
response is determined by the revision and the request. That gives, for one query per request:

- ``ETag`` and ``Last-Modified`` on every public 200, and ``304 Not Modified`` to a client that
  already holds this revision's answer, without running the view;
- for the paths in ``PORTAL_CACHED_PATHS`` (the API and the sitemaps), the rendered response kept
  in Django's cache under a key that contains the revision: a new revision misses every old entry
  at once, so nothing needs invalidating and nothing can be served stale. Throttled paths
  (``PORTAL_THROTTLED_PATHS``) skip the middleware while a rate is set, so that every call is counted.

Requests that may see more than the public does (a session cookie: staff signed in to the admin)
and the admin itself pass through untouched. ``Last-Modified`` has one-second precision, as HTTP
dates do; ``If-None-Match`` is exact and wins when a client sends both (RFC 9110, 13.2.2).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from .revision import current_revision

# What a response depends on besides the path: the negotiated format and the language.
VARY = ("Accept", "Accept-Language", "Cookie")
STORED_HEADERS_SKIPPED = {"set-cookie"}


class RevisionCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.applies_to(request):
            return self.get_response(request)
        revision = current_revision()
        token = self.token(request, revision)
        etag, last_modified = f'"{revision.number}-{token}"', int(revision.changed_at.timestamp())

        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return self.mark(not_modified, etag, last_modified)

        cached = self.cache_key(request, token)
        if cached:
            hit = caches[settings.PORTAL_RESPONSE_CACHE].get(cached)
            if hit is not None:
                status, headers, content = hit
                response = HttpResponse(content, status=status, headers=headers)
                response["X-Portal-Cache"] = "hit"
                return response

        response = self.get_response(request)
        if response.status_code != 200 or response.cookies or response.has_header("ETag"):
            return response  # errors, personal answers and views that set their own validators
        self.mark(response, etag, last_modified)
        if cached and not response.streaming:
            headers = {k: v for k, v in response.items() if k.lower() not in STORED_HEADERS_SKIPPED}
            caches[settings.PORTAL_RESPONSE_CACHE].set(
                cached, (response.status_code, headers, response.content), settings.PORTAL_RESPONSE_CACHE_SECONDS
            )
            response["X-Portal-Cache"] = "miss"
        return response

    @staticmethod
    def applies_to(request) -> bool:
        if request.method not in ("GET", "HEAD") or request.path.startswith(settings.PORTAL_UNCACHED_PATHS):
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        # A throttled API must count every call, and DRF counts in the view, which a hit or a 304 skips.
        return not (settings.API_ANON_THROTTLE_RATE and request.path.startswith(settings.PORTAL_THROTTLED_PATHS))

    @staticmethod
    def token(request, revision) -> str:
        """A digest of everything the response depends on: the revision and the request as negotiated."""
        parts = [
            str(revision.number),
            revision.changed_at.isoformat(),  # a restored or rolled-back revision number is not the same data
            request.scheme,
            request.get_host(),  # the API writes absolute links
            request.get_full_path(),
            request.headers.get("Accept", ""),
            request.headers.get("Accept-Language", ""),
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        ]
        return hashlib.blake2b("\n".join(parts).encode(), digest_size=12).hexdigest()

    @staticmethod
    def cache_key(request, token: str) -> str | None:
        if request.path.startswith(settings.PORTAL_CACHED_PATHS):
            return f"portal:response:{token}"
        return None

    @staticmethod
    def mark(response, etag: str, last_modified: int):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        # Public data, but always revalidated: a 304 costs one query and the answer is never stale.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, VARY)
        return response
