"""Backup (issue 14): an export loaded into an empty database answers the API byte for byte alike."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

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


@pytest.fixture
def restored_database(tmp_path):
    """A new, migrated, empty database into which the export of the test database is loaded."""
    export = tmp_path / "portal.json"
    call_command("export_portal_data", str(export), stdout=open(os.devnull, "w"))
    name = f"restore_{uuid.uuid4().hex[:8]}"
    url = suite_database_url().rsplit("/", 1)[0] + f"/{name}"
    with admin_connection() as link, link.cursor() as cursor:
        cursor.execute(f'create database "{name}"')
    try:
        manage(url, "migrate", "--noinput")
        manage(url, "loaddata", str(export))
        manage(url, "rebuild_search_index")
        yield url
    finally:
        with admin_connection() as link, link.cursor() as cursor:
            cursor.execute(f'drop database if exists "{name}" with (force)')


def every_api_path(base: str) -> list[str]:
    paths = []
    for resource in RESOURCES:
        page = f"/api/v1/{resource}/?page_size=100"
        while page:
            paths.append(page)
            body = json.loads(get(base + page)[1])
            paths += [f"/api/v1/{resource}/{item['slug']}/" for item in body["results"]]
            page = body["next"] and body["next"].replace(base, "")
    return paths + ["/api/v1/stats/", "/api/v1/export/"]


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
    assert not models & {"records.datasetrevision", "search.searchdocument"}
