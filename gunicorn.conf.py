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


def post_worker_init(worker):
    """Load the search segmenter before the worker takes its first request.

    jieba's dictionary and the portal's own names (search/text.py) take a second or more to load,
    lazily, on a process's first search: under load that first search waited seconds, once per
    worker and again after each max_requests recycling. Loaded here, no request pays for it.
    The connection the dictionary was read on is closed, so the worker starts with none open.
    """
    from django.db import connections

    from search.text import segmenter

    segmenter.tokenizer()
    connections.close_all()
