"""List parameters of regions, jurisdictions and stages, and the region parameter other records share."""

from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from records.filters import YEAR_FROM_HELP, YEAR_TO_HELP, RecordFilterSet, SlugFilter, YearFilter, documented_as

from .models import DIVISION_CODE_VALIDATOR, Jurisdiction, Region, Stage

DIVISION_CODE_HELP = "GB/T 2260 六位行政区划代码（如 110112 通州区）"


def division_code_filter(field_name: str, noun: str):
    """A six-digit GB/T 2260 code; anything else is a 400 saying what a code looks like."""
    code = filters.CharFilter(
        field_name=field_name,
        distinct=True,
        validators=[DIVISION_CODE_VALIDATOR],
        help_text=f"{DIVISION_CODE_HELP}：{noun}。",
    )
    documented_as(code, {"type": "string", "pattern": "^[0-9]{6}$"})
    return code


REGION_HELP = "区域 slug（如 jjj）；包括其下的次区域（京津冀包括通武廊）。"


def region_filter(method="filter_region"):
    return SlugFilter(method=method, help_text=REGION_HELP, queryset=Region.objects.all(), noun=pgettext_lazy("slug noun", "区域"))


def stage_filter(noun: str):
    return SlugFilter(
        method="filter_stage",
        help_text=f"发展阶段 slug（如 jjj-consolidation）：所在区域（含次区域）且日期落在该阶段内的{noun}。",
        queryset=Stage.objects.select_related("region"), noun=pgettext_lazy("slug noun", "发展阶段"),
    )


class DatedRecordFilterSet(RecordFilterSet):
    """Records placed in regions and dated: agreements, mechanisms, events."""

    region = region_filter()
    year_from = YearFilter(method="filter_year_from", help_text=YEAR_FROM_HELP)
    year_to = YearFilter(method="filter_year_to", help_text=YEAR_TO_HELP)


class RegionFilterSet(RecordFilterSet):
    kind = filters.ChoiceFilter(choices=Region.Kind.choices, help_text="区域类型。")
    parent = SlugFilter(
        help_text="上级区域 slug：只返回它的直接次区域。", queryset=Region.objects.all(), noun=pgettext_lazy("slug noun", "区域")
    )

    division_code = division_code_filter("members__division_code", "有代码为此的成员辖区的区域")

    class Meta(RecordFilterSet.Meta):
        model = Region


class JurisdictionFilterSet(RecordFilterSet):
    level = filters.ChoiceFilter(choices=Jurisdiction.Level.choices, help_text="行政级别。")
    region = SlugFilter(
        field_name="regions",
        distinct=True,
        help_text="区域 slug：该区域的成员辖区。",
        queryset=Region.objects.all(), noun=pgettext_lazy("slug noun", "区域"),
    )
    division_code = division_code_filter("division_code", "代码为此的辖区")

    class Meta(RecordFilterSet.Meta):
        model = Jurisdiction


class StageFilterSet(RecordFilterSet):
    region = SlugFilter(help_text="区域 slug：该区域的发展阶段。", queryset=Region.objects.all(), noun=pgettext_lazy("slug noun", "区域"))

    class Meta(RecordFilterSet.Meta):
        model = Stage
