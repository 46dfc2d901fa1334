"""List parameters of findings and figures, shared by their pages and the API."""

from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from records.filters import RecordFilterSet, SlugFilter
from regions.filters import region_filter
from regions.models import Region
from sources.models import Source

from .models import Figure, Finding


class FindingFilterSet(RecordFilterSet):
    source = SlugFilter(
        help_text="论文 slug（yang-xin-2025 或 cq-police-assoc-2026）。",
        queryset=Source.objects.papers(), noun=pgettext_lazy("slug noun", "论文"),
    )
    kind = filters.ChoiceFilter(choices=Finding.Kind.choices, help_text="论点类型。")
    dimension = filters.ChoiceFilter(
        choices=Finding.Dimension.choices, help_text="维度（仅论文一区分制度性、结构性、技术性）。"
    )
    region = region_filter("filter_region_m2m")

    class Meta(RecordFilterSet.Meta):
        model = Finding

    def filter_region_m2m(self, queryset, name, value):
        # A region includes its sub-regions, as for agreements; a subquery keeps one row per finding.
        matching = Finding.objects.filter(regions__in=Region.objects.with_descendants(value))
        return queryset.filter(pk__in=matching.values("pk"))


class FigureFilterSet(RecordFilterSet):
    region = region_filter("filter_region_fk")

    class Meta(RecordFilterSet.Meta):
        model = Figure

    def filter_region_fk(self, queryset, name, value):
        # Same rule as in_region (a region includes its sub-regions) for records with one region.
        return queryset.filter(region__in=Region.objects.with_descendants(value))
