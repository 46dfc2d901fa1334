"""Query parameters of the list endpoints, declared once so that validation, filtering and the schema agree.

Every parameter is a django-filter ``Filter``: a value the form cannot clean (a bad year, an unknown
slug, an ordering outside the allow-list) becomes a 400 with a message per field, never a 500
(issue 3, "Filters"). Parameters that no filter declares are ignored.
"""

import copy

from django import forms
from django.http import QueryDict
from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.drainage import set_override

from agreements.models import Agreement
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from records.dates import MAX_YEAR, MIN_YEAR
from regions.models import Jurisdiction, Region, Stage
from search.query import search_queryset
from sources.models import Source
from timeline.models import Event

# Longer texts are no search a person types; the cap keeps the search backend's work bounded.
SEARCH_MAX_LENGTH = 200


class SearchField(forms.CharField):
    """A search text: absent means no search; present but blank is a mistake worth saying so."""

    def clean(self, value):
        if value is None:
            return None
        text = value.strip()
        if not text:
            raise ValidationError("检索词不能为空。", code="blank")
        if len(text) > SEARCH_MAX_LENGTH:
            raise ValidationError(f"检索词最多 {SEARCH_MAX_LENGTH} 个字符（收到 {len(text)} 个）。", code="max_length")
        return text


class SearchFilter(filters.CharFilter):
    field_class = SearchField


def documented_as(filter_, schema: dict) -> None:
    """Give the schema a filter's type along with its help text (a type override alone drops the text)."""
    set_override(filter_, "field", {**schema, "description": str(filter_.extra.get("help_text", ""))})


class SlugFilter(filters.ModelChoiceFilter):
    """A related record named by its slug; an unknown slug is a 400 that names it."""

    def __init__(self, queryset, noun: str, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": f"没有 slug 为「%(value)s」的{noun}。"})
        super().__init__(queryset=queryset, to_field_name="slug", **kwargs)
        documented_as(self, {"type": "string"})


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)
        documented_as(self, {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR})


class RequestedFilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the request names none of the resource's parameters.

    Binding a FilterSet deep-copies its filters and builds a form even when nothing is asked
    for: about 0.7 ms of an unfiltered 20-row page. Absent parameters filter nothing, so the
    answer is the same.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and request.query_params.keys().isdisjoint(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class RecordFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            self.add_error("year_to", f"year_to（{year_to}）早于 year_from（{year_from}）。")
        return cleaned


class RecordFilterSet(filters.FilterSet):
    """What every list accepts: a search text and a change date; search runs after the other filters.

    The search backend returns matches ordered by relevance, so it is applied last among the
    filters and an explicit ``ordering`` (if the resource has one) is applied after it and wins.
    """

    search = SearchFilter(
        help_text=f"检索词（1–{SEARCH_MAX_LENGTH} 个字符）。结果按相关度排序，除非同时给出 ordering。",
    )
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="只返回此时刻（ISO 8601，如 2025-01-01T00:00:00+08:00）之后修改过的记录。",
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
            queryset = search_queryset(queryset, text)
        if ordering:
            queryset = self.filters["ordering"].filter(queryset, ordering)
        return queryset

    # Shared filter methods -----------------------------------------------------------------

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value)

    def filter_region_fk(self, queryset, name, value):
        # Same rule as in_region (a region includes its sub-regions) for records with one region.
        return queryset.filter(region__in=Region.objects.with_descendants(value))

    def filter_region_m2m(self, queryset, name, value):
        matching = queryset.model.objects.filter(regions__in=Region.objects.with_descendants(value))
        return queryset.filter(pk__in=matching.values("pk"))

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


REGION_HELP = "区域 slug（如 jjj）；包括其下的次区域（京津冀包括通武廊）。"
YEAR_FROM_HELP = f"最早年份（含，{MIN_YEAR}–{MAX_YEAR}）。无确切年份的记录（时间不详或「某年之前」）从不匹配年份条件。"
YEAR_TO_HELP = f"最晚年份（含，{MIN_YEAR}–{MAX_YEAR}）。无确切年份的记录从不匹配年份条件。"


def region_filter(method="filter_region"):
    return SlugFilter(method=method, help_text=REGION_HELP, queryset=Region.objects.all(), noun="区域")


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


