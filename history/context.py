"""The context of a change: who made it, from which address, and through which road.

pghistory attaches the context to every event its triggers write inside ``pghistory.context``.
The roads are ``admin`` (a request, with the signed-in user and the client's address),
``load_portal_data`` (the loader), ``shell`` (``manage.py shell``) and ``restore`` (a restore
from the history); a write made any other way (raw SQL in psql, say) is still recorded, with no
context. Context is a PostgreSQL session setting, so elsewhere (SQLite) this is a no-op.
"""

import contextlib
import getpass
import socket

import pghistory
from django.db import connection


def recording(via: str, **metadata):
    """A context manager under which every recorded change says it came through ``via``."""
    if connection.vendor != "postgresql":
        return contextlib.nullcontext()
    return pghistory.context(via=via, **metadata)


def command_context(command: str):
    """For management commands: the road is the command, the 'who' is the operating-system account."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):  # no such user in a container's passwd
        account = ""
    return recording(command, os_user=account, host=socket.gethostname())
