"""Where cooperation happens: jurisdictions, the cooperation regions they form, and a region's stages."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from records.dates import PartialDate
from records.links import slug_url
from records.models import CitedRecord
from records.querysets import CitedRecordQuerySet


class JurisdictionQuerySet(CitedRecordQuerySet):
    def with_related(self):
        """A jurisdiction with its citations, its parent joined and its regions prefetched."""
        return self.with_citations().select_related("parent").prefetch_related("regions")


# Lazy: a list page shows it in the reader's language; the API always answers in Chinese.
DIVISION_CODE_VALIDATOR = RegexValidator(r"^[0-9]{6}\Z", gettext_lazy("行政区划代码须为六位数字（GB/T 2260），如 110112。"))


class Jurisdiction(CitedRecord):
    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        MUNICIPALITY = "municipality", "直辖市"
        SAR = "sar", "特别行政区"
        PREFECTURE = "prefecture", "地级市"
        COUNTY = "county", "县/县级市"
        DISTRICT = "district", "市辖区"
        NEW_AREA = "new_area", "新区"

    name = models.CharField("名称", max_length=60, unique=True)
    short_name = models.CharField("简称", max_length=20, blank=True)
    aliases = models.JSONField("别称", default=list, blank=True)
    level = models.CharField("级别", max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级"
    )

    # The papers never say 荣昌 is in 重庆, nor that 上海 is 上海市: where one of these statements is
    # not in the record's quotes, the outside source it comes from is named here, field by field,
    # e.g. {"parent": "GB/T 2260"} (dataset/provenance.py refuses an unsourced one; issue 12).
    outside_sources = models.JSONField(
        "外部来源",
        default=dict,
        blank=True,
        help_text='不见于论文的陈述及其外部来源，逐字段写明，如 {"parent": "GB/T 2260"}。',
    )

    # GB/T 2260 codes are six digits: two for the province-level division, two for the
    # prefecture, two for the county or district (110112 通州区 sits in 11 北京市).
    division_code = models.CharField(
        "行政区划代码",
        max_length=6,
        blank=True,
        validators=[DIVISION_CODE_VALIDATOR],
        help_text="GB/T 2260 六位行政区划代码；不属于此类行政区划的留空。",
    )
    # The code is not in the papers; it is curated from the standard, and this says so record by record.
    division_code_source = models.CharField(
        "代码来源", max_length=120, blank=True, help_text="行政区划代码所据的标准，如「GB/T 2260」。"
    )

    # Linked data (issue 13): the JSON-LD gives it as sameAs. Like the code, not from the papers.
    wikidata = models.CharField(
        "Wikidata 条目",
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*\Z", "Wikidata 条目须形如 Q956。")],
        help_text="同一辖区的 Wikidata 条目（如 Q956 北京市）；不确知的留空。",
    )

    # The statements outside_sources may vouch for (the code has its own division_code_source).
    OUTSIDE_FIELDS = ("name", "short_name", "level", "parent")

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = verbose_name_plural = "辖区"

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not isinstance(self.outside_sources, dict) or not all(
            key in self.OUTSIDE_FIELDS and isinstance(value, str) and value.strip()
            for key, value in self.outside_sources.items()
        ):
            raise ValidationError({
                "outside_sources": f"须为 {{字段: 来源}}，字段限于 {', '.join(self.OUTSIDE_FIELDS)}，来源不能为空。"
            })
        if self.division_code and not self.division_code_source:
            raise ValidationError({"division_code_source": "有行政区划代码时须写明其来源标准（如 GB/T 2260）。"})
        parent = self.parent if self.parent_id else None
        if self.division_code and parent is not None and parent.division_code:
            if self.division_code[:2] != parent.division_code[:2]:
                raise ValidationError({
                    "division_code": (
                        f"代码 {self.division_code} 的省级前缀 {self.division_code[:2]} 与上级"
                        f"「{parent.name}」的代码 {parent.division_code} 不符。"
                    )
                })

    def get_absolute_url(self):
        return slug_url("regions:jurisdiction", self.slug)


# How many agreements a region's column on the comparison page lists, in date order. The largest
# curated region (京津冀, sub-regions included) has 16, so every curated region shows all of its
# own; a region with more says how many it shows and links to its full list. With 10,000 agreements
# in all, six columns listing every one made the page 1.2 MB and 0.4 s to build.
COMPARE_AGREEMENTS = 30


class RegionQuerySet(CitedRecordQuerySet):
    def with_related(self):
        """A region with its citations, its parent joined, and its sub-regions, members and stages prefetched."""
        return self.with_citations().select_related("parent").prefetch_related("children", "members", "stages")

    def stage_index(self) -> "StageIndex":
        """Every region's stages and parent: what deriving any record's stage needs, in one query."""
        return StageIndex.load()

    def with_descendants(self, region: "Region | str") -> list[int]:
        """Ids of a region and every region inside it: a filter on 京津冀 includes 通武廊 (a region includes its sub-regions)."""
        slug = region.slug if isinstance(region, Region) else region
        rows = list(Region.objects.values_list("id", "slug", "parent_id"))
        children: dict[int | None, list[int]] = {}
        root = None
        for pk, row_slug, parent_id in rows:
            children.setdefault(parent_id, []).append(pk)
            if row_slug == slug:
                root = pk
        if root is None:
            return []
        found, queue = [], [root]
        while queue:
            pk = queue.pop()
            if pk in found:  # guards against a cycle typed in the admin
                continue
            found.append(pk)
            queue.extend(children.get(pk, []))
        return found


    def tree(self) -> list["Region"]:
        """The queryset's regions in tree order (each region followed by its sub-regions), in one query
        (plus the queryset's prefetches); parents are set from the same rows.

        Each carries ``depth`` (0 for a region with no parent) and ``descendant_ids`` (its own id
        and those of every region inside it): the timeline's lanes, the matrix's rows and the
        per-region counts, which include sub-regions as ``?region=`` does, are read from it.
        """
        regions = list(self.order_by("pk"))
        by_pk = {region.pk: region for region in regions}
        children: dict[int | None, list[Region]] = {}
        known = {region.pk for region in regions}
        for region in regions:
            # A parent outside the table cannot happen (PROTECT); a cycle typed in the admin leaves its regions rootless.
            parent = region.parent_id if region.parent_id in known else None
            children.setdefault(parent, []).append(region)
            if parent is not None:
                region.parent = by_pk[parent]  # the parent row is at hand: no query to reach it
        ordered: list[Region] = []

        def visit(region: Region, depth: int, path: frozenset) -> list[int]:
            region.depth = depth
            ordered.append(region)
            ids = [region.pk]
            for child in children.get(region.pk, []):
                if child.pk not in path:
                    ids += visit(child, depth + 1, path | {child.pk})
            region.descendant_ids = ids
            return ids

        for root in children.get(None, []):
            visit(root, 0, frozenset({root.pk}))
        return ordered

    def for_comparison(self, slugs: list[str]) -> list["Region"]:
        """The regions named by ``slugs``, in that order, with what the comparison page sets side by side.

        Each has ``depth``, ``descendant_ids``, its ``members``, ``children`` and ``stages``
        prefetched, ``agreement_count``, ``mechanism_count``, ``event_count`` (sub-regions
        included, as ``?region=`` counts), ``mechanisms_by_category`` ({category: count}),
        ``agreements_by_year`` ({year or None: count}) and ``dated_agreements``: its first
        ``COMPARE_AGREEMENTS`` agreements in date order (``agreement_count`` says how many it has).
        A constant number of queries, whatever the number of records or of regions.
        """
        from django.db.models import Prefetch

        tree = {
            region.slug: region
            for region in self.prefetch_related(
                Prefetch("members", queryset=Jurisdiction.objects.order_by("pk")),
                Prefetch("children", queryset=Region.objects.order_by("pk")),
                Prefetch("stages", queryset=Stage.objects.order_by("order", "pk")),
            ).tree()
        }
        chosen = [tree[slug] for slug in slugs if slug in tree]
        agreement = Region._meta.get_field("agreements").related_model
        mechanism = Region._meta.get_field("mechanisms").related_model
        event = Region._meta.get_field("events").related_model
        by_year = agreement.objects.year_region_counts(chosen)
        by_category = mechanism.objects.category_region_counts(chosen)
        events = event.objects.counts_by_region(chosen, "date_year")
        dated = agreement.objects.only(
            "slug", "title", "untitled", "date_year", "date_month", "date_day", "date_before"
        ).first_by_date(chosen, COMPARE_AGREEMENTS)
        result = []
        for region in chosen:
            full = region
            full.agreements_by_year = {year: n for (pk, year), n in by_year.items() if pk == region.pk}
            full.mechanisms_by_category = {cat: n for (pk, cat), n in by_category.items() if pk == region.pk}
            full.agreement_count = sum(full.agreements_by_year.values())
            full.mechanism_count = sum(full.mechanisms_by_category.values())
            full.event_count = sum(n for (pk, _), n in events.items() if pk == region.pk)
            full.dated_agreements = dated[region.pk]
            result.append(full)
        return result


class Region(CitedRecord):
    class Kind(models.TextChoices):
        LARGE = "large", "大区域"
        SMALL_CROSS_BORDER = "small_cross_border", "跨界小区域"
        CROSS_JURISDICTION = "cross_jurisdiction", "跨辖区协作区"

    name = models.CharField("名称", max_length=60, unique=True)
    full_name = models.CharField("全称", max_length=120, blank=True)
    aliases = models.JSONField("别称", default=list, blank=True)
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name="所在区域"
    )
    members = models.ManyToManyField(Jurisdiction, related_name="regions", blank=True, verbose_name="成员辖区")
    members_note = models.TextField("成员说明", blank=True)
    description = models.TextField("简介", blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = verbose_name_plural = "协作区域"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("regions:detail", self.slug)

    def lineage(self) -> list["Region"]:
        """This region, then the regions it sits inside, nearest first (uses loaded parents)."""
        chain, seen, node = [], set(), self
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain


class StageQuerySet(CitedRecordQuerySet):
    def with_related(self):
        """A stage with its citations and its region joined."""
        return self.with_citations().select_related("region")


class Stage(CitedRecord):
    """A development stage of a region; paper 1 gives 京津冀's three stages and the period before them."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="stages", verbose_name="区域")
    name = models.CharField("名称", max_length=60)
    name_en = models.CharField("英文名称", max_length=120, blank=True)
    start_year = models.PositiveSmallIntegerField("起始年", null=True, blank=True, help_text="留空表示起点不详")
    end_year = models.PositiveSmallIntegerField("结束年", null=True, blank=True, help_text="留空表示「至今」")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    summary = models.TextField("概述", blank=True)

    objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ["region", "order", "pk"]
        verbose_name = verbose_name_plural = "发展阶段"
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__isnull=True) | Q(end_year__isnull=True) | Q(start_year__lte=models.F("end_year")),
                name="stage_start_not_after_end",
            )
        ]

    def __str__(self):
        return f"{self.region.name}·{self.name}"

    def get_absolute_url(self):
        return slug_url("regions:stage", self.slug)

    @property
    def period_display(self) -> str:
        if self.start_year is None and self.end_year is not None:
            return f"{self.end_year + 1}年之前"
        start = f"{self.start_year}" if self.start_year else "？"
        end = f"{self.end_year}年" if self.end_year else "至今"
        return f"{start}—{end}"

    def contains(self, date: PartialDate) -> bool:
        if date.year is not None:
            return (self.start_year is None or self.start_year <= date.year) and (
                self.end_year is None or date.year <= self.end_year
            )
        if date.before is not None:
            return self.start_year is None and self.end_year is not None and self.end_year >= date.before - 1
        return False


