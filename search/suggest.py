"""What the search box offers while the user types, and what a search without hits offers instead.

``suggest(q)``: up to ``SUGGEST_LIMIT`` record names whose name, full pinyin or initials start with
what was typed (search.Suggestion rows, written with each search document). Chinese names come
first, then pinyin, then initials (issue 11: pinyin ranks below Chinese); within a kind, in key
order, so the shortest name that starts with the prefix comes first (京津冀 before 京津冀地区).

``did_you_mean(q)``: the dictionary names closest to a query that found nothing — a variant or
mistyped character (京津翼 → 京津冀), a missing one (八个体化 → 八个一体化). Traditional input is
already folded to simplified by ``normalise``, so it is found without this.
"""

from __future__ import annotations

import difflib

from records.links import slug_url

from .backends import backend
from .models import SearchDocument
from .text import normalise, segmenter

SUGGEST_LIMIT = 10
MAX_SUGGEST_QUERY = 50
DID_YOU_MEAN_LIMIT = 5
# difflib's ratio: 京津翼 / 京津冀 is 0.67, 八个体化 / 八个一体化 0.89; below 0.6 a "suggestion" is
# mostly a different name that shares one character.
DID_YOU_MEAN_CUTOFF = 0.6

# The page of each record type (the same views as each model's get_absolute_url).
PAGES = {
    "agreement": "agreements:detail",
    "mechanism": "mechanisms:detail",
    "event": "timeline:event",
    "region": "regions:detail",
    "jurisdiction": "regions:jurisdiction",
    "stage": "regions:stage",
    "finding": "findings:finding",
    "figure": "findings:figure",
}


def suggestion_key(text: str | None) -> str:
    """What was typed, as the keys are stored: normalised, without spaces."""
    return normalise(text).replace(" ", "")


def suggest(text: str, limit: int = SUGGEST_LIMIT) -> list[dict]:
    """[{name, title, type, slug, path}] of up to ``limit`` records whose names start with ``text``."""
    key = suggestion_key(text)
    if not key:
        return []
    # Pinyin and initials are letters: a Chinese prefix can only match Chinese names.
    ranks = (0, 1, 2) if key.isascii() else (0,)
    rows = backend().suggestion_rows(key, ranks, limit * 3)
    found: dict[int, dict] = {}
    # Chinese names first, then pinyin, then initials; within a kind the shortest name first
    # (京津冀 before 京警入冀 for 「jingjin」).
    for _, doc_id, name, kind, slug, title in sorted(rows, key=lambda row: (row[0], len(row[2]), row[2], row[1])):
        if doc_id in found:
            continue
        found[doc_id] = {"name": name, "title": title, "type": kind, "slug": slug, "path": slug_url(PAGES[kind], slug)}
        if len(found) >= limit:
            break
    return list(found.values())


def did_you_mean(text: str, limit: int = DID_YOU_MEAN_LIMIT) -> list[str]:
    """The dictionary names closest to ``text`` (best first), for a query that found nothing."""
    key = suggestion_key(text)
    if len(key) < 2:
        return []
    segmenter.refresh()
    names = set(segmenter.words) | set(segmenter.synonyms)
    names.discard(key)
    return difflib.get_close_matches(key, sorted(names), n=limit, cutoff=DID_YOU_MEAN_CUTOFF)


TYPE_LABELS = dict(SearchDocument.Kind.choices)
