"""Cooperation mechanisms: joint meetings, command, platforms, campaigns and grouped schemes."""

from django.db import models
from django.db.models import OuterRef

from agreements.models import Agreement
from records.dates import PartialDateModel
from records.links import slug_url
from records.models import CitedRecord
from records.querysets import RegionalRecordQuerySet, refs
from regions.models import Region


class MechanismQuerySet(RegionalRecordQuerySet):
    def with_related(self):
        """Everything a mechanism's page or API record shows: ``regions_list``, ``parent_list`` (its scheme),
        ``parts_list`` (in order), ``events_list``, ``citations_list``, and its agreement joined."""
        pk = OuterRef("pk")
        event = Mechanism._meta.get_field("events").related_model
        return (
            self.with_citations()
            .with_regions()
            .select_related("established_by")
            .annotate(
                # As a list (of at most one): the API writes the scheme in the gathered {name, slug} shape.
                parent_list=refs(Mechanism.objects.filter(parts=pk), "name"),
                parts_list=refs(Mechanism.objects.filter(parent=pk).order_by("order", "pk"), "name"),
                events_list=refs(event.objects.filter(mechanisms=pk).order_by_date(), "title"),
            )
        )

    def with_parts(self):
        """What the by-category page shows of a mechanism: name, date, ``regions_list`` and
        ``parts_list``; not its citations, events or agreement, which that page never shows and
        which were most of its render time (measured)."""
        return (
            self.only("slug", "name", "category", "parent_id", "date_year", "date_month", "date_day", "date_before")
            .with_regions()
            .annotate(parts_list=refs(Mechanism.objects.filter(parent=OuterRef("pk")).order_by("order", "pk"), "name"))
        )

    def category_region_counts(self, regions) -> dict[tuple[int, str], int]:
        """{(region id, category): mechanisms} for each region, sub-regions included (see ``counts_by_region``).

        Each count equals the length of ``/mechanisms/?region=<slug>&category=<category>``.
        """
        return self.counts_by_region(regions, "category")

    def category_counts(self) -> dict[str, int]:
        """{category: mechanisms}, every mechanism counted once, with a region or without."""
        return dict(self.order_by().values_list("category").annotate(n=models.Count("pk")))

    def for_network(self):
        """Mechanisms as network nodes: name, category, ``regions_list`` and the agreement that set them up."""
        return self.with_regions().only("id", "slug", "name", "category", "established_by_id", "parent_id")

    def schemes(self):
        """Grouped schemes: mechanisms that have parts, such as 「八个一体化」 and 「五融」."""
        return self.filter(parts__isnull=False).distinct()


class Mechanism(PartialDateModel, CitedRecord):
    class Category(models.TextChoices):
        JOINT_MEETING = "joint_meeting", "联席会议与会商"
        LEADERSHIP = "leadership", "领导与组织机构"
        COMMAND_DISPATCH = "command_dispatch", "指挥调度"
        INTELLIGENCE_SHARING = "intelligence_sharing", "情报信息共享"
        JOINT_OPERATIONS = "joint_operations", "联合行动与专项打击"
        CASE_COOPERATION = "case_cooperation", "执法办案协作"
        PUBLIC_SECURITY = "public_security", "治安防控"
        EMERGENCY_RESPONSE = "emergency_response", "应急联动"
        EVENT_SECURITY = "event_security", "重大活动安保"
        GOVERNMENT_SERVICES = "government_services", "政务服务"
        TRAINING_EXCHANGE = "training_exchange", "培训与人才交流"
        TECHNOLOGY_DATA = "technology_data", "科技与数据"
        ECOLOGY = "ecology", "生态安全"
        INTEGRATED = "integrated", "综合性（成组方案）"

    name = models.CharField("名称", max_length=120)
    aliases = models.JSONField("别称", default=list, blank=True)
    category = models.CharField("类别", max_length=24, choices=Category.choices)
    regions = models.ManyToManyField(Region, related_name="mechanisms", blank=True, verbose_name="区域")
    established_by = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="establishes",
        verbose_name="依据文件",
    )
    established_by_text = models.CharField("建立主体/场合（原文）", max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="parts", verbose_name="所属方案"
    )
    order = models.PositiveSmallIntegerField("序号", default=0)
    description = models.TextField("说明", blank=True)
    # Some mechanisms are known only from an agreement's title (《关于建立……协作机制的意见》): the
    # paper says nothing of how they work. The record says so, and the loader checks it (issue 12).
    title_only = models.BooleanField(
        "仅见于文件标题", default=False, help_text="论文只在依据文件的标题中提到此机制，未作任何描述。"
    )

    objects = MechanismQuerySet.as_manager()

    class Meta(PartialDateModel.Meta):
        ordering = ["pk"]
        verbose_name = verbose_name_plural = "协作机制"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("mechanisms:detail", self.slug)