class StageIndex:
    """Each region's stages and the region it sits in: enough to derive any record's stage.

    The rule (paper 1 section 一 gives 京津冀's stages): search the record's regions nearest
    first, then the regions they sit in (通武廊 before 京津冀), and take the first stage that
    certainly contains the date.
    """

    def __init__(self, parents: dict[int, int | None], stages: dict[int, list["Stage"]]):
        self.parents, self.stages = parents, stages

    @classmethod
    def load(cls) -> "StageIndex":
        """The whole index in one small query (regions joined to their stages), for a response that derives many stages."""
        rows = Region.objects.order_by("pk", "stages__order", "stages__pk").values_list(
            "pk", "parent_id", "stages__pk", "stages__slug", "stages__name", "stages__start_year", "stages__end_year"
        )
        parents, stages = {}, {}
        for region_id, parent_id, stage_id, slug, name, start_year, end_year in rows:
            parents[region_id] = parent_id
            found = stages.setdefault(region_id, [])
            if stage_id is not None:
                found.append(
                    Stage(pk=stage_id, region_id=region_id, slug=slug, name=name, start_year=start_year, end_year=end_year)
                )
        return cls(parents, stages)

    @classmethod
    def from_regions(cls, regions) -> "StageIndex":
        """From region objects whose ``stages`` and ``parent__stages`` are prefetched: no queries."""
        parents, stages = {}, {}
        for region in regions:
            for node in region.lineage():
                parents[node.pk] = node.parent_id
                stages[node.pk] = list(node.stages.all())
        return cls(parents, stages)

    def stage_for(self, region_ids, date: PartialDate) -> "Stage | None":
        for region_id in region_ids:
            seen = set()
            while region_id is not None and region_id not in seen:
                seen.add(region_id)
                for stage in self.stages.get(region_id, []):
                    if stage.contains(date):
                        return stage
                region_id = self.parents.get(region_id)
        return None


def stage_for(regions, date: PartialDate) -> Stage | None:
    """The stage a dated record falls in, derived from its regions and date, never typed by hand.

    Uses stages already loaded on the regions, so a list of records with prefetched
    ``regions__stages`` and ``regions__parent__stages`` costs no extra queries.
    """
    regions = list(regions)
    return StageIndex.from_regions(regions).stage_for([r.pk for r in regions], date)
