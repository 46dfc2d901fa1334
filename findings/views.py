from django.views.generic import DetailView, TemplateView

from sources.models import Source

from .models import Figure, Finding


class FindingListView(TemplateView):
    template_name = "findings/list.html"

    def get_context_data(self, **kwargs):
        papers = Source.objects.papers().prefetch_related("findings__addresses")
        figures = Figure.objects.select_related("region").order_by("region", "pk")
        return super().get_context_data(papers=papers, figures=figures, **kwargs)


class FindingDetailView(DetailView):
    template_name = "findings/finding.html"
    context_object_name = "finding"

    def get_queryset(self):
        return Finding.objects.with_related().prefetch_related("children")


class FigureDetailView(DetailView):
    template_name = "findings/figure.html"
    context_object_name = "figure"

    def get_queryset(self):
        return Figure.objects.with_related()
