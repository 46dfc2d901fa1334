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


@lru_cache(maxsize=50_000)
def readings(text: str) -> tuple[tuple[str, str], ...]:
    """(full pinyin, initials) pairs of ``text``, its most likely reading first; () if it has no Han."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return ()
    from pypinyin import Style, lazy_pinyin, pinyin

    text = text[:MAX_NAME]
    likely = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    choices = [list(dict.fromkeys(options)) for options in pinyin(text, style=Style.NORMAL, heteronym=True, errors="default")]
    combos = [tuple(likely)]
    if len(choices) == len(likely):
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


def han_word_readings(word: str) -> tuple[tuple[str, str], ...]:
    """Readings of a word made only of Han characters (dictionary words); () otherwise."""
    return readings(word) if _is_han(word) else ()
