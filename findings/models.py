"""What each paper argues (problems, principles, recommendations…) and the figures it cites."""

from django.db import models
from django.db.models import OuterRef

from mechanisms.models import Mechanism
from records.jsonagg import json_list
from records.links import slug_url
from records.models import CitedRecord
from records.querysets import CitedRecordQuerySet, refs
from regions.models import Region
from sources.models import Source


class FindingQuerySet(CitedRecordQuerySet):
    def with_related(self):
        """Everything a finding's page or API record shows: its paper and parent joined, ``regions_list``,
        ``addresses_list``, ``addressed_by_list`` and ``citations_list``."""
        pk = OuterRef("pk")
        return (
            self.with_citations()
            .select_related("source", "parent")
            .annotate(
                regions_list=json_list(Region.objects.filter(findings=pk).order_by("pk"), slug="slug", name="name"),
                addresses_list=refs(Finding.objects.filter(addressed_by=pk).order_by("pk"), "title"),
                addressed_by_list=refs(Finding.objects.filter(addresses=pk).order_by("pk"), "title"),
            )
        )


    def with_responses(self):
        """What the side-by-side page shows of a finding: its own short fields, ``addresses_list`` and
        ``addressed_by_list``; no citations or joined records, which that page never shows and
        which were most of its render time (three model instances and a JSON list per finding)."""
        pk = OuterRef("pk")
        return self.only("slug", "title", "kind", "dimension", "order", "source_id").annotate(
            addresses_list=refs(Finding.objects.filter(addressed_by=pk).order_by("pk"), "title"),
            addressed_by_list=refs(Finding.objects.filter(addresses=pk).order_by("pk"), "title"),
        )


class FigureQuerySet(CitedRecordQuerySet):
    def with_related(self):
        """A figure with its citations, and the region and mechanism it counts joined."""
        return self.with_citations().select_related("region", "mechanism")

    def for_table(self):
        """What a table row of figures shows: value, unit, what it counts, year and its region's name."""
        return self.select_related("region").only(
            "slug", "value", "qualifier", "unit", "counts", "year", "region__slug", "region__name"
        )


class Finding(CitedRecord):
    class Kind(models.TextChoices):
        PROBLEM = "problem", "问题"
        PRINCIPLE = "principle", "原则"
        RELATIONSHIP = "relationship", "关系"
        RECOMMENDATION = "recommendation", "对策建议"
        FEATURE = "feature", "特征"
        SIGNIFICANCE = "significance", "意义"

    class Dimension(models.TextChoices):
        # Paper 1 section 二 reads its problems, and section 三 its recommendations, on three levels.
        INSTITUTIONAL = "institutional", "制度性"
        STRUCTURAL = "structural", "结构性"
        TECHNICAL = "technical", "技术性"

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="findings", verbose_name="论文")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    dimension = models.CharField("维度", max_length=16, choices=Dimension.choices, blank=True)
    order = models.PositiveSmallIntegerField("序号", default=0)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="上级条目"
    )
    title = models.CharField("标题", max_length=200)
    text = models.TextField("内容", blank=True)
    regions = models.ManyToManyField(Region, related_name="findings", blank=True, verbose_name="区域")
    # Neither paper pairs each recommendation with the problems it answers; where the quotes do not
    # name them, this says how the links were chosen (issue 12: a statement is quoted or sourced).
    addresses_note = models.TextField(
        "对应说明", blank=True, help_text="所回应的问题不见于引文时，说明对应关系从何而来（如本库据论文层面划分所拟）。"
    )
    addresses = models.ManyToManyField(
        "self", symmetrical=False, related_name="addressed_by", blank=True, verbose_name="回应的问题"
    )

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["source", "kind", "order", "pk"]
        verbose_name = verbose_name_plural = "论点"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("findings:finding", self.slug)


class Figure(CitedRecord):
    class Qualifier(models.TextChoices):
        EXACT = "", "确数"
        OVER = "over", "超过/余"
        ABOUT = "about", "约"

    value = models.DecimalField("数值", max_digits=14, decimal_places=2)
    qualifier = models.CharField("限定", max_length=8, choices=Qualifier.choices, blank=True)
    unit = models.CharField("单位", max_length=20)
    counts = models.CharField("统计对象", max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="figures", verbose_name="区域"
    )
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    mechanism = models.ForeignKey(
        Mechanism, on_delete=models.SET_NULL, null=True, blank=True, related_name="figures", verbose_name="相关机制"
    )

    objects = FigureQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = verbose_name_plural = "数据"

    def __str__(self):
        return f"{self.value_display}{self.unit} {self.counts}"

    def get_absolute_url(self):
        return slug_url("findings:figure", self.slug)

    @property
    def value_display(self) -> str:
        number = self.value.normalize()
        text = f"{number:f}"
        if self.qualifier == self.Qualifier.OVER:
            return f"{text}余"
        if self.qualifier == self.Qualifier.ABOUT:
            return f"约{text}"
        return text
