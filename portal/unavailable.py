"""A 503 instead of a 500 while the database cannot be reached (issue 14, "Faults and data safety").

A lost database is an outage, not a bug: the reader should be told to come back shortly, and a
client of the API should get a status it can retry on. The error may be raised anywhere — in a view,
or before it in ``RevisionCacheMiddleware``, which reads the dataset revision on every request —
and Django turns an exception raised inside any middleware into a 500 response before an outer
middleware can see it. So the decision is made in two places: the ``got_request_exception``
receiver, which runs while the exception is being handled, marks the request, and the outermost
middleware swaps that request's 500 for this module's 503. Nothing here retries: with
``CONN_HEALTH_CHECKS`` on, the next request reconnects by itself once the database is back.
"""

import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_ATTRIBUTE = "_portal_database_unavailable"
MESSAGE = "数据库暂时无法连接，请稍后再试。"

PAGE = """<!doctype html>
<html lang="zh-hans">
<head><meta charset="utf-8"><title>暂时无法访问 · 区域警务协作知识库</title></head>
<body>
<main>
<h1>暂时无法访问</h1>
<p>知识库的数据库暂时无法连接，请稍后刷新本页。</p>
<p lang="en">The portal's database cannot be reached right now. Please try again in a minute.</p>
</main>
</body>
</html>
"""


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether this exception (or one it was raised from) says the database is out of reach."""
    while exc is not None:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def mark_unavailable(sender, request=None, **kwargs):
    if request is not None and database_unavailable(sys.exc_info()[1]):
        setattr(request, UNAVAILABLE_ATTRIBUTE, True)


def unavailable_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": MESSAGE}, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Outermost middleware: a request that failed because the database is down answers 503."""

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(mark_unavailable, dispatch_uid="portal.unavailable.mark_unavailable")

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, UNAVAILABLE_ATTRIBUTE, False):
            return unavailable_response(request)
        return response
