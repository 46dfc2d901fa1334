"""The API's filter backend; the FilterSets themselves live with their records (``agreements/filters.py`` …)."""

from django import forms
from django.core.exceptions import ValidationError
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
    """The parameters of /api/v1/deleted/: a moment and a kind, both optional but never blank.

    ``since`` is read as ``updated_since`` is (records/filters.py), offsets beyond ±15:59 refused.
    A parameter given empty is a mistake, not a request for everything (issue 14, "Bad input").
    """

    since = ChangeTimeField(required=False)
    kind = forms.ChoiceField(required=False, error_messages={"invalid_choice": "没有「%(value)s」这种记录类型。"})

    def __init__(self, data, kinds: list[str]):
        super().__init__(data)
        self.fields["kind"].choices = [(kind, kind) for kind in kinds]
        self.given = {name for name in self.fields if name in data}

    def clean(self):
        cleaned = super().clean()
        for name in self.given:
            if name not in self.errors and cleaned.get(name) in (None, ""):
                self.add_error(name, ValidationError(f"{name} 不能为空；不筛选时请省略这个参数。", code="blank"))
        return cleaned
