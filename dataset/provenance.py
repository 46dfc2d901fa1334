"""The provenance rule: what a record states is in its quotes, or the record says where else it comes from.

A careful second reading of both papers (issue 12) found records stating more than their quotes:
a party the paper does not name (「天津市五区县」 recorded as 天津市), a parent jurisdiction known
only from the GB/T 2260 standard, a 「定期」 the paper never wrote, an ordinal (「第九次会议」)
recorded as a count of nine. These rules make the mechanical kinds fail the load from now on.
They read the fixture entries only (and, for locators, the papers' texts), so the same check runs
on TOML fixtures and on an export being loaded back.

Each rule returns lines ``"<kind> '<slug>': <problem>"``; ``dataset_provenance`` runs them all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from records.dates import PartialDate, PartialDateError

from .outline import normalize_locator, paper_outline, squeeze

NUMERALS = "一二三四五六七八九十"
# A jurisdiction's name followed by a count of its districts names some of its parts, not it:
# 「天津市五区县」 (paper 1, 一、(二)) is five districts and counties of Tianjin, not Tianjin.
_PARTS = re.compile(rf"[{NUMERALS}两\d]+个?(?:区县|区|县)")
_SUFFIXES = "省市区县"
# Frequency and duration words a description may only use where its quotes do (issue 12: 「高层定期会晤」
# where the paper says 「高层会晤机制」).
FREQUENCY_WORDS = ("定期", "每年", "年度", "常态化", "每日", "多次", "长期", "经常")
PROSE_FIELDS = {"agreement": "summary", "mechanism": "description", "event": "description", "finding": "text",
                "region": "description", "stage": "summary", "figure": "counts"}
_TITLE = re.compile(r"《[^》]*》")
_DIGITS = re.compile(r"\d+")
# A jurisdiction's parent is named in its quotes when the parent's name comes shortly before the
# child's: 「河北省廊坊市」, 「四川广安」, 「重庆市公安局渝北区分局」.
PARENT_WINDOW = 6


def chinese_numeral(n: int) -> str:
    """1–99 as the papers write them in running text: 七, 十, 十三, 二十, 六十八."""
    if not 0 < n < 100:
        return ""
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens - 1] + "十")
    return head + (NUMERALS[units - 1] if units else "")


def _quotes(entry) -> str:
    return "\n".join(squeeze(c.get("quote", "")) for c in entry.data.get("citations", []) if isinstance(c, dict))


def _label(entry) -> str:
    return f"{entry.kind.key} '{entry.slug}'"


class Names:
    """How the quotes may name each jurisdiction: its name, short name and longer aliases, and its
    one-character abbreviation inside a run of abbreviations (「京津冀」, 「川渝」, 「苏浙皖沪」)."""

    def __init__(self, entries):
        self.jurisdictions = {e.slug: e.data for e in entries if e.kind.key == "jurisdiction"}
        self.words: dict[str, list[str]] = {}
        self.abbreviation: dict[str, str] = {}
        for slug, data in self.jurisdictions.items():
            words = [data.get("name", ""), data.get("short_name", "")]
            for alias in data.get("aliases", []):
                if len(alias) == 1:
                    self.abbreviation[alias] = slug
                else:
                    words.append(alias)
            self.words[slug] = sorted({w for w in words if w}, key=len, reverse=True)
        letters = "".join(self.abbreviation)
        self._runs = re.compile(f"[{letters}]{{2,}}") if letters else None

    def positions(self, slug: str, text: str) -> list[tuple[int, int]]:
        """Where the text names this jurisdiction itself (not a count of its parts)."""
        found = []
        for word in self.words.get(slug, []):
            for match in re.finditer(re.escape(word), text):
                # 「天津五区县」 or 「天津市五区县」: step over the level suffix the short name leaves off.
                after = match.end() + (text[match.end():match.end() + 1] in _SUFFIXES)
                if not _PARTS.match(text, after):
                    found.append((match.start(), match.end()))
        if self._runs is not None:
            for run in self._runs.finditer(text):
                for offset, letter in enumerate(run.group()):
                    if self.abbreviation.get(letter) == slug:
                        found.append((run.start() + offset, run.start() + offset + 1))
        return found

    def named(self, slug: str, text: str) -> bool:
        return bool(self.positions(slug, text))

    def display(self, slug: str) -> str:
        return self.jurisdictions.get(slug, {}).get("name", slug)


# ---------------------------------------------------------------- locators (needs the papers' texts)


def locator_problems(entries, sources_dir: Path | None) -> list[str]:
    """A locator names a part of the paper in its own numbering, and the quote stands in that part."""
    if sources_dir is None:
        return []
    seed_files = {e.slug: e.data.get("seed_file", "") for e in entries if e.kind.key == "source"}
    outlines = {slug: paper_outline(sources_dir, seed) for slug, seed in seed_files.items() if seed}
    problems = []
    for entry in entries:
        for number, citation in enumerate(entry.data.get("citations", []), start=1):
            if not isinstance(citation, dict):
                continue
            outline = outlines.get(citation.get("source"))
            if outline is None:
                continue
            locator = normalize_locator(citation.get("locator", ""))
            if locator not in outline.locators:
                problems.append(
                    f"{_label(entry)}: citation {number}'s locator 「{citation.get('locator')}」 is not a part of "
                    f"{citation.get('source')} in the paper's own numbering"
                )
            elif squeeze(citation.get("quote", "")) in outline.text and not outline.covers(locator, citation["quote"]):
                problems.append(
                    f"{_label(entry)}: citation {number}'s quote is not in section 「{citation.get('locator')}」 "
                    f"of {citation.get('source')}"
                )
    return problems


# ---------------------------------------------------------------- figures


def figure_problems(entries) -> list[str]:
    """A figure counts something its quotes count: its value and unit are there, and not as an ordinal."""
    problems = []
    for entry in entries:
        if entry.kind.key != "figure":
            continue
        data, text = entry.data, _quotes(entry)
        value, unit = data.get("value"), squeeze(data.get("unit", ""))
        if not isinstance(value, (int, float)) or not unit:
            continue
        written = [str(int(value))] if value == int(value) else [str(value)]
        if value == int(value):
            written.append(chinese_numeral(int(value)))
            if value >= 10000 and value % 10000 == 0:
                written.append(f"{int(value) // 10000}万")
        written = [w for w in written if w]
        as_count = [re.compile(rf"(?<!第){re.escape(w)}(?:多|余)?{re.escape(unit)}") for w in written]
        as_ordinal = [re.compile(rf"第{re.escape(w)}{re.escape(unit)}") for w in written]
        if any(p.search(text) for p in as_ordinal) and not any(p.search(text) for p in as_count):
            problems.append(
                f"{_label(entry)}: 「第{written[-1]}{unit}」 in the quote is an ordinal (which meeting), not a count of "
                f"{value:g} {unit}; record the occasion as an event instead"
            )
        elif not any(p.search(text) for p in as_count):
            problems.append(f"{_label(entry)}: the quotes do not give {value:g}{unit} (as 「{written[0]}{unit}」 or in words)")
        year = data.get("year")
        if year is not None and str(year) not in text:
            problems.append(f"{_label(entry)}: year {year} is not in the quotes; quote where the paper ties the number to it")
    return problems


# ---------------------------------------------------------------- order among siblings


def order_problems(entries) -> list[str]:
    """`order` is the paper's own position in a list, so two siblings cannot share it."""
    groups: dict[tuple, list] = defaultdict(list)
    for entry in entries:
        data = entry.data
        if "order" not in data:
            continue
        key = entry.kind.key
        if key == "finding":
            groups[(key, data.get("source"), data.get("kind"), data.get("parent"))].append(entry)
        elif key == "mechanism":
            groups[(key, data.get("parent"))].append(entry)
        elif key == "stage":
            groups[(key, data.get("region"))].append(entry)
    problems = []
    for group, members in groups.items():
        by_order: dict[int, list[str]] = defaultdict(list)
        for entry in members:
            by_order[entry.data["order"]].append(entry.slug)
        for order, slugs in sorted(by_order.items()):
            if len(slugs) > 1:
                parent = group[-1] or "the top level"
                problems.append(
                    f"{group[0]}s {', '.join(repr(s) for s in slugs)} share order {order} under {parent}; "
                    "nest them under the heading they belong to, or number them as the paper does"
                )
    return problems


