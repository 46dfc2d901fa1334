"""Deletions for a mirror (issue 14, "Security"): /api/v1/deleted/ and the lists' ``deleted`` under ``updated_since``.

Tombstones are read from the edit history (history/models.py): a slug of a kind that was deleted or
renamed away since a moment, and that no record of that kind has now. Every road that deletes is
recorded by the database's triggers, so every road shows up here.
"""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from agreements.models import Agreement
from dataset.services import dataset_export
from history.models import EVENT_MODELS
from history.services import restore
from mechanisms.models import Mechanism
from regions.models import Region, Stage
from sources.models import Source
from timeline.models import Event

pytestmark = pytest.mark.django_db

DEVNULL = open("/dev/null", "w")
RESOURCES = ["agreements", "mechanisms", "events", "regions", "jurisdictions", "stages", "findings", "figures", "sources"]


def moment_before_now():
    # pgh_created_at is the transaction's start (PostgreSQL's now()), and a test runs in one
    # transaction: a moment read in the test is later than its events. Ask from before the test.
    with connection.cursor() as cursor:
        cursor.execute("select now() - interval '1 microsecond'")
        return cursor.fetchone()[0]


def feed(client, **params) -> list[dict]:
    """Every row of the tombstone feed, all pages followed."""
    rows, page = [], 1
    while page:
        response = client.get("/api/v1/deleted/", {**params, "page": page, "page_size": 100})
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        page = page + 1 if body["next"] else None
    return rows


def gone(client, **params) -> set[tuple[str, str]]:
    return {(row["kind"], row["slug"]) for row in feed(client, **params)}


def since_param(moment) -> str:
    return moment.isoformat()


@pytest.fixture
def since():
    return moment_before_now()


@pytest.fixture
def agreement():
    return Agreement.objects.named("框架协议").get()


@pytest.fixture
def editor_client():
    editor = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-passphrase-1", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["agreements", "sources", "regions", "history", "timeline", "mechanisms"])
    )
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.force_login(editor)
    return client


# ---------------------------------------------------------------- every road that deletes


def test_an_orm_delete_is_a_tombstone_with_kind_slug_id_and_time(client, since, agreement):
    pk, slug = agreement.pk, agreement.slug
    agreement.delete()
    rows = [row for row in feed(client, since=since_param(since)) if row["kind"] == "agreement"]
    assert [(row["slug"], row["id"]) for row in rows] == [(slug, pk)]
    deleted_at = EVENT_MODELS[Agreement].objects.get(pgh_obj_id=pk, pgh_label="delete").pgh_created_at
    assert rows[0]["deleted_at"] == timezone.localtime(deleted_at).isoformat()


def test_an_admin_delete_is_a_tombstone(client, editor_client, since, agreement):
    response = editor_client.post(f"/admin/agreements/agreement/{agreement.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert ("agreement", agreement.slug) in gone(client, since=since_param(since))


def test_a_raw_sql_delete_is_a_tombstone_too(client, since):
    event = Event.objects.order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Event.regions.through._meta.db_table} WHERE event_id = %s", [event.pk])
        cursor.execute(f"DELETE FROM {Event.agreements.through._meta.db_table} WHERE event_id = %s", [event.pk])
        cursor.execute(f"DELETE FROM {Event.mechanisms.through._meta.db_table} WHERE event_id = %s", [event.pk])
        cursor.execute(f"DELETE FROM {Event._meta.db_table} WHERE id = %s", [event.pk])
    assert ("event", event.slug) in gone(client, since=since_param(since), kind="event")


def test_what_a_delete_cascades_to_is_a_tombstone_as_well(client, since):
    # A region's stages go with it: a mirror of the stages must drop them too.
    region = Region.objects.filter(stages__isnull=False).order_by("pk").first()
    stage_slugs = {("stage", slug) for slug in region.stages.values_list("slug", flat=True)}
    assert stage_slugs

    def delete_with_children(parent):  # a region's parent link is PROTECT: the sub-regions go first
        for child in parent.children.all():
            delete_with_children(child)
        parent.delete()

    delete_with_children(region)
    assert {("region", region.slug), *stage_slugs} <= gone(client, since=since_param(since))


