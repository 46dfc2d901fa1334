"""What each record type puts in its search document, and writing documents.

Weights (issue 4): A = what a record is called (title, name, aliases, short names), B = what it
says (summary, description, text), C = where the papers say it (citation quotes) and its type label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from .models import SearchDocument, Suggestion
from .pinyin import han_word_readings, readings
from .text import PINYIN_EXACT_PREFIX, exact_key, index_tokens, normalise, segmenter


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
    # The record's names as a user types them into the search box (title first, then aliases);
    # None means the title alone.
    names: list[str] | None = None

    @property
    def body(self) -> str:
        return "\n".join(t for t in [*self.a[1:], *self.b, *self.c] if t)


def _related(obj, name: str):
    """``obj.<name>.all()``, or the rows a full rebuild loaded for it in bulk (``_load_related``)."""
    loaded = getattr(obj, "_search_related", None)
    if loaded is not None and name in loaded:
        return loaded[name]
    return getattr(obj, name).all()


def _quotes(obj) -> list[str]:
    return [c.quote for c in _related(obj, "citations")]


def _aliases(obj) -> list[str]:
    return [a.name for a in _related(obj, "aliases")]


def _region_ids(obj) -> list[int]:
    return sorted(r.pk for r in _related(obj, "regions"))


def _stage_id(obj) -> int | None:
    from regions.models import stage_for

    stage = stage_for(_related(obj, "regions"), obj.date)
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
            a=[obj.title, *_aliases(obj)],
            b=[obj.summary, obj.signatories_text],
            c=[*_quotes(obj), obj.get_kind_display()],
            region_ids=_region_ids(obj), stage_id=_stage_id(obj), year=obj.date_year,
            names=[obj.title, *_aliases(obj)],
        )
    if isinstance(obj, Mechanism):
        return DocumentData(
            "mechanism", obj.slug, obj.name,
            a=[obj.name, *obj.aliases],
            b=[obj.description, obj.established_by_text],
            c=[*_quotes(obj), obj.get_category_display()],
            region_ids=_region_ids(obj), stage_id=_stage_id(obj), year=obj.date_year,
            names=[obj.name, *obj.aliases],
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
            names=[obj.name, obj.full_name, *obj.aliases],
        )
    if isinstance(obj, Jurisdiction):
        return DocumentData(
            "jurisdiction", obj.slug, obj.name,
            a=[obj.name, obj.short_name, *obj.aliases],
            b=[obj.parent.name if obj.parent_id else ""],
            c=[*_quotes(obj), obj.get_level_display()],
            region_ids=_region_ids(obj),
            names=[obj.name, obj.short_name, *[a for a in obj.aliases if len(a) > 1]],
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
            names=[],  # a figure has no name anyone types
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


def _load_related(model, objs) -> list:
    """Load the citations, aliases and regions of a chunk of records in one query each.

    Django's prefetch_related builds a filtered queryset per record and relation (measured: 0.7 ms
    a record, more than segmenting it); a full rebuild reads 100,000 records, so it reads the
    rows itself and attaches them for ``build`` (``_related``).
    """
    from collections import defaultdict

    from sources.models import Citation

    objs = list(objs)
    if not objs:
        return objs
    pks = [o.pk for o in objs]
    related: dict[int, dict[str, list]] = {pk: {} for pk in pks}
    fields = {f.name: f for f in model._meta.get_fields()}
    if "citations" in fields:
        content_type = ContentType.objects.get_for_model(model)
        by_pk = defaultdict(list)
        for citation in Citation.objects.filter(content_type=content_type, object_id__in=pks).only("object_id", "quote"):
            by_pk[citation.object_id].append(citation)
        for pk in pks:
            related[pk]["citations"] = by_pk[pk]
    if model._meta.model_name == "agreement":
        from agreements.models import AgreementAlias

        by_pk = defaultdict(list)
        for alias in AgreementAlias.objects.filter(agreement_id__in=pks):
            by_pk[alias.agreement_id].append(alias)
        for pk in pks:
            related[pk]["aliases"] = by_pk[pk]
    if "regions" in fields and fields["regions"].many_to_many and not fields["regions"].auto_created:
        from regions.models import Region

        field = fields["regions"]
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        links = list(field.remote_field.through.objects.filter(**{f"{source}__in": pks}).values_list(source, target))
        links.sort()  # each record's regions in Region's order (pk), as obj.regions.all() gives them
        regions = Region.objects.in_bulk({r for _, r in links})
        if hasattr(model, "date"):
            # The stages stage_for reads, for these few regions and their parents, in two queries.
            regions = {r.pk: r for r in Region.objects.filter(pk__in=regions).select_related("parent").prefetch_related("stages", "parent__stages")}
        by_pk = defaultdict(list)
        for pk, region_id in links:
            by_pk[pk].append(regions[region_id])
        for pk in pks:
            related[pk]["regions"] = by_pk[pk]
    for obj in objs:
        obj._search_related = related[obj.pk]
    return objs


def _terms(texts: list[str]) -> str:
    if len(texts) == 1:
        # index_tokens already gives each word once: a summary's ~270 words are not deduplicated
        # twice (a tenth of a record's indexing time at 100,000 records).
        return " ".join(index_tokens(texts[0]))
    return " ".join(dict.fromkeys(token for text in texts for token in index_tokens(text)))


def _name_key(name: str) -> str:
    return normalise(name).replace(" ", "")


def _pinyin_terms(names: list[str], title_words: list[str]) -> list[str]:
    """Pinyin words of a record's names (weight C, below any Chinese match).

    Each dictionary word of the title and aliases gives its full pinyin and initials (「jjj」 finds
    every record that names 京津冀), and each short name gives an exact key as well (x + pinyin), so
    the record called 京津冀 ranks first for 「jingjinji」 as it does for 「京津冀」 (key x0jingjinji).
    """
    out: dict[str, None] = {}
    dictionary = segmenter.words
    for word in title_words:
        if word in dictionary:
            for full, initials in han_word_readings(word):
                out.setdefault(full, None)
                out.setdefault(initials, None)
    for name in names:
        key = _name_key(name)
        if not key or len(key) > MAX_PINYIN_NAME:
            continue
        if key.isascii() and key.isalpha():
            out.setdefault(PINYIN_EXACT_PREFIX + key, None)  # a Latin name: typed like pinyin
        for full, initials in han_word_readings(key):
            for word in (full, initials):
                out.setdefault(word, None)
                out.setdefault(PINYIN_EXACT_PREFIX + word, None)
    return list(out)


# Names up to this long are indexed whole in pinyin (exact keys); dictionary words are at most 12.
MAX_PINYIN_NAME = 12
MAX_SUGGESTION_KEY = 120


def suggestion_keys(data: DocumentData) -> list[tuple[str, int, str]]:
    """(key, rank, name) rows for the search box: the name, its full pinyin, its initials."""
    names = [data.title] if data.names is None else data.names
    rows: dict[tuple[str, int], str] = {}
    for name in dict.fromkeys(n for n in names if n):
        key = _name_key(name)[:MAX_SUGGESTION_KEY]
        if not key:
            continue
        rows.setdefault((key, 0), name)
        for full, initials in readings(key):
            rows.setdefault((full[:MAX_SUGGESTION_KEY], 1), name)
            rows.setdefault((initials[:MAX_SUGGESTION_KEY], 2), name)
    return [(key, rank, name[:300]) for (key, rank), name in rows.items()]


def document_fields(data: DocumentData) -> dict:
    title_words = [t for text in data.a for t in index_tokens(text)]
    names = [data.title] if data.names is None else data.names
    terms_c = _terms(data.c)
    pinyin = " ".join(_pinyin_terms(names, title_words))
    return {
        "kind": data.kind,
        "slug": data.slug,
        "title": data.title[:300],
        "body": data.body,
        "terms_a": " ".join(
            filter(None, [" ".join(dict.fromkeys(title_words)), *dict.fromkeys(filter(None, map(exact_key, data.a)))])
        ),
        "terms_b": _terms(data.b),
        "terms_c": " ".join(filter(None, [terms_c, pinyin])),
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
        keys = suggestion_keys(data)
        stored = set(Suggestion.objects.filter(document=doc).values_list("key", "rank", "name"))
        if stored != set(keys):
            Suggestion.objects.filter(document=doc).delete()
            Suggestion.objects.bulk_create([Suggestion(document=doc, key=k, rank=r, name=n) for k, r, n in keys])
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


def _document_row(ct_id, obj):
    data = build(obj)
    return (ct_id, obj.pk, document_fields(data), data.region_ids, suggestion_keys(data))


def _finish(rows, first_id: int | None):
    """Rows as the parent writes them: on PostgreSQL (``first_id`` given) already as COPY text with
    ids from ``first_id``, so the parent neither unpickles ~6 KB of fields a record nor formats
    them while its own connection waits; elsewhere the rows themselves."""
    return rows if first_id is None else _copy_text(rows, first_id)


def _segment_rows(task):
    """Worker: (ct_id, object_id, DocumentData) of records read by the parent → document rows."""
    rows, first_id = task
    out = []
    for ct_id, object_id, data in rows:
        out.append((ct_id, object_id, document_fields(data), data.region_ids, suggestion_keys(data)))
    return _finish(out, first_id)


def _read_and_segment(task):
    """Worker: read one chunk of records on the worker's own connection, build and segment them."""
    from django.apps import apps

    label, ct_id, pks, first_id = task
    model = apps.get_model(label)
    return _finish([_document_row(ct_id, obj) for obj in _chunk(model, pks)], first_id)


