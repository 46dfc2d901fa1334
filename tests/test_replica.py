"""Read replicas against a real streaming replica (issue 14, "Past one machine").

scripts/make-replica (run by .ci/run) makes it: a second PostgreSQL cluster on 127.0.0.1:5433,
a physical copy of the primary that replays its WAL. Physical replication copies every database,
so the test database pytest-django creates on the primary is on the replica under the same name,
with the dataset the suite loads into it. The portal runs under gunicorn with
``DATABASE_REPLICA_URLS`` naming that copy; edits are made on the primary by a connection of the
test's own (committed, so that they replicate) and undone afterwards.

To show which copy served a read, the test pauses WAL replay on the replica
(``pg_wal_replay_pause()``): an edit committed on the primary is then on the primary only.
"""

import html
import http.cookiejar
import json
import os
import re
import time
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager

import psycopg2
import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from tests.servers import get, production_server

pytestmark = pytest.mark.django_db

REPLICA_SERVER = os.environ.get("PORTAL_TEST_REPLICA_URL", "postgres://postgres@127.0.0.1:5433")
SLUG = "yrd-regional-police-cooperation-agreement-2010"
MARK = "（副本测试）"


def connect(url: str):
    link = psycopg2.connect(url, connect_timeout=3)
    link.autocommit = True
    return link


def scalar(link, sql: str, args=()):
    with link.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchone()[0]


def execute(link, sql: str, args=()) -> None:
    with link.cursor() as cursor:
        cursor.execute(sql, args)


def eventually(check, seconds: float = 20):
    """Poll until ``check()`` is true; replication is asynchronous, usually milliseconds behind."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_database_url(server: str) -> str:
    return f"{server}/{connection.settings_dict['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@pytest.fixture
def primary():
    conf = connection.settings_dict
    link = connect(f"postgres://{conf['USER']}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{conf['NAME']}")
    yield link
    with link.cursor() as cursor:
        cursor.execute("update agreements_agreement set title = replace(title, %s, '') where slug = %s", [MARK, SLUG])
    link.close()


@pytest.fixture
def replica(primary):
    """A connection to the test database on the replica, once the replica has caught up with it."""
    url = test_database_url(REPLICA_SERVER)
    try:
        link = connect(url)
        in_recovery = scalar(link, "select pg_is_in_recovery()")
    except psycopg2.OperationalError as exc:
        link, in_recovery, reason = None, False, f"no replica at {url} ({str(exc).strip()})"
    else:
        reason = f"{url} is not a replica (pg_is_in_recovery() is false)"
    if not in_recovery:
        message = f"{reason}; scripts/make-replica creates one"
        if os.environ.get("PORTAL_REQUIRE_REPLICA"):
            pytest.fail(message)  # CI made the replica: its absence is a failure, not a skip
        pytest.skip(message)
    caught_up = scalar(primary, "select pg_current_wal_lsn()")
    assert eventually(lambda: scalar(link, "select pg_last_wal_replay_lsn() >= %s::pg_lsn", [caught_up])), "the replica does not catch up"
    yield link
    execute(link, "select pg_wal_replay_resume()")
    link.close()


@contextmanager
def replay_paused(replica):
    execute(replica, "select pg_wal_replay_pause()")
    try:
        assert eventually(lambda: scalar(replica, "select pg_get_wal_replay_pause_state()") == "paused")
        yield
    finally:
        execute(replica, "select pg_wal_replay_resume()")


@pytest.fixture
def portal(replica):
    """The portal under gunicorn, reading from the replica; yields (base_url, application_name)."""
    env = {"DATABASE_REPLICA_URLS": test_database_url(REPLICA_SERVER)}
    with production_server(workers=2, env=env) as server:
        yield server


def api_title(base: str) -> str:
    status, body = get(f"{base}/api/v1/agreements/{SLUG}/")
    assert status == 200
    return json.loads(body)["title"]


def edit_on_primary(primary) -> None:
    with primary.cursor() as cursor:
        cursor.execute("update agreements_agreement set title = title || %s where slug = %s", [MARK, SLUG])


def test_the_replica_connection_reads_a_standby_on_its_own_port(replica):
    assert scalar(replica, "select pg_is_in_recovery()") is True
    assert scalar(replica, "select inet_server_port()") == urllib.parse.urlsplit(REPLICA_SERVER).port


def test_readers_are_served_by_the_replica(portal, primary, replica):
    base, application_name = portal
    original = api_title(base)
    with replay_paused(replica):
        edit_on_primary(primary)
        # The edit is committed on the primary but not replayed: a reader who sees the old title was
        # served by the replica — the API, and the page alike.
        assert {api_title(base) for _ in range(6)} == {original}
        page = get(f"{base}/agreements/{SLUG}/")[1].decode()
        assert html.escape(original) in page and MARK not in page
    assert scalar(replica, "select count(*) from pg_stat_activity where application_name = %s", [application_name]) > 0


def test_an_edit_on_the_primary_reaches_readers_through_replication(portal, primary, replica):
    base, _ = portal
    original = api_title(base)
    edit_on_primary(primary)
    assert eventually(lambda: api_title(base) == original + MARK), "the edit never reached the replica's readers"


class Editor:
    """A browser session for a staff account: cookies kept, the admin's CSRF token sent back."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=20) as response:
            return response.status, response.read().decode()

    def log_in(self, username: str, password: str) -> tuple[int, str]:
        _, form = self.get("/admin/login/?next=/admin/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"}
        ).encode()
        with self.opener.open(self.base + "/admin/login/?next=/admin/", data=data, timeout=20) as response:
            return response.status, response.geturl()


@pytest.fixture
def staff_account(primary):
    """A superuser committed on the primary (the server sees committed rows only)."""
    username, password = f"replica-editor-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex
    with primary.cursor() as cursor:
        cursor.execute(
            "insert into auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)"
            " values (%s, true, %s, '', '', '', true, true, now()) returning id",
            [make_password(password), username],
        )
        user_id = cursor.fetchone()[0]
    yield user_id, username, password
    with primary.cursor() as cursor:
        cursor.execute("delete from django_admin_log where user_id = %s", [user_id])
        cursor.execute("delete from auth_user where id = %s", [user_id])


def test_an_editors_writes_go_to_the_primary_and_their_next_pages_read_it(portal, primary, replica, staff_account):
    base, _ = portal
    user_id, username, password = staff_account
    editor = Editor(base)
    with replay_paused(replica):
        # Signing in writes (a session row, last_login): a replica would refuse with
        # "cannot execute … in a read-only transaction", so a signed-in editor proves the write
        # went to the primary.
        status, landed = editor.log_in(username, password)
        assert (status, urllib.parse.urlsplit(landed).path) == (200, "/admin/")
        assert scalar(primary, "select last_login is not null from auth_user where id = %s", [user_id]) is True
        assert scalar(replica, "select last_login is null from auth_user where id = %s", [user_id]) is True
        # The editor's next page reads the primary (their session is only there), and shows an edit
        # the paused replica has not got, while an anonymous reader is still served by the replica.
        edit_on_primary(primary)
        agreement_id = scalar(primary, "select id from agreements_agreement where slug = %s", [SLUG])
        status, form = editor.get(f"/admin/agreements/agreement/{agreement_id}/change/")
        assert status == 200 and MARK in form
        assert MARK not in api_title(base)
