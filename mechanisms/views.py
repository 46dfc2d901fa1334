from django.views.generic import DetailView, ListView

from .models import Mechanism


class MechanismListView(ListView):
    template_name = "mechanisms/list.html"
    context_object_name = "mechanisms"
    
    def get_queryset(self):
        return Mechanism.objects.with_related().filter(parent__isnull=True).order_by("category", "pk")


class MechanismDetailView(DetailView):
    template_name = "mechanisms/detail.html"
    context_object_name = "mechanism"

    def get_queryset(self):
        # The figures that count the mechanism are shown on its page only.
        return Mechanism.objects.with_related().select_related("parent").prefetch_related("figures")
