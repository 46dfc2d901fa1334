"""Errors under /api/v1/ are JSON with a message, whatever went wrong (issue 3, "Rules")."""

import logging

from django.conf import settings
from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)

INVALID_PARAMETERS = "请求参数有误。"


def api_exception_handler(exc, context):
    """DRF's handler, with one body shape: ``{"detail": message}`` plus ``errors`` per field for a 400.

    Validation errors keep DRF's per-field lists under ``errors`` so a client can show each field's
    message next to it; ``detail`` always says in one line what happened.
    """
    response = exception_handler(exc, context)
    if response is None:
        if settings.DEBUG:
            return None  # Django's debug page is more useful to a developer than a JSON line
        logger.exception("Unhandled error in the API", exc_info=exc)
        return Response({"detail": "服务器内部错误。"}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": INVALID_PARAMETERS, "errors": errors}
    elif not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": str(exc)}
    return response


def not_found(request, *args, **kwargs):
    """Any /api/v1/ path no endpoint answers: a JSON 404 rather than the portal's HTML page."""
    return JsonResponse(
        {"detail": f"没有这个 API 地址：{request.path}。可用的端点见 /api/v1/。"},
        status=status.HTTP_404_NOT_FOUND,
        json_dumps_params={"ensure_ascii": False},
    )
