"""List parameters of mechanisms, shared by the mechanism pages and /api/v1/mechanisms/."""

from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from agreements.models import Agreement
from records.filters import RecordFilterSet, SlugFilter, ordering_filter
from regions.filters import DatedRecordFilterSet, stage_filter

from .models import Mechanism


class MechanismFilterSet(DatedRecordFilterSet):
    category = filters.ChoiceFilter(choices=Mechanism.Category.choices, help_text="机制类别。")
    parent = SlugFilter(
        help_text="所属成组方案的 slug（如 jjj-eight-integrations）：只返回它的组成部分。",
        queryset=Mechanism.objects.all(), noun=pgettext_lazy("slug noun", "机制"),
    )
    established_by = SlugFilter(
        help_text="依据文件的 slug：由该文件建立的机制。",
        queryset=Agreement.objects.all(), noun=pgettext_lazy("slug noun", "文件"),
    )
    stage = stage_filter("机制")
    ordering = ordering_filter("name")

    class Meta(RecordFilterSet.Meta):
        model = Mechanism
