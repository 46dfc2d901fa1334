"""The one entry point the rest of the portal uses to search records.

``search_queryset(queryset, text)`` returns the records of ``queryset`` that match ``text``, best
first. It is what the API's ``?search=`` filter and the pages call. It segments the text with
jieba (search/text.py), asks the vendor's backend (search/backends.py) for the best
``RESULT_CAP`` matches among the queryset's records, and returns a queryset of those records in
that order, so callers may still paginate, count, re-order (``ordering``) or filter it.

Counting rule: at most ``RESULT_CAP`` (1,000) records are returned, so ``count()`` is exact below
1,000 and means "at least 1,000" when it equals 1,000.

Safe for any input: text that yields no word (empty, punctuation, stopwords only) matches nothing
rather than everything, and no input reaches a query parser as syntax.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

from .backends import RESULT_CAP, Filters, backend
from .text import query_plan

MAX_QUERY_LENGTH = 200

# Models without a search document (sources) keep the plain substring match.
SUBSTRING_FIELDS = {
    "sources.source": ["title", "container"],
}


def _indexed_labels() -> set[str]:
    from .documents import indexed_models

    return {m._meta.label_lower for m in indexed_models()}


def search_hits(text: str, filters: Filters | None = None, limit: int = RESULT_CAP):
    """The backend's hits for a text: [(doc id, content type id, object id, score)], best first."""
    plan = query_plan((text or "")[: MAX_QUERY_LENGTH * 5])
    if not plan:
        return []
    return backend().search(plan, filters, limit)


def search_queryset(queryset, text: str):
    text = (text or "").strip()
    if not text:
        return queryset
    model = queryset.model
    label = model._meta.label_lower
    if label not in _indexed_labels():
        fields = SUBSTRING_FIELDS.get(label, [])
        condition = Q(pk__in=[])
        for name in fields:
            condition |= Q(**{f"{name}__icontains": text})
        return queryset.filter(pk__in=model.objects.filter(condition).values("pk"))

    content_type = ContentType.objects.get_for_model(model)
    filters = Filters(content_type_ids=[content_type.pk])
    if queryset.query.where:
        # Rank within the caller's filtered records, not among all records then filter.
        sub = queryset.order_by().values("pk").query.sql_with_params()
        filters.object_ids_sql = sub
    hits = search_hits(text, filters)
    if not hits:
        return queryset.none()
    ids = [hit.object_id for hit in hits]
    return queryset.filter(pk__in=ids).order_by(_position(model, ids), "pk")


def _position(model, ids: list[int]):
    """An expression ordering rows as ``ids`` lists them."""
    if connection.vendor == "postgresql":
        column = f'{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(model._meta.pk.column)}'
        return RawSQL(f"array_position(%s::bigint[], {column})", (ids,), output_field=IntegerField()).asc()
    return Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)], output_field=IntegerField()).asc()
