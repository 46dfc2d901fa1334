"""Normalisation and word segmentation, identical at index time and at query time.

Chinese has no spaces, so both the index and the query are cut into words by one segmenter
(``Engine``: rjieba, the jieba-rs binding, or stock jieba where no rjieba wheel exists; choose with
``SEARCH_SEGMENTER``). The same ``normalise`` runs first on both sides (traditional → simplified
with OpenCC, full-width → half-width with NFKC, Latin case folding, quotes and punctuation turned
into word boundaries), so 「粵港澳」 finds 粤港澳 and 《框架协议》 finds 框架协议.

The segmenter is loaded once per process, lazily, on the first call that needs it. Its dictionary
is extended with the knowledge base's own names, stored and versioned in the database
(search/dictionary.py), so 「通武廊」, 「八个一体化」 and 「京警入冀」 are single words in every
process alike. Each query first reads the stored version (one primary-key read); a process that
is behind adds the words it missed (or reloads when words were removed), so a name saved through
one web worker is a word in every other worker's next search.
"""

from __future__ import annotations

import abc
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



def _punctuation_pattern() -> re.Pattern:
    # CJK symbols, general and full-width punctuation whose NFKC form is only non-word characters:
    # replacing them by a space before normalising gives exactly the text normalising would give.
    chars = []
    for start, end in ((0x2000, 0x2070), (0x3000, 0x3040), (0xFF01, 0xFF66)):
        for cp in range(start, end):
            ch = chr(cp)
            if not unicodedata.is_normalized("NFKC", ch) and _NON_WORD.fullmatch(unicodedata.normalize("NFKC", ch)):
                chars.append(ch)
    return re.compile("[" + re.escape("".join(chars)) + "]+")


_PUNCTUATION = _punctuation_pattern()

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
    # Full-width punctuation (，。；「」) is what makes nearly every Chinese text "not NFKC": it
    # becomes a word boundary anyway, so it turns into a space first, and then the quick check
    # usually spares the full normalize(), which walks every character (0.15 ms for a
    # 1,200-character summary, a fifth of a record's indexing time at 100,000 records).
    text = _PUNCTUATION.sub(" ", str(text))
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = _converter().convert(text)
    text = text.lower()
    return _NON_WORD.sub(" ", text).strip()


def quoted_terms(text: str | None) -> list[str]:
    """Terms the text puts in quotation marks, normalised (candidates for the dictionary)."""
    if not text:
        return []
    return [normalise(m) for m in _QUOTED.findall(unicodedata.normalize("NFKC", str(text)))]


# ---------------------------------------------------------------- the segmenter

# The jieba dictionary frequency a domain word gets at least: high enough that the word wins over
# its parts wherever it occurs (「通武廊」, not 通 + 武廊).
DOMAIN_WORD_FREQ = 1000


class Engine(abc.ABC):
    """The small interface every segmenter offers: add a word, cut precisely, cut for search (no HMM).

    Both the index and the query go through the same engine, so an index is only consistent with
    the engine that built it; ``name`` (with the library's version) is recorded in IndexBuild.
    """

    name = ""

    @abc.abstractmethod
    def add_word(self, word: str) -> None:
        """Make ``word`` one word of the dictionary, winning over its parts."""

    @abc.abstractmethod
    def cut(self, text: str) -> list[str]:
        """Precise mode, no HMM: the words of ``text`` (the query side)."""

    @abc.abstractmethod
    def cut_for_search(self, text: str) -> list[str]:
        """Search mode, no HMM: each long word and the dictionary words inside it (the index side)."""


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:  # pragma: no cover — an unpackaged checkout
        return "unknown"


class RjiebaEngine(Engine):
    """jieba-rs through rjieba: jieba's dictionary and algorithm, about ten times faster (issue 11)."""

    def __init__(self, fresh: bool = False):
        import rjieba

        self.name = f"rjieba {_version('rjieba')}"
        # Importing rjieba already builds one tokenizer (its module functions); the first load
        # uses it rather than paying for a second. A full reload needs an empty one.
        self._jieba = rjieba.Jieba() if fresh else rjieba

    def add_word(self, word):
        self._jieba.add_word(word, max(self._jieba.suggest_freq(word), DOMAIN_WORD_FREQ), None)

    def cut(self, text):
        return self._jieba.cut(text, False)

    def cut_for_search(self, text):
        return self._jieba.cut_for_search(text, False)


