"""The API's record shapes. Serializers only shape output: what to load is each queryset's ``with_related()``.

Every record carries ``id``, ``slug``, ``url`` (its API URL), ``html_url`` (its page's permalink)
and ``citations`` (issue 3). Related records appear as small ``{slug, name}`` references so that a
list stays one query per relation, whatever its length.
"""

from collections.abc import Callable

from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import is_simple_callable

from agreements.models import Agreement
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from records.dates import Precision
from records.links import slug_url
from regions.models import Jurisdiction, Region, Stage
from sources.models import Citation, Source
from timeline.models import Event



class DocumentedModelSerializer(serializers.ModelSerializer):
    """Describes each model field in the schema by its help text, or by its verbose name when it has none."""

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        field_kwargs.setdefault("help_text", str(model_field.verbose_name))
        return field_class, field_kwargs


# ---------------------------------------------------------------- references to other records


class SourceRefSerializer(DocumentedModelSerializer):
    citation = serializers.CharField(read_only=True, help_text="GB/T 7714 格式的著录。")

    class Meta:
        model = Source
        fields = ["id", "slug", "citation"]


class CitationSerializer(serializers.ModelSerializer):
    source = SourceRefSerializer(help_text="所引论文。")
    locator = serializers.CharField(help_text="论文中的章节，如「一、(二)」。")
    quote = serializers.CharField(help_text="论文原文摘录（逐字）。")
    cites = SourceRefSerializer(allow_null=True, help_text="论文为这句话标注的参考文献；没有则为 null。")

    class Meta:
        model = Citation
        fields = ["source", "locator", "quote", "cites"]


class RegionRefSerializer(DocumentedModelSerializer):
    class Meta:
        model = Region
        fields = ["slug", "name"]


class JurisdictionRefSerializer(DocumentedModelSerializer):
    class Meta:
        model = Jurisdiction
        fields = ["slug", "name"]


class StageRefSerializer(DocumentedModelSerializer):
    class Meta:
        model = Stage
        fields = ["slug", "name"]


class AgreementRefSerializer(DocumentedModelSerializer):
    class Meta:
        model = Agreement
        fields = ["slug", "title"]


class MechanismRefSerializer(DocumentedModelSerializer):
    class Meta:
        model = Mechanism
        fields = ["slug", "name"]


class EventRefSerializer(DocumentedModelSerializer):
    class Meta:
        model = Event
        fields = ["slug", "title"]


class FindingRefSerializer(DocumentedModelSerializer):
    class Meta:
        model = Finding
        fields = ["slug", "title"]


# ---------------------------------------------------------------- fast fields for references
#
# A page of 100 agreements holds about 2,000 references and citations; a DRF nested serializer
# costs tens of microseconds per item. These fields write the same shapes directly and give the
# schema the shape of the reference serializer above.


def _ref(obj, keys) -> dict:
    return {key: getattr(obj, key) for key in keys}


def absolute(context: dict, path: str) -> str:
    """``request.build_absolute_uri(path)`` for a site-absolute path, with the host checked once per response."""
    request = context.get("request")
    if request is None:
        return path
    if "origin" not in context:
        context["origin"] = request.build_absolute_uri("/").rstrip("/")
    return context["origin"] + path


class Ref(serializers.Field):
    """A related record (or, with ``many``, a list of them) written as its reference serializer's fields."""

    def __init__(self, ref_serializer, many=False, **kwargs):
        kwargs["read_only"] = True
        kwargs.setdefault("allow_null", not many)  # a missing single link is null; set False where it cannot be
        super().__init__(**kwargs)
        self.keys, self.many = tuple(ref_serializer.Meta.fields), many
        set_override(self, "field", ref_serializer(many=many))

    def to_representation(self, value):
        if self.many:
            items = value if isinstance(value, list) else value.all()
            return [_ref(obj, self.keys) for obj in items]
        return _ref(value, self.keys)


