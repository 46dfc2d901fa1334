"""The explore pages only shape what the record apps' querysets read (see each queryset method)."""

import math
from collections import defaultdict
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from agreements.models import Agreement
from mechanisms.models import Mechanism
from regions.models import Region

from .forms import CompareForm
from .labels import label as translated


def mechanism_list_url(**params) -> str:
    # The list page takes the API's query string (mechanisms/filters.py: region, category).
    return f"{reverse('mechanisms:list')}?{urlencode(params)}"


class MechanismMatrixView(TemplateView):
    """Mechanism category × region: each cell counts the mechanisms its link lists."""

    template_name = "explore/matrix.html"

    def get_context_data(self, **kwargs):
        tree = Region.objects.tree()
        counts = Mechanism.objects.category_region_counts(tree)
        categories = Mechanism.Category.choices
        rows = []
        for region in tree:
            cells = []
            for value, label in categories:
                n = counts.get((region.pk, value), 0)
                cells.append({"category": value, "label": translated(label), "count": n,
                              "url": mechanism_list_url(region=region.slug, category=value) if n else None})
            total = sum(c["count"] for c in cells)
            rows.append({"region": region, "cells": cells, "total": total,
                         "url": mechanism_list_url(region=region.slug)})
        per_category = Mechanism.objects.category_counts()
        columns = [
            {"value": value, "label": translated(label), "total": per_category.get(value, 0),
             "url": mechanism_list_url(category=value)}
            for value, label in categories
        ]
        return super().get_context_data(rows=rows, columns=columns, all_mechanisms=sum(per_category.values()), **kwargs)


def member_diagram(region) -> dict:
    """Where the member jurisdictions sit around their region in a small SVG: evenly on a circle."""
    members = list(region.members.all())
    size, centre, radius = 220, 110, 78
    nodes = []
    for i, member in enumerate(members):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(members), 1)
        nodes.append({
            "member": member,
            "x": round(centre + radius * math.cos(angle), 1),
            "y": round(centre + radius * math.sin(angle), 1),
            "label": member.short_name or member.name,
        })
    return {"size": size, "centre": centre, "nodes": nodes}


class RegionCompareView(TemplateView):
    """Two to six regions side by side: members, stages, counts, mechanism categories, agreements."""

    template_name = "explore/compare.html"

    def get(self, request, *args, **kwargs):
        regions = Region.objects.tree()
        if "region" not in request.GET:
            return self.render_to_response(self.get_context_data(choices=regions, chosen=[]))
        form = CompareForm(request.GET)
        if not form.is_valid():
            errors = [str(m) for messages in form.errors.values() for m in messages]
            context = self.get_context_data(choices=regions, chosen=form.chosen_slugs(), errors=errors)
            return self.render_to_response(context, status=400)
        slugs = form.chosen_slugs()
        compared = Region.objects.for_comparison(slugs)
        categories = [
            {"value": value, "label": translated(label),
             "cells": [{"count": r.mechanisms_by_category.get(value, 0),
                        "url": mechanism_list_url(region=r.slug, category=value)} for r in compared]}
            for value, label in Mechanism.Category.choices
            if any(r.mechanisms_by_category.get(value) for r in compared)
        ]
        for region in compared:
            region.kind_label = translated(region.get_kind_display())
            region.diagram = member_diagram(region)
            years = [y for y in region.agreements_by_year if y is not None]
            region.year_span = (min(years), max(years)) if years else None
            region.undated_agreements = region.agreements_by_year.get(None, 0)
        context = self.get_context_data(choices=regions, chosen=slugs, compared=compared, categories=categories)
        return self.render_to_response(context)


class ChartsView(TemplateView):
    """Three charts, each drawn by explore/static/explore/charts.js from a JSON data block, each with its table."""

    template_name = "explore/charts.html"

    def get_context_data(self, **kwargs):
        tree = Region.objects.tree()
        top = [r for r in tree if r.depth == 0]
        by_year = Agreement.objects.year_region_counts(top)
        by_category = Mechanism.objects.category_region_counts(top)
        return super().get_context_data(
            by_year=self._by_year(top, by_year),
            by_category=self._by_category(top, by_category),
            network=self._network(tree),
            network_regions=tree,
            **kwargs,
        )

    def _by_year(self, regions, counts) -> dict:
        years = sorted({year for (_pk, year) in counts if year is not None})
        span = list(range(years[0], years[-1] + 1)) if years else []
        series = [
            {"name": r.name, "slug": r.slug, "data": [counts.get((r.pk, y), 0) for y in span],
             "without_year": counts.get((r.pk, None), 0)}
            for r in regions if any(pk == r.pk for (pk, _y) in counts)
        ]
        return {"years": span, "series": series, "title": _("各区域每年的协议与文件"),
                "axis": _("份数"), "note": _("没有确切年份的文件（只知在某年之前或时间不详）不在图中，见表格最后一列。")}

    def _by_category(self, regions, counts) -> dict:
        categories = [
            (v, translated(label)) for v, label in Mechanism.Category.choices if any(c == v for (_pk, c) in counts)
        ]
        series = [
            {"name": r.name, "slug": r.slug,
             "data": [counts.get((r.pk, v), 0) for v, _label in categories],
             "urls": [mechanism_list_url(region=r.slug, category=v) for v, _label in categories]}
            for r in regions if any(pk == r.pk for (pk, _c) in counts)
        ]
        table = [
            {"label": str(label), "cells": [{"count": s["data"][i], "url": s["urls"][i]} for s in series]}
            for i, (_v, label) in enumerate(categories)
        ]
        return {"categories": [str(label) for _v, label in categories], "series": series, "table": table,
                "title": _("各区域各类别的协作机制"), "axis": _("条数")}

    def _network(self, tree) -> dict:
        nodes, links = [], []
        region_key = {r.pk: f"r{r.pk}" for r in tree}
        for r in tree:
            nodes.append({"id": region_key[r.pk], "name": r.name, "category": 0, "url": r.get_absolute_url()})
            if r.parent_id in region_key:
                links.append({"source": region_key[r.pk], "target": region_key[r.parent_id]})
        agreements = list(Agreement.objects.for_network().order_by("pk"))
        mechanisms = list(Mechanism.objects.for_network().order_by("pk"))
        members = defaultdict(lambda: {"agreements": [], "mechanisms": []})
        for a in agreements:
            nodes.append({"id": f"a{a.pk}", "name": a.display_title, "category": 1, "url": a.get_absolute_url()})
            for reg in a.regions_list:
                links.append({"source": f"a{a.pk}", "target": region_key[reg["id"]]})
                members[reg["id"]]["agreements"].append(a)
        known = {a.pk for a in agreements}
        for m in mechanisms:
            nodes.append({"id": f"m{m.pk}", "name": m.name, "category": 2, "url": m.get_absolute_url()})
            for reg in m.regions_list:
                links.append({"source": f"m{m.pk}", "target": region_key[reg["id"]]})
                members[reg["id"]]["mechanisms"].append(m)
            if m.established_by_id in known:
                links.append({"source": f"m{m.pk}", "target": f"a{m.established_by_id}"})
        for r in tree:
            r.network = members.get(r.pk, {"agreements": [], "mechanisms": []})
        return {
            "nodes": nodes,
            "links": links,
            "categories": [_("区域"), _("协议与文件"), _("协作机制")],
            "title": _("协议、机制与区域的关系网络"),
        }
