"""Start the portal under its production server (gunicorn, gunicorn.conf.py) against the test database.

The server runs in a subprocess with its own connections, so what it sees is what a deployment sees:
committed data only, one connection kept per worker (CONN_MAX_AGE as in production).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def suite_database_url(alias: str = "default") -> str:
    """The URL of the test database pytest-django created (same server, ``test_`` name)."""
    conf = connections[alias].settings_dict
    return f"postgres://{conf['USER']}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{conf['NAME']}"


def production_environment_without_tables(host: str = "portal.example.org") -> dict:
    """The environment of a process running the production settings against the suite's server's
    ``postgres`` database, which has none of the portal's tables: every page that reads data fails,
    which is what the error-page tests want, and the pages that need none still answer."""
    conf = connections["default"].settings_dict
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
        "DJANGO_SECRET_KEY": "k" * 20 + uuid.uuid4().hex + "z" * 20,
        "DJANGO_ALLOWED_HOSTS": host,
        "DATABASE_URL": f"postgres://{conf['USER']}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/postgres",
    }


def get(url: str, timeout: float = 10):
    """(status, body) of a GET; an HTTP error status is an answer, not an exception."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                error = process.stderr.read().decode()[-2000:] if process.stderr else ""
                raise RuntimeError(f"the server did not start: {error}")
            time.sleep(0.2)


@contextmanager
def production_server(*, workers: int = 2, database_url: str | None = None, env: dict | None = None):
    """Yield ``(base_url, application_name)``; the application name tags the server's DB backends."""
    port = free_port()
    application_name = f"portal-test-{uuid.uuid4().hex[:8]}"
    child_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url or suite_database_url(),
        "DATABASE_CONN_MAX_AGE": "60",
        # libpq reads it: pg_stat_activity then tells this server's connections from the suite's.
        "PGAPPNAME": application_name,
        "WEB_CONCURRENCY": str(workers),
        "PORTAL_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": os.devnull,
        # One database unless a test names replicas (tests/test_replica.py): a URL exported for the
        # suite would name the wrong database, and a replica's lag would make other tests racy.
        "DATABASE_REPLICA_URLS": "",
        **(env or {}),
    }
    process = subprocess.Popen(
        [str(GUNICORN), "-c", str(settings.BASE_DIR / "gunicorn.conf.py"), "portal.wsgi:application"],
        cwd=settings.BASE_DIR,
        env=child_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for_port(port, process)
        yield base_url, application_name
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()
