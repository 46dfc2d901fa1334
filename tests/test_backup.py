"""Backup (issue 14): an export loaded into an empty database answers the API byte for byte alike,
and holds the same edit history (the tombstone feed included)."""

import contextlib
import json
import os
import subprocess
import sys
import uuid
from urllib.parse import quote

import pgtrigger
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from agreements.models import Agreement, AgreementAlias
from mechanisms.models import Mechanism

from tests.servers import get, production_server, suite_database_url
from tests.test_faults import admin_connection

pytestmark = pytest.mark.django_db

RESOURCES = ["agreements", "mechanisms", "events", "regions", "jurisdictions", "stages", "findings", "figures", "sources"]


def manage(database_url: str, *args: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]


@contextlib.contextmanager
def restored_from(export):
    """A new, migrated, empty database into which ``export`` is loaded, as docs/deploy.md says."""
    name = f"restore_{uuid.uuid4().hex[:8]}"
    url = suite_database_url().rsplit("/", 1)[0] + f"/{name}"
    with admin_connection() as link, link.cursor() as cursor:
        cursor.execute(f'create database "{name}"')
    try:
        manage(url, "migrate", "--noinput")
        manage(url, "import_portal_data", str(export))
        manage(url, "rebuild_search_index")
        yield url
    finally:
        with admin_connection() as link, link.cursor() as cursor:
            cursor.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture
def restored_database(tmp_path):
    """The export of the test database, restored."""
    export = tmp_path / "portal.json"
    call_command("export_portal_data", str(export), stdout=open(os.devnull, "w"))
    with restored_from(export) as url:
        yield url


def every_api_path(base: str) -> list[str]:
    paths = []
    for resource in RESOURCES:
        page = f"/api/v1/{resource}/?page_size=100"
        while page:
            paths.append(page)
            body = json.loads(get(base + page)[1])
            paths += [f"/api/v1/{resource}/{item['slug']}/" for item in body["results"]]
            page = body["next"] and body["next"].replace(base, "")
    return paths + ["/api/v1/stats/", "/api/v1/export/", "/api/v1/deleted/"]


def answer(base: str, path: str) -> tuple[int, bytes]:
    """Status and body, with the server's own address (in every ``url``) put aside."""
    status, body = get(base + path)
    return status, body.replace(base.encode(), b"http://server")


def test_the_export_loaded_into_an_empty_database_gives_the_same_api_output(restored_database):
    assert connection.vendor == "postgresql"
    with production_server(workers=1) as (original, _), production_server(
        workers=1, database_url=restored_database
    ) as (restored, _):
        paths = every_api_path(original)
        differing = [path for path in paths if answer(original, path) != answer(restored, path)]
    assert len(paths) > 100
    assert differing == []


def test_the_export_names_no_derived_table(tmp_path):
    export = tmp_path / "portal.json"
    call_command("export_portal_data", str(export), stdout=open(os.devnull, "w"))
    models = {row["model"] for row in json.loads(export.read_text())}
    assert {"agreements.agreement", "sources.citation", "agreements.agreementalias"} <= models
    assert {"history.agreementhistory", "history.agreementregionshistory", "pghistory.context"} <= models
    assert not models & {"records.datasetrevision", "search.searchdocument"}


def test_the_history_and_the_tombstones_survive_the_round_trip(tmp_path, client):
    # Changes the saved database's history holds beyond the load: an edit, a delete, a rename, a
    # link removed. They are made in this test's transaction, so the export (same connection)
    # sees them, and the test's own client answers for the saved database.
    since = "2000-01-01T00:00:00+08:00"
    first, second, third = Agreement.objects.order_by("pk")[:3]
    Agreement.objects.filter(pk=first.pk).update(title="备份前改过的标题")
    second.delete()
    third.slug = f"{third.slug}-renamed"
    third.save()
    Mechanism.objects.order_by("pk").first().regions.clear()
    # Rows older than the history (written before it was installed) have no event: a load that
    # let the triggers run would give them insert events the saved history never had.
    with pgtrigger.ignore():
        AgreementAlias.objects.bulk_create(
            AgreementAlias(agreement=first, name=f"历史之前的别称{n}") for n in range(5)
        )
    export, again = tmp_path / "portal.json", tmp_path / "again.json"
    call_command("export_portal_data", str(export), stdout=open(os.devnull, "w"))

    with restored_from(export) as url, production_server(workers=1, database_url=url) as (restored, _):
        paths = [
            "/api/v1/deleted/", f"/api/v1/deleted/?since={quote(since)}&kind=agreement",
            f"/api/v1/agreements/?updated_since={quote(since)}&page_size=100",
        ]
        for path in paths:
            saved = client.get(path)
            assert saved.status_code == 200
            assert answer(restored, path) == (200, saved.content.replace(b"http://testserver", b"http://server")), path
        assert json.loads(answer(restored, paths[0])[1])["count"] >= 2  # the delete and the rename
        # The restored database exports the same file, byte for byte: every event, context and link kept.
        manage(url, "export_portal_data", str(again))
    assert again.read_bytes() == export.read_bytes()


def test_importing_into_a_database_that_is_not_empty_changes_nothing(tmp_path):
    export = tmp_path / "portal.json"
    call_command("export_portal_data", str(export), stdout=open(os.devnull, "w"))
    with restored_from(export) as url:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "DATABASE_URL": url}
        result = subprocess.run(
            [sys.executable, "manage.py", "import_portal_data", str(export)],
            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
        )
        assert result.returncode != 0 and "not empty" in result.stderr