def _chunk(model, pks) -> list:
    """One chunk of records for a full rebuild, with what ``build`` reads loaded in bulk."""
    qs = model.objects.filter(pk__in=pks).order_by("pk")
    if model._meta.model_name == "stage":
        qs = qs.select_related("region")
    if model._meta.model_name == "jurisdiction":
        qs = qs.select_related("parent").prefetch_related("regions")  # a reverse relation: few rows
    return _load_related(model, qs)


_INHERITED: list = []


def _worker_start():
    # A forked worker must not touch the parent's database socket: forget the inherited
    # connection objects (without closing them, which would end the parent's session) so that
    # Django opens the worker's own connection on first use.
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        _INHERITED.append(conn.connection)  # kept alive: freeing it would close the parent's socket
        conn.connection = None
        conn.closed_in_transaction = False
        conn.in_atomic_block = False
        conn.savepoint_ids = []
        conn.needs_rollback = False


# maintenance_work_mem for the GIN builds at the end of a full rebuild (see rebuild_index).
GIN_BUILD_MEMORY = "8MB"

# Below this many records a rebuild segments in this process alone.
PARALLEL_MIN_RECORDS = 2000


def rebuild_index(*, models=None, workers: int = 1, batch_size: int = 1000, progress: bool = False, stdout=None) -> dict:
    """Rebuild the dictionary from the names, then every search document (``rebuild_search_index``).

    1. The dictionary is harvested from the names (search/dictionary.py) and loaded into this
       process's segmenter, which the worker processes inherit (fork).
    2. Outside a transaction, ``workers`` processes each read a chunk of records on their own
       connection, build and segment the documents and send the rows back; inside one (the dataset
       loader's) the records are read here, where the uncommitted rows are visible, and only the
       segmentation runs in the workers.
    3. This process bulk-writes the rows in one transaction: old documents removed, new ones
       written, PostgreSQL's GIN indexes dropped first and built once at the end (one sorted build
       is far faster than 100,000 incremental inserts), and the IndexBuild row names the segmenter
       and dictionary version that built it.
    """
    import multiprocessing
    import sys
    import time

    from django.db import connections
    from django.utils import timezone

    from .dictionary import dictionary_replace, harvest
    from .models import IndexBuild

    started = time.perf_counter()
    cpu_started = _cpu_seconds()
    models = models or indexed_models()
    timings: dict[str, float] = {}
    words, synonyms = harvest()
    segmenter.load_words(words, synonyms)
    readings("预热")  # pypinyin's tables, loaded once before the fork
    timings["dictionary_seconds"] = time.perf_counter() - started
    # (model, content type, record ids, first document id): each chunk's documents get the ids
    # after the chunks before it, so they are known before any chunk is segmented (COPY returns
    # none) and do not depend on which worker finishes first.
    plan = []
    next_id = 1
    for model in models:
        content_type = ContentType.objects.get_for_model(model)
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        for i in range(0, len(ids), batch_size):
            plan.append((model, content_type.pk, ids[i : i + batch_size], next_id))
            next_id += len(ids[i : i + batch_size])
    todo = next_id - 1
    if todo < PARALLEL_MIN_RECORDS:
        workers = 1  # starting processes costs more than it saves on a small index (the curated dataset)
    parallel_reads = workers > 1 and not connection.in_atomic_block
    pool = None
    if workers > 1:
        if parallel_reads:
            connections.close_all()  # no socket for the workers to inherit
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start)
    vendor = connection.vendor
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=todo, unit="records", desc="search index", file=sys.stderr, disable=not sys.stderr.isatty())
    total = 0
    try:
        with transaction.atomic():
            version = dictionary_replace(words=words, synonyms=synonyms)
            segmenter.version = version
            _clear_documents(vendor)
            restore: list[str] = []
            db_cpu_started = _db_session_cpu(vendor)
            if vendor == "postgresql":
                with connection.cursor() as cursor:
                    restore = _pg_drop_for_bulk_load(cursor)
            t0 = time.perf_counter()
            copy = vendor == "postgresql"
            for batch in _document_batches(plan, pool, workers, parallel_reads, copy):
                t1 = time.perf_counter()
                if copy:
                    written = _copy_batch(batch)
                else:
                    _write_rows(batch)
                    written = len(batch)
                timings["write_seconds"] = timings.get("write_seconds", 0) + time.perf_counter() - t1
                total += written
                if bar is not None:
                    bar.update(written)
            timings["documents_seconds"] = time.perf_counter() - t0
            if vendor == "postgresql":
                index_started = time.perf_counter()
                with connection.cursor() as cursor:
                    # The ids were handed out by the plan (COPY returns none): the sequence continues after them.
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence('search_searchdocument', 'id'), %s, false)", [next_id]
                    )
                    for sql in restore:
                        # A GIN build collects each word's row list in memory and writes the lists
                        # out whenever the memory is full. Counter-intuitively a small memory is the
                        # faster: measured on the 100,000-record corpus, 10.4 s at 8 MB, 11.2 s at
                        # 16 MB, 13.8 s at 64 MB, 15–22 s at 1 GB (smaller lists staying in the CPU caches,
                        # likely; the cause is not measured). Other indexes keep the server's setting.
                        gin = " USING gin " in sql
                        if gin:
                            cursor.execute("SET LOCAL maintenance_work_mem = %s", [GIN_BUILD_MEMORY])
                        cursor.execute(sql)
                        if gin:
                            cursor.execute("SET LOCAL maintenance_work_mem TO DEFAULT")
                timings["gin_seconds"] = time.perf_counter() - index_started
            timings["_db_cpu"] = _db_session_cpu(vendor) - db_cpu_started
            IndexBuild.objects.update_or_create(
                pk=1,
                defaults={
                    "segmenter": segmenter.name, "dictionary_version": version, "documents": total,
                    "built_at": timezone.now(), "seconds": time.perf_counter() - started,
                },
            )
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                # Only the columns queries filter or rank on: the text columns' statistics cost a
                # third of the ANALYZE and no search plan reads them.
                cursor.execute(
                    "ANALYZE search_searchdocument (id, content_type_id, object_id, kind, stage_id, year, title_vector, vector)"
                )
                cursor.execute("ANALYZE search_suggestion")
        elif vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    finally:
        if bar is not None:
            bar.close()
        if pool is not None:
            pool.close()
            pool.join()
    timings["documents"] = total
    # CPU time of this process, its workers and the database session: what the rebuild costs on
    # an idle machine, whatever else shares it (the wall clock on a shared VM says little alone).
    timings["cpu_seconds"] = _cpu_seconds() - cpu_started + timings.pop("_db_cpu", 0.0)
    timings["dictionary_words"] = len(words)
    timings["seconds"] = time.perf_counter() - started
    return timings


