"""Property-based fuzzing of the whole API from its own OpenAPI schema (issue 14, "Bad input").

Schemathesis reads /api/v1/schema/ and sends every operation requests the schema calls valid
(which must be answered, 2xx or a 404 for a record that does not exist) and requests it calls
invalid (which must be refused with a 4xx), NUL bytes and odd Unicode included, through the
portal's WSGI application in this process, against the test database. Every answer must match
the schema: its status is documented, its content type is, its body fits the documented shape,
and none is a server error. That holds only if the schema states every constraint the API
enforces, which is what this test keeps true.

Two constraints no OpenAPI schema can state: that a slug parameter (``region=jjj``) names a record
that exists, and that ``year_to`` is not earlier than ``year_from``. A schema-valid request is
therefore made to keep them (``as_a_client_means_it``); breaking either is a 400 that says so
(issue 3), which tests/test_api_filters.py checks.

Bounded for CI: a fixed seed, deterministic generation, no example database, a fixed number of
examples per operation. The whole run takes well under the three minutes it is allowed.
"""

import json
import random

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from api.serializers import StatsQuerySerializer
from api.views import StatsView
from records.filters import WHITESPACE, SlugFilter
from regions.models import Region, Stage

pytestmark = pytest.mark.django_db

SEED = 14
EXAMPLES_PER_OPERATION = 40

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",  # schema-valid and schema-violating requests
            "max-examples": EXAMPLES_PER_OPERATION,
            "deterministic": True,
            "database": "none",
            "allow-x00": True,
            "codec": "utf-8",
        },
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True}, "stateful": {"enabled": False}},
        "checks": {
            # A URL past the portal's length limit (portal/guard.py) is refused with 414: a rejection too.
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 414, 415, 422, 428, 429]
            },
        },
    }
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
    negative_data_rejection,
]


def served_schema() -> dict:
    """The schema /api/v1/schema/ serves, built the way its view builds it (no request: collection has no database)."""
    generator = SchemaGenerator()
    return json.loads(OpenApiJsonRenderer().render(generator.get_schema(request=None, public=True)))


schema = schemathesis.openapi.from_dict(served_schema(), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture(scope="module")
def in_test_transaction():
    """Requests run inside the test's transaction, which the WSGI handler must not close.

    Between real requests the handler closes the connection (``close_old_connections``);
    Django's test client disconnects it the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def slug_choices(path: str) -> dict:
    """Each slug parameter of an operation → the records it may name (the filter's own queryset)."""
    view = getattr(resolve(path).func, "cls", None)
    filterset = getattr(view, "filterset_class", None)
    if filterset is not None:
        return {name: f.queryset for name, f in filterset.base_filters.items() if isinstance(f, SlugFilter)}
    if view is StatsView:
        return {name: field.queryset for name, field in StatsQuerySerializer().fields.items()}
    return {"region": Region.objects.all(), "stage": Stage.objects.all()}  # the search


def as_a_client_means_it(case):
    """A schema-valid request, made to mean what its schema cannot say (see the module's docstring).

    Its slug parameters name records that exist, and a year range does not end before it begins.
    Values are derived from the generated ones, so that the run stays deterministic.
    """
    if case.meta is None or not case.meta.generation.mode.is_positive or not case.query:
        return
    choices = slug_choices(case.operation.path)
    for name, value in list(case.query.items()):
        if name in choices and value:
            slugs = sorted(choices[name].values_list("slug", flat=True))
            case.query[name] = random.Random(str(value)).choice(slugs)
    years = [case.query.get("year_from"), case.query.get("year_to")]
    if all(str(year).isascii() and str(year).isdigit() for year in years) and int(years[0]) > int(years[1]):
        case.query["year_from"], case.query["year_to"] = years[1], years[0]


@schema.parametrize()
def test_the_api_keeps_its_schema(case, in_test_transaction):
    as_a_client_means_it(case)
    case.call_and_validate(checks=CHECKS)


def test_the_blank_pattern_knows_every_character_python_strips():
    assert set(WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


def test_the_fuzzed_schema_is_the_one_served(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert json.loads(response.content) == served_schema()
