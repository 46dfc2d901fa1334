"""The base every knowledge-base record shares.

Citations live in the ``sources`` app; the relation names it by label, so this app imports no other.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models


class CitedRecord(models.Model):
    """What every knowledge-base record shares: a stable slug, citations, and when it last changed."""

    slug = models.SlugField(max_length=120, unique=True)
    citations = GenericRelation("sources.Citation")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class DatasetRevision(models.Model):
    """One row: a counter that every write to the dataset's tables moves on, and when it last moved.

    Database triggers move it (records/revision.py), so a write through the ORM, the admin, the
    loader, ``QuerySet.update``, ``bulk_create`` or raw SQL all count. Responses are keyed by it:
    a new revision makes every cached response and every ETag out of date at once.
    """

    number = models.BigIntegerField("修订号", default=0)
    changed_at = models.DateTimeField("修改时间")

    class Meta:
        verbose_name = verbose_name_plural = "数据集修订号"

    def __str__(self):
        return f"r{self.number}"
