"""The read-replica router's rules (portal/db_router.py, issue 14 "Past one machine").

What the router decides is tested here without a replica; that reads really are served by one,
against a streaming replica, is tests/test_replica.py.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from agreements.models import Agreement
from portal.db_router import PrimaryReplicaRouter, reading_from
from tests.servers import get, production_server

router = PrimaryReplicaRouter()


def database_settings(**env) -> dict:
    """DATABASES, DATABASE_REPLICAS and DATABASE_ROUTERS as a fresh process configures them."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'databases': {a: {'PORT': c['PORT'], 'NAME': c['NAME'], 'MIRROR': c.get('TEST', {}).get('MIRROR'),"
        " 'CONN_MAX_AGE': c['CONN_MAX_AGE']} for a, c in s.DATABASES.items()}, 'replicas': s.DATABASE_REPLICAS,"
        " 'routers': s.DATABASE_ROUTERS}))"
    )
    child_env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URLS"}
    child_env.update({"DJANGO_SETTINGS_MODULE": "portal.settings.dev", **env})
    out = subprocess.run([sys.executable, "-c", code], env=child_env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_without_replica_urls_there_is_one_database_and_no_router():
    conf = database_settings()
    assert list(conf["databases"]) == ["default"]
    assert conf["replicas"] == [] and conf["routers"] == []


def test_each_replica_url_becomes_a_replica_that_mirrors_default_in_tests():
    conf = database_settings(DATABASE_REPLICA_URLS="postgres://u@10.0.0.2:5433/portal, postgres://u@10.0.0.3:5434/portal")
    assert conf["replicas"] == ["replica1", "replica2"]
    assert conf["routers"] == ["portal.db_router.PrimaryReplicaRouter"]
    assert conf["databases"]["replica1"] == {"PORT": 5433, "NAME": "portal", "MIRROR": "default", "CONN_MAX_AGE": 0}
    assert conf["databases"]["replica2"]["PORT"] == 5434


def test_outside_a_request_reads_go_to_the_primary():
    # Management commands and the loader read what they are about to write: never a lagging copy.
    assert router.db_for_read(Agreement) == "default"


def test_a_request_reads_every_model_from_the_one_replica_it_chose():
    with reading_from("replica2"):
        assert {router.db_for_read(Agreement), router.db_for_read(settings.AUTH_USER_MODEL)} == {"replica2"}


def test_writes_go_to_the_primary():
    with reading_from("replica1"):
        assert router.db_for_write(Agreement) == "default"


def test_a_write_pins_the_rest_of_its_request_to_the_primary():
    with reading_from("replica1"):
        assert router.db_for_read(Agreement) == "replica1"
        router.db_for_write(Agreement)
        assert router.db_for_read(Agreement) == "default"
    assert router.db_for_read(Agreement) == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_on_the_primary_stay_on_the_primary():
    # pytest-django runs this test inside a transaction on default, as the admin runs each change.
    with reading_from("replica1"):
        assert router.db_for_read(Agreement) == "default"


def test_replicas_are_never_migrated():
    assert router.allow_migrate("default", "agreements") is True
    assert router.allow_migrate("replica1", "agreements") is False


@pytest.mark.django_db
def test_a_replica_that_cannot_be_reached_is_skipped_and_no_request_fails():
    # Nothing listens on port 1: every request must notice, and read from the primary instead.
    env = {"DATABASE_REPLICA_URLS": "postgres://postgres@127.0.0.1:1/portal"}
    paths = ["/", "/agreements/", "/timeline/", "/api/v1/agreements/", "/api/v1/stats/", "/api/v1/search/?q=%E5%8F%8D%E6%81%90"]
    with production_server(workers=1, env=env) as (base, _):
        statuses = [get(base + path)[0] for path in paths]
    assert statuses == [200] * len(paths)
