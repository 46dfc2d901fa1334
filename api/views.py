"""Read-only endpoints under /api/v1/: one viewset per resource, plus the root, stats and export.

Each viewset names its records (``queryset``), whose ``with_related()`` loads what a record shows
(the same read the pages make), how they may be filtered (``filterset_class``) and how a record is
shaped (``serializer_class``); the shared base adds slug-or-id lookup, CSV streaming and JSON errors.
"""

from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.urls import Resolver404, resolve
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework import generics, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from agreements.filters import AgreementFilterSet
from agreements.models import Agreement
from dataset.services import dataset_export
from findings.filters import FigureFilterSet, FindingFilterSet
from findings.models import Figure, Finding
from history.models import EVENT_MODELS, tombstone_feed
from mechanisms.filters import MechanismFilterSet
from mechanisms.models import Mechanism
from opendata.linked_data import CONTEXT, record_jsonld
from records.filters import ChangeTimeField
from records.messages import excerpt
from regions.filters import JurisdictionFilterSet, RegionFilterSet, StageFilterSet
from regions.models import Jurisdiction, Region, Stage
from sources.filters import SourceFilterSet
from sources.models import Source
from timeline.filters import EventFilterSet
from timeline.models import Event

from . import filters, serializers
from .exceptions import api_exception_handler
from .pagination import PortalPagination, RecordPagination
from .renderers import CSVRenderer, JSONLDRenderer, stream_csv
from .stats import stats_matrix
from .throttling import AnonThrottle


class PortalAPIView(APIView):
    """What every endpoint of ours shares: anyone reads, nobody writes, errors are JSON."""

    # Nobody signs in to the public API (staff curate in the admin), so every caller is anonymous.
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonThrottle]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]

    def get_renderers(self):
        # The browsable API is a development aid (settings.API_BROWSABLE); production answers JSON.
        renderers = super().get_renderers()
        if not settings.API_BROWSABLE:
            renderers = [r for r in renderers if not isinstance(r, BrowsableAPIRenderer)]
        return renderers

    def get_exception_handler(self):
        return api_exception_handler


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv", "jsonld"],
    description=(
        "csv：以 CSV 返回全部结果（不分页，同样的筛选条件，UTF-8 带 BOM）；也可发送 Accept: text/csv。"
        "嵌套字段展开为名称列和 *_slug(s) 列，列表以「; 」连接，出处写作「source locator: quote」。"
        "jsonld：本页记录的 schema.org JSON-LD（@graph）；也可发送 Accept: application/ld+json。"
    ),
)
RECORD_FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "jsonld"],
    description="jsonld：这条记录的 schema.org JSON-LD；也可发送 Accept: application/ld+json。",
)
JSONLD = OpenApiResponse(OpenApiTypes.OBJECT, description="schema.org JSON-LD。")
SLUG_PARAMETER = OpenApiParameter(
    "slug",
    # Any text but "/" is looked up (an unknown one is a 404), so the schema only keeps out what
    # never reaches the lookup: a NUL (portal/guard.py), a "." or ".." segment (which a client
    # resolves away), and more than a slug's length, so that every such URL stays within the
    # length the portal serves (guard.MAX_URL_BYTES).
    {"type": "string", "maxLength": 120, "pattern": "^[^/\\u0000]*[^/.\\u0000][^/\\u0000]*$"},
    OpenApiParameter.PATH,
    description="记录的 slug（稳定不变）；也可写记录的数字 id。",
)
ERRORS = {
    400: OpenApiResponse(serializers.ErrorSerializer, description="参数无效：errors 中按参数列出原因。"),
    404: OpenApiResponse(serializers.ErrorSerializer, description="没有这条记录，或页码超出最后一页。"),
    429: OpenApiResponse(serializers.ErrorSerializer, description="请求过于频繁（匿名限流）。"),
}


ID_MAX_DIGITS = 18


