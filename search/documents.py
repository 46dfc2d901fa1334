"""What each record type puts in its search document, and writing documents.

Weights (issue 4): A = what a record is called (title, name, aliases, short names), B = what it
says (summary, description, text), C = where the papers say it (citation quotes) and its type label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from .models import SearchDocument
from .text import exact_key, index_tokens


@dataclass
class DocumentData:
    kind: str
    slug: str
    title: str
    a: list[str]
    b: list[str] = field(default_factory=list)
    c: list[str] = field(default_factory=list)
    region_ids: list[int] = field(default_factory=list)
    stage_id: int | None = None
    year: int | None = None

    @property
    def body(self) -> str:
        return "\n".join(t for t in [*self.a[1:], *self.b, *self.c] if t)


def _quotes(obj) -> list[str]:
    return [c.quote for c in obj.citations.all()]


def _region_ids(obj) -> list[int]:
    return sorted(r.pk for r in obj.regions.all())


def _stage_id(obj) -> int | None:
    from regions.models import stage_for

    stage = stage_for(obj.regions.all(), obj.date)
    return stage.pk if stage else None


def build(obj) -> DocumentData | None:
    """The search document of one record, or None for a model that is not searched."""
    from agreements.models import Agreement
    from findings.models import Figure, Finding
    from mechanisms.models import Mechanism
    from regions.models import Jurisdiction, Region, Stage
    from timeline.models import Event

    if isinstance(obj, Agreement):
        return DocumentData(
            "agreement", obj.slug, obj.title,
            a=[obj.title, *(a.name for a in obj.aliases.all())],
            b=[obj.summary, obj.signatories_text],
            c=[*_quotes(obj), obj.get_kind_display()],
            region_ids=_region_ids(obj), stage_id=_stage_id(obj), year=obj.date_year,
        )
    if isinstance(obj, Mechanism):
        return DocumentData(
            "mechanism", obj.slug, obj.name,
            a=[obj.name, *obj.aliases],
            b=[obj.description, obj.established_by_text],
            c=[*_quotes(obj), obj.get_category_display()],
            region_ids=_region_ids(obj), stage_id=_stage_id(obj), year=obj.date_year,
        )
    if isinstance(obj, Event):
        return DocumentData(
            "event", obj.slug, obj.title,
            a=[obj.title], b=[obj.description], c=_quotes(obj),
            region_ids=_region_ids(obj), stage_id=_stage_id(obj), year=obj.date_year,
        )
    if isinstance(obj, Region):
        return DocumentData(
            "region", obj.slug, obj.name,
            a=[obj.name, obj.full_name, *obj.aliases],
            b=[obj.description, obj.members_note],
            c=[*_quotes(obj), obj.get_kind_display()],
            region_ids=[obj.pk],
        )
    if isinstance(obj, Jurisdiction):
        return DocumentData(
            "jurisdiction", obj.slug, obj.name,
            a=[obj.name, obj.short_name, *obj.aliases],
            b=[obj.parent.name if obj.parent_id else ""],
            c=[*_quotes(obj), obj.get_level_display()],
            region_ids=sorted(r.pk for r in obj.regions.all()),
        )
    if isinstance(obj, Stage):
        return DocumentData(
            "stage", obj.slug, f"{obj.region.name}·{obj.name}",
            a=[obj.name, obj.region.name],
            b=[obj.summary, obj.name_en],
            c=_quotes(obj),
            region_ids=[obj.region_id], stage_id=obj.pk, year=obj.start_year,
        )
    if isinstance(obj, Finding):
        return DocumentData(
            "finding", obj.slug, obj.title,
            a=[obj.title],
            b=[obj.text],
            c=[*_quotes(obj), obj.get_kind_display(), obj.get_dimension_display() if obj.dimension else ""],
            region_ids=_region_ids(obj),
        )
    if isinstance(obj, Figure):
        return DocumentData(
            "figure", obj.slug, f"{obj.value_display}{obj.unit} {obj.counts}",
            a=[obj.counts],
            b=[f"{obj.value_display}{obj.unit}"],
            c=_quotes(obj),
            region_ids=[obj.region_id] if obj.region_id else [], year=obj.year,
        )
    return None


def indexed_models():
    from agreements.models import Agreement
    from findings.models import Figure, Finding
    from mechanisms.models import Mechanism
    from regions.models import Jurisdiction, Region, Stage
    from timeline.models import Event

    return [Agreement, Mechanism, Event, Region, Jurisdiction, Stage, Finding, Figure]


def prefetched(model):
    """A queryset that builds documents without a query per record."""
    qs = model.objects.prefetch_related("citations")
    names = {f.name for f in model._meta.get_fields()}
    if "aliases" in names and model._meta.model_name == "agreement":
        qs = qs.prefetch_related("aliases")
    if "regions" in names and hasattr(model, "date"):
        qs = qs.prefetch_related("regions__stages", "regions__parent__stages")
    elif "regions" in names:
        qs = qs.prefetch_related("regions")
    if model._meta.model_name in {"stage"}:
        qs = qs.select_related("region")
    if model._meta.model_name == "jurisdiction":
        qs = qs.select_related("parent")
    return qs


def _terms(texts: list[str]) -> str:
    seen: dict[str, None] = {}
    for text in texts:
        for token in index_tokens(text):
            seen.setdefault(token, None)
    return " ".join(seen)


def document_fields(data: DocumentData) -> dict:
    return {
        "kind": data.kind,
        "slug": data.slug,
        "title": data.title[:300],
        "body": data.body,
        "terms_a": " ".join(filter(None, [_terms(data.a), *dict.fromkeys(filter(None, map(exact_key, data.a)))])),
        "terms_b": _terms(data.b),
        "terms_c": _terms(data.c),
        "stage_id": data.stage_id,
        "year": data.year,
    }


def index_record(obj) -> SearchDocument | None:
    """Create or update the search document of one record (called by the signals)."""
    data = build(obj)
    if data is None:
        return None
    content_type = ContentType.objects.get_for_model(obj)
    with transaction.atomic():
        doc, _ = SearchDocument.objects.update_or_create(
            content_type=content_type, object_id=obj.pk, defaults=document_fields(data)
        )
        if set(doc.regions.values_list("pk", flat=True)) != set(data.region_ids):
            doc.regions.set(data.region_ids)
    return doc


def unindex_record(model, pk) -> None:
    content_type = ContentType.objects.get_for_model(model)
    SearchDocument.objects.filter(content_type=content_type, object_id=pk).delete()


def reindex_queryset(qs) -> int:
    count = 0
    for obj in prefetched(qs.model).filter(pk__in=qs.values("pk")):
        index_record(obj)
        count += 1
    return count


# ---------------------------------------------------------------- full rebuild


def _segment_rows(rows):
    """Worker: (ct_id, object_id, DocumentData) → document row (runs in a process pool)."""
    out = []
    for ct_id, object_id, data in rows:
        fields = document_fields(data)
        out.append((ct_id, object_id, fields, data.region_ids))
    return out


def rebuild_index(*, models=None, workers: int = 1, batch_size: int = 2000, stdout=None) -> dict:
    """Rebuild every search document from the records (``rebuild_search_index``).

    Builds documents in batches, segments them (in ``workers`` processes when > 1), bulk-writes
    them, and on PostgreSQL rebuilds the GIN indexes once at the end instead of updating them
    row by row.
    """
    import time

    from .schema import PG_INDEXES, PG_INDEXES_REVERSE

    started = time.perf_counter()
    models = models or indexed_models()
    pool = None
    if workers > 1:
        import multiprocessing

        from .text import segmenter

        segmenter.tokenizer()  # load once, then fork: workers inherit the dictionary
        pool = multiprocessing.get_context("fork").Pool(workers)
    vendor = connection.vendor
    timings = {}
    total = 0
    try:
        with transaction.atomic():
            SearchDocument.objects.all().delete()
            if vendor == "postgresql":
                with connection.cursor() as cursor:
                    for sql in PG_INDEXES_REVERSE:
                        cursor.execute(sql)
            for model in models:
                content_type = ContentType.objects.get_for_model(model)
                ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
                for start in range(0, len(ids), batch_size):
                    chunk = ids[start : start + batch_size]
                    t0 = time.perf_counter()
                    objs = prefetched(model).filter(pk__in=chunk).order_by("pk")
                    rows = [(content_type.pk, obj.pk, build(obj)) for obj in objs]
                    t1 = time.perf_counter()
                    if pool is not None:
                        size = max(1, len(rows) // (workers * 4))
                        parts = [rows[i : i + size] for i in range(0, len(rows), size)]
                        segmented = [r for part in pool.map(_segment_rows, parts) for r in part]
                    else:
                        segmented = _segment_rows(rows)
                    t2 = time.perf_counter()
                    _write_rows(segmented)
                    t3 = time.perf_counter()
                    timings["read_seconds"] = timings.get("read_seconds", 0) + t1 - t0
                    timings["segment_seconds"] = timings.get("segment_seconds", 0) + t2 - t1
                    timings["write_seconds"] = timings.get("write_seconds", 0) + t3 - t2
                    total += len(segmented)
                    if stdout is not None and len(ids) > batch_size:
                        stdout.write(f"  {model._meta.model_name}: {min(start + batch_size, len(ids))}/{len(ids)}\n")
            timings["documents_seconds"] = time.perf_counter() - started
            if vendor == "postgresql":
                index_started = time.perf_counter()
                with connection.cursor() as cursor:
                    # Deferred foreign-key checks queued by the bulk writes must run before CREATE INDEX.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                    for sql in PG_INDEXES:
                        cursor.execute(sql)
                timings["gin_seconds"] = time.perf_counter() - index_started
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE search_searchdocument")
        elif vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    timings["documents"] = total
    timings["seconds"] = time.perf_counter() - started
    return timings


def _write_rows(rows) -> None:
    if not rows:
        return
    docs = [SearchDocument(content_type_id=ct, object_id=oid, **fields) for ct, oid, fields, _ in rows]
    created = SearchDocument.objects.bulk_create(docs, batch_size=500)
    if connection.features.can_return_rows_from_bulk_insert:
        through = SearchDocument.regions.through
        links = [
            through(searchdocument_id=doc.pk, region_id=region_id)
            for doc, (_, _, _, region_ids) in zip(created, rows)
            for region_id in region_ids
        ]
        through.objects.bulk_create(links, batch_size=1000)
    else:
        by_key = dict(
            ((ct, oid), pk)
            for pk, ct, oid in SearchDocument.objects.filter(object_id__in=[r[1] for r in rows]).values_list(
                "pk", "content_type_id", "object_id"
            )
        )
        through = SearchDocument.regions.through
        through.objects.bulk_create(
            [through(searchdocument_id=by_key[(ct, oid)], region_id=rid) for ct, oid, _, rids in rows for rid in rids],
            batch_size=1000,
        )
