"""Every page runs the same number of SQL queries with ten times the records (issue 10, "Quality")."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.synthetic import multiply_dataset

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/agreements/",
    "/agreements/?region=jjj&page_size=100",
    "/agreements/?search=协议&ordering=-date",
    "/agreements/?stage=jjj-consolidation&kind=opinion",
    "/agreements/jjj-police-framework-2016/",
    "/mechanisms/",
    "/mechanisms/?region=jjj&page=2",
    "/mechanisms/categories/",
    "/mechanisms/jjj-eight-integrations/",
    "/timeline/events/",
    "/timeline/events/?region=jjj&year_from=2014",
    "/findings/",
    "/findings/browse/?kind=problem",
    "/regions/",
    "/regions/jjj/",
    "/regions/jurisdictions/beijing/",
    "/regions/stages/jjj-consolidation/",
    "/sources/",
    "/sources/yang-xin-2025/",
    "/search/?q=禁毒",
]


def queries(client, path: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def test_pages_query_the_database_a_constant_number_of_times_whatever_the_data_size(client):
    for path in PAGES:  # warm per-process caches (content types, URL resolver)
        client.get(path)
    before = {path: queries(client, path) for path in PAGES}
    multiply_dataset(10)
    call_command("rebuild_search_index", verbosity=0, stdout=open("/dev/null", "w"))
    after = {path: queries(client, path) for path in PAGES}
    assert after == before


def test_a_detail_page_of_an_event_and_a_finding_is_constant_too(client):
    from findings.models import Finding
    from timeline.models import Event

    paths = [Event.objects.order_by("pk").first().get_absolute_url(), Finding.objects.order_by("pk").first().get_absolute_url()]
    for path in paths:
        client.get(path)
    before = [queries(client, path) for path in paths]
    multiply_dataset(10)
    assert [queries(client, path) for path in paths] == before