class JiebaEngine(Engine):
    """Stock Python jieba: the fallback where no rjieba wheel exists."""

    def __init__(self, fresh: bool = False):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self.name = f"jieba {_version('jieba')}"
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()

    def add_word(self, word):
        self._tokenizer.add_word(word, freq=max(self._tokenizer.suggest_freq(word, tune=False), DOMAIN_WORD_FREQ))

    def cut(self, text):
        return list(self._tokenizer.cut(text, HMM=False))

    def cut_for_search(self, text):
        return list(self._tokenizer.cut_for_search(text, HMM=False))


ENGINES = {"rjieba": RjiebaEngine, "jieba": JiebaEngine}


def engine_choice() -> str:
    """``SEARCH_SEGMENTER`` (rjieba or jieba) if set, else rjieba where it is installed, else jieba."""
    import os

    chosen = os.environ.get("SEARCH_SEGMENTER", "").strip().lower()
    if chosen in ENGINES:
        return chosen
    try:
        import importlib.util

        return "rjieba" if importlib.util.find_spec("rjieba") else "jieba"
    except ImportError:  # pragma: no cover
        return "jieba"


def engine_name() -> str:
    """The name the chosen engine records with an index, without loading its dictionary."""
    choice = engine_choice()
    return f"{choice} {_version(choice)}"


