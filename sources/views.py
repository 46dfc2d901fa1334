from django.views.generic import DetailView, ListView

from .models import Source


class SourceListView(ListView):
    template_name = "sources/list.html"
    context_object_name = "sources"
    queryset = Source.objects.prefetch_related("cited_entries__citing")


class SourceDetailView(DetailView):
    template_name = "sources/detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return Source.objects.with_related()