def test_a_record_the_loader_brings_back_under_its_slug_is_no_tombstone(client, since, agreement, tmp_path):
    # The loader never deletes a record (it reports those only in the database); it re-creates one
    # deleted by hand, under a new id: the slug exists again, so a mirror must keep it.
    path = tmp_path / "export.json"
    path.write_text(json.dumps(dataset_export(), ensure_ascii=False), encoding="utf-8")
    old_pk = agreement.pk
    agreement.delete()
    assert ("agreement", agreement.slug) in gone(client, since=since_param(since))
    with connection.cursor() as cursor:
        # Run the delete's deferred foreign-key checks now: the loader's index rebuild truncates a
        # table, which PostgreSQL refuses while such checks are pending in the transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("load_portal_data", "--json", str(path), "--skip-quote-check", verbosity=0, stdout=DEVNULL)
    assert Agreement.objects.get(slug=agreement.slug).pk != old_pk
    assert ("agreement", agreement.slug) not in gone(client, since=since_param(since))


# ---------------------------------------------------------------- what is no tombstone


def test_a_record_restored_from_the_history_is_no_tombstone(client, since, agreement):
    pk = agreement.pk
    agreement.delete()
    restore(EVENT_MODELS[Agreement].objects.get(pgh_obj_id=pk, pgh_label="delete"))
    assert ("agreement", agreement.slug) not in gone(client, since=since_param(since))


def test_a_record_re_created_with_the_same_slug_is_no_tombstone_until_deleted_again(client, since, agreement):
    slug, kind = agreement.slug, agreement.kind
    agreement.delete()
    again = Agreement.objects.create(slug=slug, title="以同一 slug 重建的记录", kind=kind)
    assert ("agreement", slug) not in gone(client, since=since_param(since))
    again_pk = again.pk
    again.delete()
    rows = [row for row in feed(client, since=since_param(since)) if row["slug"] == slug]
    assert [(row["kind"], row["id"]) for row in rows] == [("agreement", again_pk)]  # once, the last delete


def test_a_renamed_record_leaves_its_old_slug_as_a_tombstone(client, since):
    mechanism = Mechanism.objects.order_by("pk").first()
    old = mechanism.slug
    mechanism.slug = f"{old}-renamed"
    mechanism.save()
    rows = [row for row in feed(client, since=since_param(since), kind="mechanism")]
    assert [(row["slug"], row["id"]) for row in rows] == [(old, mechanism.pk)]
    listed = client.get("/api/v1/mechanisms/", {"updated_since": since_param(since), "page_size": 100}).json()
    assert mechanism.slug in [item["slug"] for item in listed["results"]] and listed["deleted"] == [old]


def test_deletions_before_since_are_not_listed(client, agreement):
    agreement.delete()
    later = timezone.now() + timedelta(seconds=1)
    assert gone(client, since=since_param(later)) == set()
    assert ("agreement", agreement.slug) in gone(client)  # no since: every tombstone


def test_kind_keeps_one_kind(client, since, agreement):
    mechanism = Mechanism.objects.order_by("pk").first()
    agreement.delete()
    mechanism.delete()
    assert {kind for kind, _ in gone(client, since=since_param(since), kind="mechanism")} == {"mechanism"}
    assert ("agreement", agreement.slug) in gone(client, since=since_param(since), kind="agreement")


