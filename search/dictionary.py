"""The domain dictionary: the knowledge base's own names, so jieba keeps them whole.

Sources (issue 4): regions and jurisdictions (names, full names, short names, aliases), agreement
short names (aliases and short titles), mechanism names and aliases, and terms the records put in
quotation marks (「八个一体化」, “京警入冀”).
"""

from __future__ import annotations

from .text import MAX_DICTIONARY_WORD, normalise, quoted_terms


def _words_of(*names) -> set[str]:
    words = set()
    for name in names:
        if not name:
            continue
        for text in [name, *quoted_terms(name)]:
            for part in normalise(text).split():
                if 2 <= len(part) <= MAX_DICTIONARY_WORD:
                    words.add(part)
    return words


def record_words(obj) -> set[str]:
    """Dictionary words one record contributes (used on save to teach the running process)."""
    from agreements.models import Agreement, AgreementAlias
    from mechanisms.models import Mechanism
    from regions.models import Jurisdiction, Region

    if isinstance(obj, Region):
        return _words_of(obj.name, obj.full_name, *obj.aliases)
    if isinstance(obj, Jurisdiction):
        return _words_of(obj.name, obj.short_name, *obj.aliases)
    if isinstance(obj, AgreementAlias):
        return _words_of(obj.name)
    if isinstance(obj, Agreement):
        return _words_of(obj.title) | {w for w in quoted_terms(obj.summary) if w}
    if isinstance(obj, Mechanism):
        return _words_of(obj.name, *obj.aliases) | {w for w in quoted_terms(obj.description) if w}
    return set()


def domain_words() -> set[str]:
    from agreements.models import Agreement, AgreementAlias
    from mechanisms.models import Mechanism
    from regions.models import Jurisdiction, Region
    from sources.models import Citation

    words: set[str] = set()
    for name, full_name, aliases in Region.objects.values_list("name", "full_name", "aliases"):
        words |= _words_of(name, full_name, *(aliases or []))
    for name, short_name, aliases in Jurisdiction.objects.values_list("name", "short_name", "aliases"):
        words |= _words_of(name, short_name, *(aliases or []))
    for (name,) in AgreementAlias.objects.values_list("name"):
        words |= _words_of(name)
    for title, summary in Agreement.objects.values_list("title", "summary"):
        words |= _words_of(title)
        words |= set(quoted_terms(summary))
    for name, aliases, description in Mechanism.objects.values_list("name", "aliases", "description"):
        words |= _words_of(name, *(aliases or []))
        words |= set(quoted_terms(description))
    for (quote,) in Citation.objects.values_list("quote"):
        words |= set(quoted_terms(quote))
    return {w for w in words if 2 <= len(w) <= MAX_DICTIONARY_WORD and " " not in w}
