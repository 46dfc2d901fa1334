"""Related records gathered inside the page query, as JSON arrays.

Prefetching nine relations for a page of agreements costs nine more queries and, worse, the
Python work of building thousands of model instances (profiled: two thirds of a 20-row list).
Each relation here is one correlated subquery in the SELECT list instead, so the database hands
back plain lists and a page costs the same few queries at any size, on PostgreSQL and SQLite.
"""

from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Func, JSONField, OuterRef, Subquery

from regions.models import StageIndex
from sources.models import Citation, Source


class JSONArraySubquery(Subquery):
    """The rows of a subquery that selects one JSON object per row (as ``item``), as one JSON array."""

    output_field = JSONField()
    # JSONB_AGG keeps the order of a sorted subquery; COALESCE turns "no rows" into [].
    template = "COALESCE((SELECT JSONB_AGG(_rows.item) FROM (%(subquery)s) _rows), '[]'::jsonb)"

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "COALESCE((SELECT JSON_GROUP_ARRAY(JSON(_rows.item)) FROM (%(subquery)s) _rows), '[]')"
        return self.as_sql(compiler, connection, template=template, **extra_context)


class JSONRow(Func):
    """``{key: column}`` for fixed keys: JSONB_BUILD_OBJECT on PostgreSQL, JSON_OBJECT on SQLite.

    Django's JSONObject casts every key for server-side binding; our keys are fixed identifiers
    written into the SQL, which keeps compiling a page's dozen subqueries cheap.
    """

    function = "JSONB_BUILD_OBJECT"
    output_field = JSONField()

    def __init__(self, **fields):
        if not all(key.isidentifier() and key.isascii() for key in fields):
            raise ValueError("JSONRow keys must be ASCII identifiers")
        self.keys = list(fields)
        super().__init__(*(F(column) for column in fields.values()))

    def as_sql(self, compiler, connection, function=None, **extra_context):
        parts, params = [], []
        for key, expression in zip(self.keys, self.get_source_expressions()):
            sql, expression_params = compiler.compile(expression)
            parts.append(f"'{key}', {sql}")
            params.extend(expression_params)
        return f"{function or self.function}({', '.join(parts)})", params

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_OBJECT", **extra_context)


def json_list(queryset, **fields):
    """``queryset``'s rows as a list of ``{field: value}`` objects, in the queryset's order."""
    return JSONArraySubquery(queryset.values(item=JSONRow(**fields)))


def refs(queryset, *names):
    """A related list written as ``{id, slug, <names>}`` objects (the id finds regions' stages)."""
    return json_list(queryset, id="id", slug="slug", **{name: name for name in names})


def citations_of(model):
    """A record's citations as ``{source, cites, locator, quote}``, source ids resolved per request."""
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
        return {s.pk: {"id": s.pk, "slug": s.slug, "citation": s.citation} for s in Source.objects.all()}

    @cached_property
    def stages(self) -> StageIndex:
        return StageIndex.load()