class Segmenter:
    """One engine per process with the stored domain dictionary, built on first use and kept current.

    The dictionary lives in the database (search.DictionaryWord, versioned by DictionaryState) so
    every process cuts text alike. Before each query the stored version is read (one primary-key
    read); when another process has added words, this one adds the words of the versions it
    missed, and when words were removed it rebuilds its engine from the stored dictionary.
    """

    def __init__(self):
        self._lock = threading.RLock()
        self._engine: Engine | None = None
        self.words: set[str] = set()
        # Name → every name of the same record(s) (search.SynonymName), for query expansion.
        self.synonyms: dict[str, tuple[str, ...]] = {}
        self._groups: dict[str, set[str]] = {}
        self.version: int = 0
        self.load_seconds: float | None = None
        self.reloads = 0
        # Memo of segmented query clauses, bounded so a long-running process cannot grow without end.
        self._cache: dict[tuple[str, bool], tuple[str, ...]] = {}
        self.cache_limit = 200_000

    @property
    def loaded(self) -> bool:
        return self._engine is not None

    @property
    def name(self) -> str:
        return self.engine().name if self._engine is not None else engine_name()

    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._load(fresh=False)
                    from .checks import warn_once

                    warn_once()
        return self._engine

    # Kept for callers that asked for "the tokenizer": the engine is what they get.
    tokenizer = engine

    def reset(self) -> None:
        """Forget the engine: the next use loads the stored dictionary again."""
        with self._lock:
            self._engine = None
            self.words, self.synonyms, self._groups, self.version = set(), {}, {}, 0
            self._cache.clear()

    def load_words(self, words, synonyms, version: int = -1) -> None:
        """Load an engine with exactly these words (a full rebuild, before it stores them)."""
        with self._lock:
            self._load(fresh=self._engine is not None, dictionary=(version, words, synonyms))

    def _load(self, fresh: bool, dictionary=None) -> None:
        from .dictionary import stored_dictionary

        started = time.perf_counter()
        engine = ENGINES[engine_choice()](fresh=fresh)
        version, words, synonyms = dictionary or stored_dictionary()
        for word in sorted(words):
            engine.add_word(word)
        self.words = set(words)
        self._groups = {}
        self._add_synonyms(synonyms)
        self.version = version
        self._cache.clear()
        self._engine = engine
        self.load_seconds = time.perf_counter() - started

    def _add_synonyms(self, synonyms) -> None:
        for group, word in synonyms:
            self._groups.setdefault(group, set()).add(word)
        by_word: dict[str, set[str]] = {}
        for members in self._groups.values():
            for word in members:
                by_word.setdefault(word, set()).update(members)
        self.synonyms = {w: tuple(sorted(m - {w})) for w, m in by_word.items() if len(m) > 1}

    def refresh(self) -> bool:
        """Catch up with the stored dictionary; True when this process had to change anything."""
        from .dictionary import dictionary_changes_since, stored_version

        if self._engine is None:
            self.engine()
            return True
        version, base_version = stored_version()
        if version == self.version:
            return False
        with self._lock:
            if version < self.version or self.version < base_version:
                # Words were removed (or this process holds words of a rolled-back edit).
                self._load(fresh=True)
            else:
                version, words, synonyms = dictionary_changes_since(self.version)
                for word in sorted(set(words) - self.words):
                    self._engine.add_word(word)
                self.words |= set(words)
                if synonyms:
                    self._add_synonyms(synonyms)
                self.version = version
                self._cache.clear()
            self.reloads += 1
        logger.info("search dictionary: now at version %s (%s words)", self.version, len(self.words))
        return True

    def _alternatives(self, names) -> tuple[tuple[str, ...], ...]:
        """Each name as the words it is cut into: 「北京天津河北」 stands as 北京 + 天津 + 河北, which
        is how a record that writes 「北京、天津、河北」 is indexed."""
        out = []
        for name in names:
            cut = tuple(t for t in self._cut(name, False) if t not in STOPWORDS and _is_word(t))
            alternatives = [cut]
            if len(cut) == 1 and len(cut[0]) > 2:
                # A name that is one dictionary word, as its parts too (the QueryWord.parts rule).
                alternatives.append(tuple(t for t in self._cut(cut[0], True) if t != cut[0] and t not in STOPWORDS and _is_word(t)))
            for alt in alternatives:
                if alt and alt not in out:
                    out.append(alt)
        return tuple(out)

    def _names_containing(self, clause: str) -> tuple[str, ...]:
        if len(clause) < 3 or not _is_word(clause):
            return ()
        found = []
        for word in self.words:
            if clause in word and word != clause:
                found.append(word)
                if len(found) > MAX_CONTAINING_NAMES:
                    return ()
        return tuple(sorted(found))

    def _cut(self, clause: str, search_mode: bool) -> tuple[str, ...]:
        key = (clause, search_mode)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        engine = self.engine()
        result = tuple(engine.cut_for_search(clause) if search_mode else engine.cut(clause))
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
        # One call per text (the engine splits at the spaces itself): per-clause calls cost more
        # in call overhead than they save, and index text rarely repeats a clause.
        return _index_words(self.engine().cut_for_search(normalised))

    def query_words(self, text: str | None) -> list["QueryWord"]:
        """The query cut in precise mode; each word with the smaller words that can stand for it,
        and the other names of the same record (「川渝」 → 成渝, 成渝地区, …)."""
        words: dict[str, QueryWord] = {}
        for clause in normalise(text).split():
            cut = self._cut(clause, False)
            containing = self._names_containing(clause) if len(cut) > 1 else ()
            if containing:
                # 「大湾区」 is cut 大湾 + 区, which no document holds: the clause stands for its
                # words together, or for a name it is part of (and that name's other names).
                parts = tuple(t for t in cut if t not in STOPWORDS and _is_word(t))
                names = [*containing, *(o for n in containing for o in self.synonyms.get(n, ()))]
                words[clause] = QueryWord(clause, parts, self._alternatives(n for n in names if n != clause))
                continue
            for token in cut:
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
                words[token] = QueryWord(token, parts, self._alternatives(self.synonyms.get(token, ())))
        return list(words.values())


def _index_words(tokens) -> list[str]:
    """The distinct words of a normalised text's tokens, in order of first appearance.

    Deduplicated first, filtered after: a summary's ~700 tokens are ~250 distinct words, and the
    only non-words a normalised text can yield are the single spaces between its clauses, so
    dropping those and the stopwords from the distinct set replaces a regular expression per token
    (measured: half of a record's indexing time at 100,000 records).
    """
    seen = dict.fromkeys(tokens)
    seen.pop(" ", None)
    seen.pop("", None)
    for word in STOPWORDS.intersection(seen):
        del seen[word]
    return list(seen)


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
    # Other names of the record this word names (its region's aliases), each as the words it is
    # cut into: a record having all the words of one of them also matches.
    synonyms: tuple[tuple[str, ...], ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.own_terms, *self.synonym_terms)))

    @property
    def own_terms(self) -> tuple[str, ...]:
        return (self.word, *self.parts)

    @property
    def synonym_terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for alt in self.synonyms for t in alt))


