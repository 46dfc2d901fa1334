"""The list pages' shared view: the API's query string, the same FilterSet, facets and pages.

A list page takes exactly the parameters its ``/api/v1/`` resource takes (issue 10: a researcher
copies a filtered page's query string onto the API and gets the same records in the same order):
the app's FilterSet cleans them, the app's ``with_related()`` reads the records, and the page
numbers follow the API's rules (``page``, ``page_size`` default 20 and at most 100, ``page=last``;
a malformed value is a 400 and a page past the last one a 404) — both shown as friendly pages.

This module reaches other apps' models only through relations, as the rest of ``records`` does.
"""

from __future__ import annotations

import abc

from django import forms
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.generic import View

# The API's page rules (api/pagination.py); the pages must page exactly as the API does.
PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
LAST_PAGE = "last"
# Parameters that change which page of a list is shown, not which records are listed.
PAGE_PARAMETERS = ("page", "page_size")


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)
    page_size = forms.IntegerField(min_value=1, required=False)


def region_tree(region_model) -> tuple[list[dict], dict[int, list[int]]]:
    """Every region ({id, slug, name, parent_id}) and, for each, the ids of itself and every region inside it."""
    regions = [
        {"id": pk, "slug": slug, "name": name, "parent_id": parent_id}
        for pk, slug, name, parent_id in region_model.objects.order_by("pk").values_list("id", "slug", "name", "parent_id")
    ]
    parents = {r["id"]: r["parent_id"] for r in regions}
    inside: dict[int, list[int]] = {r["id"]: [] for r in regions}
    for region in regions:
        node, seen = region["id"], set()
        while node is not None and node not in seen:  # a cycle typed in the admin stops here
            seen.add(node)
            inside[node].append(region["id"])
            node = parents.get(node)
    return regions, inside


def facet_link(params: QueryDict, name: str, value) -> str:
    """The list's query string with ``name`` set to ``value`` (None removes it), back on page 1."""
    query = params.copy()
    for key in PAGE_PARAMETERS:
        query.pop(key, None)
    if value is None or value == "":
        query.pop(name, None)
    else:
        query[name] = str(value)
    text = query.urlencode()
    return f"?{text}" if text else "?"


