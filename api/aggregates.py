"""Related records gathered inside the page query, as JSON arrays.

Prefetching nine relations for a page of agreements costs nine more queries and, worse, the
Python work of building thousands of model instances (profiled: two thirds of a 20-row list).
Each relation here is one correlated subquery in the SELECT list instead, so the database hands
back plain lists and a page costs the same few queries at any size, on PostgreSQL and SQLite.
"""

from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef

from records.jsonagg import json_list
from regions.models import StageIndex
from sources.models import Citation, Source


def citations_of(model):
    """A record's citations as ``{source, cites, locator, quote}``, source ids resolved per request.

    Ids, not the sources' citation lines: a page repeats the same few sources in every record,
    and carrying their text in each row cost more than one query for the sources (measured).
    """
    content_type = ContentType.objects.get_for_model(model)
    return json_list(
        Citation.objects.filter(content_type=content_type, object_id=OuterRef("pk")).order_by("order", "pk"),
        source="source_id",
        cites="cites_id",
        locator="locator",
        quote="quote",
    )


class RequestLookups:
    """Small whole tables a response reads many times, loaded at most once per request."""

    @cached_property
    def sources(self) -> dict[int, dict]:
        rows = Source.objects.values_list("id", "slug", "citation")
        return {pk: {"id": pk, "slug": slug, "citation": citation} for pk, slug, citation in rows}

    @cached_property
    def stages(self) -> StageIndex:
        return StageIndex.load()
