"""A JSON data block for a page's static script to read, carrying the response's CSP nonce.

Browsers never run a ``type="application/json"`` block, but the portal's policy (settings.SECURE_CSP)
asks every script element without ``src`` to carry the nonce, which states the portal wrote it.
Used by the timeline (``#timeline-data``) and the explore app's charts.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# As django.utils.html.json_script: a "</script>" inside a string must not end the block.
ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def data_block(context, value, element_id: str):
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(ESCAPES)
    nonce = context.get("csp_nonce")
    nonce_attr = format_html(' nonce="{}"', nonce) if nonce is not None else ""
    return format_html(
        '<script id="{}" type="application/json"{}>{}</script>', element_id, nonce_attr, mark_safe(text)
    )