class RecordListPage(abc.ABC, View):
    """A faceted, searchable, paged list of one kind of record (subclasses name the pieces).

    Abstract: a subclass that forgets ``base_queryset`` cannot be instantiated (ABCMeta refuses it).
    """

    template_name: str
    filterset_class: type
    api_resource: str  # /api/v1/<api_resource>/
    title: str
    # Facets this list shows; each must be a parameter of the FilterSet.
    choice_facets: tuple[str, ...] = ()  # model fields with choices: kind, category, source…
    region_facet = True
    stage_facet = False
    year_facet = False

    @abc.abstractmethod
    def base_queryset(self):
        """The records in the API's order before any parameter (api/views.py's page_queryset)."""

    def get(self, request, *args, **kwargs):
        params = request.GET
        filterset = self.filterset_class(params, queryset=self.base_queryset(), request=request)
        pages = PageForm({name: params.get(name) for name in PAGE_PARAMETERS if params.get(name) != LAST_PAGE})
        context = {"params": params, "view": self, "api_url": f"/api/v1/{self.api_resource}/"}
        context["query_string"] = params.urlencode()
        if not filterset.is_valid() or not pages.is_valid():
            errors = {**filterset.form.errors, **pages.errors}
            context["errors"] = [(name, message) for name, messages in errors.items() for message in messages]
            return render(request, self.template_name, context, status=400)
        records = filterset.qs
        size = min(pages.cleaned_data.get("page_size") or PAGE_SIZE, MAX_PAGE_SIZE)
        paginator = Paginator(records, size)
        number = paginator.num_pages if params.get("page") == LAST_PAGE else pages.cleaned_data.get("page") or 1
        if number > paginator.num_pages and not (number == 1 and paginator.count == 0):
            context["errors"] = [("page", _("没有第 %(page)s 页：共 %(pages)s 页。") % {"page": number, "pages": paginator.num_pages})]
            return render(request, self.template_name, context, status=404)
        page = paginator.page(number)
        rows = list(page.object_list)
        for row in rows:
            # Set by the search's highlighting; absent attributes cost the template engine a dir() each.
            row.title_marked = row.snippet = ""
        cleaned = filterset.form.cleaned_data
        context.update(
            page=page,
            records=rows,
            paginator=paginator,
            search=cleaned.get("search") or "",
            filtered=any(value not in (None, "") for value in cleaned.values()),
            facets=self.facets(filterset, records, params),
            ordering=params.get("ordering", ""),
            page_links=self.page_links(params, page),
            csv_url=self.download_url(params, "csv"),
            json_url=self.download_url(params, "json"),
            sort_choices=self.sort_choices(),
        )
        context.update(self.extra_context(filterset, context))
        return render(request, self.template_name, context)

    def extra_context(self, filterset, context) -> dict:
        return {}

    def sort_choices(self) -> list[tuple[str, str]]:
        ordering = self.filterset_class.base_filters.get("ordering")
        if ordering is None:
            return []
        labels = {"date": _("日期（早→晚）"), "-date": _("日期（晚→早）")}
        return [
            (value, labels.get(value) or (_("名称（升序）") if not value.startswith("-") else _("名称（降序）")))
            for value, _label in ordering.extra["choices"]
        ]

    def download_url(self, params: QueryDict, fmt: str) -> str:
        query = params.copy()
        if fmt == "csv":
            # CSV is the whole list (every page), as the API serves it.
            for key in PAGE_PARAMETERS:
                query.pop(key, None)
        query["format"] = fmt
        return f"/api/v1/{self.api_resource}/?{query.urlencode()}"

    @staticmethod
    def page_links(params: QueryDict, page) -> dict:
        return page_links(params, page)

    # Facets ------------------------------------------------------------------------------

    def facets(self, filterset, records, params) -> list[dict]:
        """Counts of the listed records by each facet's values: one query per facet, whatever the data size."""
        model = records.model
        listed = model._default_manager.filter(pk__in=records.order_by().values("pk")) if filterset_narrows(filterset) else model._default_manager.all()
        facets = []
        if self.region_facet:
            facets.append(self.region_counts(model, listed, params))
        if self.stage_facet:
            facets.append(self.stage_counts(model, listed, params))
        for name in self.choice_facets:
            facets.append(self.choice_counts(model, listed, params, name))
        if self.year_facet:
            facets.append(self.year_counts(listed, params))
        return [facet for facet in facets if facet["values"]]

    def _facet(self, name: str, label: str, params, values: list[tuple]) -> dict:
        selected = params.get(name, "")
        return {
            "name": name,
            "label": label,
            "selected": selected,
            "clear": facet_link(params, name, None) if selected else None,
            "values": [
                {"value": value, "label": text, "count": count, "selected": str(value) == selected, "link": facet_link(params, name, value)}
                for value, text, count in values
                if count or str(value) == selected
            ],
        }

    def _regions_field(self, model):
        return model._meta.get_field("regions")

    def region_counts(self, model, listed, params) -> dict:
        field = self._regions_field(model)
        regions, inside = region_tree(field.related_model)
        # (region, a region it counts for): a record of 通武廊 counts for 通武廊 and for 京津冀.
        pairs = [(member, region["id"], 0, 0) for region in regions for member in inside[region["id"]]]
        counts = link_counts(model, field, listed, pairs)
        values = [(r["slug"], r["name"], counts.get(r["id"], 0)) for r in regions]
        return self._facet("region", _("区域"), params, values)

    def stage_counts(self, model, listed, params) -> dict:
        field = self._regions_field(model)
        region_model = field.related_model
        stage_model = region_model._meta.get_field("stages").related_model
        regions, inside = region_tree(region_model)
        names = {r["id"]: r["name"] for r in regions}
        stages = list(stage_model.objects.order_by("region_id", "order", "pk").values("id", "slug", "name", "region_id", "start_year", "end_year"))
        pairs = [
            (member, stage["id"], stage["start_year"] or 0, stage["end_year"] or 0)
            for stage in stages
            for member in inside.get(stage["region_id"], [])
        ]
        counts = link_counts(model, field, listed, pairs, dated=True)
        values = [(s["slug"], f"{names.get(s['region_id'], '')}·{s['name']}", counts.get(s["id"], 0)) for s in stages]
        return self._facet("stage", _("发展阶段"), params, values)

    def choice_counts(self, model, listed, params, name) -> dict:
        field = model._meta.get_field(name)
        counts = dict(listed.order_by().values_list(field.attname).annotate(n=Count("pk")))
        if field.choices:
            values = [(value, _(str(label)), counts.get(value, 0)) for value, label in field.choices]
            label = _(str(field.verbose_name))
        else:  # a foreign key (a finding's paper): the related records' slugs
            related = field.related_model.objects.filter(pk__in=[k for k in counts if k is not None]).order_by("pk")
            values = [(obj.slug, str(obj), counts.get(obj.pk, 0)) for obj in related]
            label = _(str(field.verbose_name))
        return self._facet(name, label, params, values)

    def year_counts(self, listed, params) -> dict:
        counts = listed.order_by().values_list("date_year").annotate(n=Count("pk")).order_by("date_year")
        years = [(year, count) for year, count in counts if year is not None]
        return {
            "name": "year",
            "label": _("年份"),
            "years": [
                {"year": year, "count": count, "link": year_link(params, year),
                 "selected": params.get("year_from") == str(year) and params.get("year_to") == str(year)}
                for year, count in years
            ],
            "values": years,
            "year_from": params.get("year_from", ""),
            "year_to": params.get("year_to", ""),
            "clear": year_link(params, None) if params.get("year_from") or params.get("year_to") else None,
            "undated": sum(count for year, count in counts if year is None),
        }


