"""The portal's error answers: a small page in the reader's language, or JSON under /api/ (issue 14).

The pages stand alone (not ``base.html``, whose navigation and linked data read the database): an
error page must render while the database is in trouble, and it never shows a traceback, SQL, a
setting or what the caller sent beyond a short excerpt. The page's language follows the reader's
language cookie or browser (Chinese by default, English); the API answers in Chinese only, as its
other messages do. The 500 page and the API's 500 give the request id that the log line carries.
"""

import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django_guid import get_guid

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"

TITLES = {
    400: _("请求有误"),
    403: _("禁止访问"),
    404: _("页面不存在"),
    405: _("不支持的请求方法"),
    414: _("地址过长"),
    500: _("服务器内部错误"),
}
MESSAGES = {
    400: _("知识库无法处理这个请求：地址或参数的格式不对。"),
    403: _("您没有权限访问这个页面。"),
    404: _("没有这个页面。它可能已经移走，或者地址有误。"),
    405: _("这个地址不接受这种请求方法。"),
    414: _("请求的地址过长，请缩短检索词或减少参数。"),
    500: _("知识库出了问题，未能完成这个请求。错误已经记录。"),
}
TOO_MANY_FIELDS = _("参数过多：一个请求最多可带 %(limit)s 个参数。")
BODY_TOO_BIG = _("请求内容过大。")
FOREIGN_HOST = _("本站不提供这个主机名的内容。")
CSRF_FAILED = _("表单已过期或来源无法确认（CSRF 校验未通过）。请返回上一页，刷新后再提交。")

# If the template cannot be rendered (a broken deployment), this still answers.
# It keeps the request id, which is what a reader's report is matched to the log line by.
FALLBACK = '<!doctype html><html lang="{language}"><meta charset="utf-8"><title>{status}</title><h1>{status}</h1><p>{message}</p>{request_id}'
FALLBACK_REQUEST_ID = '<p>{label}: <code>{request_id}</code></p>'


def interpolate(message, **params):
    """``message % params``, translated when it is shown (the page's language is chosen later)."""
    return lazy(lambda: str(message) % params, str)()


def wants_json(request) -> bool:
    return request.path.startswith(API_PREFIX)


def error_response(request, status: int, message=None) -> HttpResponse:
    """The error answer for ``status``; ``message`` (lazy, translatable) says more than the default."""
    message = message if message is not None else MESSAGES.get(status, MESSAGES[400])
    request_id = get_guid() if status >= 500 else None
    if wants_json(request):
        with translation.override(settings.LANGUAGE_CODE):
            body = {"detail": str(message)}
        if request_id:
            body["request_id"] = request_id
        response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    else:
        language = translation.get_language_from_request(request)
        with translation.override(language):
            try:
                html = loader.get_template("errors/error.html").render(
                    {
                        "status": status,
                        "title": TITLES.get(status, TITLES[400]),
                        "message": message,
                        "request_id": request_id,
                        "language": language,
                    }
                )
            except Exception:  # the error page itself must not fail
                logger.exception("The error page could not be rendered")
                html = FALLBACK.format(
                    language=escape(language),
                    status=status,
                    message=escape(str(message)),
                    request_id=FALLBACK_REQUEST_ID.format(label=escape(str(_("请求编号"))), request_id=escape(request_id)) if request_id else "",
                )
        response = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    if isinstance(exception, TooManyFieldsSent):
        message = interpolate(TOO_MANY_FIELDS, limit=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
    elif isinstance(exception, RequestDataTooBig):
        message = BODY_TOO_BIG
    elif isinstance(exception, DisallowedHost):
        message = FOREIGN_HOST
    else:
        message = None
    return error_response(request, 400, message)


def permission_denied(request, exception=None):
    return error_response(request, 403)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    return error_response(request, 500)


def csrf_failure(request, reason=""):
    return error_response(request, 403, CSRF_FAILED)
