from itertools import groupby
from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from records.dates import date_order
from records.pages import RecordListPage, overview_page
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


# Mechanisms of one category per page: the real dataset's largest category holds 16 top-level
# mechanisms (government services), so it reads on one page; with more records the page stays
# bounded and ?page=2 goes on (issue 10: constant queries, ≤ 50 ms).
MECHANISMS_PER_CATEGORY = 20


class MechanismCategoriesView(TemplateView):
    """Mechanisms grouped by category; a grouped scheme (「八个一体化」「五融」) with its parts under it.

    Paged: page N shows the N-th slice of every category in date order; each category links to
    the filtered list of its mechanisms (which lists the schemes' parts too).
    """

    template_name = "mechanisms/categories.html"

    def get(self, request, *args, **kwargs):
        schemes = Mechanism.objects.filter(parent__isnull=True)
        sizes = {category: n for (category,), n in schemes.group_sizes("category").items()}
        pages = overview_page(request.GET, [(max(sizes.values(), default=0), MECHANISMS_PER_CATEGORY)])
        status = pages.pop("status")
        if status != 200:
            return self.render_to_response(self.get_context_data(**pages), status=status)
        mechanisms = list(
            Mechanism.objects.with_parts()
            .filter(parent__isnull=True)
            .page_of_each_group(("category",), [*date_order(), F("pk").asc()], pages["page"].number, MECHANISMS_PER_CATEGORY)
        )
        labels = dict(Mechanism.Category.choices)
        order = {value: i for i, (value, _label) in enumerate(Mechanism.Category.choices)}
        mechanisms.sort(key=lambda m: (order.get(m.category, len(order)), m.position))
        listed = {key: list(group) for key, group in groupby(mechanisms, key=lambda m: m.category)}
        categories = [
            {
                "value": key,
                "label": labels.get(key, key),
                "mechanisms": listed.get(key, []),
                "total": total,
                "first": listed[key][0].position if key in listed else None,
                "last": listed[key][-1].position if key in listed else None,
                "url": f"{reverse('mechanisms:list')}?{urlencode({'category': key})}",
            }
            for key, total in sorted(sizes.items(), key=lambda item: order.get(item[0], len(order)))
        ]
        return self.render_to_response(self.get_context_data(categories=categories, **pages))


class MechanismDetailView(RecordDetailView):
    template_name = "mechanisms/detail.html"
    context_object_name = "mechanism"
    cite_kind, api_resource = "mechanism", "mechanisms"

    def get_queryset(self):
        # The figures that count the mechanism are shown on its page only.
        return Mechanism.objects.with_related().select_related("parent").prefetch_related("figures")
