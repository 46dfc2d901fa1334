"""The timeline's marks and groups, shaped from records the querysets read (``for_timeline()``).

Nothing here queries the database: the view hands in agreements, events, the region tree and the
stages, and gets back what the page lists and what the visual timeline draws.

Placing rules (fixtures/README.md, "Partial dates stay partial"):
- a date known to the day is a point; to the month, the whole month; to the year, the whole year —
  a mark never claims more precision than the paper gives;
- a 「2014年之前」 bound (paper 1 section 一) is a bound: drawn as an arrow ending at 1 January 2014,
  and listed under its own heading 「2014年之前」, never under 2013;
- an undated record is listed apart and has no mark.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date as calendar_date

from records.dates import PartialDate

from .templatetags.partial_dates import date_label, period_label

AGREEMENT, EVENT = "agreement", "event"


@dataclass
class Entry:
    type: str
    slug: str
    title: str
    url: str
    date: PartialDate
    end_date: PartialDate | None
    regions: list[dict]
    stage: object | None
    lanes: list[str] = field(default_factory=list)
    # What orders entries of one date and kind: titled first, then the stored title, then the id
    # (the same order in SQL: records.dates.PartialDateQuerySet.date_line_keys).
    tie: tuple = ()

    @property
    def precision(self) -> str:
        return str(self.date.precision)

    @property
    def is_dated(self) -> bool:
        return self.date.year is not None or self.date.before is not None

    def span(self) -> tuple[float | None, float]:
        """Where the mark starts and ends, in fractional years; a bound starts nowhere (None)."""
        d = self.date
        if d.before is not None:
            return None, float(d.before)
        start, end = _extent(d)
        if self.end_date is not None and self.end_date.year is not None:
            end = max(end, _extent(self.end_date)[1])
        return start, end


def _fraction(year: int, month: int, day: int) -> float:
    days = 366 if calendar.isleap(year) else 365
    return year + (calendar_date(year, month, day).timetuple().tm_yday - 1) / days


def _extent(d: PartialDate) -> tuple[float, float]:
    if d.day is not None:
        point = _fraction(d.year, d.month, d.day)
        return point, point
    if d.month is not None:
        end = _fraction(d.year + 1, 1, 1) if d.month == 12 else _fraction(d.year, d.month + 1, 1)
        return _fraction(d.year, d.month, 1), end
    return float(d.year), float(d.year + 1)


def sort_key(entry: Entry) -> tuple:
    """Date order as records.dates.date_order: a bound just before its year's predecessor, undated last.

    The same order as ``date_line_keys`` gives in SQL, which cuts the timeline into pages.
    """
    d = entry.date
    if d.year is not None:
        return (0, d.year, 1, d.month or 0, d.day or 0, entry.type, *entry.tie)
    if d.before is not None:
        return (0, d.before - 1, 0, 0, 0, entry.type, *entry.tie)
    return (1, 0, 0, 0, 0, entry.type, *entry.tie)


def entries_from(agreements, events) -> list[Entry]:
    """Agreements and events (read with ``for_timeline()``) as entries, in date order."""
    entries = [
        Entry(
            AGREEMENT, a.slug, a.display_title, a.get_absolute_url(), a.date, None, a.regions_list, a.derived_stage,
            tie=(a.untitled, a.title, a.pk),
        )
        for a in agreements
    ] + [
        Entry(
            EVENT, e.slug, e.title, e.get_absolute_url(), e.date,
            e.end_date if e.end_year is not None else None, e.regions_list, e.derived_stage,
            tie=(False, e.title, e.pk),
        )
        for e in events
    ]
    return sorted(entries, key=sort_key)


NO_REGION = "_none"


def assign_lanes(entries: list[Entry], tree) -> None:
    """Each entry goes in the lanes of its most specific regions.

    A record of 京津冀 and 通武廊 is drawn once, in 通武廊's lane (which sits under 京津冀's),
    rather than twice; a record in two unrelated regions (京津冀 and 环首都七省区市) is in both.
    """
    inside = {region.pk: set(region.descendant_ids) - {region.pk} for region in tree}
    for entry in entries:
        ids = {r["id"] for r in entry.regions}
        kept = [r["slug"] for r in entry.regions if not (inside.get(r["id"], set()) & ids)]
        entry.lanes = kept or [NO_REGION]


@dataclass
class YearGroup:
    key: str  # "2017", "before-2014"
    year: int | None
    before: int | None
    entries: list[Entry]


@dataclass
class StageGroup:
    stage: object | None
    years: list[YearGroup]

    @property
    def count(self) -> int:
        return sum(len(y.entries) for y in self.years)


def group_by_stage_and_year(entries: list[Entry], stages) -> tuple[list[StageGroup], list[Entry]]:
    """Dated entries grouped by their derived stage (in the stages' order, then those in no stage),
    each stage by year; and the undated entries apart.

    A bound is its own year group (「2014年之前」), placed before the group of the year before it.
    """
    dated = [e for e in entries if e.is_dated]
    undated = [e for e in entries if not e.is_dated]
    order = {stage.pk: i for i, stage in enumerate(stages)}
    buckets: dict[int | None, list[Entry]] = {}
    for entry in dated:
        buckets.setdefault(entry.stage.pk if entry.stage is not None else None, []).append(entry)
    by_pk = {stage.pk: stage for stage in stages}
    keys = sorted(buckets, key=lambda pk: (pk is None, order.get(pk, len(order))))
    groups = []
    for pk in keys:
        years: list[YearGroup] = []
        for entry in buckets[pk]:  # already in date order
            d = entry.date
            key = f"before-{d.before}" if d.before is not None else str(d.year)
            if not years or years[-1].key != key:
                years.append(YearGroup(key, d.year, d.before, []))
            years[-1].entries.append(entry)
        groups.append(StageGroup(by_pk.get(pk), years))
    return groups, undated


def axis_years(entries: list[Entry], stages) -> tuple[int, int]:
    """The visual timeline's first and last year: the data's, with room for a bound's arrow."""
    starts, ends = [], []
    for entry in entries:
        start, end = entry.span() if entry.is_dated else (None, None)
        if end is None:
            continue
        if start is None:
            starts.append(end - 3)  # a bound's arrow needs a few years of room before its year
        else:
            starts.append(start)
        ends.append(end)
    for stage in stages:
        if stage.start_year:
            starts.append(stage.start_year)
        if stage.end_year:
            ends.append(stage.end_year + 1)
    if not starts:
        return 2010, 2025  # nothing dated to draw: any span will do, the page says there is nothing
    return math.floor(min(starts)), math.ceil(max(ends))


def drawing_data(entries: list[Entry], tree, stages, lane_names: dict) -> dict:
    """The JSON the visual timeline (timeline/static/timeline/timeline.js) draws from."""
    first, last = axis_years(entries, stages)
    used = {lane for e in entries if e.is_dated for lane in e.lanes}
    lanes = [
        {"slug": r.slug, "name": r.name, "depth": r.depth, "url": r.get_absolute_url()}
        for r in tree if r.slug in used
    ]
    if NO_REGION in used:
        lanes.append({"slug": NO_REGION, "name": lane_names[NO_REGION], "depth": 0, "url": None})
    tree_by_pk = {r.pk: r for r in tree}
    slug_of = {r.pk: r.slug for r in tree}
    drawn_stages = []
    for stage in stages:
        region = tree_by_pk.get(stage.region_id)
        covered = [slug_of[pk] for pk in region.descendant_ids] if region else []
        drawn_stages.append({
            "name": stage.name,
            "region": region.name if region else "",
            "period": period_label(stage),
            "from": stage.start_year if stage.start_year is not None else first,
            "open_start": stage.start_year is None,
            "to": stage.end_year + 1 if stage.end_year is not None else last,
            "url": stage.get_absolute_url(),
            "lanes": [slug for slug in covered if slug in used],
        })
    marks = []
    for i, entry in enumerate(e for e in entries if e.is_dated):
        start, end = entry.span()
        marks.append({
            "id": f"m{i}",
            "type": entry.type,
            "title": entry.title,
            "url": entry.url,
            "date": date_label(entry.date) if entry.end_date is None else f"{date_label(entry.date)}—{date_label(entry.end_date)}",
            "precision": entry.precision,
            "ranged": entry.end_date is not None,
            "start": round(start, 4) if start is not None else None,
            "end": round(end, 4),
            "lanes": entry.lanes,
        })
    return {"first": first, "last": last, "lanes": lanes, "stages": drawn_stages, "marks": marks}