class RecordViewSet(PortalAPIView, viewsets.ReadOnlyModelViewSet):
    """List and detail of one resource.

    Detail is looked up by slug; a number that is no record's slug is taken as the record's
    ``id``, so links made from ids keep working (slug first: a slug is the stable public name).
    """

    resource: str  # URL prefix and CSV file name
    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"
    pagination_class = RecordPagination
    filter_backends = [filters.RequestedFilterBackend]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer, JSONLDRenderer]

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            # DRF's answer to an unknown ?format= is a bare 404; say which formats exist.
            asked = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE, "")
            raise NotFound(f"不提供 format={excerpt(asked)}：列表可用 json、csv 或 jsonld，单条记录可用 json 或 jsonld。") from None

    def get_renderers(self):
        # CSV is a list format; a detail asked for as CSV is refused by content negotiation.
        renderers = super().get_renderers()
        if self.action != "list":
            renderers = [r for r in renderers if r.format != CSVRenderer.format]
        return renderers

    def page_queryset(self):
        """What a page of this resource reads; built once per process (it never changes) and cloned per request."""
        return self.queryset.model.objects.with_related()

    def get_queryset(self):
        cls = type(self)
        if "_page_queryset" not in cls.__dict__:
            cls._page_queryset = self.page_queryset()
        return cls._page_queryset.all()

    def get_object(self):
        # The list filters do not apply to a detail: the record is named by its URL alone.
        queryset = self.get_queryset()
        value = self.kwargs[self.lookup_field]
        found = list(queryset.filter(slug=value)[:1])
        # Only ASCII digits are an id: str.isdigit() also accepts "²", "１" and "١", which int()
        # reads as 2 or 1 (issue 14). Eighteen digits fit PostgreSQL's bigint.
        if not found and value.isascii() and value.isdigit() and len(value) <= ID_MAX_DIGITS:
            found = list(queryset.filter(pk=int(value))[:1])
        if not found:
            noun = queryset.model._meta.verbose_name
            raise NotFound(f"没有 slug 或 id 为「{excerpt(value)}」的{noun}。")
        self.check_object_permissions(self.request, found[0])
        return found[0]

    def retrieve(self, request, *args, **kwargs):
        if request.accepted_renderer.format == JSONLDRenderer.format:
            return Response(record_jsonld(self.get_object(), request.build_absolute_uri("/")))
        return super().retrieve(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == JSONLDRenderer.format:
            page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
            base = request.build_absolute_uri("/")
            graph = [{k: v for k, v in record_jsonld(obj, base).items() if k != "@context"} for obj in page]
            return Response({"@context": CONTEXT, "@graph": graph})
        if request.accepted_renderer.format == CSVRenderer.format:
            # One file holds every page, but a malformed page or page_size is still the caller's mistake.
            self.paginator.check_parameters(request)
            queryset = self.filter_queryset(self.get_queryset())
            response = StreamingHttpResponse(
                stream_csv(self.get_serializer_class(), queryset, self.get_serializer_context()),
                content_type="text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = f'attachment; filename="{self.resource}.csv"'
            return response
        return super().list(request, *args, **kwargs)

    def get_paginated_response(self, data):
        # Asked with updated_since, a list also names the records gone since then (a mirror's
        # deletions). The filter has already refused a bad value, so this parse cannot fail.
        # (An empty updated_since filters nothing, and so reports nothing either.)
        moment = ChangeTimeField(required=False).clean(self.request.query_params.get("updated_since"))
        if moment is not None:
            self.paginator.deleted = list(
                EVENT_MODELS[self.queryset.model].objects.tombstones(moment).values_list("gone_slug", flat=True)
            )
        return super().get_paginated_response(data)

    def finalize_response(self, request, response, *args, **kwargs):
        # An error met while CSV or JSON-LD was negotiated (a bad filter, say) is still reported as
        # JSON, the one type every error is documented as.
        if getattr(response, "exception", False) and getattr(request, "accepted_renderer", None):
            if request.accepted_renderer.format in (CSVRenderer.format, JSONLDRenderer.format):
                request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def documented(resource_name: str):
    """Schema text for a resource's list and detail, with the CSV format and error responses."""

    def decorate(viewset):
        return extend_schema_view(
            list=extend_schema(
                summary=f"{resource_name}列表",
                description=f"{resource_name}，分页（page、page_size）并可按下列参数筛选；未知参数被忽略。",
                parameters=[FORMAT_PARAMETER],
                responses={
                    (200, "application/json"): viewset.serializer_class,
                    (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="全部结果的 CSV。"),
                    (200, "application/ld+json"): JSONLD,
                    **{(code, "application/json"): ERRORS[code] for code in (400, 404, 429)},
                },
            ),
            retrieve=extend_schema(
                summary=f"单条{resource_name}",
                description="按 slug 取一条记录；也接受数字 id（没有同名 slug 时）。",
                parameters=[SLUG_PARAMETER, RECORD_FORMAT_PARAMETER],
                responses={
                    (200, "application/json"): viewset.serializer_class,
                    (200, "application/ld+json"): JSONLD,
                    **{(code, "application/json"): ERRORS[code] for code in (404, 429)},
                },
            ),
        )(viewset)

    return decorate


# Each resource reads its records through their queryset's ``with_related()``, the read the pages
# make too; dated records come in date order.


@documented("协议与文件")
class AgreementViewSet(RecordViewSet):
    resource = "agreements"
    queryset = Agreement.objects.all()
    serializer_class = serializers.AgreementSerializer
    filterset_class = AgreementFilterSet

    def page_queryset(self):
        return Agreement.objects.with_related().order_by_date()


@documented("协作机制")
class MechanismViewSet(RecordViewSet):
    resource = "mechanisms"
    queryset = Mechanism.objects.all()
    serializer_class = serializers.MechanismSerializer
    filterset_class = MechanismFilterSet

    def page_queryset(self):
        return Mechanism.objects.with_related().order_by_date()


@documented("大事记")
class EventViewSet(RecordViewSet):
    resource = "events"
    queryset = Event.objects.all()
    serializer_class = serializers.EventSerializer
    filterset_class = EventFilterSet

    def page_queryset(self):
        return Event.objects.with_related().order_by_date()


@documented("协作区域")
class RegionViewSet(RecordViewSet):
    resource = "regions"
    queryset = Region.objects.all()
    serializer_class = serializers.RegionSerializer
    filterset_class = RegionFilterSet


@documented("辖区")
class JurisdictionViewSet(RecordViewSet):
    resource = "jurisdictions"
    queryset = Jurisdiction.objects.all()
    serializer_class = serializers.JurisdictionSerializer
    filterset_class = JurisdictionFilterSet


@documented("发展阶段")
class StageViewSet(RecordViewSet):
    resource = "stages"
    queryset = Stage.objects.all()
    serializer_class = serializers.StageSerializer
    filterset_class = StageFilterSet


@documented("论点")
class FindingViewSet(RecordViewSet):
    resource = "findings"
    queryset = Finding.objects.all()
    serializer_class = serializers.FindingSerializer
    filterset_class = FindingFilterSet


@documented("数据")
class FigureViewSet(RecordViewSet):
    resource = "figures"
    queryset = Figure.objects.all()
    serializer_class = serializers.FigureSerializer
    filterset_class = FigureFilterSet


@documented("文献")
class SourceViewSet(RecordViewSet):
    resource = "sources"
    queryset = Source.objects.all()
    serializer_class = serializers.SourceSerializer
    filterset_class = SourceFilterSet


RESOURCES = [
    AgreementViewSet, MechanismViewSet, RegionViewSet, JurisdictionViewSet, StageViewSet, EventViewSet,
    FindingViewSet, FigureViewSet, SourceViewSet,
]


KINDS = {viewset.queryset.model._meta.model_name: viewset.queryset.model for viewset in RESOURCES}


@extend_schema_view(
    get=extend_schema(
        summary="已删除的记录（墓碑）",
        description=(
            "自 since 以来删除、或改了 slug 而不再存在的记录，按消失时间先后，分页。"
            "删除后又恢复、或以同一 slug 重建的记录不在其中（它们在列表的 updated_since 结果里）。"
            "同步镜像：以 slug 为键，按 `?updated_since=` 的列表更新记录，再删去这里的 slug。"
            "由修改历史得出：记录开始保存历史之前的删除不在其中。"
        ),
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                description="只列出此时刻（ISO 8601，如 2025-01-01T00:00:00+08:00，含此刻）之后消失的记录；省略则列出全部。",
            ),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=list(KINDS), description="只列出这种记录；省略则列出全部类型。"),
        ],
        responses={200: serializers.TombstoneSerializer(many=True), **{code: ERRORS[code] for code in (400, 404, 429)}},
    )
)
class DeletedView(PortalAPIView, generics.ListAPIView):
    """The tombstone feed: what a mirror that follows ``updated_since`` must delete."""

    serializer_class = serializers.TombstoneSerializer
    pagination_class = PortalPagination
    filter_backends: list = []

    def get_queryset(self):
        form = filters.DeletedQueryForm(self.request.query_params, kinds=list(KINDS))
        if not form.is_valid():
            raise ValidationError(form.errors)
        kind = form.cleaned_data.get("kind")
        return tombstone_feed([KINDS[kind]] if kind else list(KINDS.values()), since=form.cleaned_data.get("since"))


