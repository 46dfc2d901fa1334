"""Sources and citations: everything a record says must be traceable to a paper, a section and a quote."""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models

from records.links import slug_url
from records.querysets import CitedRecordQuerySet


def gbt7714(source) -> str:
    """A GB/T 7714-style reference line, which is how both papers list their references."""
    authors = "、".join(source.authors)
    medium = f"[{source.medium}]" if source.medium else ""
    parts = [f"{authors}. " if authors else "", f"{source.title}{medium}. "]
    where = source.container
    if source.year:
        where = f"{where}, {source.year}" if where else str(source.year)
    if source.volume:
        where += f", {source.volume}"
    if source.issue:
        where += f"({source.issue})"
    if source.pages:
        where += f": {source.pages}"
    if where:
        parts.append(f"{where}.")
    if source.published and not source.year:
        parts.append(f"({source.published})")
    return "".join(parts).strip()


class SourceQuerySet(CitedRecordQuerySet):
    def papers(self):
        return self.filter(kind=Source.Kind.PAPER)

    def with_related(self):
        """A source with its citations (a reference-list entry is quoted from its paper) and both sides of its reference lists."""
        return self.with_citations().prefetch_related(
            models.Prefetch("reference_entries", queryset=Reference.objects.select_related("cited")),
            models.Prefetch("cited_entries", queryset=Reference.objects.select_related("citing")),
        )


class Source(models.Model):
    """A work: one of the portal's papers, or a work in a paper's reference list."""

    class Kind(models.TextChoices):
        PAPER = "paper", "论文（本库依据）"
        REFERENCE = "reference", "参考文献"

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    authors = models.JSONField("作者", default=list, blank=True)
    title = models.CharField("题名", max_length=300)
    title_en = models.CharField("英文题名", max_length=300, blank=True)
    container = models.CharField("刊名/出版者", max_length=200, blank=True)
    medium = models.CharField("文献类型标识", max_length=16, blank=True, help_text="J、M、N、EB/OL 等")
    year = models.PositiveSmallIntegerField("年", null=True, blank=True)
    volume = models.CharField("卷", max_length=20, blank=True)
    issue = models.CharField("期", max_length=20, blank=True)
    pages = models.CharField("页码", max_length=40, blank=True)
    published = models.CharField("发布日期", max_length=40, blank=True)
    url = models.URLField("网址", max_length=500, blank=True)
    seed_file = models.CharField("全文文件", max_length=120, blank=True, help_text="论文全文在 PORTAL_SOURCES_DIR 中的文件名")
    note = models.TextField("说明", blank=True)
    references = models.ManyToManyField(
        "self", through="Reference", symmetrical=False, related_name="cited_by", blank=True
    )
    # Derived from the fields above on every save (gbt7714), stored so that a page of records can
    # show its citations' sources without loading and formatting every source per request.
    citation = models.TextField("著录", editable=False, blank=True)
    # A reference-list entry is itself quoted from the paper that lists it.
    citations = GenericRelation("Citation")
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()
    # A source's permalink keeps redirecting when its slug changes (records.models.FormerSlug).
    keeps_former_slugs = True

    class Meta:
        ordering = ["kind", "slug"]
        verbose_name = verbose_name_plural = "文献"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.citation = gbt7714(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "citation"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("sources:detail", self.slug)


class Reference(models.Model):
    """An entry in a paper's reference list: paper 2's [6] is paper 1 itself, so it is a link, not a copy."""

    citing = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="reference_entries")
    cited = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="cited_entries")
    number = models.PositiveSmallIntegerField("序号")

    class Meta:
        ordering = ["citing", "number"]
        constraints = [models.UniqueConstraint(fields=["citing", "number"], name="reference_number_unique")]
        verbose_name = verbose_name_plural = "参考文献条目"

    def __str__(self):
        return f"{self.citing.slug} [{self.number}]"


class Citation(models.Model):
    """Where in a paper a record's statement comes from, with a verbatim quote that a test checks."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="quoted_in", verbose_name="文献")
    locator = models.CharField("位置", max_length=60, help_text="论文中的章节，如「一、(二)」")
    quote = models.TextField("原文摘录")
    cites = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="credited_in",
        null=True,
        blank=True,
        verbose_name="所引文献",
        help_text="论文为这句话标注的参考文献",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = verbose_name_plural = "引用"

    def __str__(self):
        return f"{self.source.slug} {self.locator}: {self.quote[:30]}"
