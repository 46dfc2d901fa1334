"""One dictionary for every process (issue 11): a name saved through one process is a word in every
other server process at its next search, with the same ranking.

Two gunicorn servers (tests/servers.py) run against one database of their own, migrated and loaded
for this module: on PostgreSQL a throwaway database beside the test database, on SQLite a file
(the suite's SQLite test database lives in memory, which another process cannot open). The edit is
made by a third process, through the ORM, as the admin or the loader would make it.
"""

import json
import os
import subprocess
import sys
import uuid
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tests.servers import get, production_server

pytestmark = pytest.mark.django_db

NEW_NAME = "鹭岛联络站"
MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


def run(args, url):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    result = subprocess.run([*MANAGE, *args], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory, django_db_blocker):
    """A database two server processes can both open, with the curated dataset loaded."""
    import psycopg2

    with django_db_blocker.unblock():
        conf = dict(connection.settings_dict)
        vendor = connection.vendor
    admin = None
    if vendor == "postgresql":
        name = f"{conf['NAME']}_procs_{uuid.uuid4().hex[:6]}"
        admin = psycopg2.connect(
            host=conf["HOST"] or "127.0.0.1", port=conf["PORT"] or 5432, user=conf["USER"], dbname="postgres"
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        url = f"postgres://{conf['USER']}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{name}"
    elif vendor == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('procs') / 'portal.sqlite3'}"
    else:
        pytest.skip(f"no shared database for {vendor}")
    try:
        run(["migrate", "--noinput", "-v0"], url)
        run(["load_portal_data", "--skip-quote-check", "-v0"], url)
        yield url
    finally:
        if admin is not None:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def search(base, q):
    status, body = get(f"{base}/api/v1/search/?q={quote(q)}&page_size=50")
    assert status == 200, body[:500]
    data = json.loads(body)
    return data["words"], [(r["type"], r["slug"]) for r in data["results"]]


def edit(url, name, slug, agreement=None):
    """Save a mechanism with a new name (and an agreement that names it) in a process of its own."""
    script = ["from agreements.models import Agreement", "from mechanisms.models import Mechanism"]
    if agreement:
        script += [
            f"a = Agreement.objects.get(slug={agreement!r})",
            f"a.summary = '三地商定共建「{name}」，每月会商。'",
            "a.save()",
        ]
    script.append(f"Mechanism.objects.create(slug={slug!r}, name={name!r}, category='joint_meeting', description='三地警方的联络站。')")
    run(["shell", "-c", "\n".join(script)], url)


@pytest.fixture(scope="module")
def servers(shared_database):
    """Two server processes on the shared database, one worker each."""
    with production_server(workers=1, database_url=shared_database) as (first, _), production_server(
        workers=1, database_url=shared_database
    ) as (second, _):
        yield first, second


def test_a_name_saved_by_one_process_is_a_word_in_another_at_its_next_search(shared_database, servers):
    first, second = servers
    # Both servers have searched (and so loaded the stored dictionary) before the edit.
    before = [search(base, NEW_NAME) for base in (first, second)]
    edit(shared_database, NEW_NAME, "test-egret-liaison", agreement="tongwulang-mechanism-document-2017")
    after_first, after_second = search(first, NEW_NAME), search(second, NEW_NAME)

    assert all(words != [NEW_NAME] for words, _ in before)
    # The second server was told nothing: it read the new dictionary version at its next search.
    assert after_first[0] == after_second[0] == [NEW_NAME]
    assert after_first[1] == after_second[1]
    assert after_second[1][0] == ("mechanism", "test-egret-liaison")
    assert ("agreement", "tongwulang-mechanism-document-2017") in after_second[1]


def test_a_name_saved_by_one_process_is_suggested_by_every_process(shared_database, servers):
    name = "鸥屿联络站"
    for base in servers:
        assert get(f"{base}/api/v1/search/suggest/?q={quote('鸥屿')}")[0] == 200
    edit(shared_database, name, "test-gull-liaison")
    answers = []
    for base in servers:
        status, body = get(f"{base}/api/v1/search/suggest/?q={quote('鸥屿')}")
        assert status == 200
        answers.append([r["name"] for r in json.loads(body)["results"]])
    assert answers[0] == answers[1] == [name]
