"""The edit history (issue 14, "Security"): every create, update and delete of a dataset row is kept,
with who, when, from which address, through which road, and any record can be restored from it.

The history is written by PostgreSQL triggers, so every road counts: the admin, the loader, the
shell, queryset updates and raw SQL.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test import Client

from agreements.models import Agreement, AgreementAlias
from dataset.services import dataset_export
from history.models import EVENT_MODELS, RecordChange
from history.services import RestoreError, restore
from records.revision import dataset_tables
from regions.models import Region
from sources.models import Citation

pytestmark = pytest.mark.django_db

AgreementHistory = EVENT_MODELS[Agreement]
DEVNULL = open("/dev/null", "w")


@pytest.fixture
def agreement():
    # The framework agreement has aliases, citations, signatories and regions: a record with everything.
    return Agreement.objects.named("框架协议").get()


@pytest.fixture
def editor_client():
    editor = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-passphrase-1", is_staff=True)
    # A curator's permissions: the records' apps (deleting an agreement deletes its aliases and citations) and the history.
    editor.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["agreements", "sources", "regions", "history"])
    )
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.force_login(editor)
    return client


def last_event(model, obj_id, label=None):
    events = EVENT_MODELS[model].objects.filter(pgh_obj_id=obj_id)
    if label:
        events = events.filter(pgh_label=label)
    return events.order_by("pgh_id").last()


def api_detail(client, slug):
    body = Client().get(f"/api/v1/agreements/{slug}/").json()
    body.pop("updated_at", None)
    return body


def change_form(agreement) -> dict:
    """The admin change form of an agreement as the browser would post it back, unchanged."""
    data = {
        "slug": agreement.slug, "title": agreement.title, "kind": agreement.kind, "summary": agreement.summary,
        "date_year": agreement.date_year or "", "date_month": agreement.date_month or "",
        "date_day": agreement.date_day or "", "signatories_text": agreement.signatories_text,
        "signatories": [j.pk for j in agreement.signatories.all()],
        "regions": [r.pk for r in agreement.regions.all()],
        "implements": [a.pk for a in agreement.implements.all()],
    }
    if agreement.untitled:
        data["untitled"] = "on"
    if agreement.date_before:
        data["date_before"] = "on"
    aliases = list(agreement.aliases.all())
    data.update({"aliases-TOTAL_FORMS": len(aliases), "aliases-INITIAL_FORMS": len(aliases)})
    for i, alias in enumerate(aliases):
        data.update({f"aliases-{i}-id": alias.pk, f"aliases-{i}-agreement": agreement.pk, f"aliases-{i}-name": alias.name})
    prefix = "sources-citation-content_type-object_id"
    citations = list(agreement.citations.all())
    data.update({f"{prefix}-TOTAL_FORMS": len(citations), f"{prefix}-INITIAL_FORMS": len(citations)})
    for i, c in enumerate(citations):
        data.update({
            f"{prefix}-{i}-id": c.pk, f"{prefix}-{i}-source": c.source_id, f"{prefix}-{i}-locator": c.locator,
            f"{prefix}-{i}-quote": c.quote, f"{prefix}-{i}-cites": c.cites_id or "", f"{prefix}-{i}-order": c.order,
        })
    return data


# ---------------------------------------------------------------- what is tracked


def test_every_dataset_table_has_a_history():
    tracked = {model._meta.db_table for model in EVENT_MODELS}
    assert set(dataset_tables()) - tracked == set()


def test_the_history_tables_are_not_dataset_tables():
    # Otherwise writing an event would count as a dataset change of its own (records/revision.py).
    history_tables = {event_model._meta.db_table for event_model in EVENT_MODELS.values()}
    assert history_tables & set(dataset_tables()) == set()
    assert not [t for t in dataset_tables() if t.startswith("pghistory")]


# ---------------------------------------------------------------- who, when, what, from where


def test_an_admin_edit_is_recorded_with_the_editor_the_address_and_the_change(editor_client, agreement):
    data = change_form(agreement)
    data["title"] = "编辑在后台改过的标题"
    response = editor_client.post(f"/admin/agreements/agreement/{agreement.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = last_event(Agreement, agreement.pk, "update")
    assert event.title == "编辑在后台改过的标题"
    assert event.pgh_context.metadata["username"] == "editor"
    assert event.pgh_context.metadata["address"] == "203.0.113.7"
    assert event.pgh_context.metadata["via"] == "admin"
    change = RecordChange.objects.get(pgh_slug=f"{AgreementHistory._meta.label}:{event.pk}")
    assert change.pgh_diff["title"] == [agreement.title, "编辑在后台改过的标题"]


def test_an_admin_delete_is_recorded_with_the_row_as_it_was(editor_client, agreement):
    response = editor_client.post(f"/admin/agreements/agreement/{agreement.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    event = last_event(Agreement, agreement.pk, "delete")
    assert (event.slug, event.title) == (agreement.slug, agreement.title)
    assert event.pgh_context.metadata["username"] == "editor"


def test_a_many_to_many_link_removed_is_recorded(agreement):
    region = agreement.regions.first()
    agreement.regions.remove(region)
    through = Agreement.regions.through
    removed = EVENT_MODELS[through].objects.filter(pgh_label="delete", agreement_id=agreement.pk, region_id=region.pk)
    assert removed.count() == 1


def test_the_loaders_writes_are_recorded_as_the_loaders(agreement, tmp_path):
    document = dataset_export()
    for record in document["agreement"]:
        if record["slug"] == agreement.slug:
            record["title"] = "经载入程序改过的标题"
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("load_portal_data", "--json", str(path), "--skip-quote-check", verbosity=0, stdout=DEVNULL)
    event = last_event(Agreement, agreement.pk, "update")
    assert event.title == "经载入程序改过的标题"
    assert event.pgh_context.metadata["via"] == "load_portal_data"


def test_the_shells_writes_are_recorded_as_the_shells(agreement):
    code = f"from agreements.models import Agreement; Agreement.objects.filter(pk={agreement.pk}).update(title='经 shell 改过的标题')"
    call_command("shell", command=code, stdout=DEVNULL)
    event = last_event(Agreement, agreement.pk, "update")
    assert event.title == "经 shell 改过的标题"
    assert event.pgh_context.metadata["via"] == "shell"


def test_a_raw_sql_write_is_recorded_too(agreement):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Agreement._meta.db_table} SET title = %s WHERE id = %s", ["经 SQL 改过的标题", agreement.pk])
    event = last_event(Agreement, agreement.pk, "update")
    assert event.title == "经 SQL 改过的标题"
    assert event.pgh_context is None  # no road said who it was: the history says so rather than guessing


# ---------------------------------------------------------------- reading it in the admin


def test_an_editor_reads_a_records_history_in_the_admin(editor_client, agreement):
    Agreement.objects.filter(pk=agreement.pk).update(title="改过一次的标题")
    page = editor_client.get(
        "/admin/history/recordchange/", {"method": "tracks", "obj": f"agreements.Agreement:{agreement.pk}"}
    )
    assert page.status_code == 200
    assert "改过一次的标题" in page.content.decode()


def test_a_records_change_page_links_to_its_history(editor_client, agreement):
    page = editor_client.get(f"/admin/agreements/agreement/{agreement.pk}/change/").content.decode()
    assert f"obj=agreements.Agreement:{agreement.pk}" in page


def test_the_history_is_not_for_anonymous_readers(client):
    response = client.get("/admin/history/recordchange/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# ---------------------------------------------------------------- restore


def test_restoring_an_update_puts_the_fields_back(agreement):
    original = last_event(Agreement, agreement.pk)
    Agreement.objects.filter(pk=agreement.pk).update(title="误改的标题", summary="误改的摘要")
    restore(original)
    agreement.refresh_from_db()
    assert (agreement.title, agreement.summary) == (original.title, original.summary)


def test_restoring_a_delete_brings_the_record_back_whole(agreement):
    before = api_detail(None, agreement.slug)
    assert before["aliases"] and before["citations"] and before["regions"]
    pk = agreement.pk
    agreement.delete()
    restored = restore(last_event(Agreement, pk, "delete"))
    assert Agreement.objects.filter(pk=pk).exists()
    assert api_detail(None, agreement.slug) == before  # same id, links, aliases and citations
    assert any(isinstance(row, Citation) for row in restored.rows)


def test_a_restored_record_counts_as_changed_now(agreement):
    old = agreement.updated_at
    event = last_event(Agreement, agreement.pk)
    pk = agreement.pk
    agreement.delete()
    restore(event)
    assert Agreement.objects.get(pk=pk).updated_at > old


def test_a_restore_that_conflicts_changes_nothing(agreement):
    pk = agreement.pk
    agreement.delete()
    Agreement.objects.create(slug=agreement.slug, title="占用了旧 slug 的新记录", kind=agreement.kind)
    aliases_before = AgreementAlias.objects.count()
    with pytest.raises(RestoreError):
        restore(last_event(Agreement, pk, "delete"))
    assert not Agreement.objects.filter(pk=pk).exists()
    assert AgreementAlias.objects.count() == aliases_before


def test_restoring_a_removed_link_links_again(agreement):
    region = agreement.regions.first()
    agreement.regions.remove(region)
    removed = EVENT_MODELS[Agreement.regions.through].objects.filter(pgh_label="delete", agreement_id=agreement.pk).last()
    restore(removed)
    assert agreement.regions.filter(pk=region.pk).exists()


def test_an_editor_restores_a_deleted_record_from_the_admin(editor_client, agreement):
    pk = agreement.pk
    agreement.delete()
    event = last_event(Agreement, pk, "delete")
    response = editor_client.post(
        "/admin/history/recordchange/",
        {"action": "restore_selected", "_selected_action": [f"{AgreementHistory._meta.label}:{event.pk}"]},
    )
    assert response.status_code == 302
    assert Agreement.objects.filter(pk=pk, title=agreement.title).exists()
    assert last_event(Agreement, pk, "insert").pgh_context.metadata["via"] == "restore"


def test_an_editor_without_the_restore_permission_cannot_restore(agreement):
    viewer = get_user_model().objects.create_user("viewer", "v@example.org", "a-long-passphrase-2", is_staff=True)
    client = Client()
    client.force_login(viewer)
    pk = agreement.pk
    agreement.delete()
    event = last_event(Agreement, pk, "delete")
    client.post(
        "/admin/history/recordchange/",
        {"action": "restore_selected", "_selected_action": [f"{AgreementHistory._meta.label}:{event.pk}"]},
    )
    assert not Agreement.objects.filter(pk=pk).exists()
