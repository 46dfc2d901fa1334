"""`/api/v1/search/?q=`: every record type at once, ranked, highlighted, with facets."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from records.dates import MAX_YEAR, MIN_YEAR
from records.filters import SLUG_SCHEMA, text_schema
from records.messages import excerpt
from regions.models import Region

from .backends import RESULT_CAP, backend
from .highlight import highlight
from .models import SearchDocument
from .params import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Refusal, parse_search, parse_suggest
from .query import MAX_QUERY_LENGTH
from .suggest import MAX_SUGGEST_QUERY, SUGGEST_LIMIT, TYPE_LABELS, did_you_mean, suggest

# The API resource of each record type (issue 3: /api/v1/<resource>/<slug>/).
RESOURCES = {
    "agreement": "agreements",
    "mechanism": "mechanisms",
    "event": "events",
    "region": "regions",
    "jurisdiction": "jurisdictions",
    "stage": "stages",
    "finding": "findings",
    "figure": "figures",
}


class SearchView(APIView):
    """Search every record type; results typed, scored, highlighted, with facet counts."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", text_schema(MAX_QUERY_LENGTH), required=True, description="The query, 1–200 characters; simplified or traditional Chinese."),
            OpenApiParameter("type", OpenApiTypes.STR, many=True, enum=[k for k, _ in SearchDocument.Kind.choices], description="Record types to include (repeat or comma-separate)."),
            OpenApiParameter("region", SLUG_SCHEMA, description="Region slug; includes its sub-regions."),
            OpenApiParameter("stage", SLUG_SCHEMA, description="Development stage slug."),
            OpenApiParameter("year_from", {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}),
            OpenApiParameter("year_to", {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}),
            OpenApiParameter("page", {"type": "integer", "minimum": 1}),
            OpenApiParameter("page_size", {"type": "integer", "minimum": 1}, description=f"Default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}."),
        ],
        # 404: a page past the last one.
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        description=(
            f"At most {RESULT_CAP} best matches are returned: `count` is exact below {RESULT_CAP} "
            f"and means 'at least {RESULT_CAP}' when equal to it. Pinyin and initials of names match "
            "too (`jjj`, `jingjinji` → 京津冀), ranked below Chinese matches; a region's other names "
            "stand for it (川渝 → 成渝). When nothing matches, `suggestions` lists the closest "
            "names (did you mean)."
        ),
    )
    def get(self, request):
        parsed = parse_search(request.query_params)
        if isinstance(parsed, Refusal):
            return Response({"detail": parsed.detail, "errors": parsed.errors}, status=400)
        plan = parsed.plan
        hits = backend().search(plan, parsed.filters) if plan else []
        count = len(hits)
        # Never an empty answer without help: the dictionary names closest to what was typed.
        suggestions = did_you_mean(parsed.q) if not hits else []
        page, size = parsed.page, parsed.page_size
        if (page - 1) * size >= max(count, 1) and page > 1:
            return Response({"detail": f"第 {excerpt(page, 20)} 页超出了最后一页。"}, status=404)
        window = hits[(page - 1) * size : page * size]
        return Response(
            {
                "count": count,
                "next": self._page_url(request, page + 1) if page * size < count else None,
                "previous": self._page_url(request, page - 1) if page > 1 else None,
                "results": self._results(request, window, plan),
                "facets": self._facets([h.doc_id for h in hits]),
                "words": [w.word for w in plan.words],
                "suggestions": suggestions,
            }
        )

    @staticmethod
    def _page_url(request, page: int) -> str:
        query = request.query_params.copy()
        query["page"] = page
        return request.build_absolute_uri(f"{request.path}?{urlencode(query, doseq=True)}")

    def _results(self, request, hits, plan) -> list[dict]:
        docs = SearchDocument.objects.in_bulk([h.doc_id for h in hits])
        records = {}
        by_type: dict[int, list[int]] = {}
        for h in hits:
            by_type.setdefault(h.content_type_id, []).append(h.object_id)
        for ct_id, ids in by_type.items():
            model = ContentType.objects.get_for_id(ct_id).model_class()
            for obj in model.objects.filter(pk__in=ids):
                records[(ct_id, obj.pk)] = obj
        terms = plan.highlight_terms
        results = []
        for h in hits:
            doc = docs.get(h.doc_id)
            obj = records.get((h.content_type_id, h.object_id))
            if doc is None or obj is None:
                continue
            title_html, _ = highlight(doc.title, terms, window=False)
            snippet, matched = highlight(doc.body, terms)
            if not matched:
                snippet = title_html
            results.append(
                {
                    "type": doc.kind,
                    "id": obj.pk,
                    "slug": doc.slug,
                    "title": doc.title,
                    "title_highlighted": title_html,
                    "url": request.build_absolute_uri(f"/api/v1/{RESOURCES[doc.kind]}/{doc.slug}/"),
                    "html_url": request.build_absolute_uri(obj.get_absolute_url()),
                    "score": round(h.score, 6),
                    "snippet": snippet,
                    "year": doc.year,
                }
            )
        return results

    @staticmethod
    def _facets(doc_ids: list[int]) -> dict:
        docs = SearchDocument.objects.filter(pk__in=doc_ids)
        labels = dict(SearchDocument.Kind.choices)
        types = [
            {"value": row["kind"], "label": labels.get(row["kind"], row["kind"]), "count": row["n"]}
            for row in docs.values("kind").annotate(n=Count("id")).order_by("-n", "kind")
        ]
        through = SearchDocument.regions.through
        region_counts = Counter(
            through.objects.filter(searchdocument_id__in=doc_ids).values_list("region_id", flat=True)
        )
        regions = {r.pk: r for r in Region.objects.filter(pk__in=region_counts)}
        region_facet = [
            {"value": regions[pk].slug, "label": regions[pk].name, "count": n}
            for pk, n in sorted(region_counts.items(), key=lambda kv: (-kv[1], kv[0]))
            if pk in regions
        ]
        stage_rows = docs.filter(stage__isnull=False).values("stage__slug", "stage__name", "stage__region__name")
        stage_facet = [
            {"value": r["stage__slug"], "label": f"{r['stage__region__name']}·{r['stage__name']}", "count": r["n"]}
            for r in stage_rows.annotate(n=Count("id")).order_by("-n", "stage__slug")
        ]
        year_facet = [
            {"value": r["year"], "count": r["n"]}
            for r in docs.filter(year__isnull=False).values("year").annotate(n=Count("id")).order_by("year")
        ]
        return {"type": types, "region": region_facet, "stage": stage_facet, "year": year_facet}


