from django.views.generic import DetailView, ListView

from .models import Jurisdiction, Region, Stage


class RegionListView(ListView):
    template_name = "regions/list.html"
    context_object_name = "regions"
    queryset = Region.objects.prefetch_related("members", "children", "stages")


class RegionDetailView(DetailView):
    template_name = "regions/detail.html"
    context_object_name = "region"
    queryset = Region.objects.select_related("parent").prefetch_related(
        "members", "children", "stages", "agreements", "mechanisms", "figures", "citations__source"
    )


class JurisdictionDetailView(DetailView):
    template_name = "regions/jurisdiction.html"
    context_object_name = "jurisdiction"
    queryset = Jurisdiction.objects.select_related("parent").prefetch_related(
        "regions", "children", "agreements_signed", "citations__source"
    )


class StageDetailView(DetailView):
    template_name = "regions/stage.html"
    context_object_name = "stage"
    queryset = Stage.objects.select_related("region").prefetch_related("citations__source")

    def get_context_data(self, **kwargs):
        from agreements.models import Agreement
        from timeline.models import Event

        stage = self.object
        return super().get_context_data(
            agreements=Agreement.objects.in_stage(stage).order_by_date(),
            events=Event.objects.in_stage(stage).order_by_date(),
            **kwargs,
        )
