"""Shared state across worker processes (issue 14, "Load and scale"), under gunicorn with 2 workers."""

import json

import psycopg2
import pytest
import redis
from django.db import connection
from rest_framework import throttling

from tests.servers import get, production_server

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379 (CI starts it)")
    for key in client.scan_iter("*throttle_anon*"):
        client.delete(key)
    return client


def test_the_throttle_counts_in_djangos_default_cache():
    from django.core.cache import cache

    # DRF keeps the counts in django.core.cache.cache, which is CACHES["default"]: Redis when
    # REDIS_URL is set (portal/settings/base.py).
    assert throttling.SimpleRateThrottle.cache is cache


def test_with_redis_the_throttle_counts_requests_to_every_worker_together(shared_redis):
    env = {"REDIS_URL": REDIS_URL, "API_ANON_THROTTLE_RATE": "6/minute"}
    with production_server(workers=2, env=env) as (base, _):
        statuses = [get(base + "/api/v1/stats/")[0] for _ in range(12)]
    # Counted apart, two workers would let up to 12 through; counted together, exactly 6.
    assert statuses == [200] * 6 + [429] * 6


def test_an_edit_is_seen_by_the_next_request_in_every_worker(shared_redis):
    slug = "yrd-regional-police-cooperation-agreement-2010"
    conf = connection.settings_dict
    link = psycopg2.connect(host=conf["HOST"] or "127.0.0.1", port=conf["PORT"] or 5432, user=conf["USER"], dbname=conf["NAME"])
    link.autocommit = True
    path = f"/api/v1/agreements/{slug}/"
    try:
        with production_server(workers=2, env={"REDIS_URL": REDIS_URL}) as (base, _):
            before = {json.loads(get(base + path)[1])["title"] for _ in range(10)}
            with link.cursor() as cursor:
                cursor.execute("update agreements_agreement set title = title || '（改）' where slug = %s", [slug])
            after = {json.loads(get(base + path)[1])["title"] for _ in range(20)}
    finally:
        with link.cursor() as cursor:
            cursor.execute("update agreements_agreement set title = replace(title, '（改）', '') where slug = %s", [slug])
        link.close()
    (old,) = before
    assert after == {old + "（改）"}
