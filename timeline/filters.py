"""List parameters of events, shared by the timeline pages and /api/v1/events/."""

from records.filters import RecordFilterSet, ordering_filter
from regions.filters import DatedRecordFilterSet, stage_filter

from .models import Event


class EventFilterSet(DatedRecordFilterSet):
    stage = stage_filter("事件")
    ordering = ordering_filter("title")

    class Meta(RecordFilterSet.Meta):
        model = Event
