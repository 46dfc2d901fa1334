from django.views.generic import TemplateView

from agreements.models import Agreement
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from regions.models import Jurisdiction, Region, Stage
from sources.models import Source
from timeline.models import Event


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = [
            ("协议与文件", Agreement.objects.count(), "agreements:list"),
            ("协作机制", Mechanism.objects.count(), "mechanisms:list"),
            ("协作区域", Region.objects.count(), "regions:list"),
            ("辖区", Jurisdiction.objects.count(), "regions:list"),
            ("发展阶段", Stage.objects.count(), "timeline:index"),
            ("大事记", Event.objects.count(), "timeline:index"),
            ("论点", Finding.objects.count(), "findings:list"),
            ("数据", Figure.objects.count(), "findings:list"),
            ("文献", Source.objects.count(), "sources:list"),
        ]
        context["regions"] = Region.objects.filter(parent__isnull=True).prefetch_related("children", "members")
        context["papers"] = Source.objects.papers()
        return context