# ---------------------------------------------------------------- who: signatories, members, parents


def party_problems(entries) -> list[str]:
    """Signatories and members are named in the quotes, or a note that names them says why not."""
    names = Names(entries)
    problems = []
    for entry in entries:
        data, text = entry.data, _own_titles_only(entry, _quotes(entry))
        if entry.kind.key == "agreement":
            listed, note_key = data.get("signatories", []), "signatories_note"
        elif entry.kind.key == "region":
            listed, note_key = data.get("members", []), "members_note"
        else:
            continue
        note = squeeze(data.get(note_key, ""))
        for slug in listed:
            if names.named(slug, text) or names.named(slug, note):
                continue
            role = "signatory" if entry.kind.key == "agreement" else "member"
            problems.append(
                f"{_label(entry)}: {role} {names.display(slug)} is not named in the quotes"
                f" (a count of its parts such as 「天津市五区县」 does not name it); quote where the paper names it,"
                f" or say why in '{note_key}', naming it"
            )
    return problems


def _own_titles_only(entry, text: str) -> str:
    """The quotes without other documents' titles: 《关于加强京津冀接壤地区…》 quoted beside 《天津市五区县与
    河北省廊坊市…》 for its date does not make 京津冀 parties to the latter. A title that contains the
    record's own title or name (《苏浙皖沪三省一市…章程》) still names its parties."""
    data = entry.data
    own = [squeeze(n) for n in [data.get("title", ""), data.get("name", ""), data.get("full_name", ""),
                                *data.get("aliases", [])] if n]
    return _TITLE.sub(lambda m: m.group() if any(n in m.group() for n in own) else "", text)


