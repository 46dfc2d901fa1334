"""`manage.py check`: is the stored index the one this process would build? (issue 11)

An index cut by one segmenter must not be queried with another, and documents segmented with an
older dictionary miss the newer words. Both are reported, never silently mixed: a warning from
`check` (tagged ``database``, so it runs where the database is reachable: `check --database
default`, `migrate`) and a log line at the first search, each naming `rebuild_search_index`.
"""

from __future__ import annotations

import logging

from django.core.checks import Tags, Warning, register

logger = logging.getLogger("search")

FIX = "Run `python manage.py rebuild_search_index`."


def index_problems(using: str = "default") -> list[str]:
    """What is wrong with the stored index for this process; [] when it is the one it would build."""
    from django.db import DatabaseError, transaction

    from .models import DictionaryState, IndexBuild, SearchDocument
    from .text import engine_name

    try:
        with transaction.atomic(using=using):  # a savepoint: a missing table must not break a transaction
            build = IndexBuild.objects.using(using).filter(pk=1).first()
            has_documents = SearchDocument.objects.using(using).exists()
            state = DictionaryState.objects.using(using).filter(pk=1).first()
    except DatabaseError:
        return []  # not migrated yet: migrate reports that
    version = state.version if state else 0
    if build is None:
        if has_documents:
            return [f"The search index was built before the segmenter was recorded; this process segments with {engine_name()}."]
        return []
    problems = []
    if build.segmenter != engine_name():
        problems.append(
            f"The search index was built by {build.segmenter}, but this process segments with {engine_name()}: "
            "queries would be cut differently from the documents."
        )
    if build.dictionary_version != version:
        problems.append(
            f"The search index was built with dictionary version {build.dictionary_version}, "
            f"but the stored dictionary is at version {version}."
        )
    return problems


@register(Tags.database)
def check_search_index(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    return [
        Warning(problem, hint=FIX, obj="search.IndexBuild", id="search.W001")
        for alias in databases
        for problem in index_problems(alias)
    ]


_warned = False


def warn_once() -> None:
    """The same report as a log line, once per process, at the first search."""
    global _warned
    if _warned:
        return
    _warned = True
    for problem in index_problems():
        logger.warning("%s %s", problem, FIX)
