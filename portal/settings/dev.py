"""Local development: debug on by default and a throwaway key, never for a public host."""

import os

from .base import *  # noqa: F403
from .base import api_renderers, env_bool, env_int, logging_config

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-deploy"  # noqa: F405

# runserver serves each request in a thread of its own; a kept connection per thread, times 20
# clients, exhausted PostgreSQL's connections (issue 14). Close each one at the end of its request.
# Read replicas too (base.py), or each thread would keep one connection per replica.
for _conf in DATABASES.values():  # noqa: F405
    _conf["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0)

# The browsable API and readable log lines help a developer; production has neither. Logs go to
# stderr here, as runserver's do, so that a command's output on stdout stays clean.
API_BROWSABLE = env_bool("API_BROWSABLE", DEBUG)
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": api_renderers(API_BROWSABLE)}  # noqa: F405
LOGGING = logging_config(os.environ.get("PORTAL_LOG_FORMAT", "text"), PORTAL_LOG_LEVEL, stream="stderr")  # noqa: F405
