"""Production server: ``make serve`` (issue 14, "Load and scale").

Pre-forked sync workers: each serves one request at a time and keeps one database connection
(CONN_MAX_AGE, with health checks), so PostgreSQL sees at most ``workers`` connections per app
server. Static files are served by WhiteNoise inside the app (settings MIDDLEWARE), so no separate
web server is needed behind the load balancer.
"""

import multiprocessing
import os

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
# Gunicorn's rule of thumb, (2 × cores) + 1; WEB_CONCURRENCY overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# A keep-alive longer than the load balancer's idle timeout avoids resets on reused connections.
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound; jitter avoids all at once.
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# Trust X-Forwarded-* only from the local proxy unless told otherwise.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Gunicorn's own lines as JSON objects on stdout too, like the portal's (settings LOGGING), so that
# one log collector reads both; an access line carries the response's X-Request-ID, as the
# portal's line about the same request does.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus request_id=%({x-request-id}o)s'
if os.environ.get("PORTAL_LOG_FORMAT", "json") == "json":
    _to_stdout = {"handlers": ["stdout"], "level": "INFO", "propagate": False}
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s",
                "timestamp": "time",
                "rename_fields": {"levelname": "level", "name": "logger"},
            }
        },
        "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
        "root": {"level": "INFO", "handlers": []},
        # An access log sent elsewhere (GUNICORN_ACCESS_LOG, e.g. /dev/null under load) stays there.
        "loggers": {"gunicorn.error": _to_stdout, **({"gunicorn.access": _to_stdout} if accesslog == "-" else {})},
    }

def post_worker_init(worker):
    """Load the search segmenter before the worker takes its first request.

    jieba's dictionary and the portal's own names (search/text.py) take a second or more to load,
    lazily, on a process's first search: under load that first search waited seconds, once per
    worker and again after each max_requests recycling. Loaded here, no request pays for it.
    The connection the dictionary was read on is closed, so the worker starts with none open.
    A worker whose database is away at boot still starts (it answers 503, portal/unavailable.py).
    """
    from django.db import connections

    from search.text import segmenter

    try:
        segmenter.tokenizer()
    except Exception:  # noqa: BLE001 — the database may be away at boot; the first search loads it then
        worker.log.warning("search dictionary not loaded at worker start; the first search will load it", exc_info=True)
    connections.close_all()
