"""Local development: debug on by default and a throwaway key, never for a public host."""

from .base import *  # noqa: F403
from .base import env_bool, env_int

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-deploy"  # noqa: F405

# runserver serves each request in a thread of its own; a kept connection per thread, times 20
# clients, exhausted PostgreSQL's connections (issue 14). Close each one at the end of its request.
# Read replicas too (base.py), or each thread would keep one connection per replica.
for _conf in DATABASES.values():  # noqa: F405
    _conf["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0)
