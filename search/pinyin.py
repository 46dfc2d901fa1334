"""Pinyin of names: full syllables and initials, so 「jingjinji」 and 「jjj」 find 京津冀 (issue 11).

Only names are converted (titles, aliases, dictionary words), never bodies: a body's pinyin would
match every record that happens to contain the same syllables. pypinyin does the conversion; a
name with characters of several readings (长 chang/zhang, 行 xing/hang) gets each combination, up
to ``MAX_READINGS``, because the user types the one they know (pypinyin reads 长三角 as zhang…).
"""

from __future__ import annotations

import itertools
from functools import lru_cache

MAX_READINGS = 4
# Names longer than this are only converted in their first characters: enough for a prefix typed
# into the search box, and a 60-character title's pinyin is not something anyone types in full.
MAX_NAME = 12


def _is_han(text: str) -> bool:
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" for ch in text)


# Names up to this long are converted whole (pypinyin sees the whole phrase); a longer one is
# converted word by word (the segmenter's precise cut), each word once per process: titles are
# nearly all distinct, their words are not, so a full re-index converts each word once instead of
# every title anew (measured: 0.8 ms of a record's ~2 ms at 100,000 records).
WHOLE_NAME = 4


def readings(text: str) -> tuple[tuple[str, str], ...]:
    """(full pinyin, initials) pairs of ``text``, its most likely reading first; () if it has no Han."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return ()
    return _readings(text[:MAX_NAME])


@lru_cache(maxsize=50_000)
def _readings(text: str) -> tuple[tuple[str, str], ...]:
    if len(text) <= WHOLE_NAME:
        likely, choices = _syllables(text)
    else:
        from .text import segmenter

        likely, choices = [], []
        for word in segmenter.engine().cut(text):
            word_likely, word_choices = _syllables(word)
            likely += word_likely
            # A word whose options do not line up with its syllables makes the whole name "likely only".
            choices = choices + list(word_choices) if choices is not None and word_choices is not None else None
    combos = [tuple(likely)]
    if choices is not None and len(choices) == len(likely):
        for combo in itertools.islice(itertools.product(*choices), MAX_READINGS * 4):
            if combo not in combos:
                combos.append(combo)
            if len(combos) >= MAX_READINGS:
                break
    out = []
    for combo in combos:
        syllables = [s.lower() for s in combo if s.strip()]
        pair = ("".join(syllables), "".join(s[0] for s in syllables))
        if pair[0].isalnum() and pair not in out:
            out.append(pair)
    return tuple(out)


@lru_cache(maxsize=100_000)
def _syllables(word: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...] | None]:
    """pypinyin's likely syllables of ``word`` and each position's readings (None if they differ in length)."""
    from pypinyin import Style, lazy_pinyin, pinyin

    likely = tuple(lazy_pinyin(word, style=Style.NORMAL, errors="default"))
    choices = tuple(tuple(dict.fromkeys(o)) for o in pinyin(word, style=Style.NORMAL, heteronym=True, errors="default"))
    return likely, (choices if len(choices) == len(likely) else None)


def han_word_readings(word: str) -> tuple[tuple[str, str], ...]:
    """Readings of a word made only of Han characters (dictionary words); () otherwise."""
    return readings(word) if _is_han(word) else ()
