import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from opendata.linked_data import MEDIA_TYPE, record_jsonld

register = template.Library()

# As django.utils.html.json_script does: a "</script>" inside a quote must not end the block.
ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld_text(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=False).translate(ESCAPES)


@register.simple_tag(takes_context=True)
def linked_data(context):
    """The page's record as JSON-LD, a data block carrying the response's CSP nonce.

    Browsers do not run a data block, but the nonce states that the portal put it there, so the
    policy (settings.SECURE_CSP, ``script-src 'self' 'nonce-…'``) holds for every script element.
    """
    obj, request = context.get("object"), context.get("request")
    if obj is None or request is None:
        return ""
    try:
        document = record_jsonld(obj, request.build_absolute_uri("/"))
    except TypeError:
        return ""
    return format_html(
        '<script type="{}"{}>{}</script>', MEDIA_TYPE, nonce_attribute(context), mark_safe(jsonld_text(document))
    )


def nonce_attribute(context) -> str:
    nonce = context.get("csp_nonce")
    return format_html(' nonce="{}"', nonce) if nonce is not None else ""
