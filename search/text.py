"""Normalisation and word segmentation, identical at index time and at query time.

Chinese has no spaces, so both the index and the query are cut into words with jieba. The same
``normalise`` runs first on both sides (traditional → simplified with OpenCC, full-width →
half-width with NFKC, Latin case folding, quotes and punctuation turned into word boundaries), so
「粵港澳」 finds 粤港澳 and 《框架协议》 finds 框架协议.

jieba is loaded once per process, lazily, on the first call that needs it (not at import: a
management command that never searches pays nothing). Its dictionary is extended with the
knowledge base's own names — regions, jurisdictions, agreement short names, mechanism names and
terms the papers put in quotation marks — so 「通武廊」, 「八个一体化」 and 「京警入冀」 are single words.
Loading costs about one second (``segmenter_stats()`` reports the measured figure).

A name saved in this process joins its dictionary at once (search/signals.py). Another process
(a second web worker) learns it when it restarts; until then a query for the new name is cut
into smaller words, and ``QueryWord.parts`` still lets it match the records.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

# Anything that is not a letter, a digit or a CJK character separates words: Chinese quotes and
# book-title marks (「」“”《》), enumeration commas, full stops, brackets, dashes, ASCII punctuation.
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)

# Quoted terms in the papers are domain words (「八个一体化」, “京警入冀”, "通武廊"), harvested into the
# dictionary before normalisation drops the quotes.
_QUOTED = re.compile(r"[「『“\"《〈]([^「」『』“”\"《》〈〉]{2,12})[」』”\"》〉]")

# Function words that carry no meaning for search; dropped at index and query time alike so a
# title typed with or without 「的」 finds the same record and the vectors stay small.
STOPWORDS = frozenset("的 了 和 与 及 或 等 之 其 并 于 而 也 着 把 被".split())

# Dictionary words longer than this would swallow the words inside them (a whole title as one
# word makes partial-title queries miss), so long names stay out of the dictionary.
MAX_DICTIONARY_WORD = 12

_t2s = None
_t2s_lock = threading.Lock()


def _converter():
    global _t2s
    if _t2s is None:
        with _t2s_lock:
            if _t2s is None:
                import opencc

                _t2s = opencc.OpenCC("t2s")
    return _t2s


def normalise(text: str | None) -> str:
    """Simplified, half-width, lower-case text with punctuation replaced by single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    text = _converter().convert(text)
    text = text.lower()
    return _NON_WORD.sub(" ", text).strip()


def quoted_terms(text: str | None) -> list[str]:
    """Terms the text puts in quotation marks, normalised (candidates for the dictionary)."""
    if not text:
        return []
    return [normalise(m) for m in _QUOTED.findall(unicodedata.normalize("NFKC", str(text)))]


# ---------------------------------------------------------------- the segmenter