class Gathered(serializers.Field):
    """A related list gathered in the page query by the queryset's ``with_related()``, written as it is.

    ``shape`` is the serializer whose output it equals (the schema and the CSV columns read it).
    Keys keep the order the database wrote them in (PostgreSQL's jsonb: shorter keys first), which
    is the order the API has always written these lists in. ``drop`` names keys that the read
    needed but the API does not show (a region's id, used to derive the stage); ``one`` writes a
    list of at most one item as that item, or null.
    """

    def __init__(self, shape, drop=(), one=False, **kwargs):
        kwargs["read_only"] = True
        if one:
            kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)
        self.shape, self.drop, self.one = shape, frozenset(drop), one
        set_override(self, "field", shape)

    def render(self, value, context):
        if self.drop:
            value = [{key: item[key] for key in item if key not in self.drop} for item in value]
        if self.one:
            return value[0] if value else None
        return value

    def to_representation(self, value):
        return self.render(value, self.context)


CITATION_KEYS = ("source", "locator", "quote", "cites")


class Citations(Gathered):
    """A record's citations, ``{source: {id, slug, citation}, locator, quote, cites}`` (``with_citations()``).

    ``field_order`` writes the keys in that order, as the region, jurisdiction, stage, figure and
    source resources always have; the others keep the gathered order.
    """

    def __init__(self, field_order=False, **kwargs):
        kwargs.setdefault("source", "citations_list")
        kwargs.setdefault("help_text", "出处：论文、章节与原文摘录。")
        super().__init__(CitationSerializer(many=True), **kwargs)
        self.field_order = field_order

    def render(self, value, context):
        if self.field_order:
            return [{key: c[key] for key in CITATION_KEYS} for c in value]
        return value


class NameList(serializers.ListField):
    """A list of names gathered as ``{name}`` objects in the page query."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(), read_only=True, **kwargs)

    def to_representation(self, data):
        return [item["name"] for item in data]


class DerivedStage(serializers.Field):
    """The stage derived by the queryset's ``with_stage()`` (never stored), as ``{name, slug}``, or null."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, allow_null=True, source="derived_stage")
        kwargs.setdefault("help_text", "由区域与日期推得的发展阶段；推不出时为 null。")
        super().__init__(**kwargs)
        self.shape = StageRefSerializer(allow_null=True)  # for the schema and the CSV columns
        set_override(self, "field", self.shape)

    def to_representation(self, stage):
        return {"name": stage.name, "slug": stage.slug}


class ChoiceLabel(serializers.CharField):
    """The display label of a choice field, read from the model's choices.

    Equivalent to ``source="get_<field>_display"``, without DRF introspecting that bound method's
    signature once per record (a measurable share of a list page).
    """

    def __init__(self, model_field, **kwargs):
        super().__init__(source=model_field.name, read_only=True, **kwargs)
        self.labels = {value: str(label) for value, label in model_field.flatchoices}

    def to_representation(self, value):
        return self.labels.get(value, value)


# ---------------------------------------------------------------- shared fields


@extend_schema_field(OpenApiTypes.URI)
class HtmlUrlField(serializers.Field):
    """The record's page on the portal, as an absolute permalink."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault("help_text", "记录在门户网站上的页面（永久链接）。")
        super().__init__(**kwargs)

    def render(self, obj, context):
        return absolute(context, obj.get_absolute_url())

    def to_representation(self, obj):
        return self.render(obj, self.context)


@extend_schema_field({"type": "string", "nullable": True, "example": "2016-01"})
class EdtfDateField(serializers.Field):
    """A partial date as EDTF level 0 ("2016-01-25", "2016-01", "2017"), or null when no year is known."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, date):
        return date.edtf


DATE_HELP = (
    "日期，EDTF level 0 的部分日期：\"2016-01-25\"（日）、\"2016-01\"（月）、\"2017\"（年）；"
    "时间不详或只知「某年之前」时为 null（见 date_precision 与 date_before）。"
)