def _cpu_seconds() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _db_session_cpu(vendor: str) -> float:
    """CPU seconds of this connection's PostgreSQL backend, when it runs on this machine (else 0)."""
    if vendor != "postgresql":
        return 0.0
    import os

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:  # the server runs on another machine
        return 0.0
    if "postgres" not in stat.split(")", 1)[0]:
        return 0.0  # a local process that happens to have the remote backend's pid
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


SEARCH_TABLES = ("search_searchdocument", "search_searchdocument_regions", "search_suggestion")


def _pg_drop_for_bulk_load(cursor) -> list[str]:
    """Drop the search tables' secondary indexes and foreign keys; return the statements that restore them.

    A full rebuild writes ~700,000 rows at 100,000 records. With the indexes in place every row
    updates each of them, and each foreign key queues a deferred check per row (~600,000 of them
    for the suggestions and regions); built once at the end, each index is one sorted pass and each key one join. The
    definitions are read from the catalogue, so the migrations stay the one place they are written.
    """
    tables = list(SEARCH_TABLES)
    # Only the keys between the search tables: dropping a key locks the table it refers to, and
    # the worker processes read regions and content types on their own connections meanwhile.
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s) AND confrelid::regclass::text = ANY(%s) ORDER BY 1, 2",
        [tables, tables],
    )
    keys = cursor.fetchall()
    # Indexes that no constraint owns (a primary key or a unique constraint stays).
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid) "
        "ORDER BY 1",
        [tables],
    )
    indexes = cursor.fetchall()
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no queued check may be left on a table altered here
    for table, name, _ in keys:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in indexes] + [
        f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}" for table, name, definition in keys
    ]


