"""The API's rules: anyone reads, nobody writes, errors are JSON, and a page costs the same queries at any size."""

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from regions.models import Stage

pytestmark = pytest.mark.django_db

RESOURCES = ["agreements", "mechanisms", "regions", "jurisdictions", "stages", "events", "findings", "figures", "sources"]


def queries(client, path, **params) -> int:
    """Queries of an answer built by the view: the response cache is emptied first."""
    caches["default"].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_list_takes_as_many_queries_for_100_records_as_for_1(client, resource):
    path = f"/api/v1/{resource}/"
    queries(client, path)  # warms per-process caches (content types)
    assert client.get(path).json()["count"] > 1
    assert queries(client, path, page_size=1) == queries(client, path, page_size=100)


def test_a_full_page_takes_as_many_queries_as_a_short_one(client):
    path = "/api/v1/agreements/"
    queries(client, path)
    short = queries(client, path, page_size=100)
    Agreement.objects.bulk_create(Agreement(slug=f"bulk-{n}", title=f"批量{n}", kind="plan") for n in range(300))
    assert len(client.get(path, {"page_size": 100}).json()["results"]) == 100
    assert queries(client, path, page_size=100) == short


def test_a_filtered_list_takes_as_many_queries_for_100_records_as_for_1(client):
    stage = Stage.objects.get(region__slug="jjj", start_year=2017)
    params = {"region": "jjj", "stage": stage.slug, "search": "京津冀", "ordering": "-date"}
    path = "/api/v1/agreements/"
    queries(client, path, **params)
    one, hundred = queries(client, path, page_size=1, **params), queries(client, path, page_size=100, **params)
    assert one == hundred


def test_an_agreement_page_takes_a_fixed_small_number_of_queries(client, django_assert_max_num_queries):
    client.get("/api/v1/agreements/")
    with django_assert_max_num_queries(14):
        client.get("/api/v1/agreements/", {"page_size": 100})


def test_a_csv_export_takes_as_many_queries_for_few_records_as_for_many(client):
    path = "/api/v1/agreements/"

    def csv_queries(**params):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, {"format": "csv", **params})
            b"".join(response.streaming_content)
        return len(captured)

    csv_queries()
    few = csv_queries(region="yrd")
    Agreement.objects.bulk_create(Agreement(slug=f"bulk-{n}", title=f"批量{n}", kind="plan") for n in range(300))
    assert csv_queries(region="yrd") == few


def test_a_record_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    agreement = Agreement.objects.named("框架协议").get()
    client.get(f"/api/v1/agreements/{agreement.slug}/")
    with django_assert_max_num_queries(12):
        client.get(f"/api/v1/agreements/{agreement.slug}/")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/agreements/", "/api/v1/agreements/jjj-police-framework-2016/"])
def test_nobody_writes_through_the_api(client, method, path):
    before = Agreement.objects.count()
    response = getattr(client, method)(path, data={"title": "x"}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["detail"]
    assert Agreement.objects.count() == before


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_unknown_slug_is_a_json_404_naming_it(client, resource):
    response = client.get(f"/api/v1/{resource}/no-such-record/")
    assert response.status_code == 404
    assert "no-such-record" in response.json()["detail"]


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/treaties/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@override_settings(API_ANON_THROTTLE_RATE="3/minute")
def test_anonymous_callers_are_throttled_at_the_configured_rate(client):
    cache.clear()
    statuses = [client.get("/api/v1/stages/").status_code for _ in range(4)]
    cache.clear()
    assert statuses == [200, 200, 200, 429]


@override_settings(API_ANON_THROTTLE_RATE="1/minute")
def test_a_throttled_call_is_a_json_429_with_retry_after(client):
    cache.clear()
    client.get("/api/v1/")
    response = client.get("/api/v1/")
    cache.clear()
    assert response.status_code == 429
    assert response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_without_a_configured_rate_nobody_is_throttled(client):
    assert all(client.get("/api/v1/stages/").status_code == 200 for _ in range(5))
