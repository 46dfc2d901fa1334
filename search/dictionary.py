"""The domain dictionary: the knowledge base's own names, stored and versioned, one for every process.

Sources (issue 4, issue 11): regions and jurisdictions (names, full names, short names, aliases),
agreement short titles and aliases, mechanism names and aliases, and terms the records put in
quotation marks (「八个一体化」, “京警入冀”). Names, not every record's text: a process loads the
stored words in one query (search.DictionaryWord) instead of harvesting 100,000 summaries when it
starts (issue 11 measured 29 s for that).

Every change moves ``DictionaryState.version``; search/text.py reads the version before each query
and catches up. The records' names that stand for the same thing (a region's name, full name and
aliases) are stored as synonym groups (search.SynonymName), so 「川渝」 also finds 成渝's records.

Services (``dictionary_add``, ``dictionary_replace``) run inside the caller's transaction, under a
row lock on the state row, so two writers cannot both hand out the same version.
"""

from __future__ import annotations

import contextlib
import logging

from django.db import transaction

from .text import MAX_DICTIONARY_WORD, _is_word, normalise, quoted_terms

logger = logging.getLogger(__name__)

STATE_ID = 1


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


def _name_key(name) -> str:
    """A name as one word (normalised, spaces dropped): 「北京、天津、河北」 → 北京天津河北."""
    key = normalise(name).replace(" ", "")
    return key if 2 <= len(key) <= 120 and _is_word(key) else ""


def _group(label: str, *names) -> set[tuple[str, str]]:
    keys = {k for k in map(_name_key, names) if k}
    return {(label, k) for k in keys} if len(keys) > 1 else set()


def record_words(obj) -> set[str]:
    """Dictionary words one record contributes (used on save)."""
    from agreements.models import Agreement, AgreementAlias
    from mechanisms.models import Mechanism
    from regions.models import Jurisdiction, Region

    if isinstance(obj, Region):
        return _words_of(obj.name, obj.full_name, *obj.aliases) | _joined(obj.name, obj.full_name, *obj.aliases)
    if isinstance(obj, Jurisdiction):
        return _words_of(obj.name, obj.short_name, *obj.aliases)
    if isinstance(obj, AgreementAlias):
        return _words_of(obj.name)
    if isinstance(obj, Agreement):
        return _words_of(obj.title) | {w for w in quoted_terms(obj.summary) if _dictionary_word(w)}
    if isinstance(obj, Mechanism):
        return _words_of(obj.name, *obj.aliases) | {w for w in quoted_terms(obj.description) if _dictionary_word(w)}
    return set()


def _joined(*names) -> set[str]:
    # A name the papers write with enumeration commas (「北京、天津、河北」) is one word when typed
    # without them, so the query finds the record's other names.
    return {k for k in map(_name_key, names) if k and len(k) <= MAX_DICTIONARY_WORD}


def record_synonyms(obj) -> set[tuple[str, str]]:
    """(group, name) rows of one record whose names stand for one thing."""
    from mechanisms.models import Mechanism
    from regions.models import Jurisdiction, Region

    if isinstance(obj, Region):
        return _group(f"region:{obj.pk}", obj.name, obj.full_name, *obj.aliases)
    if isinstance(obj, Jurisdiction):
        # Single-character abbreviations (京, 冀) are too short to expand on their own.
        return _group(f"jurisdiction:{obj.pk}", obj.name, obj.short_name, *[a for a in obj.aliases if len(a) > 1])
    if isinstance(obj, Mechanism):
        return _group(f"mechanism:{obj.pk}", obj.name, *obj.aliases)
    return set()


def _dictionary_word(word: str) -> bool:
    return 2 <= len(word) <= MAX_DICTIONARY_WORD and _is_word(word)


def harvest() -> tuple[set[str], set[tuple[str, str]]]:
    """Every dictionary word and synonym row, from the names (run by a full rebuild, not at start-up)."""
    from django.db.models.functions import Length

    from agreements.models import Agreement, AgreementAlias
    from mechanisms.models import Mechanism
    from regions.models import Jurisdiction, Region
    from sources.models import Citation

    words: set[str] = set()
    synonyms: set[tuple[str, str]] = set()
    for region in Region.objects.only("pk", "name", "full_name", "aliases"):
        words |= record_words(region)
        synonyms |= record_synonyms(region)
    for jurisdiction in Jurisdiction.objects.only("pk", "name", "short_name", "aliases"):
        words |= record_words(jurisdiction)
        synonyms |= record_synonyms(jurisdiction)
    for (name,) in AgreementAlias.objects.values_list("name"):
        words |= _words_of(name)
    # Titles short enough to be one word are the agreements' short titles; quoted terms of the
    # summaries are read in the database (a LIKE narrows 100,000 summaries to those with quotes).
    short = Agreement.objects.annotate(title_length=Length("title")).filter(title_length__lte=MAX_DICTIONARY_WORD + 2)
    for (title,) in short.values_list("title"):
        words |= _words_of(title)
    with _parallel_scans():
        summaries = list(Agreement.objects.filter(_has_quotes("summary")).values_list("summary", flat=True))
    for summary in summaries:
        words |= set(quoted_terms(summary))
    for mechanism in Mechanism.objects.only("pk", "name", "aliases", "description"):
        words |= record_words(mechanism)
        synonyms |= record_synonyms(mechanism)
    for (quote,) in Citation.objects.filter(_has_quotes("quote")).values_list("quote"):
        words |= set(quoted_terms(quote))
    return {w for w in words if _dictionary_word(w)}, synonyms


# Settings that let PostgreSQL split one full scan over its parallel workers. The agreements' heap is
# small (the summaries live in TOAST), so the planner would scan it in one process; reading and
# matching 100,000 summaries is what costs: 1.8 s in one process, 0.8 s in three.
_PARALLEL_SCAN_SETTINGS = ("parallel_setup_cost", "parallel_tuple_cost", "min_parallel_table_scan_size")


