"""Agreements: the agreements, opinions, charters, memoranda and plans the papers name."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef

from records.dates import PartialDateModel
from records.jsonagg import json_list
from records.links import slug_url
from records.models import CitedRecord
from records.querysets import RegionalRecordQuerySet, refs
from regions.models import Jurisdiction, Region, stage_for


class AgreementQuerySet(RegionalRecordQuerySet):
    def with_related(self):
        """Everything an agreement's page or API record shows, in the page query (plus one read of sources and stages).

        ``aliases_list``, ``regions_list``, ``signatories_list``, ``establishes_list``,
        ``implements_list``, ``implemented_by_list``, ``events_list``, ``citations_list`` and
        ``derived_stage``. Mechanisms and events are reached through their relations: those apps
        build on this one.
        """
        pk = OuterRef("pk")
        mechanism = Agreement._meta.get_field("establishes").related_model
        event = Agreement._meta.get_field("events").related_model
        return self.with_citations().with_stage().annotate(
            aliases_list=json_list(AgreementAlias.objects.filter(agreement=pk).order_by("pk"), name="name"),
            signatories_list=refs(Jurisdiction.objects.filter(agreements_signed=pk).order_by("pk"), "name"),
            establishes_list=refs(mechanism.objects.filter(established_by=pk).order_by("pk"), "name"),
            implements_list=refs(Agreement.objects.filter(implemented_by=pk).order_by("pk"), "title"),
            implemented_by_list=refs(Agreement.objects.filter(implements=pk).order_by("pk"), "title"),
            events_list=refs(event.objects.filter(agreements=pk).order_by_date(), "title"),
        )

    def for_timeline(self):
        """What a timeline mark shows: title, kind, date, ``regions_list`` and ``derived_stage``; no long texts."""
        return self.with_stage().defer("summary", "signatories_text")

    def year_region_counts(self, regions) -> dict[tuple[int, int | None], int]:
        """{(region id, year): agreements} for each region, sub-regions included (see ``counts_by_region``).

        Year None gathers the agreements with no exact year: a 「2014年之前」 bound or no date.
        """
        return self.counts_by_region(regions, "date_year")

    def for_network(self):
        """Agreements as network nodes: title, ``regions_list``; nothing a node does not show."""
        return self.with_regions().only("id", "slug", "title", "untitled")

    def named(self, text: str):
        """The agreement a paper means by this title or alias, 《》 or not."""
        text = text.strip().strip("《》")
        return self.filter(models.Q(title=text) | models.Q(aliases__name=text)).distinct()


class Agreement(PartialDateModel, CitedRecord):
    class Kind(models.TextChoices):
        FRAMEWORK = "framework", "框架协议"
        COOPERATION = "cooperation", "合作协议"
        WORK_AGREEMENT = "work_agreement", "工作协议"
        SPECIAL = "special", "专项协议"
        OPINION = "opinion", "意见"
        IMPLEMENTING_OPINION = "implementing_opinion", "实施意见"
        IMPLEMENTATION_PLAN = "implementation_plan", "实施方案"
        CHARTER = "charter", "章程"
        MEMORANDUM = "memorandum", "备忘录"
        ACTION_PLAN = "action_plan", "行动方案"
        MECHANISM_DOCUMENT = "mechanism_document", "机制文件"
        PLAN = "plan", "规划纲要"
        # 「2024 年京津冀协同发展报告」 (paper 1, 三、) reports; it plans nothing (issue 12).
        REPORT = "report", "报告"

    title = models.CharField("标题", max_length=200, unique=True)
    untitled = models.BooleanField(
        "无正式标题", default=False, help_text="论文未给出标题时勾选；此时标题是本库的描述性称呼。"
    )
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    signatories = models.ManyToManyField(Jurisdiction, related_name="agreements_signed", blank=True, verbose_name="签署方辖区")
    signatories_text = models.CharField("签署方（原文）", max_length=200, blank=True)
    # The provenance rule (dataset/provenance.py) wants each signatory named in the record's quotes;
    # where the paper's words name a part (「天津市五区县」) or point back (「三地」), this says why.
    signatories_note = models.TextField(
        "签署方说明",
        blank=True,
        help_text="签署方与引文所列辖区不一致时的说明，如「天津市五区县」未列名称，故不记天津市。",
    )
    regions = models.ManyToManyField(Region, related_name="agreements", blank=True, verbose_name="区域")
    summary = models.TextField("摘要", blank=True)
    implements = models.ManyToManyField(
        "self", symmetrical=False, related_name="implemented_by", blank=True, verbose_name="贯彻落实的文件"
    )

    objects = AgreementQuerySet.as_manager()

    class Meta(PartialDateModel.Meta):
        ordering = ["pk"]
        verbose_name = verbose_name_plural = "协议与文件"

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return f"〔{self.title}〕" if self.untitled else f"《{self.title}》"

    def get_absolute_url(self):
        return slug_url("agreements:detail", self.slug)

    @property
    def stage(self):
        return stage_for(self.regions.all(), self.date)


class AgreementAlias(models.Model):
    """Another name a paper uses for an agreement, short names such as 《框架协议》 included.

    An alias names one agreement only, so it is unique across aliases and may not be another
    agreement's title: otherwise a search for it could not say which agreement is meant.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField("别称", max_length=200, unique=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = verbose_name_plural = "协议别称"

    def __str__(self):
        return self.name

    def clean(self):
        self.name = self.name.strip().strip("《》")
        clash = Agreement.objects.filter(title=self.name).exclude(pk=self.agreement_id).first()
        if clash:
            raise ValidationError({"name": f"「{self.name}」已是另一份文件《{clash.title}》的标题。"})
