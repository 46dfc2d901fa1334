from django.utils.translation import gettext_lazy as _

from records.pages import RecordListPage
from search.snippets import mark_matches
from sources.pages import RecordDetailView

from .filters import AgreementFilterSet
from .models import Agreement


class AgreementListView(RecordListPage):
    """/agreements/: takes /api/v1/agreements/'s query string and lists the same records in the same order."""

    template_name = "agreements/list.html"
    filterset_class = AgreementFilterSet
    api_resource = "agreements"
    title = _("协议与文件")
    choice_facets = ("kind",)
    stage_facet = year_facet = True

    def base_queryset(self):
        return Agreement.objects.with_related().order_by_date()

    def extra_context(self, filterset, context):
        if context["search"]:
            mark_matches(context["records"], context["search"], "title", ("summary", "signatories_text"))
        return {}


class AgreementDetailView(RecordDetailView):
    template_name = "agreements/detail.html"
    context_object_name = "agreement"
    cite_kind, api_resource = "agreement", "agreements"

    def get_queryset(self):
        return Agreement.objects.with_related()