def page_links(params: QueryDict, page) -> dict:
    """First, previous, next and last page of ``page``'s paginator, as query strings on ``params``."""

    def link(number):
        query = params.copy()
        query["page"] = str(number)
        return f"?{query.urlencode()}"

    return {
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "first": link(1) if page.number > 1 else None,
        "last": link(page.paginator.num_pages) if page.number < page.paginator.num_pages else None,
    }


class OverviewPageForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)


def overview_page(params: QueryDict, groups: list[tuple[int, int]]) -> dict:
    """Which page an overview shows, for a view that reads ``page_of_each_group`` (records/querysets.py).

    ``groups`` holds (records in the largest group, records of a group per page) for each kind of
    group the page sets side by side; there are as many pages as the fullest one needs. Answers
    the template's ``page``, ``paginator`` and ``page_links`` (includes/pages.html), or ``errors``
    and a ``status`` of 400 (not a page number) or 404 (past the last page), as the list pages do.
    """
    num_pages = max([1, *(-(-largest // size) for largest, size in groups)])
    form = OverviewPageForm({"page": params.get("page")} if params.get("page") != LAST_PAGE else {})
    if not form.is_valid():
        return {"errors": [(name, message) for name, messages in form.errors.items() for message in messages], "status": 400}
    number = num_pages if params.get("page") == LAST_PAGE else form.cleaned_data.get("page") or 1
    if number > num_pages:
        message = _("没有第 %(page)s 页：共 %(pages)s 页。") % {"page": number, "pages": num_pages}
        return {"errors": [("page", message)], "status": 404}
    # A paginator over the page numbers themselves: its Page answers has_next() and the rest.
    page = Paginator(range(num_pages), 1).page(number)
    return {"page": page, "paginator": page.paginator, "page_links": page_links(params, page), "status": 200}


def year_link(params: QueryDict, year) -> str:
    query = params.copy()
    for key in (*PAGE_PARAMETERS, "year_from", "year_to"):
        query.pop(key, None)
    if year is not None:
        query["year_from"] = query["year_to"] = str(year)
    text = query.urlencode()
    return f"?{text}" if text else "?"


def link_counts(model, field, listed, pairs: list[tuple[int, int, int, int]], dated: bool = False) -> dict[int, int]:
    """Distinct listed records per group, in one query over the region link table.

    ``pairs`` are (region id, group id, first year, last year): a record linked to the region
    counts once for the group. With ``dated`` the group is a stage, and the record's date must
    fall in its years as ``RegionalRecordQuerySet.in_stage`` reads them (0 = open end; a
    "before" bound counts for a stage open at the start that ends by then). One aggregate per
    region written through the ORM cost ~8 ms of query compilation per page (measured); the
    groups travel here as a VALUES list instead.
    """
    if not pairs:
        return {}
    through = field.remote_field.through
    quote = connection.ops.quote_name
    link, record = quote(through._meta.db_table), quote(model._meta.db_table)
    own, region = quote(f"{field.m2m_field_name()}_id"), quote(f"{field.m2m_reverse_field_name()}_id")
    values = ", ".join(["(%s, %s, %s, %s)"] * len(pairs))
    params: list = [value for pair in pairs for value in pair]
    where, join = "", ""
    if dated:
        join = f" JOIN {record} r ON r.{quote(model._meta.pk.column)} = l.{own}"
        where = (
            " AND ((r.date_year IS NOT NULL AND (g.column3 = 0 OR r.date_year >= g.column3)"
            " AND (g.column4 = 0 OR r.date_year <= g.column4))"
            " OR (g.column3 = 0 AND g.column4 <> 0 AND r.date_before IS NOT NULL AND r.date_before <= g.column4 + 1))"
        )
    if listed.query.where:
        sql, listed_params = listed.order_by().values("pk").query.sql_with_params()
        where += f" AND l.{own} IN ({sql})"
        params += list(listed_params)
    query = (
        f"SELECT g.column2, COUNT(DISTINCT l.{own}) FROM {link} l{join}"
        f" JOIN (VALUES {values}) g ON l.{region} = g.column1 WHERE 1 = 1{where} GROUP BY g.column2"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return dict(cursor.fetchall())


def filterset_narrows(filterset) -> bool:
    return any(value not in (None, "") for value in filterset.form.cleaned_data.values())
