from itertools import groupby

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from records.pages import RecordListPage
from search.snippets import mark_matches
from sources.pages import RecordDetailView

from .filters import MechanismFilterSet
from .models import Mechanism


class MechanismListView(RecordListPage):
    """/mechanisms/: takes /api/v1/mechanisms/'s query string and lists the same records in the same order."""

    template_name = "mechanisms/list.html"
    filterset_class = MechanismFilterSet
    api_resource = "mechanisms"
    title = _("协作机制")
    choice_facets = ("category",)
    stage_facet = year_facet = True

    def base_queryset(self):
        return Mechanism.objects.with_related().order_by_date()

    def extra_context(self, filterset, context):
        if context["search"]:
            mark_matches(context["records"], context["search"], "name", ("description", "established_by_text"))
        return {}


class MechanismCategoriesView(TemplateView):
    """Mechanisms grouped by category; a grouped scheme (「八个一体化」「五融」) with its parts under it."""

    template_name = "mechanisms/categories.html"

    def get_context_data(self, **kwargs):
        mechanisms = list(Mechanism.objects.with_related().filter(parent__isnull=True).order_by_date())
        labels = dict(Mechanism.Category.choices)
        order = {value: i for i, (value, _label) in enumerate(Mechanism.Category.choices)}
        mechanisms.sort(key=lambda m: order.get(m.category, len(order)))
        categories = [
            {"value": key, "label": labels.get(key, key), "mechanisms": list(group)}
            for key, group in groupby(mechanisms, key=lambda m: m.category)
        ]
        return super().get_context_data(categories=categories, **kwargs)


class MechanismDetailView(RecordDetailView):
    template_name = "mechanisms/detail.html"
    context_object_name = "mechanism"
    cite_kind, api_resource = "mechanism", "mechanisms"

    def get_queryset(self):
        # The figures that count the mechanism are shown on its page only.
        return Mechanism.objects.with_related().select_related("parent").prefetch_related("figures")