class ApiUrlField(serializers.HyperlinkedIdentityField):
    """The record's API URL by slug, pointed at the detail route of the serializer's own model.

    Unlike DRF's field it does not carry the request's ``?format=`` into the link: a row of a CSV
    export links to the record, not to a CSV of it.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("view_name", "")  # set in bind(), once the model is known
        kwargs.setdefault("lookup_field", "slug")
        kwargs.setdefault("help_text", "本记录的 API 地址。")
        super().__init__(**kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.view_name = f"api:{parent.Meta.model._meta.model_name}-detail"

    def get_url(self, obj, view_name, request, format):
        return absolute(self.context, slug_url(view_name, getattr(obj, self.lookup_field)))

    def render(self, obj, context):
        return absolute(context, slug_url(self.view_name, getattr(obj, self.lookup_field)))


class RecordSerializer(DocumentedModelSerializer):
    """Where a record lives: its API URL (by slug) and its page on the portal."""

    url = ApiUrlField()
    html_url = HtmlUrlField()

    base_fields = ["id", "slug", "url", "html_url"]

    @classmethod
    def output_plan(cls, prototype) -> list[tuple[str, list[str], Callable]]:
        """Per field: its name, its source path and how to write a value, built once per class.

        DRF builds every field again for each response (a ModelSerializer introspects the model
        and deep-copies its declared fields), about a millisecond per list page. The plan is
        built from the first instance and kept; a field that needs the request (links,
        citations, the derived stage) is given the response's context by ``render`` instead of
        reading it from the instance it was bound to.
        """
        if "_output_plan" not in cls.__dict__:
            plan = []
            for name, field in prototype.fields.items():
                if field.write_only:
                    continue
                render = getattr(field, "render", None) or (lambda value, context, f=field: f.to_representation(value))
                plan.append((name, field.source_attrs, render))
            cls._output_plan = plan
        return cls._output_plan

    def to_representation(self, instance):
        """DRF's loop, for read-only output: each field's value by its source path, None kept as None.

        DRF's generic version walks a generator and introspects every attribute for callables;
        at ~30 fields per record that was a fifth of a 20-row page. Only a method named as a
        source (``__str__``) is called, as DRF would.
        """
        context = self.context
        row = {}
        for name, attrs, render in self.output_plan(self):
            value = instance
            for attr in attrs:
                value = getattr(value, attr)
                if callable(value) and is_simple_callable(value):
                    value = value()
            row[name] = None if value is None else render(value, context)
        return row


class CitedRecordSerializer(RecordSerializer):
    """The fields every cited record carries."""

    citations = Citations(field_order=True)


class DatedRecordSerializer(CitedRecordSerializer):
    date = EdtfDateField(help_text=DATE_HELP)
    date_precision = serializers.ChoiceField(
        source="date.precision",
        choices=Precision.choices,
        read_only=True,
        help_text="日期精度：day、month、year、before（只知某年之前）、unknown（不详）。",
    )
    date_before = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="只知「某年之前」时的那一年（如 2014 表示「2014年之前」），否则为 null。"
    )
    date_display = serializers.CharField(source="date.display", read_only=True, help_text="中文日期，如「2016年1月」「2014年之前」。")

    date_fields = ["date", "date_precision", "date_before", "date_display"]


# ---------------------------------------------------------------- resources


def gathered(ref_serializer, name: str, help_text: str, **kwargs) -> Gathered:
    return Gathered(ref_serializer(many=True), source=f"{name}_list", help_text=help_text, **kwargs)


def gathered_regions(help_text: str = "所属协作区域。") -> Gathered:
    # Gathered with ids, which derive the stage; the API shows a region as {name, slug}.
    return gathered(RegionRefSerializer, "regions", help_text, drop=("id",))


class AgreementSerializer(DatedRecordSerializer):
    aliases = NameList(source="aliases_list", help_text="论文中的其他称呼，含简称（如「框架协议」）。")
    kind_display = ChoiceLabel(Agreement._meta.get_field("kind"), help_text="文件类型的中文名。")
    display_title = serializers.CharField(read_only=True, help_text="带书名号的标题；无正式标题时用〔〕。")
    regions = gathered_regions()
    signatories = gathered(JurisdictionRefSerializer, "signatories", "签署/印发文件的辖区。")
    stage = DerivedStage()
    establishes = gathered(MechanismRefSerializer, "establishes", "依据本文件建立的机制。")
    implements = gathered(AgreementRefSerializer, "implements", "本文件贯彻落实的文件。")
    implemented_by = gathered(AgreementRefSerializer, "implemented_by", "贯彻落实本文件的文件。")
    events = gathered(EventRefSerializer, "events", "相关大事记。")
    citations = Citations()

    class Meta:
        model = Agreement
        fields = [
            *RecordSerializer.base_fields, "title", "display_title", "untitled", "aliases", "kind",
            "kind_display", *DatedRecordSerializer.date_fields, "regions", "signatories", "signatories_text",
            "signatories_note", "stage", "summary", "establishes", "implements", "implemented_by", "events",
            "updated_at", "citations",
        ]


class MechanismSerializer(DatedRecordSerializer):
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="其他称呼。")
    category_display = ChoiceLabel(Mechanism._meta.get_field("category"), help_text="类别的中文名。")
    regions = gathered_regions()
    established_by = Ref(AgreementRefSerializer, help_text="依据文件；没有则为 null。")
    parent = Gathered(
        MechanismRefSerializer(allow_null=True), source="parent_list", one=True,
        help_text="所属成组方案（如「八个一体化」）；没有则为 null。",
    )
    parts = gathered(MechanismRefSerializer, "parts", "成组方案的组成部分，按序号。")
    events = gathered(EventRefSerializer, "events", "相关大事记。")
    citations = Citations()

    class Meta:
        model = Mechanism
        fields = [
            *RecordSerializer.base_fields, "name", "aliases", "category", "category_display",
            *DatedRecordSerializer.date_fields, "regions", "established_by", "established_by_text", "parent",
            "order", "parts", "description", "title_only", "events", "updated_at", "citations",
        ]


class EventSerializer(DatedRecordSerializer):
    date_display = serializers.CharField(read_only=True, help_text="中文日期，跨时段的事件写作「2019年5月至2020年10月」。")
    end_date = EdtfDateField(help_text="跨时段事件的结束日期（EDTF level 0）；没有则为 null。")
    regions = gathered_regions()
    stage = DerivedStage()
    agreements = gathered(AgreementRefSerializer, "agreements", "事件涉及的文件。")
    mechanisms = gathered(MechanismRefSerializer, "mechanisms", "事件涉及的机制。")
    citations = Citations()

    class Meta:
        model = Event
        fields = [
            *RecordSerializer.base_fields, "title", *DatedRecordSerializer.date_fields, "end_date", "regions",
            "stage", "agreements", "mechanisms", "description", "updated_at", "citations",
        ]


class StageInRegionSerializer(DocumentedModelSerializer):
    period_display = serializers.CharField(read_only=True, help_text="中文时段，如「2014—2016年」「2014年之前」。")

    class Meta:
        model = Stage
        fields = ["slug", "name", "start_year", "end_year", "period_display"]


class RegionSerializer(CitedRecordSerializer):
    kind_display = ChoiceLabel(Region._meta.get_field("kind"), help_text="区域类型的中文名。")
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="其他称呼。")
    parent = Ref(RegionRefSerializer, help_text="所在的上级区域；没有则为 null。")
    children = Ref(RegionRefSerializer, many=True, help_text="区域内的次区域。")
    members = Ref(JurisdictionRefSerializer, many=True, help_text="成员辖区。")
    stages = StageInRegionSerializer(many=True, read_only=True, help_text="发展阶段，按顺序。")

    class Meta:
        model = Region
        fields = [
            *RecordSerializer.base_fields, "name", "full_name", "aliases", "kind", "kind_display", "parent",
            "children", "members", "members_note", "stages", "description", "updated_at", "citations",
        ]


class JurisdictionSerializer(CitedRecordSerializer):
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="其他称呼，如「京」。")
    level_display = ChoiceLabel(Jurisdiction._meta.get_field("level"), help_text="行政级别的中文名。")
    parent = Ref(JurisdictionRefSerializer, help_text="所在的上级辖区；没有则为 null。")
    regions = Ref(RegionRefSerializer, many=True, help_text="所属协作区域。")

    class Meta:
        model = Jurisdiction
        fields = [
            *RecordSerializer.base_fields, "name", "short_name", "aliases", "level", "level_display",
            "division_code", "division_code_source", "wikidata", "parent", "outside_sources", "regions", "updated_at",
            "citations",
        ]


class StageSerializer(CitedRecordSerializer):
    region = Ref(RegionRefSerializer, allow_null=False, help_text="阶段所属的区域。")
    period_display = serializers.CharField(read_only=True, help_text="中文时段，如「2014—2016年」「2014年之前」。")

    class Meta:
        model = Stage
        fields = [
            *RecordSerializer.base_fields, "name", "name_en", "region", "start_year", "end_year",
            "period_display", "order", "summary", "updated_at", "citations",
        ]


class FindingSerializer(CitedRecordSerializer):
    source = Ref(SourceRefSerializer, allow_null=False, help_text="提出该论点的论文。")
    kind_display = ChoiceLabel(Finding._meta.get_field("kind"), help_text="论点类型的中文名。")
    parent = Ref(FindingRefSerializer, help_text="所属上级条目；没有则为 null。")
    regions = gathered(RegionRefSerializer, "regions", "涉及的协作区域。")
    addresses = gathered(FindingRefSerializer, "addresses", "对策建议所回应的问题。")
    addressed_by = gathered(FindingRefSerializer, "addressed_by", "回应本问题的对策建议。")
    citations = Citations()

    class Meta:
        model = Finding
        fields = [
            *RecordSerializer.base_fields, "title", "source", "kind", "kind_display", "dimension", "order",
            "parent", "text", "regions", "addresses", "addresses_note", "addressed_by", "updated_at", "citations",
        ]


class FigureSerializer(CitedRecordSerializer):
    title = serializers.CharField(source="__str__", read_only=True, help_text="数值、单位与统计对象，如「68项 京津冀……机制」。")
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=False, read_only=True, help_text="数值。"
    )
    value_display = serializers.CharField(read_only=True, help_text="带限定词的数值，如「68」「1.5余」「约300」。")
    region = Ref(RegionRefSerializer, help_text="数值所属区域；没有则为 null。")
    mechanism = Ref(MechanismRefSerializer, help_text="数值统计的机制；没有则为 null。")

    class Meta:
        model = Figure
        fields = [
            *RecordSerializer.base_fields, "title", "value", "qualifier", "value_display", "unit", "counts",
            "region", "year", "mechanism", "updated_at", "citations",
        ]


class ReferenceSerializer(serializers.Serializer):
    """An entry of a paper's reference list, seen from the paper: the work it lists."""

    number = serializers.IntegerField(help_text="参考文献表中的序号。")
    slug = serializers.CharField(source="cited.slug", help_text="所列文献的 slug。")
    citation = serializers.CharField(source="cited.citation", help_text="所列文献的 GB/T 7714 著录。")