class DatedRecordFilterSet(RecordFilterSet):
    region = region_filter()
    year_from = YearFilter(method="filter_year_from", help_text=YEAR_FROM_HELP)
    year_to = YearFilter(method="filter_year_to", help_text=YEAR_TO_HELP)


class AgreementFilterSet(DatedRecordFilterSet):
    jurisdiction = SlugFilter(
        method="filter_jurisdiction",
        help_text="辖区 slug（如 beijing）：该辖区所属任一区域的文件。",
        queryset=Jurisdiction.objects.all(), noun="辖区",
    )
    stage = SlugFilter(
        method="filter_stage",
        help_text="发展阶段 slug（如 jjj-consolidation）：所在区域（含次区域）且日期落在该阶段内的文件。",
        queryset=Stage.objects.select_related("region"), noun="发展阶段",
    )
    kind = filters.ChoiceFilter(choices=Agreement.Kind.choices, help_text="文件类型。")
    ordering = ordering_filter("title")

    class Meta(RecordFilterSet.Meta):
        model = Agreement


class MechanismFilterSet(DatedRecordFilterSet):
    category = filters.ChoiceFilter(choices=Mechanism.Category.choices, help_text="机制类别。")
    parent = SlugFilter(
        help_text="所属成组方案的 slug（如 jjj-eight-integrations）：只返回它的组成部分。",
        queryset=Mechanism.objects.all(), noun="机制",
    )
    established_by = SlugFilter(
        help_text="依据文件的 slug：由该文件建立的机制。",
        queryset=Agreement.objects.all(), noun="文件",
    )
    ordering = ordering_filter("name")

    class Meta(RecordFilterSet.Meta):
        model = Mechanism


class EventFilterSet(DatedRecordFilterSet):
    stage = SlugFilter(
        method="filter_stage",
        help_text="发展阶段 slug：所在区域（含次区域）且日期落在该阶段内的事件。",
        queryset=Stage.objects.select_related("region"), noun="发展阶段",
    )
    ordering = ordering_filter("title")

    class Meta(RecordFilterSet.Meta):
        model = Event


class RegionFilterSet(RecordFilterSet):
    kind = filters.ChoiceFilter(choices=Region.Kind.choices, help_text="区域类型。")
    parent = SlugFilter(
        help_text="上级区域 slug：只返回它的直接次区域。", queryset=Region.objects.all(), noun="区域"
    )

    class Meta(RecordFilterSet.Meta):
        model = Region


class JurisdictionFilterSet(RecordFilterSet):
    level = filters.ChoiceFilter(choices=Jurisdiction.Level.choices, help_text="行政级别。")
    region = SlugFilter(
        field_name="regions",
        distinct=True,
        help_text="区域 slug：该区域的成员辖区。",
        queryset=Region.objects.all(), noun="区域",
    )

    class Meta(RecordFilterSet.Meta):
        model = Jurisdiction


class StageFilterSet(RecordFilterSet):
    region = SlugFilter(help_text="区域 slug：该区域的发展阶段。", queryset=Region.objects.all(), noun="区域")

    class Meta(RecordFilterSet.Meta):
        model = Stage


class FindingFilterSet(RecordFilterSet):
    source = SlugFilter(
        help_text="论文 slug（yang-xin-2025 或 cq-police-assoc-2026）。",
        queryset=Source.objects.papers(), noun="论文",
    )
    kind = filters.ChoiceFilter(choices=Finding.Kind.choices, help_text="论点类型。")
    dimension = filters.ChoiceFilter(
        choices=Finding.Dimension.choices, help_text="维度（仅论文一区分制度性、结构性、技术性）。"
    )
    region = region_filter("filter_region_m2m")

    class Meta(RecordFilterSet.Meta):
        model = Finding


class FigureFilterSet(RecordFilterSet):
    region = region_filter("filter_region_fk")

    class Meta(RecordFilterSet.Meta):
        model = Figure


class SourceFilterSet(RecordFilterSet):
    kind = filters.ChoiceFilter(choices=Source.Kind.choices, help_text="paper：本库依据的两篇论文；reference：其参考文献。")

    class Meta(RecordFilterSet.Meta):
        model = Source
