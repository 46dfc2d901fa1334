"""Snippets with the matched words in <mark>, everything else HTML-escaped."""

from __future__ import annotations

import unicodedata
from html import escape

from .text import _converter

SNIPPET_BEFORE = 30
SNIPPET_LENGTH = 140


def _comparable(text: str) -> str:
    """The text as the index saw it (simplified, half-width, lower case), position for position.

    NFKC and OpenCC map almost every character one to one; where they change the length, the
    original lower-cased text is compared instead, so positions always line up with ``text``.
    """
    folded = unicodedata.normalize("NFKC", text)
    if len(folded) != len(text):
        folded = text
    converted = _converter().convert(folded)
    if len(converted) != len(folded):
        converted = folded
    lowered = converted.lower()
    return lowered if len(lowered) == len(text) else text


def _spans(text: str, terms) -> list[tuple[int, int]]:
    comparable = _comparable(text)
    spans = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        start = comparable.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = comparable.find(term, start + len(term))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms, *, window: bool = True) -> tuple[str, bool]:
    """(HTML, whether anything matched): a window of ``text`` around its first match."""
    text = text or ""
    spans = _spans(text, terms)
    start, end = 0, len(text)
    if window and len(text) > SNIPPET_LENGTH:
        first = spans[0][0] if spans else 0
        start = max(0, first - SNIPPET_BEFORE)
        end = min(len(text), start + SNIPPET_LENGTH)
    parts = ["…" if start > 0 else ""]
    cursor = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        parts.append(escape(text[cursor:s]))
        parts.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts), bool(spans)
