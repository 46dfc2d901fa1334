from django.views.generic import DetailView, ListView

from .models import Jurisdiction, Region, Stage


class RegionListView(ListView):
    template_name = "regions/list.html"
    context_object_name = "regions"
    queryset = Region.objects.prefetch_related("members", "children", "stages")


class RegionDetailView(DetailView):
    template_name = "regions/detail.html"
    context_object_name = "region"

    def get_queryset(self):
        return Region.objects.with_related().prefetch_related("agreements", "mechanisms", "figures")


class JurisdictionDetailView(DetailView):
    template_name = "regions/jurisdiction.html"
    context_object_name = "jurisdiction"

    def get_queryset(self):
        return Jurisdiction.objects.with_related().prefetch_related("children", "agreements_signed")


class StageDetailView(DetailView):
    template_name = "regions/stage.html"
    context_object_name = "stage"

    def get_queryset(self):
        return Stage.objects.with_related()

    def get_context_data(self, **kwargs):
        from agreements.models import Agreement
        from timeline.models import Event

        stage = self.object
        return super().get_context_data(
            agreements=Agreement.objects.with_related().in_stage(stage).order_by_date(),
            events=Event.objects.with_related().in_stage(stage).order_by_date(),
            **kwargs,
        )
