"""The API's filter backend; the FilterSets themselves live with their records (``agreements/filters.py`` …)."""

from django import forms
from django_filters.rest_framework import DjangoFilterBackend

from records.filters import ChangeTimeField


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


class DeletedQueryForm(forms.Form):
    """The parameters of /api/v1/deleted/: a moment and a kind, both optional.

    ``since`` is read as ``updated_since`` is (records/filters.py), offsets beyond ±15:59 refused.
    Given empty, either is absent, as every optional parameter of the API is (api/schema.py says
    so with ``allowEmptyValue``): forms send empty fields.
    """

    since = ChangeTimeField(required=False)
    kind = forms.ChoiceField(required=False, error_messages={"invalid_choice": "没有「%(value)s」这种记录类型。"})

    def __init__(self, data, kinds: list[str]):
        super().__init__(data)
        self.fields["kind"].choices = [(kind, kind) for kind in kinds]
