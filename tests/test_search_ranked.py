"""A search's results answer the paginator from the ranked hits: counts and pages agree with the ranking."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from search.query import search_queryset

pytestmark = pytest.mark.django_db

QUERY = "协议"


@pytest.fixture
def ranked():
    results = search_queryset(Agreement.objects.all(), QUERY)
    assert results.count() > 5, "many agreements mention 协议"
    return results


def test_the_count_is_the_number_of_ranked_hits_without_a_query(ranked):
    expected = len(list(ranked))
    with CaptureQueriesContext(connection) as queries:
        assert ranked.count() == expected
    assert len(queries) == 0


def test_pages_are_consecutive_slices_of_the_ranking(ranked):
    everything = [a.slug for a in ranked]
    assert [a.slug for a in ranked[0:3]] + [a.slug for a in ranked[3:6]] == everything[:6]


def test_a_page_costs_one_query_however_many_hits(ranked):
    with CaptureQueriesContext(connection) as queries:
        page = ranked[0:4]
    assert len(page) == 4 and len(queries) == 1


def test_a_page_keeps_the_callers_annotations():
    from django.db.models import Value

    results = search_queryset(Agreement.objects.annotate(marker=Value("x")), QUERY)
    assert {a.marker for a in results[0:3]} == {"x"}


def test_an_explicit_order_after_search_is_applied_in_sql(ranked):
    by_title = [a.title for a in ranked.order_by("title")[0:5]]
    assert by_title == sorted(a.title for a in ranked)[:5]


def test_a_filter_after_search_is_counted_in_sql(ranked):
    narrowed = ranked.filter(date_year__isnull=False)
    assert narrowed.count() == len([a for a in ranked if a.date_year is not None])
