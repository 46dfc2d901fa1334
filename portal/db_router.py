"""Reads from streaming replicas, writes to the primary (issue 14, "Past one machine"; docs/deploy.md).

Configured by ``DATABASE_REPLICA_URLS`` (settings: ``DATABASE_REPLICAS``); with none configured the
router is not installed and everything goes to ``default`` as before. The rules, in order:

1. Outside a request (management commands, the loader, the shell) everything goes to the primary:
   a command that read a lagging replica and then wrote from what it read would write stale data.
2. A request picks **one** replica when it starts and reads only from it. The dataset revision and
   the rows of one response then come from the same copy, never a newer revision from one replica
   and older rows from another — the response cache keys answers by that revision
   (records/middleware.py), so mixing copies could keep stale rows under a new key.
3. A write pins the rest of its request to the primary, so the request reads what it wrote.
4. Reads inside a transaction on the primary stay there: they belong to a read-modify-write
   (the admin wraps each change in one) and must see the transaction's own rows and locks.
5. Requests that may write, or whose next read must show what they wrote — unsafe methods, and
   anyone signed in (staff carry a session cookie; readers carry none) — use the primary
   throughout. Replication lag then never hides an editor's own edit on the next page, and the
   session itself is always read where it was written.
6. A replica that cannot be reached when a request starts is skipped (the next is tried, then the
   primary), so losing a replica degrades capacity instead of failing requests.

No library used: django-multidb-router (the usual choice) round-robins per query rather than per
request (rule 2), pins only on request methods rather than on an actual write (rule 3), and sets
its pinning cookie on any POST, a refused one to the read-only API included, where anonymous
readers must get no cookie.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import parse_cookie

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# The alias this request reads from; None outside a request (rule 1) and once it is pinned.
_read_alias: ContextVar[str | None] = ContextVar("portal_read_alias", default=None)


def replicas() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def reachable(alias: str) -> bool:
    """Connect now (a kept, health-checked connection costs nothing) rather than fail mid-request."""
    connection = connections[alias]
    try:
        # The health check Django would run before the first query, run now so that a kept
        # connection to a replica that went away is found here, while another can still be chosen.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        return False
    return True


def start_request(*, method: str, signed_in: bool) -> str:
    """Choose where this request reads; returns the alias (rules 5, 2, 6)."""
    alias = DEFAULT_DB_ALIAS
    # A request that starts inside a transaction on the primary (the test client within a test's
    # transaction) reads there throughout, by rule 4.
    if method.upper() in SAFE_METHODS and not signed_in and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
        candidates = replicas()
        random.shuffle(candidates)  # spreads readers over the replicas
        alias = next((candidate for candidate in candidates if reachable(candidate)), DEFAULT_DB_ALIAS)
    _read_alias.set(alias)
    return alias


def end_request() -> None:
    _read_alias.set(None)


@contextmanager
def reading_from(alias: str):
    """Read from ``alias`` inside the block, as a request that chose it would (rules 3 and 4 apply)."""
    token = _read_alias.set(alias)
    try:
        yield
    finally:
        _read_alias.reset(token)


def pin_to_primary() -> None:
    _read_alias.set(DEFAULT_DB_ALIAS)


def read_alias() -> str:
    return _read_alias.get() or DEFAULT_DB_ALIAS


def on_request_started(sender, environ=None, **kwargs):
    environ = environ or {}
    start_request(
        method=environ.get("REQUEST_METHOD", "GET"),
        signed_in=settings.SESSION_COOKIE_NAME in parse_cookie(environ.get("HTTP_COOKIE", "")),
    )


def on_request_finished(sender, **kwargs):
    end_request()


def connect_signals() -> None:
    """Called from PortalConfig.ready when replicas are configured."""
    request_started.connect(on_request_started, dispatch_uid="portal.db_router.start")
    request_finished.connect(on_request_finished, dispatch_uid="portal.db_router.finish")


class PrimaryReplicaRouter:
    """``DATABASE_ROUTERS`` entry; the request-level choice is made by the receivers above."""

    def db_for_read(self, model, **hints):
        alias = read_alias()
        if alias != DEFAULT_DB_ALIAS and connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # rule 4
        return alias

    def db_for_write(self, model, **hints):
        pin_to_primary()  # rule 3
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same rows (physical replication), so any two objects may relate.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Replicas are read-only copies: the schema arrives with the primary's WAL.
        return db == DEFAULT_DB_ALIAS
