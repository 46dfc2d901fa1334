"""List parameters of sources, shared by the source pages and /api/v1/sources/."""

from django_filters import rest_framework as filters

from records.filters import RecordFilterSet

from .models import Source


class SourceFilterSet(RecordFilterSet):
    kind = filters.ChoiceFilter(choices=Source.Kind.choices, help_text="paper：本库依据的两篇论文；reference：其参考文献。")

    class Meta(RecordFilterSet.Meta):
        model = Source
