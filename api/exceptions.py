"""Errors under /api/v1/ are JSON with a message, whatever went wrong (issue 3, "Rules"; issue 14).

DRF's settings name this handler for every API view, the search included. A message never carries
a traceback, SQL, a setting or a driver's name, and quotes what the caller sent only as a short
excerpt (records/messages.py). An unexpected error is logged with the request id, which the
answer gives so that a caller's report can be matched to the log line.
"""

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django_guid import get_guid
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from records.messages import bounded, bounded_errors, excerpt

logger = logging.getLogger(__name__)

INVALID_PARAMETERS = "请求参数有误。"
SERVER_ERROR = "服务器内部错误，请稍后再试；报告问题时请附上 request_id。"
SUSPICIOUS_REQUEST = "请求无效：参数过多或格式不被接受。"
DATABASE_UNAVAILABLE = "数据库暂时无法连接，请稍后再试。"
READ_ONLY = "公共 API 只读，不接受 {method} 请求；可用的方法：{allowed}。"


def api_exception_handler(exc, context):
    """DRF's handler, with one body shape: ``{"detail": message}`` plus ``errors`` per field for a 400.

    Validation errors keep DRF's per-field lists under ``errors`` so a client can show each field's
    message next to it; ``detail`` always says in one line what happened.
    """
    if isinstance(exc, SuspiciousOperation):
        # Too many parameters, say: Django's own 400, which DRF does not know.
        return Response({"detail": SUSPICIOUS_REQUEST}, status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is None:
        if settings.DEBUG:
            return None  # Django's debug page is more useful to a developer than a JSON line
        logger.error("Unhandled error in the API", exc_info=exc)
        if isinstance(exc, (OperationalError, InterfaceError)):
            # Lost in the view (a CSV export's query, say) rather than before it: the same
            # retryable 503 as a database found away by the middleware (portal/unavailable.py).
            return Response(
                {"detail": DATABASE_UNAVAILABLE, "request_id": get_guid()},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "30"},
            )
        return Response(
            {"detail": SERVER_ERROR, "request_id": get_guid()}, status=status.HTTP_500_INTERNAL_SERVER_ERROR
        )
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": INVALID_PARAMETERS, "errors": bounded_errors(errors)}
    elif isinstance(exc, exceptions.MethodNotAllowed):
        allowed = response.get("Allow", "GET, HEAD, OPTIONS")
        response.data = {"detail": READ_ONLY.format(method=excerpt(context["request"].method, 16), allowed=allowed)}
    elif not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": bounded(exc)}
    else:
        response.data["detail"] = bounded(response.data["detail"])
    return response


def not_found(request, *args, **kwargs):
    """Any /api/v1/ path no endpoint answers: a JSON 404 rather than the portal's HTML page."""
    return JsonResponse(
        {"detail": f"没有这个 API 地址：{excerpt(request.path, 80)}。可用的端点见 /api/v1/。"},
        status=status.HTTP_404_NOT_FOUND,
        json_dumps_params={"ensure_ascii": False},
    )