class CitingSerializer(serializers.Serializer):
    """The same entry seen from the listed work: the paper that lists it."""

    number = serializers.IntegerField(help_text="在该论文参考文献表中的序号。")
    slug = serializers.CharField(source="citing.slug", help_text="引用它的论文的 slug。")
    citation = serializers.CharField(source="citing.citation", help_text="引用它的论文的 GB/T 7714 著录。")


class SourceSerializer(CitedRecordSerializer):
    """A paper or a work in a paper's reference list, with where the papers list it."""

    kind_display = ChoiceLabel(Source._meta.get_field("kind"), help_text="文献类型的中文名。")
    citation = serializers.CharField(read_only=True, help_text="GB/T 7714 格式的著录。")
    authors = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="作者。")
    web_url = serializers.CharField(source="url", read_only=True, help_text="文献的网址（网络文献）；没有则为空字符串。")
    references = ReferenceSerializer(
        source="reference_entries", many=True, read_only=True, help_text="论文的参考文献表，按序号。"
    )
    cited_by = CitingSerializer(source="cited_entries", many=True, read_only=True, help_text="列出本文献的论文及序号。")

    class Meta:
        model = Source
        fields = [
            *RecordSerializer.base_fields, "kind", "kind_display", "citation", "authors", "title", "title_en",
            "container", "medium", "year", "volume", "issue", "pages", "published", "web_url", "note",
            "references", "cited_by", "updated_at", "citations",
        ]


