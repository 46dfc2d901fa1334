"""Highlighted snippets for the list pages' ``?search=``: the words a search matched, in <mark>."""

from django.utils.safestring import mark_safe

from .highlight import highlight
from .text import query_plan


def mark_matches(records, text: str, title: str, bodies: tuple[str, ...]) -> None:
    """Give each record ``title_marked`` and ``snippet`` (HTML, escaped but for <mark>) for a search text.

    The snippet is the first of ``bodies`` that contains a matched word; none when only the title matched.
    """
    terms = query_plan(text).terms if text else []
    for record in records:
        record.title_marked = mark_safe(highlight(str(getattr(record, title) or ""), terms, window=False)[0])
        record.snippet = ""
        for name in bodies:
            html, matched = highlight(str(getattr(record, name, "") or ""), terms)
            if matched:
                record.snippet = mark_safe(html)
                break
