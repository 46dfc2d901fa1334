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
