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


class FormerSlug(models.Model):
    """A slug a record used to have: its old permalink answers 301 to the new one (issue 10, "Permalinks").

    Written whenever a record's slug changes (records/apps.py); a slug that is taken back by a
    record of the same kind stops redirecting.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    slug = models.SlugField("旧 slug", max_length=120)
    object_id = models.PositiveBigIntegerField()
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_type", "slug"], name="former_slug_unique")]
        verbose_name = verbose_name_plural = "旧 slug"

    def __str__(self):
        return self.slug


def remember_former_slug(sender, instance, raw=False, **kwargs):
    """pre_save: when a saved record's slug changes, keep the old one pointing at the record."""
    if raw or instance.pk is None or not (isinstance(instance, CitedRecord) or getattr(sender, "keeps_former_slugs", False)):
        return
    from django.contrib.contenttypes.models import ContentType

    old = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old is None or old == instance.slug:
        return
    content_type = ContentType.objects.get_for_model(sender)
    FormerSlug.objects.filter(content_type=content_type, slug=instance.slug).delete()
    FormerSlug.objects.update_or_create(content_type=content_type, slug=old, defaults={"object_id": instance.pk})