class SuggestView(APIView):
    """Names for the search box as the user types: Chinese prefix, full pinyin or initials."""

    @extend_schema(
        operation_id="search_suggest",
        parameters=[
            OpenApiParameter(
                "q", text_schema(MAX_SUGGEST_QUERY), required=True,
                description=f"What has been typed so far, 1–{MAX_SUGGEST_QUERY} characters: a Chinese prefix "
                "(京津), full pinyin (jingjinji) or initials (jjj).",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        description=(
            f"Up to {SUGGEST_LIMIT} record names starting with `q`, Chinese names first, then pinyin, then "
            "initials; each with its record type, its API URL and its page URL."
        ),
    )
    def get(self, request):
        q = parse_suggest(request.query_params)
        if isinstance(q, Refusal):
            return Response({"detail": q.detail, "errors": q.errors}, status=400)
        results = [
            {
                "name": item["name"],
                "title": item["title"],
                "type": item["type"],
                "type_label": TYPE_LABELS.get(item["type"], item["type"]),
                "url": request.build_absolute_uri(f"/api/v1/{RESOURCES[item['type']]}/{item['slug']}/"),
                "html_url": request.build_absolute_uri(item["path"]),
            }
            for item in suggest(q)
        ]
        return Response({"q": q, "results": results})
