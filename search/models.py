"""One search document per searchable record, kept current by signals (search/signals.py).

The segmented, weighted text lives here rather than on each record's table: one narrow table
serves cross-type search, facets and every list endpoint's ``?search=``, and its vendor-specific
index (PostgreSQL tsvector + GIN, SQLite FTS5) is defined once, in this app's migrations.

Columns ``terms_a``/``terms_b``/``terms_c`` hold space-separated jieba words (each once) for the
three weights: A titles and aliases, B summaries and descriptions, C citation quotes and labels.
On PostgreSQL a stored generated column ``vector`` and a smaller ``title_vector`` are computed from
them (migration 0002); on SQLite an external-content FTS5 table ``search_fts`` mirrors them through
triggers (migration 0003).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", "协议与文件"
        MECHANISM = "mechanism", "协作机制"
        EVENT = "event", "大事记"
        REGION = "region", "协作区域"
        JURISDICTION = "jurisdiction", "辖区"
        STAGE = "stage", "发展阶段"
        FINDING = "finding", "论点"
        FIGURE = "figure", "数据"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    slug = models.CharField(max_length=120)
    title = models.CharField(max_length=300)
    # The record's readable text (aliases, summary, quotes), for snippets; never scanned by queries.
    body = models.TextField(blank=True)
    terms_a = models.TextField(blank=True)
    terms_b = models.TextField(blank=True)
    terms_c = models.TextField(blank=True)
    # Facets: the record's own regions, its derived development stage, its year.
    regions = models.ManyToManyField("regions.Region", related_name="+", blank=True)
    stage = models.ForeignKey("regions.Stage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="search_document_one_per_record")
        ]
        indexes = [models.Index(fields=["kind"], name="search_doc_kind")]

    def __str__(self):
        return f"{self.kind}:{self.slug}"
