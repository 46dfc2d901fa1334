from itertools import groupby

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from records.pages import RecordListPage
from regions.models import Stage
from search.snippets import mark_matches
from sources.pages import RecordDetailView

from .filters import EventFilterSet
from .models import Event


class TimelineView(TemplateView):
    """Events in date order, grouped by year; the stages of each region head the page."""

    template_name = "timeline/index.html"

    def get_context_data(self, **kwargs):
        events = list(Event.objects.with_related().order_by_date())
        years = [(key, list(group)) for key, group in groupby(events, key=lambda e: e.date.latest_year)]
        stages = Stage.objects.select_related("region").order_by("region", "order")
        return super().get_context_data(years=years, stages=stages, **kwargs)


class EventListView(RecordListPage):
    """/timeline/events/: takes /api/v1/events/'s query string and lists the same records in the same order."""

    template_name = "timeline/events.html"
    filterset_class = EventFilterSet
    api_resource = "events"
    title = _("大事记")
    stage_facet = year_facet = True

    def base_queryset(self):
        return Event.objects.with_related().order_by_date()

    def extra_context(self, filterset, context):
        if context["search"]:
            mark_matches(context["records"], context["search"], "title", ("description",))
        return {}


class EventDetailView(RecordDetailView):
    template_name = "timeline/event.html"
    context_object_name = "event"
    cite_kind, api_resource = "event", "events"

    def get_queryset(self):
        return Event.objects.with_related()
