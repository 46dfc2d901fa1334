from django.db.models import Prefetch
from django.views.generic import ListView

from agreements.models import Agreement
from mechanisms.models import Mechanism
from sources.pages import RecordDetailView
from timeline.models import Event

from .models import Jurisdiction, Region, Stage


REGION_PAGE_ROWS = 100


class RegionListView(ListView):
    template_name = "regions/list.html"
    context_object_name = "regions"
    queryset = Region.objects.select_related("parent").prefetch_related("members", "children", "stages")


class RegionDetailView(RecordDetailView):
    template_name = "regions/detail.html"
    context_object_name = "region"
    cite_kind, api_resource = "region", "regions"

    def get_queryset(self):
        return Region.objects.with_related().prefetch_related("figures", "parent__parent")

    def get_context_data(self, **kwargs):
        region = self.object
        # A region's records include its sub-regions' (通武廊's are 京津冀's too), in date order.
        agreements = Agreement.objects.in_region(region).with_regions().order_by_date()
        mechanisms = Mechanism.objects.in_region(region).with_regions().order_by_date()
        # A region page shows the first REGION_PAGE_ROWS of each; the full lists are the faceted pages.
        totals = {"agreements": agreements.count(), "mechanisms": mechanisms.count()}
        agreements = list(agreements[:REGION_PAGE_ROWS])
        mechanisms = list(mechanisms[:REGION_PAGE_ROWS])
        order = {value: i for i, (value, _label) in enumerate(Mechanism.Category.choices)}
        mechanisms.sort(key=lambda m: order.get(m.category, len(order)))
        return super().get_context_data(agreements=agreements, mechanisms=mechanisms, totals=totals, **kwargs)


class JurisdictionDetailView(RecordDetailView):
    template_name = "regions/jurisdiction.html"
    context_object_name = "jurisdiction"
    cite_kind, api_resource = "jurisdiction", "jurisdictions"

    def get_queryset(self):
        return Jurisdiction.objects.with_related().prefetch_related(
            "children", Prefetch("agreements_signed", queryset=Agreement.objects.order_by_date())
        )


class StageDetailView(RecordDetailView):
    template_name = "regions/stage.html"
    context_object_name = "stage"
    cite_kind, api_resource = "stage", "stages"

    def get_queryset(self):
        return Stage.objects.with_related()

    def get_context_data(self, **kwargs):
        stage = self.object
        return super().get_context_data(
            agreements=Agreement.objects.in_stage(stage).with_regions().order_by_date(),
            events=Event.objects.in_stage(stage).with_regions().order_by_date(),
            siblings=Stage.objects.filter(region=stage.region_id).order_by("order", "pk"),
            **kwargs,
        )
