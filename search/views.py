"""`/api/v1/search/?q=`: every record type at once, ranked, highlighted, with facets."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from records.dates import MAX_YEAR, MIN_YEAR
from records.filters import SLUG_SCHEMA, YEARS_REVERSED, text_schema
from records.messages import bounded, bounded_errors, excerpt
from regions.models import Region, Stage

from .backends import RESULT_CAP, Filters, backend
from .highlight import highlight
from .models import SearchDocument
from .query import MAX_QUERY_LENGTH
from .suggest import MAX_SUGGEST_QUERY, SUGGEST_LIMIT, TYPE_LABELS, did_you_mean, suggest
from .text import query_plan

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

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


class StrictIntegerField(serializers.IntegerField):
    """DRF's IntegerField, but only ASCII digits: the schema's ``integer`` (issue 14).

    DRF's own also reads "2000.0", " 2000" and full-width "２０００", which the schema refuses.
    """

    INTEGER = re.compile(r"-?[0-9]+", re.ASCII)

    def to_internal_value(self, data):
        if not (isinstance(data, int) or (isinstance(data, str) and self.INTEGER.fullmatch(data))):
            self.fail("invalid")
        return super().to_internal_value(data)


class SearchParameters(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH,
        trim_whitespace=True,
        error_messages={
            # Lazy, so the search page speaks the reader's language; the API activates Chinese.
            "blank": _("请输入检索词：q 为空。"),
            "required": _("请输入检索词：缺少 q。"),
            "max_length": _("检索词过长：最多 {max_length} 个字符。"),
        },
    )
    type = serializers.ListField(child=serializers.ChoiceField(choices=SearchDocument.Kind.choices), required=False)
    region = serializers.SlugField(required=False)
    stage = serializers.SlugField(required=False)
    year_from = StrictIntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    year_to = StrictIntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    page = StrictIntegerField(required=False, min_value=1, default=1)
    page_size = StrictIntegerField(required=False, min_value=1, default=DEFAULT_PAGE_SIZE)

    def to_internal_value(self, data):
        # `type` may be repeated (?type=agreement&type=event) or comma-separated.
        if hasattr(data, "getlist") and "type" in data:
            data = data.copy()
            data.setlist("type", [t for v in data.getlist("type") for t in v.split(",") if t.strip()])
        return super().to_internal_value(data)

    def validate_region(self, slug):
        ids = Region.objects.with_descendants(slug)
        if not ids:
            raise serializers.ValidationError(_("没有 slug 为「%(value)s」的协作区域。") % {"value": excerpt(slug)})
        return ids

    def validate_stage(self, slug):
        stage = Stage.objects.filter(slug=slug).first()
        if stage is None:
            raise serializers.ValidationError(_("没有 slug 为「%(value)s」的发展阶段。") % {"value": excerpt(slug)})
        return stage.pk

    def validate_page_size(self, value):
        return min(value, MAX_PAGE_SIZE)

    def validate(self, attrs):
        if attrs.get("year_from") and attrs.get("year_to") and attrs["year_from"] > attrs["year_to"]:
            raise serializers.ValidationError({"year_to": YEARS_REVERSED % {"year_to": attrs["year_to"], "year_from": attrs["year_from"]}})
        return attrs


def _message(errors) -> str:
    for field, messages in errors.items():
        text = messages[0] if isinstance(messages, list) else messages
        if isinstance(text, dict):
            text = next(iter(text.values()))
        if isinstance(text, list):
            text = text[0]
        return bounded(text) if field in ("q", "non_field_errors") else bounded(_("%(field)s：%(message)s") % {"field": field, "message": text})
    return str(_("请求参数有误。"))


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
        params = SearchParameters(data=request.query_params)
        if not params.is_valid():
            return Response({"detail": _message(params.errors), "errors": bounded_errors(params.errors)}, status=400)
        p = params.validated_data
        plan = query_plan(p["q"])
        filters = Filters(
            kinds=p.get("type") or None,
            region_ids=p.get("region"),
            stage_ids=[p["stage"]] if p.get("stage") else None,
            year_from=p.get("year_from"),
            year_to=p.get("year_to"),
        )
        hits = backend().search(plan, filters) if plan else []
        count = len(hits)
        # Never an empty answer without help: the dictionary names closest to what was typed.
        suggestions = did_you_mean(p["q"]) if not hits else []
        page, size = p["page"], p["page_size"]
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


class SuggestParameters(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_SUGGEST_QUERY,
        trim_whitespace=True,
        error_messages={
            "blank": "请输入要联想的内容：q 为空。",
            "required": "请输入要联想的内容：缺少参数 q。",
            "max_length": f"输入过长：q 最多 {MAX_SUGGEST_QUERY} 个字符。",
            "invalid": "q 必须是文本。",
        },
    )


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
        params = SuggestParameters(data=request.query_params)
        if not params.is_valid():
            return Response({"detail": _message(params.errors), "errors": params.errors}, status=400)
        q = params.validated_data["q"]
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
