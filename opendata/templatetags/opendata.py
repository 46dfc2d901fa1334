import json

from django import template
from django.utils.safestring import mark_safe

from opendata.linked_data import MEDIA_TYPE, record_jsonld

register = template.Library()

# As django.utils.html.json_script does: a "</script>" inside a quote must not end the block.
ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld_text(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=False).translate(ESCAPES)


@register.simple_tag(takes_context=True)
def linked_data(context):
    """The page's record as JSON-LD: a data block (not script code), so the strict CSP allows it."""
    obj, request = context.get("object"), context.get("request")
    if obj is None or request is None:
        return ""
    try:
        document = record_jsonld(obj, request.build_absolute_uri("/"))
    except TypeError:
        return ""
    return mark_safe(f'<script type="{MEDIA_TYPE}">{jsonld_text(document)}</script>')
