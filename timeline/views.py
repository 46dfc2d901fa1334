from itertools import groupby

from django.views.generic import DetailView, TemplateView

from regions.models import Stage

from .models import Event


class TimelineView(TemplateView):
    """Events in date order, grouped by year; the stages of each region head the page."""

    template_name = "timeline/index.html"

    def get_context_data(self, **kwargs):
        events = list(Event.objects.with_related().order_by_date())
        years = [(key, list(group)) for key, group in groupby(events, key=lambda e: e.date.latest_year)]
        stages = Stage.objects.select_related("region").order_by("region", "order")
        return super().get_context_data(years=years, stages=stages, **kwargs)


class EventDetailView(DetailView):
    template_name = "timeline/event.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.with_related()
