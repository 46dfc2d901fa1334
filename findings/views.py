from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from records.pages import RecordListPage, overview_page
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


# Findings of one paper and kind per page, and figures per page. The real dataset's fullest cell
# holds 24 (paper 2's recommendations) and it cites 25 figures, so it reads on one page; with more
# records the page stays bounded and ?page=2 goes on (issue 10: constant queries, ≤ 50 ms).
FINDINGS_PER_CELL = 25
FIGURES_PER_PAGE = 50


class FindingSideBySideView(TemplateView):
    """/findings/: both papers' problems, principles and recommendations side by side, and the figures.

    Paged: page N shows the N-th slice of every (paper, kind) cell and of the figures, so the rows
    stay aligned; each cell links to the filtered list of all its findings.
    """

    template_name = "findings/list.html"

    def get(self, request, *args, **kwargs):
        sizes = Finding.objects.group_sizes("source", "kind")
        figure_count = Figure.objects.count()
        pages = overview_page(request.GET, [(max(sizes.values(), default=0), FINDINGS_PER_CELL), (figure_count, FIGURES_PER_PAGE)])
        status = pages.pop("status")
        if status != 200:
            return self.render_to_response(self.get_context_data(**pages), status=status)
        number = pages["page"].number
        papers = list(Source.objects.papers().order_by("year", "pk"))
        findings = list(
            Finding.objects.with_responses()
            .page_of_each_group(("source", "kind"), [F("order").asc(), F("pk").asc()], number, FINDINGS_PER_CELL)
            .order_by("source", "kind", "order", "pk")
        )
        browse = reverse("findings:browse")
        rows = []
        for kind in SIDE_BY_SIDE_KINDS:
            columns = []
            for paper in papers:
                total = sizes.get((paper.pk, kind.value), 0)
                cell = [f for f in findings if f.source_id == paper.pk and f.kind == kind]
                columns.append({
                    "paper": paper,
                    "findings": cell,
                    "total": total,
                    "first": cell[0].position if cell else None,
                    "last": cell[-1].position if cell else None,
                    "partial": total > len(cell),
                    "url": f"{browse}?{urlencode({'source': paper.slug, 'kind': kind.value})}",
                })
            if any(column["findings"] for column in columns):
                rows.append({"kind": kind, "label": kind.label, "columns": columns})
        start = (number - 1) * FIGURES_PER_PAGE
        figures = list(Figure.objects.for_table().order_by("region", "pk")[start : start + FIGURES_PER_PAGE])
        context = self.get_context_data(
            papers=papers, rows=rows, figures=figures, figure_count=figure_count,
            figures_first=start + 1, figures_last=start + len(figures), **pages
        )
        return self.render_to_response(context)


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
