from django.views.generic import DetailView, ListView

from search.query import search_queryset

from .models import Agreement


class AgreementListView(ListView):
    template_name = "agreements/list.html"
    context_object_name = "agreements"

    def get_queryset(self):
        qs = Agreement.objects.with_related().order_by_date()
        query = self.request.GET.get("q", "").strip()[:200]
        if query:
            # Ranked Chinese search (search/query.py): best match first instead of date order.
            qs = search_queryset(qs, query)
        return qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.request.GET.get("q", "").strip()[:200], **kwargs)


class AgreementDetailView(DetailView):
    template_name = "agreements/detail.html"
    context_object_name = "agreement"

    def get_queryset(self):
        return Agreement.objects.with_related()
