"""Reads that the load test (load/run, issue 14 "Load and scale") showed slow at 10,000 records, kept right.

The speed itself is measured by ``make loadtest`` and docs/deploy.md records it; these tests pin
down the behaviour of the fixes: a deep page reads the same records as a plain slice, a search
filter used as a subquery filters its own rows, and PostgreSQL connections run without JIT.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from mechanisms.models import Mechanism
from portal.synthetic import multiply_dataset
from records.paging import RecordPaginator
from search.query import search_queryset

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL behaviour")


@pytest.fixture
def bigger_dataset():
    multiply_dataset(10)


def slugs(rows) -> list[str]:
    return [row.slug for row in rows]


@pytest.mark.parametrize("queryset", [
    lambda: Agreement.objects.with_related().order_by_date(),
    lambda: Agreement.objects.with_related().order_by_date(descending=True),
    lambda: Agreement.objects.with_related().in_region("jjj").order_by("title", "pk"),
    lambda: Mechanism.objects.with_related().order_by_date(),
])
def test_a_page_read_by_its_ids_holds_the_records_a_plain_slice_holds(bigger_dataset, queryset):
    qs = queryset()
    total = qs.count()
    assert total > 60
    for start in (0, 20, total // 2, total - 7):
        rows = qs.rows_between(start, start + 20)
        assert slugs(rows) == slugs(qs[start : start + 20])
        # The related lists are gathered for the page's rows as for the slice's.
        assert [r.regions_list for r in rows] == [r.regions_list for r in qs[start : start + 20]]


def test_a_deep_page_gathers_related_lists_for_its_own_rows_only(bigger_dataset):
    qs = Agreement.objects.with_related().order_by_date()
    paginator = RecordPaginator(qs, 20)
    with CaptureQueriesContext(connection) as captured:
        page = paginator.page(paginator.num_pages)
        assert len(page.object_list) == paginator.count - 20 * (paginator.num_pages - 1)
    sql = next(q["sql"] for q in captured.captured_queries if "citations_list" in q["sql"] or "JSON" in q["sql"].upper())
    # The OFFSET is inside the subquery that picks the page's ids, not on the query that builds the lists.
    outer, _, inner = sql.partition(" IN (SELECT ")
    assert "OFFSET" in inner and "OFFSET" not in outer


def test_the_api_and_the_list_page_serve_the_same_deep_page(client, bigger_dataset):
    expected = slugs(Agreement.objects.with_related().order_by_date()[140:160])
    api = client.get("/api/v1/agreements/", {"page": 8, "page_size": 20}).json()
    assert [r["slug"] for r in api["results"]] == expected
    page = client.get("/agreements/", {"page": 8}).content.decode()
    positions = [page.index(f"/agreements/{slug}/") for slug in expected]
    assert positions == sorted(positions)


def test_search_results_still_page_in_rank_order(client):
    ranked = search_queryset(Agreement.objects.with_related(), "协议")
    paginator = RecordPaginator(ranked, 5)
    pages = [slugs(paginator.page(n).object_list) for n in paginator.page_range]
    assert [slug for page in pages for slug in page] == slugs(search_queryset(Agreement.objects.with_related(), "协议"))


@postgresql_only
def test_the_ranked_ids_filter_names_the_subquerys_own_table():
    ranked = search_queryset(Agreement.objects.all(), "协议")
    ids = ranked.order_by().values("pk")
    outer = Agreement.objects.filter(pk__in=ids)
    sql = str(outer.query)
    # Inside the subquery Django gives the table an alias (U0, V0…); the filter must test the
    # subquery's own rows, not the outer row.
    inner = sql.split(" IN (SELECT ", 1)[1]
    assert re.search(r'"[UV]0"\."id" = ANY\(', inner)
    assert '"agreements_agreement"."id" = ANY(' not in sql
    assert outer.count() == ranked.count() > 0


@postgresql_only
def test_postgresql_connections_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
