from django.views.generic import DetailView, ListView

from .models import Mechanism


class MechanismListView(ListView):
    template_name = "mechanisms/list.html"
    context_object_name = "mechanisms"
    queryset = Mechanism.objects.filter(parent__isnull=True).prefetch_related("regions", "parts").order_by("category", "pk")


class MechanismDetailView(DetailView):
    template_name = "mechanisms/detail.html"
    context_object_name = "mechanism"
    queryset = Mechanism.objects.select_related("parent", "established_by").prefetch_related(
        "regions", "parts", "events", "figures", "citations__source", "citations__cites"
    )