# A record's names are also indexed whole, as one "exact name" word (x + the name without spaces),
# so a query that is exactly a title, an alias or a name ranks that record first: 「框架协议」 is
# a word in five agreement titles but the alias of one. jieba never emits such a token itself
# (it splits Latin letters from Han characters), so the key cannot collide with a real word.
EXACT_PREFIX = "x"
MAX_EXACT_KEY = 120
# A name's whole pinyin or initials as an exact key: x0 + letters. Pinyin has no digits, so the key
# cannot collide with a bare pinyin word (「小京津冀」's initials xjjj are not 京津冀's key x0jjj).
PINYIN_EXACT_PREFIX = EXACT_PREFIX + "0"
_PINYIN_QUERY = re.compile(r"^[a-z ]+$")
# A clause that is only part of a name (「大湾区」 in 粤港澳大湾区) also stands for the names that
# contain it, when there are at most this many (a short common fragment names nothing in particular).
MAX_CONTAINING_NAMES = 5


def exact_key(text: str | None) -> str:
    key = normalise(text).replace(" ", "")
    if not key or len(key) > MAX_EXACT_KEY:
        return ""
    return EXACT_PREFIX + key


@dataclass
class QueryPlan:
    words: list[QueryWord] = field(default_factory=list)
    exact: str = ""
    # The exact keys of the other names of the record the whole query names.
    exact_synonyms: tuple[str, ...] = ()

    @property
    def terms(self) -> list[str]:
        return list(dict.fromkeys(t for w in self.words for t in w.terms))

    @property
    def own_terms(self) -> list[str]:
        """The words as the user wrote them (and their parts): what ranks a record first."""
        return list(dict.fromkeys(t for w in self.words for t in w.own_terms))

    @property
    def synonym_terms(self) -> list[str]:
        """The words of other names standing for a query word: they widen the match, and only
        order records that tie on the user's own words (a region's nine other names must not
        outweigh an exact title: 「川渝刑事技术战略合作框架协议」 against 成渝…森林防灭火…)."""
        own = set(self.own_terms)
        return [t for t in dict.fromkeys(t for w in self.words for t in w.synonym_terms) if t not in own]

    @property
    def highlight_terms(self) -> list[str]:
        """What a snippet marks: the words, their parts, and the other names that do not merely
        contain a word (「粤港澳」 marks 粤港澳 inside 粤港澳大湾区, not the whole name)."""
        out = []
        for w in self.words:
            out += [w.word, *w.parts, *(alt[0] for alt in w.synonyms if len(alt) == 1 and w.word not in alt[0])]
        return list(dict.fromkeys(out))

    @property
    def exact_keys(self) -> list[str]:
        return [k for k in (self.exact, *self.exact_synonyms) if k]

    def __bool__(self) -> bool:
        return bool(self.words)


segmenter = Segmenter()


def query_plan(text: str | None) -> QueryPlan:
    text = (text or "")[:1000]
    segmenter.refresh()
    words = segmenter.query_words(text)
    exact = exact_key(text)
    # A query that is exactly one of a record's names is exactly each of its other names too.
    synonyms = segmenter.synonyms.get(exact[len(EXACT_PREFIX):], ()) if exact else ()
    keys = [k for k in map(exact_key, synonyms) if k]
    if exact and _PINYIN_QUERY.match(normalise(text)):
        # Letters only: pinyin or initials (「jjj」), whose exact key is x0 + letters; a name written
        # in Latin letters is indexed under the same key (search/documents.py).
        exact = PINYIN_EXACT_PREFIX + exact[len(EXACT_PREFIX):]
    return QueryPlan(words, exact, tuple(keys))


def index_tokens(text: str | None) -> list[str]:
    return segmenter.index_tokens(text)


def segmenter_stats() -> dict:
    return {
        "segmenter": segmenter.name,
        "loaded": segmenter.loaded,
        "load_seconds": segmenter.load_seconds,
        "dictionary_version": segmenter.version,
        "dictionary_words": len(segmenter.words),
    }
