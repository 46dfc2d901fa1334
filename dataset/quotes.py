"""The quote-is-verbatim rule: a citation's quote must occur in its paper's text.

Whitespace is ignored on both sides because the texts are PDF extractions whose line breaks and
spaces fall mid-sentence (shared/seeds/README.md); every other character must match.
"""

import re
from functools import lru_cache
from pathlib import Path

from sources.models import Citation

_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)


@lru_cache(maxsize=8)
def _paper_text(path: str, mtime: float) -> str:
    return squeeze(Path(path).read_text(encoding="utf-8"))


def paper_text(sources_dir: Path, seed_file: str) -> str | None:
    path = Path(sources_dir) / seed_file
    if not seed_file or not path.is_file():
        return None
    return _paper_text(str(path), path.stat().st_mtime)


def missing_texts(sources_dir: Path) -> list[str]:
    """Seed files named by papers in the database that are not in the sources directory."""
    from sources.models import Source

    return [s.seed_file or f"(no seed_file for {s.slug})" for s in Source.objects.papers() if paper_text(sources_dir, s.seed_file) is None]


def unverified_quotes(sources_dir: Path, citations=None) -> list[str]:
    """One line per citation whose quote is not in its paper, naming the record it supports."""
    citations = citations if citations is not None else Citation.objects.select_related("source", "content_type")
    problems = []
    for citation in citations:
        text = paper_text(sources_dir, citation.source.seed_file)
        if text is None:
            continue
        if squeeze(citation.quote) not in text:
            record = f"{citation.content_type.model} #{citation.object_id}"
            obj = citation.record
            if obj is not None:
                record = f"{citation.content_type.model} '{obj.slug}'"
            problems.append(f"{record}: quote not found in {citation.source.slug} ({citation.locator}): 「{citation.quote}」")
    return problems
