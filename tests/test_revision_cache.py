"""The dataset revision, conditional requests and the response cache (issue 9).

Every write, by whatever road, must change the next answer; a client holding the current answer
gets a 304 for the price of the revision check; a cached answer never outlives its revision.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from agreements.models import Agreement
from dataset.services import dataset_export
from findings.models import Figure
from records.revision import current_revision
from regions.models import Region

pytestmark = pytest.mark.django_db

DETAIL = "/api/v1/agreements/{}/"


@pytest.fixture
def agreement():
    return Agreement.objects.order_by("pk").first()


def title_seen(client, agreement):
    return client.get(DETAIL.format(agreement.slug)).json()["title"]


# ---------------------------------------------------------------- every write path moves the revision


def test_a_save_through_the_orm_changes_the_next_response(client, agreement):
    assert title_seen(client, agreement) == agreement.title
    agreement.title = "经 save() 改过的标题"
    agreement.save()
    assert title_seen(client, agreement) == "经 save() 改过的标题"


def test_a_queryset_update_changes_the_next_response(client, agreement):
    title_seen(client, agreement)
    Agreement.objects.filter(pk=agreement.pk).update(title="经 update() 改过的标题")
    assert title_seen(client, agreement) == "经 update() 改过的标题"


def test_raw_sql_changes_the_next_response(client, agreement):
    title_seen(client, agreement)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Agreement._meta.db_table} SET title = %s WHERE id = %s", ["经 SQL 改过的标题", agreement.pk])
    assert title_seen(client, agreement) == "经 SQL 改过的标题"


def test_a_delete_changes_the_next_response(client):
    before = client.get("/api/v1/figures/").json()["count"]
    Figure.objects.order_by("pk").first().delete()
    assert client.get("/api/v1/figures/").json()["count"] == before - 1


def test_a_many_to_many_change_changes_the_next_response(client, agreement):
    shown = {r["slug"] for r in client.get(DETAIL.format(agreement.slug)).json()["regions"]}
    other = Region.objects.exclude(slug__in=shown).order_by("pk").first()
    agreement.regions.add(other)
    shown_after = {r["slug"] for r in client.get(DETAIL.format(agreement.slug)).json()["regions"]}
    assert other.slug in shown_after


def test_the_loader_changes_the_next_response(client, agreement, tmp_path):
    title_seen(client, agreement)
    document = dataset_export()
    for record in document["agreement"]:
        if record["slug"] == agreement.slug:
            record["title"] = "经载入程序改过的标题"
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("load_portal_data", "--json", str(path), "--skip-quote-check", verbosity=0, stdout=open("/dev/null", "w"))
    assert title_seen(client, agreement) == "经载入程序改过的标题"


def test_an_edit_in_the_admin_changes_the_next_response(client):
    figure = Figure.objects.order_by("pk").first()
    before = client.get("/api/v1/figures/").json()["count"]
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-passphrase-1")
    from django.test import Client

    admin = Client()
    admin.force_login(editor)
    response = admin.post(f"/admin/findings/figure/{figure.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert client.get("/api/v1/figures/").json()["count"] == before - 1


def test_a_write_that_changes_nothing_visible_still_moves_the_revision(agreement):
    # A statement-level trigger fires once per statement, whatever it touched: cheap and safe.
    before = current_revision().number
    Agreement.objects.filter(pk=agreement.pk).update(title=agreement.title)
    assert current_revision().number == before + 1


# ---------------------------------------------------------------- conditional requests


def test_a_response_carries_validators_for_a_public_dataset(client):
    response = client.get("/api/v1/agreements/")
    assert response["ETag"].startswith(f'"{current_revision().number}-')
    assert response["Last-Modified"]
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert {"Accept", "Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


def test_if_none_match_gets_a_304_with_only_the_revision_query(client, django_assert_num_queries):
    etag = client.get("/api/v1/agreements/?region=jjj")["ETag"]
    with django_assert_num_queries(1):
        response = client.get("/api/v1/agreements/?region=jjj", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_gets_a_304_with_only_the_revision_query(client, django_assert_num_queries):
    last_modified = client.get("/agreements/")["Last-Modified"]
    with django_assert_num_queries(1):
        response = client.get("/agreements/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304


def test_an_etag_from_before_an_edit_gets_the_new_answer(client, agreement):
    etag = client.get(DETAIL.format(agreement.slug))["ETag"]
    Agreement.objects.filter(pk=agreement.pk).update(summary="新的摘要")
    response = client.get(DETAIL.format(agreement.slug), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["summary"] == "新的摘要"
    assert response["ETag"] != etag


def test_the_etag_differs_by_query_string_and_format(client):
    tags = {
        client.get("/api/v1/agreements/")["ETag"],
        client.get("/api/v1/agreements/?page=2")["ETag"],
        client.get("/api/v1/agreements/", HTTP_ACCEPT="text/csv")["ETag"],
    }
    assert len(tags) == 3


def test_an_error_carries_no_validators(client):
    response = client.get("/api/v1/agreements/no-such-agreement/")
    assert response.status_code == 404
    assert not response.has_header("ETag")


def test_a_signed_in_editor_is_never_answered_from_the_cache(client):
    editor = get_user_model().objects.create_superuser("editor2", "e2@example.org", "a-long-passphrase-2")
    client.force_login(editor)
    response = client.get("/api/v1/agreements/")
    assert response.status_code == 200
    assert not response.has_header("ETag")
    assert not response.has_header("X-Portal-Cache")


# ---------------------------------------------------------------- the response cache


def test_a_second_api_request_is_answered_from_the_cache_with_one_query(client, django_assert_num_queries):
    first = client.get("/api/v1/agreements/?page_size=5")
    assert first["X-Portal-Cache"] == "miss"
    with django_assert_num_queries(1):
        second = client.get("/api/v1/agreements/?page_size=5")
    assert second["X-Portal-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_cached_response_never_outlives_its_revision(client, agreement):
    client.get(DETAIL.format(agreement.slug))
    assert client.get(DETAIL.format(agreement.slug))["X-Portal-Cache"] == "hit"
    Agreement.objects.filter(pk=agreement.pk).update(title="缓存之后改的标题")
    response = client.get(DETAIL.format(agreement.slug))
    assert response["X-Portal-Cache"] == "miss"
    assert response.json()["title"] == "缓存之后改的标题"


def test_csv_of_a_list_is_not_stored_but_still_validated(client):
    response = client.get("/api/v1/agreements/?format=csv")
    assert response.streaming
    assert response.has_header("ETag")
    assert not response.has_header("X-Portal-Cache")


@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/9"}}
)
def test_with_redis_the_cache_is_shared_through_redis(client):
    import redis

    caches["default"].clear()
    client.get("/api/v1/stages/")
    stored = redis.Redis.from_url("redis://127.0.0.1:6379/9").keys("*portal:response:*")
    assert stored
    assert client.get("/api/v1/stages/")["X-Portal-Cache"] == "hit"
    caches["default"].clear()