# ---------------------------------------------------------------- aggregates


class StatsAgreementRowSerializer(serializers.Serializer):
    region = RegionRefSerializer(help_text="协作区域。")
    year = serializers.IntegerField(allow_null=True, help_text="年份；时间不详或只知「某年之前」的文件为 null。")
    count = serializers.IntegerField(help_text="该区域该年的文件数。")


class StatsMechanismRowSerializer(serializers.Serializer):
    region = RegionRefSerializer(help_text="协作区域。")
    category = serializers.ChoiceField(choices=Mechanism.Category.choices, help_text="机制类别。")
    category_display = serializers.CharField(help_text="类别的中文名。")
    count = serializers.IntegerField(help_text="该区域该类别的机制数。")


class StatsSerializer(serializers.Serializer):
    region = serializers.CharField(allow_null=True, help_text="所用的 region 条件（slug），没有则为 null。")
    stage = serializers.CharField(allow_null=True, help_text="所用的 stage 条件（slug），没有则为 null。")
    agreements_by_year = StatsAgreementRowSerializer(many=True, help_text="每个区域每年的文件数。")
    mechanisms_by_category = StatsMechanismRowSerializer(many=True, help_text="每个区域每个类别的机制数。")


class StatsQuerySerializer(serializers.Serializer):
    """The parameters of /api/v1/stats/."""

    region = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Region.objects.all(),
        required=False,
        help_text="区域 slug；只统计该区域及其次区域（京津冀包括通武廊）。",
        error_messages={"does_not_exist": "没有 slug 为「{value}」的区域。"},
    )
    stage = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Stage.objects.select_related("region"),
        required=False,
        help_text="发展阶段 slug；只统计日期落在该阶段内、属于该阶段区域（含次区域）的记录。",
        error_messages={"does_not_exist": "没有 slug 为「{value}」的发展阶段。"},
    )


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="错误说明。")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="参数错误时，每个参数的错误说明列表。",
    )


class TombstoneSerializer(serializers.Serializer):
    """One row of /api/v1/deleted/ (history.models.tombstone_feed gives the rows as dicts)."""

    kind = serializers.CharField(source="record_kind", help_text="记录类型，如 agreement、mechanism。")
    slug = serializers.CharField(source="gone_slug", help_text="已不存在的 slug。")
    id = serializers.IntegerField(source="pgh_obj_id", help_text="记录用这个 slug 时的数字 id。")
    deleted_at = serializers.DateTimeField(
        source="pgh_created_at", help_text="这个 slug 消失的时刻（删除或改名所在事务的开始时刻）。"
    )
