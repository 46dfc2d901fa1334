"""The papers' own numbering, read from their texts, so a citation's locator can be checked.

A locator is the section path in the paper's own numbering (fixtures/README.md): 「一、」,
「一、(二)」, 「三、(一)2.」, and for paper 2's 一是/二是 items the ordinal added, 「三、(四)四」.
Nothing here lists the headings: they are found in ../shared/seeds/ each time, so a locator that
names a heading the paper does not have (「引言」, 「三、(问题)一」) is refused, and a quote cited
under a heading must stand in that heading's part of the text.

Besides numbered headings, a paper prints a few labelled blocks (「摘要」, 「关键词」, 「参考文献」,
paper 2's 「课题组成员：」 footnote); their labels are read from the text too. Two locators are
not printed headings but positions the texts define: 「标题」 (the title, before the abstract)
and 「一、之前」 (the unnumbered opening before the first heading; the papers give it no name,
so we do not invent one such as 「引言」).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

NUMERALS = "一二三四五六七八九十"
_TOP = re.compile(rf"^([{NUMERALS}]+)、")
_SUB = re.compile(rf"^[(（]([{NUMERALS}]+)[)）]")
_SUBSUB = re.compile(r"^(\d+)\.\s*\S")
# A printed label opens its line: up to five CJK characters (the PDF may space them, 「摘 要」),
# then a colon, or a space and the block's Chinese text (paper 2 prints 「摘要 党的……」 without a
# colon; 「结合 2024 年……」, a wrapped line of paper 1, is not a label).
_LABEL = re.compile(r"^([\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,4})\s*(?:[:：]|\s+(?=[\u4e00-\u9fff]))")
_REFERENCE = re.compile(r"^(?:-\s*)?\[(\d+)\]")
# Paper 2 numbers items inside a paragraph: 「一是跨区域性。……二是系统性。」, after a full stop,
# semicolon or colon (or at the start of the section).
_ITEM = re.compile(rf"(?:^|(?<=[。；：;:]))([{NUMERALS}])是")
_SPACE = re.compile(r"\s+")

TITLE = "标题"
OPENING = "一、之前"


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def normalize_locator(locator: str) -> str:
    """The canonical form: half-width brackets, no spaces (the texts print （一） in paper 2)."""
    return squeeze(locator).replace("（", "(").replace("）", ")")


@dataclass
class Outline:
    """Every locator a paper's text defines, with the parts of the (whitespace-free) text it covers."""

    text: str
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def add(self, locator: str, start: int, end: int) -> None:
        self.spans.setdefault(locator, []).append((start, end))

    @property
    def locators(self) -> set[str]:
        return set(self.spans)

    def covers(self, locator: str, quote: str) -> bool:
        """Whether the quote stands (somewhere) inside the part of the text the locator names."""
        needle = squeeze(quote)
        spans = self.spans.get(normalize_locator(locator), [])
        start = self.text.find(needle)
        while start != -1:
            if any(a <= start and start + len(needle) <= b for a, b in spans):
                return True
            start = self.text.find(needle, start + 1)
        return False


def read_outline(raw: str) -> Outline:
    lines = raw.splitlines()
    offsets, position = [], 0
    for line in lines:
        offsets.append(position)
        position += len(squeeze(line))
    outline = Outline(text="".join(squeeze(line) for line in lines))
    end_of_text = len(outline.text)

    # Headings and labels, in text order: (offset, level, locator); level 1 top, 2 sub, 3 sub-sub.
    headings: list[tuple[int, int, str]] = []
    top = sub = ""
    first_label = None
    for line, offset in zip(lines, offsets):
        stripped = line.strip()
        if match := _TOP.match(stripped):
            top, sub = f"{match.group(1)}、", ""
            headings.append((offset, 1, top))
        elif top and (match := _SUB.match(stripped)):
            sub = f"{top}({match.group(1)})"
            headings.append((offset, 2, sub))
        elif sub and (match := _SUBSUB.match(stripped)):
            headings.append((offset, 3, f"{sub}{match.group(1)}."))
        elif match := _REFERENCE.match(stripped):
            outline.add(f"参考文献[{match.group(1)}]", offset, offset + len(squeeze(line)))
        elif match := _LABEL.match(stripped):
            label = squeeze(match.group(1))
            outline.add(label, offset, offset + len(squeeze(line)))
            if first_label is None:
                first_label = offset

    # A heading's part runs to the next heading of the same or a higher level.
    for index, (start, level, locator) in enumerate(headings):
        end = next((s for s, lv, _ in headings[index + 1:] if lv <= level), end_of_text)
        outline.add(locator, start, end)
        if level <= 2:
            _add_items(outline, locator, start, end)

    first_heading = headings[0][0] if headings else end_of_text
    outline.add(OPENING, 0, first_heading)
    outline.add(TITLE, 0, first_label if first_label is not None else first_heading)
    return outline


def _add_items(outline: Outline, locator: str, start: int, end: int) -> None:
    """「一是」「二是」 items: a section's items, and a top section's (「三、一」) across its subsections."""
    part = outline.text[start:end]
    matches = list(_ITEM.finditer(part))
    for index, match in enumerate(matches):
        item_end = matches[index + 1].start() if index + 1 < len(matches) else len(part)
        outline.add(f"{locator}{match.group(1)}", start + match.start(), start + item_end)


@lru_cache(maxsize=8)
def _outline(path: str, mtime: float) -> Outline:
    return read_outline(Path(path).read_text(encoding="utf-8"))


def paper_outline(sources_dir: Path, seed_file: str) -> Outline | None:
    path = Path(sources_dir) / seed_file
    if not seed_file or not path.is_file():
        return None
    return _outline(str(path), path.stat().st_mtime)
