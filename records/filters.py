"""The list parameters every kind of record shares, declared once for the pages and the API alike.

Every parameter is a django-filter ``Filter``: a value the form cannot clean (a bad year, an unknown
slug, an ordering outside the allow-list) becomes a 400 with a message per field, never a 500
(issue 3, "Filters"). Parameters that no filter declares are ignored. Each app declares its own
FilterSet next to its models (``agreements/filters.py`` …) on the base here.

Messages are lazy translations: a page shows them in the reader's language, while the API, which
activates Chinese for every request (portal/guard.py's ApiLanguageMiddleware), keeps answering in
Chinese whatever the browser asks for.

Search is the one parameter this app cannot run itself (it imports no other app): the project names
the function that runs it in ``settings.PORTAL_SEARCH_FUNCTION``.
"""

import copy
import re
from datetime import timedelta
from functools import cache

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.module_loading import import_string
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import IsoDateTimeField
from drf_spectacular.drainage import set_override

from records.dates import MAX_YEAR, MIN_YEAR

# Longer texts are no search a person types; the cap keeps the search backend's work bounded.
SEARCH_MAX_LENGTH = 200

# The characters str.strip() removes (str.isspace(); tests/test_api_fuzz.py checks the list), spelled
# out: the schema's pattern must call blank exactly what the API refuses as blank, and regex engines
# disagree on what \s covers (Python's includes \x1c–\x1f).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_WHITESPACE_CLASS = "".join(f"\\u{ord(c):04x}" for c in WHITESPACE)
# A text with something besides whitespace, and no NUL (which no parameter may hold: portal/guard.py).
NOT_BLANK_PATTERN = f"^[^\\u0000]*[^\\u0000{_WHITESPACE_CLASS}][^\\u0000]*$"


def text_schema(max_length: int) -> dict:
    """The OpenAPI schema of a text parameter that refuses blank: what SearchField (and the search app) enforce."""
    return {"type": "string", "minLength": 1, "maxLength": max_length, "pattern": NOT_BLANK_PATTERN}


class SearchField(forms.CharField):
    """A search text: absent means no search; present but blank is a mistake worth saying so.

    The length is counted as sent (surrounding spaces included), as the schema's ``maxLength`` counts it.
    """

    def clean(self, value):
        if value is None:
            return None
        if len(value) > SEARCH_MAX_LENGTH:
            raise ValidationError(
                _("检索词最多 %(max)s 个字符（收到 %(count)s 个）。"),
                code="max_length",
                params={"max": SEARCH_MAX_LENGTH, "count": len(value)},
            )
        text = value.strip()
        if not text:
            raise ValidationError(_("检索词不能为空。"), code="blank")
        return text


class SearchFilter(filters.CharFilter):
    field_class = SearchField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        documented_as(self, text_schema(SEARCH_MAX_LENGTH))


class StrictIntegerField(forms.IntegerField):
    """Django's IntegerField, but only ASCII digits: the schema's ``integer``, not whatever int() reads.

    Django's own field also takes "1999.0", " 1999", "+1999" and full-width "１９９９", none of which
    the schema calls an integer (issue 14: the schema and the API must agree).
    """

    INTEGER = re.compile(r"-?[0-9]+", re.ASCII)

    def to_python(self, value):
        if isinstance(value, str) and value not in self.empty_values and not self.INTEGER.fullmatch(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


# PostgreSQL accepts time-zone offsets up to 15:59 either way; Python up to 23:59. A larger one got
# past the form and failed in the database (psycopg2's InvalidTimeZoneDisplacementValue, a 500).
MAX_UTC_OFFSET = timedelta(hours=15, minutes=59)
# RFC 3339's date-time, the schema's ``format: date-time``: date, time and offset all required.
# Python's fromisoformat() reads far more (a bare date, no offset, any separator), and a moment
# without an offset would silently be read in the portal's time zone.
RFC3339_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})")
CHANGE_TIME_SCHEMA = {
    "type": "string",
    "format": "date-time",
    # The offsets PostgreSQL can store, on top of the format.
    "pattern": "([Zz]|[+-](0[0-9]|1[0-5]):[0-5][0-9])$",
}


class ChangeTimeField(IsoDateTimeField):
    """An RFC 3339 moment whose offset from UTC the database can store (at most ±15:59)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str) and not RFC3339_DATE_TIME.fullmatch(value):
            raise ValidationError(
                _("时刻须写成 RFC 3339 格式并带时区，如 2025-01-01T00:00:00+08:00 或 2025-01-01T00:00:00Z。"),
                code="invalid",
            )
        moment = super().to_python(value.upper() if isinstance(value, str) else value)
        if moment is not None and abs(moment.utcoffset()) > MAX_UTC_OFFSET:
            raise ValidationError(_("时区偏移须在 ±15:59 之内，如 2025-01-01T00:00:00+08:00。"), code="invalid_offset")
        return moment


class ChangeTimeFilter(filters.IsoDateTimeFilter):
    """Records changed since a moment: by ``settings.PORTAL_CHANGES_FUNCTION`` when the project names one.

    A record's answer shows its links and the names of related records too, which change without
    moving its ``updated_at``; the edit history knows (history/changes.py), and this app imports
    no other, so the project names the function. Without one, ``updated_at`` alone decides.
    """

    field_class = ChangeTimeField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        documented_as(self, CHANGE_TIME_SCHEMA)

    def filter(self, qs, value):
        function = changes_function()
        if value in EMPTY_VALUES or function is None:
            return super().filter(qs, value)
        return function(qs, value)


def documented_as(filter_, schema: dict) -> None:
    """Give the schema a filter's type along with its help text (a type override alone drops the text)."""
    set_override(filter_, "field", {**schema, "description": str(filter_.extra.get("help_text", ""))})


