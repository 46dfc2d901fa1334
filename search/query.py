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

import json
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, Value, When
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
    if connection.vendor == "postgresql":
        ranked = _in_rank_order_postgresql(queryset, ids)
    else:
        ranked = queryset.filter(pk__in=ids).order_by(
            Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)], output_field=IntegerField()).asc(), "pk"
        )
    return RankedResults.wrap(ranked, ids, unranked=queryset)


class RankedResults:
    """A queryset of search hits that answers a paginator from the ranked ids it already holds.

    The search has already counted and ordered the hits, so ``count()`` needs no query and a
    page slice fetches just that page's rows by id (measured at 100,000 records: the count and
    page queries over a thousand ids cost ~10 ms; this costs one query for twenty ids). Anything
    chained after it (filter, order_by, …) is an ordinary queryset again, ordered in SQL.
    """

    _ranked_ids: list[int] | None = None
    _unranked = None

    @classmethod
    def wrap(cls, queryset, ids: list[int], unranked):
        queryset.__class__ = _ranked_class(type(queryset))
        queryset._ranked_ids, queryset._unranked = ids, unranked
        return queryset

    def _chain(self):
        clone = super()._chain()
        clone._ranked_ids = None
        return clone

    def count(self):
        if self._ranked_ids is not None and self._result_cache is None:
            return len(self._ranked_ids)
        return super().count()

    def __getitem__(self, key):
        if self._ranked_ids is None or not isinstance(key, slice) or key.step not in (None, 1):
            return super().__getitem__(key)
        ids = self._ranked_ids[key]
        # The caller's queryset (its filters and annotations) narrowed to the page's ids.
        rows = {row.pk: row for row in self._unranked.filter(pk__in=ids)} if ids else {}
        return [rows[pk] for pk in ids if pk in rows]


@lru_cache(maxsize=None)
def _ranked_class(queryset_class):
    return type(f"Ranked{queryset_class.__name__}", (RankedResults, queryset_class), {})


class _AnyOf(Func):
    """``pk = ANY(ids::bigint[])`` under whatever alias the query gives the table.

    A raw ``"agreements_agreement"."id" = ANY(…)`` kept the table's own name inside a subquery
    (the list pages' facets count ``pk__in=<these results>.values("pk")``, where Django calls the
    table V0), so it pointed at the outer row: PostgreSQL ran the subquery once per agreement,
    10,026 times, 100 ms per facet under the load test's data (issue 14, "Load and scale").
    """

    template = "%(expressions)s::bigint[])"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def _in_rank_order_postgresql(queryset, ids: list[int]):
    """The rows whose ids are listed, in the list's order, for up to RESULT_CAP ids.

    The ids travel as one array parameter (not a thousand IN placeholders to compile), and each
    row finds its position in a jsonb object keyed by id, a binary search, where array_position
    would scan the array once per row: a thousand rows made that a million comparisons (~10 ms).
    """
    model = queryset.model
    column = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(model._meta.pk.column)}"
    positions = json.dumps({str(pk): i for i, pk in enumerate(ids)})
    listed = _AnyOf(F("pk"), Value(ids))
    position = RawSQL(f"(%s::jsonb ->> {column}::text)::int", (positions,), output_field=IntegerField())
    return queryset.filter(listed).order_by(position.asc(), "pk")
