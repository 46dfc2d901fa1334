import re

from django.views.generic import TemplateView

from .models import Source
from .pages import RecordDetailView


def natural_key(slug: str):
    """ref-2 before ref-10: digit runs compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", slug)]


class SourceListView(TemplateView):
    """Both papers in full, each with its reference list in the paper's own order, and where the data is."""

    template_name = "sources/list.html"

    def get_context_data(self, **kwargs):
        sources = list(Source.objects.prefetch_related("reference_entries__cited", "cited_entries__citing"))
        papers = sorted((s for s in sources if s.kind == Source.Kind.PAPER), key=lambda s: (s.year or 0, natural_key(s.slug)))
        references = sorted((s for s in sources if s.kind != Source.Kind.PAPER), key=lambda s: natural_key(s.slug))
        return super().get_context_data(papers=papers, references=references, **kwargs)


class SourceDetailView(RecordDetailView):
    template_name = "sources/detail.html"
    context_object_name = "source"
    cite_kind, api_resource = "source", "sources"

    def get_queryset(self):
        return Source.objects.with_related()