# What a slug looks like (Django's SlugField, at its length in every table). The schema says so; a
# value of that shape still has to name a record, which no schema can state: that is a 400 too.
SLUG_SCHEMA = {"type": "string", "maxLength": 120, "pattern": "^[-a-zA-Z0-9_]+$"}

# An unknown slug's message; ``noun`` is a lazy translation too (``SLUG_NOUN``), so the sentence and
# the noun in it are both in the language active when the form's errors are read.
UNKNOWN_SLUG = _("没有 slug 为「%(value)s」的{noun}。")


class SlugFilter(filters.ModelChoiceFilter):
    """A related record named by its slug; an unknown slug is a 400 that names it.

    ``noun`` is what the record is called in the message: pass ``pgettext_lazy("slug noun", "区域")``.
    """

    def __init__(self, queryset, noun, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": format_lazy(UNKNOWN_SLUG, noun=noun)})
        super().__init__(queryset=queryset, to_field_name="slug", **kwargs)
        documented_as(self, SLUG_SCHEMA)


class YearFilter(filters.NumberFilter):
    field_class = StrictIntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)
        documented_as(self, {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR})


YEARS_REVERSED = _("year_to（%(year_to)s）早于 year_from（%(year_from)s）。")


class RecordFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            self.add_error("year_to", YEARS_REVERSED % {"year_to": year_to, "year_from": year_from})
        return cleaned


class RecordFilterSet(filters.FilterSet):
    """What every list accepts: a search text and a change date; search runs after the other filters.

    The search backend returns matches ordered by relevance, so it is applied last among the
    filters and an explicit ``ordering`` (if the resource has one) is applied after it and wins.
    """

    search = SearchFilter(
        help_text=f"检索词（1–{SEARCH_MAX_LENGTH} 个字符）。结果按相关度排序，除非同时给出 ordering。",
    )
    updated_since = ChangeTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=(
            "只返回此时刻（ISO 8601，如 2025-01-01T00:00:00+08:00）之后修改过的记录，"
            "包括只因关联记录、链接、别称或出处改动而内容变了的记录。JSON 列表此时另有 deleted（见下）。"
        ),
    )

    class Meta:
        form = RecordFilterForm
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        """django-filter's constructor, with each filter copied shallowly instead of deep-copied.

        Deep-copying every filter per request copies the querysets they hold, query trees and
        all: about a millisecond of a filtered page. What a filter needs per request is its
        parent and model; its method is re-bound so that it calls this instance.
        """
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.model, filter_.parent = queryset.model, self
            filter_.method = base.method  # a new FilterMethod bound to this copy, not the class's filter
            self.filters[name] = filter_

    def get_form_class(self):
        # django-filter builds a new form class, and every form field, on each request; the fields
        # depend only on the FilterSet class (querysets are lazy), so build the class once.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_queryset(self, queryset):
        values = dict(self.form.cleaned_data)
        text = values.pop("search", None)
        ordering = values.pop("ordering", None)
        for name, value in values.items():
            queryset = self.filters[name].filter(queryset, value)
        if text:
            queryset = search_function()(queryset, text)
        if ordering:
            queryset = self.filters["ordering"].filter(queryset, ordering)
        return queryset

    # Shared filter methods -----------------------------------------------------------------

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value)

    def filter_jurisdiction(self, queryset, name, value):
        return queryset.in_jurisdiction(value.slug)

    def filter_stage(self, queryset, name, value):
        return queryset.in_stage(value)

    def filter_year_from(self, queryset, name, value):
        return queryset.in_years(year_from=value)

    def filter_year_to(self, queryset, name, value):
        return queryset.in_years(year_to=value)

    def filter_ordering(self, queryset, name, value):
        field = value.lstrip("-")
        descending = value.startswith("-")
        if field == "date":
            return queryset.order_by_date(descending=descending)
        return queryset.order_by(value, f"{'-' if descending else ''}pk")


YEAR_FROM_HELP = f"最早年份（含，{MIN_YEAR}–{MAX_YEAR}）。无确切年份的记录（时间不详或「某年之前」）从不匹配年份条件。"
YEAR_TO_HELP = f"最晚年份（含，{MIN_YEAR}–{MAX_YEAR}）。无确切年份的记录从不匹配年份条件。"


def ordering_filter(name_field: str):
    choices = [
        ("date", "date：按日期升序（时间不详的排最后）"),
        ("-date", "-date：按日期降序（时间不详的排最后）"),
        (name_field, f"{name_field}：按名称升序"),
        (f"-{name_field}", f"-{name_field}：按名称降序"),
    ]
    return filters.ChoiceFilter(
        choices=choices,
        method="filter_ordering",
        help_text="排序。未给出时按日期升序；给出 search 时按相关度。",
    )


@cache
def search_function():
    return import_string(settings.PORTAL_SEARCH_FUNCTION)


@cache
def changes_function():
    name = getattr(settings, "PORTAL_CHANGES_FUNCTION", None)
    return import_string(name) if name else None
