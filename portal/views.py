from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from agreements.models import Agreement
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from regions.models import Jurisdiction, Region, Stage
from sources.models import Source
from timeline.models import Event

LATEST_EVENTS = 6


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = [
            (_("协议与文件"), Agreement.objects.count(), "agreements:list"),
            (_("协作机制"), Mechanism.objects.count(), "mechanisms:list"),
            (_("大事记"), Event.objects.count(), "timeline:events"),
            (_("协作区域"), Region.objects.count(), "regions:list"),
            (_("辖区"), Jurisdiction.objects.count(), "regions:list"),
            (_("发展阶段"), Stage.objects.count(), "regions:list"),
            (_("论点"), Finding.objects.count(), "findings:browse"),
            (_("数据"), Figure.objects.count(), "findings:list"),
            (_("文献"), Source.objects.count(), "sources:list"),
        ]
        context["regions"] = (
            Region.objects.filter(parent__isnull=True).prefetch_related("children", "stages").annotate(n_members=Count("members"))
        )
        context["stages"] = Stage.objects.select_related("region").order_by("region", "order", "pk")
        # Latest first: the newest dated events (undated ones have no place in "latest").
        context["latest_events"] = Event.objects.with_regions().filter(date_year__isnull=False).order_by_date(descending=True)[:LATEST_EVENTS]
        context["papers"] = Source.objects.papers().order_by("year", "pk")
        return context