def jurisdiction_problems(entries) -> list[str]:
    """A jurisdiction's name, level and parent are in its quotes, or `outside_sources` names their source."""
    names = Names(entries)
    problems = []
    for entry in entries:
        if entry.kind.key != "jurisdiction":
            continue
        data, text = entry.data, _quotes(entry)
        outside = data.get("outside_sources") or {}
        if not isinstance(outside, dict):
            continue  # the model's validation says what is wrong with it
        full_name = squeeze(data.get("name", ""))
        # The full name carries the level in its suffix (廊坊市, 泸县, 渝北区): quoted, both are the paper's.
        if full_name not in text:
            for key in ("name", "level"):
                if key not in outside:
                    problems.append(
                        f"{_label(entry)}: the quotes do not write 「{full_name}」, so its {key} is not the paper's;"
                        f" quote where it does, or name the source in outside_sources.{key}"
                    )
        parent = data.get("parent")
        if parent and "parent" not in outside and not _parent_named(names, parent, entry.slug, text):
            problems.append(
                f"{_label(entry)}: the quotes do not place it in {names.display(parent)}; quote where the paper"
                " does (「河北省廊坊市」), or name the source in outside_sources.parent (e.g. GB/T 2260)"
            )
    return problems


def _parent_named(names: Names, parent: str, child: str, text: str) -> bool:
    children = names.positions(child, text)
    return any(
        0 <= c_start - p_end <= PARENT_WINDOW
        for p_start, p_end in names.positions(parent, text)
        for c_start, _ in children
    )


# ---------------------------------------------------------------- when