def _document_batches(plan, pool, workers, parallel_reads, copy: bool):
    """Each chunk of the plan, segmented, as soon as it is ready (order does not matter): COPY
    text when ``copy`` (PostgreSQL), else rows."""
    if pool is not None and parallel_reads:
        tasks = [(model._meta.label, ct_id, chunk, first_id if copy else None) for model, ct_id, chunk, first_id in plan]
        yield from pool.imap_unordered(_read_and_segment, tasks)
        return
    for model, ct_id, chunk, first_id in plan:
        objs = _chunk(model, chunk)
        if pool is None:
            yield _finish([_document_row(ct_id, obj) for obj in objs], first_id if copy else None)
            continue
        rows = [(ct_id, obj.pk, build(obj)) for obj in objs]
        size = max(1, len(rows) // (workers * 2))
        parts = [(rows[i : i + size], first_id + i if copy else None) for i in range(0, len(rows), size)]
        if copy:
            yield from pool.map(_segment_rows, parts)
        else:
            yield [r for part in pool.map(_segment_rows, parts) for r in part]


def _clear_documents(vendor: str) -> None:
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            # TRUNCATE refuses a table with deferred foreign-key checks still queued, as a caller's
            # transaction that indexed records before the rebuild leaves them: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # One statement for the three tables; Django's delete() would first fetch every id.
            # RESTART IDENTITY: the rebuild hands out document ids from 1 itself (_copy_rows).
            cursor.execute(
                "TRUNCATE search_suggestion, search_searchdocument_regions, search_searchdocument RESTART IDENTITY"
            )
        else:
            for table in ("search_suggestion", "search_searchdocument_regions", "search_searchdocument"):
                cursor.execute(f"DELETE FROM {table}")


_DOCUMENT_COLUMNS = ("kind", "slug", "title", "body", "terms_a", "terms_b", "terms_c", "stage_id", "year")


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy(cursor, table: str, columns, text: str) -> None:
    import io

    if text:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO(text))


