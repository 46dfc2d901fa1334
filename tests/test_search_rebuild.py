"""A full rebuild (bulk reads, worker processes, COPY on PostgreSQL) writes exactly the documents
that indexing each record on save writes, on both databases (issue 11)."""

import io

import pytest
from django.core.management import call_command

from search import documents
from search.documents import index_record, indexed_models, prefetched, rebuild_index
from search.models import SearchDocument, Suggestion

pytestmark = pytest.mark.django_db


def snapshot():
    docs = {
        (d.content_type_id, d.object_id): (d.kind, d.slug, d.title, d.body, d.terms_a, d.terms_b, d.terms_c, d.stage_id, d.year,
                                           tuple(sorted(d.regions.values_list("pk", flat=True))))
        for d in SearchDocument.objects.prefetch_related("regions")
    }
    keys = {}
    for ct, oid, key, rank, name in Suggestion.objects.values_list(
        "document__content_type_id", "document__object_id", "key", "rank", "name"
    ):
        keys.setdefault((ct, oid), set()).add((key, rank, name))
    return docs, keys


def index_one_by_one():
    for model in indexed_models():
        for obj in prefetched(model):
            index_record(obj)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_rebuild_writes_what_indexing_each_record_writes(monkeypatch, workers):
    index_one_by_one()
    expected = snapshot()
    assert len(expected[0]) > 100
    # The curated dataset is below the size that starts worker processes: lower it to test them.
    monkeypatch.setattr(documents, "PARALLEL_MIN_RECORDS", 0)
    timings = rebuild_index(workers=workers, batch_size=50)
    assert timings["documents"] == len(expected[0])
    assert snapshot() == expected


def test_documents_saved_after_a_rebuild_get_fresh_ids():
    rebuild_index(workers=1)
    top = SearchDocument.objects.order_by("-pk").values_list("pk", flat=True).first()
    from agreements.models import Agreement

    agreement = Agreement.objects.create(slug="after-rebuild", title="重建之后新增的协议", kind=Agreement.Kind.choices[0][0])
    doc = SearchDocument.objects.get(object_id=agreement.pk, kind="agreement")
    assert doc.pk > top


def test_the_rebuild_command_is_quiet_off_a_terminal(capsys):
    out = io.StringIO()
    call_command("rebuild_search_index", "--workers", "1", stdout=out)
    assert "Indexed" in out.getvalue()
    assert capsys.readouterr().err == ""  # no progress bar in a log or a pipe


def schema():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid::regclass::text = ANY(%s) ORDER BY 1",
            [list(documents.SEARCH_TABLES)],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1",
            [list(documents.SEARCH_TABLES)],
        )
        return indexes, cursor.fetchall()


def test_a_postgresql_rebuild_restores_every_index_and_foreign_key(monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the indexes and keys dropped around a bulk load are PostgreSQL's")
    before = schema()
    assert any("gin" in definition for _, definition in before[0])
    assert any("FOREIGN KEY" in definition for _, definition in before[1])
    monkeypatch.setattr(documents, "PARALLEL_MIN_RECORDS", 0)
    rebuild_index(workers=2)
    assert schema() == before


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_outside_a_transaction_reads_in_worker_processes(monkeypatch):
    """Workers read records on their own connections while this process holds the search tables:
    nothing the rebuild locks may be a table they read (a lock there would wait for ever)."""
    import signal

    index_one_by_one()
    expected = snapshot()
    monkeypatch.setattr(documents, "PARALLEL_MIN_RECORDS", 0)

    def stuck(*_):
        raise TimeoutError("the rebuild's workers waited on a lock the rebuild holds")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(120)
    try:
        timings = rebuild_index(workers=2, batch_size=50)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert timings["documents"] == len(expected[0])
    assert snapshot() == expected