def date_problems(entries) -> list[str]:
    """A date's year (and month, day) are in the record's quotes, or are its agreement's or scheme's date."""
    dates = {(e.kind.key, e.slug): e.data.get("date") for e in entries if e.kind.dates}
    problems = []
    for entry in entries:
        if not entry.kind.dates:
            continue
        data, text = entry.data, _quotes(entry)
        for key in entry.kind.dates:
            value = data.get(key)
            if not value:
                continue
            try:
                date = PartialDate.parse(value)
            except PartialDateError:
                continue  # the loader reports the malformed date itself
            if _date_in(date, text):
                continue
            inherited = key == "date" and entry.kind.key == "mechanism" and value in (
                dates.get(("agreement", data.get("established_by"))), dates.get(("mechanism", data.get("parent")))
            )
            if not inherited:
                problems.append(
                    f"{_label(entry)}: {key} {value} is not in the quotes; quote the sentence that dates it"
                    " (for 「同年」 or 「此间」, also the one that names the year)"
                )
    return problems


def _date_in(date: PartialDate, text: str) -> bool:
    year = date.before if date.before is not None else date.year
    if year is None or str(year) not in text:
        return False
    if date.month and f"{date.month}月" not in text:
        return False
    return not date.day or f"{date.day}日" in text


# ---------------------------------------------------------------- what: prose and title-only mechanisms


def prose_problems(entries) -> list[str]:
    """A description may restate its quotes; it may not add a frequency, or a number, they do not have."""
    problems = []
    for entry in entries:
        field = PROSE_FIELDS.get(entry.kind.key)
        if not field:
            continue
        prose, text = squeeze(entry.data.get(field, "")), _quotes(entry)
        for word in FREQUENCY_WORDS:
            if word in prose and word not in text:
                problems.append(f"{_label(entry)}: '{field}' says 「{word}」, which its quotes do not")
        for number in sorted(set(_DIGITS.findall(prose)), key=int):
            if number not in text:
                problems.append(f"{_label(entry)}: '{field}' gives the number {number}, which its quotes do not")
    return problems


def title_only_problems(entries) -> list[str]:
    """A mechanism known only from its agreement's title says so (`title_only`), and only such a one does."""
    problems = []
    for entry in entries:
        if entry.kind.key != "mechanism":
            continue
        data = entry.data
        names = [squeeze(n) for n in [data.get("name", ""), *data.get("aliases", [])] if n]
        text = _quotes(entry)
        outside_titles = _TITLE.sub("", text)
        in_text = any(n in outside_titles for n in names)
        in_title = any(n in t for n in names for t in _TITLE.findall(text))
        flagged = data.get("title_only", False)
        if in_title and not in_text and not flagged:
            problems.append(
                f"{_label(entry)}: its quotes name it only inside an agreement's title 《…》; set title_only = true"
            )
        if flagged and in_text:
            problems.append(f"{_label(entry)}: title_only is set, but its quotes name it outside a title")
        if flagged and not data.get("established_by"):
            problems.append(f"{_label(entry)}: title_only needs established_by, the agreement whose title names it")
    return problems


def addresses_problems(entries) -> list[str]:
    """A recommendation answers problems its quotes name, or `addresses_note` says how they were matched."""
    titles = {e.slug: squeeze(e.data.get("title", "")) for e in entries if e.kind.key == "finding"}
    problems = []
    for entry in entries:
        addressed = entry.data.get("addresses", []) if entry.kind.key == "finding" else []
        if not addressed or squeeze(entry.data.get("addresses_note", "")):
            continue
        text = _quotes(entry)
        unnamed = [slug for slug in addressed if titles.get(slug) and titles[slug] not in text]
        if unnamed:
            problems.append(
                f"{_label(entry)}: its quotes do not name the problems {', '.join(unnamed)} it is said to address;"
                " say in addresses_note how they were matched"
            )
    return problems


RULES = (figure_problems, order_problems, party_problems, jurisdiction_problems, date_problems, prose_problems,
         title_only_problems, addresses_problems)


def dataset_provenance(entries, sources_dir: Path | None = None) -> list[str]:
    """Every provenance problem in the entries; locators are checked only when the papers' texts are given."""
    problems = locator_problems(entries, sources_dir)
    for rule in RULES:
        problems += rule(entries)
    return problems