@contextlib.contextmanager
def _parallel_scans():
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for name in _PARALLEL_SCAN_SETTINGS:
            cursor.execute(f"SET LOCAL {name} = 0")
        yield
        # SET LOCAL lasts to the end of the whole transaction, which may be a caller's (the loader's).
        for name in _PARALLEL_SCAN_SETTINGS:
            cursor.execute(f"SET LOCAL {name} TO DEFAULT")


# The opening marks of search.text's quoted terms: a text without any has none to harvest.
QUOTE_MARKS = "「『“\"《〈"


def _has_quotes(field: str):
    from django.db import connection
    from django.db.models import Q

    if connection.vendor == "postgresql":
        # One regular-expression pass over each text instead of six LIKE scans: at 100,000
        # summaries 1.6 s instead of 2.2 s, before any worker can start segmenting.
        return Q(**{f"{field}__regex": "[" + QUOTE_MARKS + "]"})
    condition = Q()
    for mark in QUOTE_MARKS:
        condition |= Q(**{f"{field}__contains": mark})
    return condition


# ---------------------------------------------------------------- reading (every process)


def stored_version() -> tuple[int, int]:
    """(version, base_version) of the stored dictionary: one primary-key read."""
    from .models import DictionaryState

    row = DictionaryState.objects.filter(pk=STATE_ID).values_list("version", "base_version").first()
    return row or (0, 0)


def stored_dictionary() -> tuple[int, list[str], list[tuple[str, str]]]:
    """The whole stored dictionary: (version, words, synonym rows)."""
    return dictionary_changes_since(-1)


def dictionary_changes_since(version: int) -> tuple[int, list[str], list[tuple[str, str]]]:
    from django.db import DatabaseError

    from .models import DictionaryWord, SynonymName

    try:
        with transaction.atomic():  # a savepoint: a missing table must not break the caller's transaction
            current, _ = stored_version()
            words = list(DictionaryWord.objects.filter(version__gt=version).values_list("word", flat=True))
            synonyms = list(SynonymName.objects.filter(version__gt=version).values_list("group", "word"))
    except DatabaseError:
        # Before `migrate` (or a database without the search tables): segment without domain words.
        logger.debug("search dictionary: tables not readable yet", exc_info=True)
        return 0, [], []
    return current, words, synonyms


# ---------------------------------------------------------------- writing (services)


def _locked_state():
    from .models import DictionaryState

    state, _ = DictionaryState.objects.select_for_update().get_or_create(pk=STATE_ID)
    return state


@transaction.atomic
def dictionary_add(*, words=(), synonyms=()) -> set[str]:
    """Store new words and synonym rows under a new version; returns the words that were new.

    The caller re-indexes the records that contain the new words in the same transaction, so the
    index stays built from the current dictionary (IndexBuild follows the version).
    """
    from .models import DictionaryWord, IndexBuild, SynonymName

    words = {w for w in words if _dictionary_word(w)}
    synonyms = set(synonyms)
    if not words and not synonyms:
        return set()
    known = set(DictionaryWord.objects.filter(word__in=words).values_list("word", flat=True))
    new_words = words - known
    groups = {g for g, _ in synonyms}
    known_synonyms = set(SynonymName.objects.filter(group__in=groups).values_list("group", "word"))
    new_synonyms = synonyms - known_synonyms
    if not new_words and not new_synonyms:
        return set()
    state = _locked_state()
    previous = state.version
    state.version += 1
    state.save(update_fields=["version", "updated_at"])
    DictionaryWord.objects.bulk_create([DictionaryWord(word=w, version=state.version) for w in sorted(new_words)])
    SynonymName.objects.bulk_create(
        [SynonymName(group=g, word=w, version=state.version) for g, w in sorted(new_synonyms)]
    )
    IndexBuild.objects.filter(pk=STATE_ID, dictionary_version=previous).update(dictionary_version=state.version)
    return new_words


@transaction.atomic
def dictionary_replace(*, words, synonyms) -> int:
    """Make the stored dictionary exactly ``words`` and ``synonyms`` (a full rebuild); returns its version."""
    from .models import DictionaryWord, SynonymName

    words = {w for w in words if _dictionary_word(w)}
    synonyms = set(synonyms)
    state = _locked_state()
    stored_words = set(DictionaryWord.objects.values_list("word", flat=True))
    stored_synonyms = set(SynonymName.objects.values_list("group", "word"))
    if words == stored_words and synonyms == stored_synonyms:
        return state.version
    state.version += 1
    removed_words, removed_synonyms = stored_words - words, stored_synonyms - synonyms
    if removed_words or removed_synonyms:
        # A process that loaded an older version cannot remove words from its engine: it reloads.
        state.base_version = state.version
        DictionaryWord.objects.filter(word__in=removed_words).delete()
        for group, word in removed_synonyms:
            SynonymName.objects.filter(group=group, word=word).delete()
    state.save(update_fields=["version", "base_version", "updated_at"])
    DictionaryWord.objects.bulk_create(
        [DictionaryWord(word=w, version=state.version) for w in sorted(words - stored_words)], batch_size=2000
    )
    SynonymName.objects.bulk_create(
        [SynonymName(group=g, word=w, version=state.version) for g, w in sorted(synonyms - stored_synonyms)],
        batch_size=2000,
    )
    return state.version


def names(limit: int | None = None) -> list[str]:
    """The dictionary's words, for "did you mean" (search/suggest.py)."""
    from .models import DictionaryWord

    qs = DictionaryWord.objects.order_by("word").values_list("word", flat=True)
    return list(qs[:limit] if limit else qs)