def _copy_text(rows, first_id: int) -> tuple[int, str, str, str]:
    """PostgreSQL: (row count, COPY text of documents, of their regions, of their suggestions),
    the documents numbered from ``first_id`` so regions and suggestions can refer to them."""
    docs, regions, suggestions = [], [], []
    for doc_id, (ct, oid, fields, region_ids, keys) in enumerate(rows, start=first_id):
        values = [doc_id, ct, oid, *(fields[c] for c in _DOCUMENT_COLUMNS)]
        docs.append("\t".join(map(_copy_value, values)) + "\n")
        regions += [f"{doc_id}\t{rid}\n" for rid in region_ids]
        suggestions += [f"{doc_id}\t{_copy_value(k)}\t{r}\t{_copy_value(n)}\n" for k, r, n in keys]
    return len(rows), "".join(docs), "".join(regions), "".join(suggestions)


def _copy_batch(batch) -> int:
    """PostgreSQL: write one chunk's COPY text (several times faster than INSERT for a full rebuild)."""
    count, docs, regions, suggestions = batch
    with connection.cursor() as cursor:
        raw = cursor.cursor  # Django's wrapper has no COPY
        _copy(raw, "search_searchdocument", ("id", "content_type_id", "object_id", *_DOCUMENT_COLUMNS), docs)
        _copy(raw, "search_searchdocument_regions", ("searchdocument_id", "region_id"), regions)
        _copy(raw, "search_suggestion", ("document_id", "key", "rank", "name"), suggestions)
    return count


def _write_rows(rows) -> None:
    if not rows:
        return
    docs = [SearchDocument(content_type_id=ct, object_id=oid, **fields) for ct, oid, fields, _, _ in rows]
    created = SearchDocument.objects.bulk_create(docs, batch_size=500)
    if not connection.features.can_return_rows_from_bulk_insert:
        by_key = {
            (ct, oid): pk
            for pk, ct, oid in SearchDocument.objects.filter(object_id__in=[r[1] for r in rows]).values_list(
                "pk", "content_type_id", "object_id"
            )
        }
        pks = [by_key[(ct, oid)] for ct, oid, *_ in rows]
    else:
        pks = [doc.pk for doc in created]
    through = SearchDocument.regions.through
    through.objects.bulk_create(
        [through(searchdocument_id=pk, region_id=rid) for pk, row in zip(pks, rows) for rid in row[3]],
        batch_size=1000,
    )
    Suggestion.objects.bulk_create(
        [Suggestion(document_id=pk, key=k, rank=r, name=n) for pk, row in zip(pks, rows) for k, r, n in row[4]],
        batch_size=2000,
    )
