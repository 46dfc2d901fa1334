"""Partial dates: the papers date things to the day, the month, the year, or only "before" a year.

The portal keeps exactly the precision a paper gives and never fills in a month or a day
(fixtures/README.md, "Partial dates stay partial"). A value is written in fixtures and in the API as
an EDTF level-0 string ("2016-01-25", "2016-01", "2017"); a bound that is all a paper gives
(「2014年之前」, paper 1 section 一) is written "before:2014" in fixtures and has no EDTF date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from django.db import models
from django.db.models import F, Q

_FORM = re.compile(r"^(?:(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?|before:(?P<before>\d{4}))$")

# Bounds wide enough for any police cooperation the papers could describe, narrow enough to catch typos.
MIN_YEAR, MAX_YEAR = 1900, 2100


class PartialDateError(ValueError):
    pass


class Precision(models.TextChoices):
    DAY = "day", "日"
    MONTH = "month", "月"
    YEAR = "year", "年"
    BEFORE = "before", "某年之前"
    UNKNOWN = "unknown", "不详"


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    before: int | None = None

    def __post_init__(self):
        if self.before is not None and any(v is not None for v in (self.year, self.month, self.day)):
            raise PartialDateError("a date is either known to some precision or bounded by 'before', not both")
        if self.month is not None and self.year is None:
            raise PartialDateError("a month needs a year")
        if self.day is not None and self.month is None:
            raise PartialDateError("a day needs a month")
        for name in ("year", "before"):
            value = getattr(self, name)
            if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
                raise PartialDateError(f"year {value} is outside {MIN_YEAR}–{MAX_YEAR}")
        if self.month is not None and not 1 <= self.month <= 12:
            raise PartialDateError(f"month {self.month} is not between 1 and 12")
        if self.day is not None and not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]:
            raise PartialDateError(f"{self.year}-{self.month:02d} has no day {self.day}")

    @classmethod
    def parse(cls, text: str | None) -> PartialDate:
        """Read the fixture/API form; None or "" is an unknown date."""
        if text is None or (isinstance(text, str) and not text.strip()):
            return cls()
        if not isinstance(text, str):
            raise PartialDateError(f"a date is written as text such as \"2016-01\", got {text!r}")
        match = _FORM.match(text.strip())
        if not match:
            raise PartialDateError(
                f"{text!r} is not a date of the form YYYY, YYYY-MM, YYYY-MM-DD or before:YYYY"
            )
        parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
        return cls(**parts)

    @property
    def precision(self) -> str:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        if self.year is not None:
            return Precision.YEAR
        if self.before is not None:
            return Precision.BEFORE
        return Precision.UNKNOWN

    @property
    def is_known(self) -> bool:
        return self.year is not None

    @property
    def edtf(self) -> str | None:
        """EDTF level 0: a bound alone is no date, so it gives None."""
        if self.year is None:
            return None
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @property
    def fixture_form(self) -> str | None:
        if self.before is not None:
            return f"before:{self.before:04d}"
        return self.edtf

    @property
    def display(self) -> str:
        if self.year is not None:
            text = f"{self.year}年"
            if self.month is not None:
                text += f"{self.month}月"
            if self.day is not None:
                text += f"{self.day}日"
            return text
        if self.before is not None:
            return f"{self.before}年之前"
        return "时间不详"

    @property
    def latest_year(self) -> int | None:
        """The last year the date could fall in: the year itself, or the year before a bound."""
        if self.year is not None:
            return self.year
        if self.before is not None:
            return self.before - 1
        return None

    def __str__(self) -> str:
        return self.display


def date_order(descending: bool = False) -> list:
    """Chronological order: a "before" bound sorts just before its year, undated records last.

    Within a year the year-only date comes first, then months in order. The same expressions
    define the index on every dated table (PartialDateModel.Meta), so a page in date order is
    read from the index instead of sorting the whole table.
    """
    from django.db.models import F
    from django.db.models.functions import Coalesce

    year = Coalesce(F("date_year"), F("date_before") - 1)
    if descending:
        return [year.desc(nulls_last=True), F("date_month").desc(nulls_last=True), F("date_day").desc(nulls_last=True)]
    return [year.asc(nulls_last=True), F("date_month").asc(nulls_first=True), F("date_day").asc(nulls_first=True)]


# The columns of ``PartialDateQuerySet.date_line_keys``, in the order they sort by.
DATE_LINE_ORDER = ("line_undated", "line_year", "line_known", "line_month", "line_day", "line_kind", "line_untitled", "line_title", "line_pk")


def date_line(**querysets):
    """Records of several kinds on one date line: ``date_line(agreement=…, event=…)``.

    One query of ``(kind, pk, …)`` keys in the line's order (``date_line_keys``), to count and to
    slice into pages; the caller then reads each page's records by id.
    """
    keys = [queryset.date_line_keys(kind) for kind, queryset in querysets.items()]
    return keys[0].union(*keys[1:], all=True).order_by(*DATE_LINE_ORDER)


class PartialDateQuerySet(models.QuerySet):
    """Date reads shared by every dated record."""

    def date_line_keys(self, kind: str):
        """``(kind, pk, …)`` rows that sort records of several kinds on one date line, in SQL.

        ``date_line()`` unites the keys of each kind in this order; slicing that gives a page of a
        merged list (the timeline's) without reading the records themselves. The order
        is the timeline's (timeline/entries.py, ``sort_key``): dated before undated; by year, a
        「2014年之前」 bound just before its year's predecessor; year-only, then month, then day;
        then kind, titled before untitled, title by code point (PostgreSQL's "C" collation, what
        Python's comparison and SQLite's default do) and id.
        """
        from django.db import connections
        from django.db.models import BooleanField, Case, CharField, IntegerField, Value, When
        from django.db.models.functions import Coalesce, Collate

        title = F("title")
        if connections[self.db].vendor == "postgresql":
            title = Collate(title, "C")
        has_untitled = any(f.name == "untitled" for f in self.model._meta.get_fields())
        one, zero = Value(1), Value(0)
        return self.order_by().annotate(
            line_kind=Value(kind, output_field=CharField()),
            line_pk=F("pk"),
            line_undated=Case(When(date_year__isnull=True, date_before__isnull=True, then=one), default=zero, output_field=IntegerField()),
            line_year=Coalesce(F("date_year"), F("date_before") - 1),
            line_known=Case(When(date_year__isnull=False, then=one), default=zero, output_field=IntegerField()),
            line_month=Coalesce(F("date_month"), zero),
            line_day=Coalesce(F("date_day"), zero),
            line_untitled=F("untitled") if has_untitled else Value(False, output_field=BooleanField()),
            line_title=title,
        ).values_list("line_kind", "line_pk", *DATE_LINE_ORDER)

    def in_years(self, year_from: int | None = None, year_to: int | None = None):
        # A year filter never matches an undated record, nor one only bounded by "before".
        qs = self
        if year_from is not None:
            qs = qs.filter(date_year__gte=year_from)
        if year_to is not None:
            qs = qs.filter(date_year__lte=year_to)
        return qs

    def order_by_date(self, descending: bool = False):
        """Records in date order (see date_order), ties broken by id."""
        from django.db.models import F

        pk = F("pk").desc() if descending else F("pk").asc()
        return self.order_by(*date_order(descending), pk)


class PartialDateModel(models.Model):
    """Stores a PartialDate in four small columns so that year filters and date ordering stay in SQL."""

    date_year = models.PositiveSmallIntegerField("年", null=True, blank=True, db_index=True)
    date_month = models.PositiveSmallIntegerField("月", null=True, blank=True)
    date_day = models.PositiveSmallIntegerField("日", null=True, blank=True)
    date_before = models.PositiveSmallIntegerField(
        "早于（年）", null=True, blank=True, help_text="只知道在某年之前时填写，例如「2014年之前」填 2014。"
    )

    class Meta:
        abstract = True
        indexes = [models.Index(*date_order(), F("id").asc(), name="%(class)s_date_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_month__isnull=True) | Q(date_month__gte=1, date_month__lte=12, date_year__isnull=False),
                name="%(app_label)s_%(class)s_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(date_day__isnull=True) | Q(date_day__gte=1, date_day__lte=31, date_month__isnull=False),
                name="%(app_label)s_%(class)s_day_needs_month",
            ),
            models.CheckConstraint(
                condition=Q(date_before__isnull=True) | Q(date_year__isnull=True),
                name="%(app_label)s_%(class)s_before_or_known",
            ),
        ]

    @property
    def date(self) -> PartialDate:
        return PartialDate(self.date_year, self.date_month, self.date_day, self.date_before)

    @date.setter
    def date(self, value: PartialDate) -> None:
        self.date_year, self.date_month, self.date_day, self.date_before = (
            value.year,
            value.month,
            value.day,
            value.before,
        )

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        try:
            self.date  # noqa: B018 — constructing it runs the rules
        except PartialDateError as exc:
            raise ValidationError({"date_year": str(exc)}) from exc