class ApiRootView(PortalAPIView):
    @extend_schema(
        summary="端点一览",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="端点名称 → 绝对地址。")},
    )
    def get(self, request, format=None):
        endpoints = {
            viewset.resource: reverse(f"api:{viewset.queryset.model._meta.model_name}-list", request=request)
            for viewset in RESOURCES
        }
        for name in ("deleted", "stats", "export", "schema", "docs"):
            endpoints[name] = reverse(f"api:{name}", request=request)
        # Listed once the search app answers at its mount (until then the path is a JSON 404).
        search_path = "/api/v1/search/"
        try:
            if resolve(search_path).namespace == "search":
                endpoints["search"] = request.build_absolute_uri(search_path)
        except Resolver404:
            pass
        return Response(endpoints)


class StatsView(PortalAPIView):
    @extend_schema(
        summary="统计：每个区域每年的文件数、每个区域每类机制数",
        description=(
            "比较矩阵背后的数据，在数据库中汇总。给出 region 时只统计该区域及其次区域；"
            "给出 stage 时只统计日期落在该阶段、属于该阶段区域（含次区域）的记录。"
            "一条记录属于几个区域就在每个区域各计一次。"
        ),
        parameters=[serializers.StatsQuerySerializer],
        responses={200: serializers.StatsSerializer, 400: ERRORS[400], 429: ERRORS[429]},
    )
    def get(self, request, format=None):
        params = serializers.StatsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        matrix = stats_matrix(region=params.validated_data.get("region"), stage=params.validated_data.get("stage"))
        return Response(serializers.StatsSerializer(matrix).data)


class ExportView(PortalAPIView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="整个数据集（JSON）",
        description=(
            "全部记录，形状与 fixtures/*.toml 相同（format 为 portal-dataset/1），"
            "可用 `python manage.py load_portal_data --json FILE` 载回。"
        ),
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="按记录类型分列的完整数据集。")},
    )
    def get(self, request, format=None):
        return Response(
            dataset_export(), headers={"Content-Disposition": 'inline; filename="portal-dataset.json"'}
        )


class DocsView(SpectacularSwaggerView):
    """Swagger UI without inline script (CSP) and without a CSRF token (no cookie for readers).

    drf-spectacular's page inlines its start-up script and a CSRF token for write requests; the
    API takes none, so the page loads api/docs.js instead. It also relaxes
    Cross-Origin-Opener-Policy for OAuth pop-ups, which an anonymous API has no use for.
    """

    template_name = "api/docs.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        del response.headers["Cross-Origin-Opener-Policy"]
        return response
