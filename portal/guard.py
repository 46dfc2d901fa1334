"""Request-level checks before anything reads a malformed request (issue 14, "Bad input").

Each of these once reached a view and ended as a 500 (or as a PostgreSQL error): a NUL byte in a
slug or a parameter (PostgreSQL text cannot hold one), bytes that are not UTF-8 in the path or the
query string (Django replaces them, so the view saw another value than was sent), more than
``DATA_UPLOAD_MAX_NUMBER_FIELDS`` parameters (``TooManyFieldsSent`` inside DRF), and URLs long
enough to make every error message that quotes them a copy of the request. Each is answered here
with a 4xx and a message, as a page or, under /api/, as JSON (portal/errors.py).
"""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework.throttling import BaseThrottle

from .errors import API_PREFIX, TOO_MANY_FIELDS, error_response, interpolate

# Path plus query string, in bytes as sent. A search text of 200 Chinese characters is 1,800 bytes
# percent-encoded; gunicorn refuses request lines over 4,094 bytes before Django sees them.
MAX_URL_BYTES = 4096

URL_TOO_LONG = _("请求的地址过长（最多 %(limit)s 字节），请缩短检索词或减少参数。")
PATH_NOT_UTF8 = _("地址中有无法识别的字符：地址须是 UTF-8 编码。")
QUERY_NOT_UTF8 = _("参数中有无法识别的字符：参数须是 UTF-8 编码。")
NUL_IN_PATH = _("地址中不能含有空字符（%00）。")
NUL_IN_QUERY = _("参数中不能含有空字符（%00）。")


def request_problem(request):
    """``(status, message)`` for a request no view should see, else None."""
    # Counted first: parsing is bounded by the URL length gunicorn allows, and this is the clearer message.
    try:
        request.GET  # noqa: B018 -- parsing is the check
    except TooManyFieldsSent:
        return 400, interpolate(TOO_MANY_FIELDS, limit=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
    # The path as Django decoded it: bytes that are not UTF-8 are percent-encoded again (so the
    # path names nothing and answers 404), but a NUL byte stays a NUL. The server's copy of the
    # request line (gunicorn's RAW_URI, uWSGI's REQUEST_URI) still tells which bytes were sent.
    path = request.path_info
    raw_uri = request.META.get("RAW_URI") or request.META.get("REQUEST_URI")
    if raw_uri:
        try:
            unquote_to_bytes(raw_uri.split("?", 1)[0].encode("latin-1")).decode("utf-8")
        except (UnicodeDecodeError, UnicodeEncodeError):
            return 400, PATH_NOT_UTF8
    query = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
    if len(path.encode()) + len(query) > MAX_URL_BYTES:
        return 414, interpolate(URL_TOO_LONG, limit=MAX_URL_BYTES)
    if "\x00" in path:
        return 400, NUL_IN_PATH
    decoded = unquote_to_bytes(query)
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return 400, QUERY_NOT_UTF8
    if b"\x00" in decoded:
        return 400, NUL_IN_QUERY
    return None


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = request_problem(request)
        if problem is not None:
            return error_response(request, *problem)
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith(API_PREFIX):
            # Django's class-based views refuse a method with an empty body; say so on a page.
            allowed = response["Allow"]
            response = error_response(request, 405)
            response["Allow"] = allowed
        return response


class ApiLanguageMiddleware:
    """After LocaleMiddleware: the API answers in Chinese, its one language, whatever the browser asks.

    Its own messages are Chinese; without this, DRF's and Django's (a bad integer, a wrong method)
    would follow Accept-Language and a response would mix two languages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)


def client_address(request) -> str:
    """The caller's address as the API's throttle sees it (DRF's ``NUM_PROXIES``), for django-axes."""
    return BaseThrottle().get_ident(request)
