from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from records.pages import RecordListPage
from search.snippets import mark_matches
from sources.models import Source
from sources.pages import RecordDetailView

from .filters import FindingFilterSet
from .models import Figure, Finding

# The side-by-side page's rows: what the papers argue, problems first (paper 1 二, paper 2 二),
# then the principles and the recommendations answering them (paper 1 三, paper 2 三、四).
SIDE_BY_SIDE_KINDS = [
    Finding.Kind.PROBLEM, Finding.Kind.PRINCIPLE, Finding.Kind.RECOMMENDATION,
    Finding.Kind.RELATIONSHIP, Finding.Kind.FEATURE, Finding.Kind.SIGNIFICANCE,
]


class FindingSideBySideView(TemplateView):
    """/findings/: both papers' problems, principles and recommendations side by side, and the figures."""

    template_name = "findings/list.html"

    def get_context_data(self, **kwargs):
        papers = list(Source.objects.papers().order_by("year", "pk"))
        findings = list(Finding.objects.with_related().order_by("source", "kind", "order", "pk"))
        rows = []
        for kind in SIDE_BY_SIDE_KINDS:
            columns = [[f for f in findings if f.source_id == paper.pk and f.kind == kind] for paper in papers]
            if any(columns):
                rows.append({"kind": kind, "label": kind.label, "columns": list(zip(papers, columns))})
        figures = Figure.objects.with_related().order_by("region", "pk")
        return super().get_context_data(papers=papers, rows=rows, figures=figures, **kwargs)


class FindingListView(RecordListPage):
    """/findings/browse/: takes /api/v1/findings/'s query string and lists the same records in the same order."""

    template_name = "findings/browse.html"
    filterset_class = FindingFilterSet
    api_resource = "findings"
    title = _("论点")
    choice_facets = ("source", "kind", "dimension")

    def base_queryset(self):
        return Finding.objects.with_related()

    def extra_context(self, filterset, context):
        if context["search"]:
            mark_matches(context["records"], context["search"], "title", ("text",))
        return {}


class FindingDetailView(RecordDetailView):
    template_name = "findings/finding.html"
    context_object_name = "finding"
    cite_kind, api_resource = "finding", "findings"

    def get_queryset(self):
        return Finding.objects.with_related().prefetch_related("children")


class FigureDetailView(RecordDetailView):
    template_name = "findings/figure.html"
    context_object_name = "figure"
    cite_kind, api_resource = "figure", "figures"

    def get_queryset(self):
        return Figure.objects.with_related()