class Segmenter:
    """One jieba tokenizer per process, with the domain dictionary, built on first use."""

    def __init__(self):
        self._lock = threading.RLock()
        self._tokenizer = None
        self.words: set[str] = set()
        self.load_seconds: float | None = None
        # Memo of segmented clauses: formulaic policy text repeats clauses (「深化区域警务协作」)
        # and re-indexing re-segments them; bounded so a long-running process cannot grow without end.
        self._cache: dict[tuple[str, bool], tuple[str, ...]] = {}
        self.cache_limit = 200_000

    @property
    def loaded(self) -> bool:
        return self._tokenizer is not None

    def tokenizer(self):
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    started = time.perf_counter()
                    import jieba

                    jieba.setLogLevel(logging.WARNING)
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    words = set()
                    try:
                        from .dictionary import domain_words

                        words = domain_words()
                    except Exception:  # noqa: BLE001 — tables may not exist yet (migrate, fresh DB)
                        logger.debug("search dictionary: knowledge base not readable yet", exc_info=True)
                    for word in sorted(words):
                        self._add(tokenizer, word)
                    self.words = words
                    self._tokenizer = tokenizer
                    self.load_seconds = time.perf_counter() - started
        return self._tokenizer

    @staticmethod
    def _add(tokenizer, word: str) -> None:
        # A frequency high enough that the word wins over its parts wherever it occurs.
        tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word, tune=False), 1000))

    def add_words(self, words) -> set[str]:
        """Teach the loaded tokenizer new names; returns the words it did not know yet."""
        new = {w for w in words if _dictionary_word(w)} - self.words
        if not new:
            return set()
        if self._tokenizer is None:
            # Not loaded yet: the first load reads every name from the database, these included.
            return set()
        with self._lock:
            for word in sorted(new):
                self._add(self._tokenizer, word)
            self.words |= new
            self._cache.clear()
        return new

    def _cut(self, clause: str, search_mode: bool) -> tuple[str, ...]:
        key = (clause, search_mode)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        tokenizer = self.tokenizer()
        if search_mode:
            result = tuple(tokenizer.cut_for_search(clause, HMM=False))
        else:
            result = tuple(tokenizer.cut(clause, HMM=False))
        if len(self._cache) >= self.cache_limit:
            self._cache.clear()
        self._cache[key] = result
        return result

    def index_tokens(self, text: str | None) -> list[str]:
        """Search-mode words of a text, each once, in order of first appearance.

        Search mode emits a long word and the dictionary words inside it (京津冀 → 京津, 京津冀), so a
        shorter query still matches. Each word is kept once per field: the vector stays compact.
        """
        normalised = normalise(text)
        if not normalised:
            return []
        # One jieba call per text (it splits at the spaces itself): per-clause calls cost more
        # in call overhead than they save, and index text rarely repeats a clause.
        tokens = self.tokenizer().cut_for_search(normalised, HMM=False)
        stop = STOPWORDS
        return list(dict.fromkeys(t for t in tokens if t not in stop and _is_word(t)))

    def query_words(self, text: str | None) -> list["QueryWord"]:
        """The query cut in precise mode; each word with the smaller words that can stand for it."""
        words: dict[str, QueryWord] = {}
        for clause in normalise(text).split():
            for token in self._cut(clause, False):
                token = token.strip()
                if not token or token in STOPWORDS or not _is_word(token) or token in words:
                    continue
                parts: tuple[str, ...] = ()
                if len(token) > 2:
                    parts = tuple(
                        dict.fromkeys(
                            t for t in self._cut(token, True) if t != token and t not in STOPWORDS and _is_word(t)
                        )
                    )
                words[token] = QueryWord(token, parts)
        return list(words.values())


def _is_word(token: str) -> bool:
    return bool(token) and not _NON_WORD.search(token)


def _dictionary_word(word: str) -> bool:
    return 2 <= len(word) <= MAX_DICTIONARY_WORD and _is_word(word)


@dataclass(frozen=True)
class QueryWord:
    """A query word matches a record that has the word, or (when it has parts) all of its parts.

    The parts cover records segmented another way: 「联席会议」 inside the dictionary word
    「联席会议会商」 is indexed as 联席 + 会议, and still matches.
    """

    word: str
    parts: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.word, *self.parts)


# A record's names are also indexed whole, as one "exact name" word (x + the name without spaces),
# so a query that is exactly a title, an alias or a name ranks that record first: 「框架协议」 is
# a word in five agreement titles but the alias of one. jieba never emits such a token itself
# (it splits Latin letters from Han characters), so the key cannot collide with a real word.
EXACT_PREFIX = "x"
MAX_EXACT_KEY = 120


def exact_key(text: str | None) -> str:
    key = normalise(text).replace(" ", "")
    if not key or len(key) > MAX_EXACT_KEY:
        return ""
    return EXACT_PREFIX + key


@dataclass
class QueryPlan:
    words: list[QueryWord] = field(default_factory=list)
    exact: str = ""

    @property
    def terms(self) -> list[str]:
        return list(dict.fromkeys(t for w in self.words for t in w.terms))

    def __bool__(self) -> bool:
        return bool(self.words)


segmenter = Segmenter()


def query_plan(text: str | None) -> QueryPlan:
    text = (text or "")[:1000]
    return QueryPlan(segmenter.query_words(text), exact_key(text))


def index_tokens(text: str | None) -> list[str]:
    return segmenter.index_tokens(text)


def segmenter_stats() -> dict:
    return {"loaded": segmenter.loaded, "load_seconds": segmenter.load_seconds, "dictionary_words": len(segmenter.words)}
