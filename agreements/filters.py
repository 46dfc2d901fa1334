"""List parameters of agreements, shared by the agreement pages and /api/v1/agreements/."""

from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from records.filters import RecordFilterSet, SlugFilter, ordering_filter
from regions.filters import DatedRecordFilterSet, division_code_filter, stage_filter
from regions.models import Jurisdiction

from .models import Agreement


class AgreementFilterSet(DatedRecordFilterSet):
    jurisdiction = SlugFilter(
        method="filter_jurisdiction",
        help_text="辖区 slug（如 beijing）：该辖区所属任一区域的文件。",
        queryset=Jurisdiction.objects.all(), noun=pgettext_lazy("slug noun", "辖区"),
    )
    division_code = division_code_filter("signatories__division_code", "有代码为此的签署辖区的文件")
    stage = stage_filter("文件")
    kind = filters.ChoiceFilter(choices=Agreement.Kind.choices, help_text="文件类型。")
    ordering = ordering_filter("title")

    class Meta(RecordFilterSet.Meta):
        model = Agreement