def test_the_feed_is_paginated_like_the_lists(client, since):
    for agreement in Agreement.objects.order_by("pk")[:3]:
        agreement.delete()
    body = client.get("/api/v1/deleted/", {"since": since_param(since), "kind": "agreement", "page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2 and "page=2" in body["next"]
    assert client.get("/api/v1/deleted/", {"page": 99}).status_code == 404


def test_a_delete_is_seen_at_once_through_the_response_cache(client, since, agreement):
    url = f"/api/v1/deleted/?since={since_param(since).replace('+', '%2B')}"
    assert client.get(url).json()["count"] == 0
    assert client.get(url)["X-Portal-Cache"] == "hit"
    agreement.delete()  # the delete moves the dataset revision: a new key, no stale answer
    assert client.get(url).json()["count"] >= 1


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2020-02-30T00:00:00Z"}, "since"),
        ({"since": "2020-01-01T00:00:00+16:00"}, "since"),
        ({"since": "2020-01-01T00:00:00-23:59"}, "since"),
        ({"kind": "agreements"}, "kind"),
        ({"page": "0"}, "page"),
        ({"page_size": "-1"}, "page_size"),
    ],
)
def test_a_bad_parameter_is_a_400_in_chinese_naming_it(client, params, field):
    response = client.get("/api/v1/deleted/", params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == "请求参数有误。"
    assert list(body["errors"]) == [field]
    assert any("\u4e00" <= char <= "\u9fff" for char in body["errors"][field][0])


@pytest.mark.parametrize("params", [{"since": ""}, {"kind": ""}, {"since": "", "kind": ""}])
def test_an_empty_parameter_is_absent_as_everywhere_in_the_api(client, params):
    assert client.get("/api/v1/deleted/", params).json() == client.get("/api/v1/deleted/").json()


@pytest.mark.parametrize("params", [{"since": "2020-01-01T00:00:00\x00"}, {"kind": "\x00"}])
def test_a_nul_byte_is_a_400_too(client, params):
    response = client.get("/api/v1/deleted/", params)
    assert response.status_code == 400 and response.json()["detail"]


def test_an_offset_within_15_59_is_accepted(client):
    assert client.get("/api/v1/deleted/", {"since": "2020-01-01T00:00:00+15:59"}).status_code == 200


# ---------------------------------------------------------------- the lists' envelope


def test_a_list_asked_with_updated_since_names_the_deleted_slugs(client, since, agreement):
    agreement.delete()
    body = client.get("/api/v1/agreements/", {"updated_since": since_param(since)}).json()
    assert list(body) == ["count", "next", "previous", "results", "deleted"]
    assert body["deleted"] == [agreement.slug]
    # Only this kind's: a deleted agreement is no deleted mechanism.
    assert client.get("/api/v1/mechanisms/", {"updated_since": since_param(since)}).json()["deleted"] == []


def test_a_list_without_updated_since_keeps_its_envelope(client, agreement):
    agreement.delete()
    assert list(client.get("/api/v1/agreements/").json()) == ["count", "next", "previous", "results"]
    assert "deleted" not in client.get("/api/v1/agreements/", {"updated_since": ""}).json()


def test_csv_keeps_its_shape_under_updated_since(client, since, agreement):
    agreement.delete()
    plain = client.get("/api/v1/agreements/", {"format": "csv"})
    changed = client.get("/api/v1/agreements/", {"format": "csv", "updated_since": since_param(since)})
    assert plain.status_code == changed.status_code == 200
    header = lambda r: next(csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig"))))  # noqa: E731
    assert header(changed) == header(plain)
    assert agreement.slug not in b"".join(changed.streaming_content).decode("utf-8-sig")


def test_the_schema_documents_the_feed_and_the_deleted_list(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/deleted/"]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert parameters["since"]["format"] == "date-time"
    assert set(parameters["kind"]["enum"]) == {"agreement", "mechanism", "event", "region", "jurisdiction", "stage", "finding", "figure", "source"}
    assert {"400", "404", "429"} <= set(operation["responses"])
    row = schema["components"]["schemas"]["Tombstone"]["properties"]
    assert set(row) == {"kind", "slug", "id", "deleted_at"}
    envelope = schema["components"]["schemas"]["PaginatedAgreementList"]["properties"]
    assert envelope["deleted"]["type"] == "array" and "updated_since" in envelope["deleted"]["description"]
    assert "deleted" not in schema["components"]["schemas"]["PaginatedTombstoneList"]["properties"]


def test_the_api_root_lists_the_feed(client):
    assert client.get("/api/v1/").json()["deleted"].endswith("/api/v1/deleted/")


# ---------------------------------------------------------------- the mirror


def every_record(client, resource, **params) -> tuple[dict[str, dict], list[str]]:
    """A resource's records by slug, all pages followed, and the envelope's ``deleted`` (if any)."""
    records, deleted, page = {}, [], 1
    while page:
        response = client.get(f"/api/v1/{resource}/", {**params, "page": page, "page_size": 100})
        assert response.status_code == 200, response.content
        body = response.json()
        records.update({item["slug"]: item for item in body["results"]})
        deleted = body.get("deleted", deleted)
        page = page + 1 if body["next"] else None
    return records, deleted


def sync(client, mirror: dict, since) -> dict[str, set[str]]:
    """What an analyst's script does: each list's changes since the last sync, then its deletions."""
    feed_slugs: dict[str, set[str]] = {}
    for row in feed(client, since=since_param(since)):
        feed_slugs.setdefault(row["kind"], set()).add(row["slug"])
    for resource in RESOURCES:
        changed, gone_slugs = every_record(client, resource, updated_since=since_param(since))
        mirror[resource].update(changed)
        for slug_gone in gone_slugs:
            mirror[resource].pop(slug_gone, None)
        assert set(gone_slugs) == feed_slugs.get(resource.removesuffix("s"), set())  # the envelope and the feed agree
    return feed_slugs


def assert_mirror_exact(client, mirror):
    for resource in RESOURCES:
        full = every_record(client, resource)[0]
        assert mirror[resource].keys() == full.keys(), resource
        assert [slug for slug in full if mirror[resource][slug] != full[slug]] == [], resource


def test_a_mirror_that_follows_updated_since_and_the_deletions_stays_exact(client, editor_client):
    since = moment_before_now()
    mirror = {resource: every_record(client, resource)[0] for resource in RESOURCES}

    # Edit, delete, rename, re-create and restore, by several roads; the deleted records are
    # referred to by others (implemented by agreements, established mechanisms, linked events),
    # whose answers change with them.
    implemented = Agreement.objects.filter(implemented_by__isnull=False).order_by("pk").first()
    establishing = Agreement.objects.filter(establishes__isnull=False).exclude(pk=implemented.pk).order_by("pk").first()
    others = Agreement.objects.exclude(pk__in=[implemented.pk, establishing.pk]).order_by("pk")
    edited, renamed, recreated, restored = others[:4]
    Agreement.objects.filter(pk=edited.pk).update(title="镜像同步期间改过的标题")  # updated_at not moved
    response = editor_client.post(f"/admin/agreements/agreement/{implemented.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    establishing.delete()  # its mechanisms' established_by is set to NULL
    old_slug = renamed.slug
    renamed.slug = f"{renamed.slug}-v2"
    renamed.save()
    slug, kind = recreated.slug, recreated.kind
    recreated.delete()
    Agreement.objects.create(slug=slug, title="以同一 slug 重建", kind=kind)
    restored_pk = restored.pk
    restored.delete()
    restore(EVENT_MODELS[Agreement].objects.get(pgh_obj_id=restored_pk, pgh_label="delete"))
    Agreement.objects.create(slug="mirror-new-record", title="新建的记录", kind=kind)
    Mechanism.objects.filter(events__isnull=False).order_by("pk").first().delete()

    feed_slugs = sync(client, mirror, since)
    assert feed_slugs["agreement"] == {implemented.slug, establishing.slug, old_slug}
    assert_mirror_exact(client, mirror)


def rename_a_region():
    Region.objects.filter(pk=Region.objects.order_by("pk").first().pk).update(name="改名的区域")


def remove_a_link():
    agreement = Agreement.objects.filter(regions__isnull=False).order_by("pk").first()
    agreement.regions.remove(agreement.regions.first())


def delete_an_alias():
    Agreement.objects.filter(aliases__isnull=False).order_by("pk").first().aliases.all().delete()


def edit_a_cited_source():
    Source.objects.filter(pk=Source.objects.order_by("pk").first().pk).update(title="改过的题名")


def move_a_stage():
    Stage.objects.filter(pk=Stage.objects.order_by("pk").first().pk).update(end_year=2030)


@pytest.mark.parametrize("change", [rename_a_region, remove_a_link, delete_an_alias, edit_a_cited_source, move_a_stage])
def test_a_mirror_follows_changes_that_do_not_move_updated_at(client, change):
    # Each of these changes other records' answers (names in references, links, aliases, citations,
    # derived stages) while only the changed row is written.
    since = moment_before_now()
    mirror = {resource: every_record(client, resource)[0] for resource in RESOURCES}
    change()
    sync(client, mirror, since)
    assert_mirror_exact(client, mirror)


def test_updated_since_still_leaves_out_what_did_not_change(client):
    since = moment_before_now()
    agreement = Agreement.objects.filter(implements__isnull=True, implemented_by__isnull=True).order_by("pk").first()
    agreement.title = "只改了这一条"
    agreement.save()
    changed, deleted = every_record(client, "agreements", updated_since=since_param(since))
    assert list(changed) == [agreement.slug] and deleted == []
    # Kinds whose answers never show an agreement are not sent again. (Those linked to it may be:
    # the rule follows relations, not the fields each answer shows, and errs on the side of more.)
    for resource in ("stages", "figures", "sources"):
        assert every_record(client, resource, updated_since=since_param(since)) == ({}, []), resource
