"""Faults (issue 14, "Faults and data safety"): dropped connections and a lost database."""

import json
import time
from contextlib import contextmanager

import psycopg2
import pytest
from django.db import connection

from tests.servers import get, production_server

pytestmark = pytest.mark.django_db

PAGES = ["/", "/agreements/", "/timeline/", "/mechanisms/", "/regions/"]
API = ["/api/v1/agreements/", "/api/v1/stats/", "/api/v1/search/?q=%E5%8F%8D%E6%81%90"]


@contextmanager
def admin_connection():
    """A connection of our own to the maintenance database, outside the suite's transaction.

    Not psycopg2's ``with connection``: that opens a transaction even in autocommit, which would hold
    back ALTER DATABASE and freeze pg_stat_activity's snapshot.
    """
    conf = connection.settings_dict
    link = psycopg2.connect(
        host=conf["HOST"] or "127.0.0.1", port=conf["PORT"] or 5432, user=conf["USER"], dbname="postgres"
    )
    link.autocommit = True
    try:
        yield link
    finally:
        link.close()


def terminate_backends(link, application_name: str) -> int:
    """Terminate the server's backends and wait until they are gone (the signal is asynchronous)."""
    with link.cursor() as cursor:
        cursor.execute(
            "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity where application_name = %s",
            [application_name],
        )
        terminated = cursor.fetchone()[0]
        for _ in range(100):
            cursor.execute("select count(*) from pg_stat_activity where application_name = %s", [application_name])
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.05)
        return terminated


def test_terminating_the_servers_connections_fails_no_request():
    paths = PAGES + API
    statuses = []
    terminated = 0
    with production_server(workers=2) as (base, application_name), admin_connection() as link:
        for i in range(120):
            if i and i % 10 == 0:
                terminated += terminate_backends(link, application_name)
            statuses.append(get(base + paths[i % len(paths)])[0])
    assert terminated > 0, "the test never found the server's connections to terminate"
    assert [s for s in statuses if s != 200] == []


def test_with_no_database_pages_answer_a_friendly_503():
    # Nothing listens on this port: the database is down from the first request.
    with production_server(workers=1, database_url="postgres://postgres@127.0.0.1:1/portal") as (base, _):
        status, body = get(base + "/agreements/")
    assert status == 503
    assert "数据库暂时无法连接" in body.decode()
    assert "Traceback" not in body.decode() and "psycopg" not in body.decode()


def test_with_no_database_the_api_answers_a_json_503():
    with production_server(workers=1, database_url="postgres://postgres@127.0.0.1:1/portal") as (base, _):
        status, body = get(base + "/api/v1/agreements/")
    assert status == 503
    assert json.loads(body) == {"detail": "数据库暂时无法连接，请稍后再试。"}


def test_service_resumes_by_itself_when_the_database_returns():
    name = connection.settings_dict["NAME"]
    with production_server(workers=2) as (base, application_name), admin_connection() as link:
        assert get(base + "/agreements/")[0] == 200
        try:
            with link.cursor() as cursor:
                cursor.execute(f'alter database "{name}" allow_connections false')
            terminate_backends(link, application_name)
            down = [get(base + path)[0] for path in ("/agreements/", "/api/v1/agreements/")]
        finally:
            with link.cursor() as cursor:
                cursor.execute(f'alter database "{name}" allow_connections true')
        back = [get(base + path)[0] for path in ("/agreements/", "/api/v1/agreements/")]
    assert down == [503, 503]
    assert back == [200, 200]


def test_the_development_server_survives_20_concurrent_clients_without_hoarding_connections():
    import os
    import subprocess
    import sys
    from concurrent.futures import ThreadPoolExecutor

    from tests.servers import free_port, suite_database_url, wait_for_port

    port = free_port()
    application_name = f"portal-dev-{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": suite_database_url(),
        "PGAPPNAME": application_name,
    }
    env.pop("DATABASE_CONN_MAX_AGE", None)
    env.pop("DATABASE_REPLICA_URLS", None)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    paths = PAGES + API
    peak = 0
    try:
        wait_for_port(port, server)
        with admin_connection() as link, ThreadPoolExecutor(20) as pool:
            futures = [pool.submit(get, f"http://127.0.0.1:{port}{paths[i % len(paths)]}", 30) for i in range(200)]
            with link.cursor() as cursor:
                while not all(f.done() for f in futures):
                    cursor.execute("select count(*) from pg_stat_activity where application_name = %s", [application_name])
                    peak = max(peak, cursor.fetchone()[0])
                    time.sleep(0.05)
            statuses = [f.result()[0] for f in futures]
            time.sleep(0.5)
            with link.cursor() as cursor:
                cursor.execute("select count(*) from pg_stat_activity where application_name = %s", [application_name])
                left_open = cursor.fetchone()[0]
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert [s for s in statuses if s != 200] == []
    # About one connection per request in flight — a closed backend takes a moment to leave
    # pg_stat_activity on a busy machine, hence the margin — and none kept once the clients are done.
    assert peak <= 20 + 10
    assert left_open == 0
