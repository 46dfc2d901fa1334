"""A CSV answer is complete or visibly failed, never a short file that ends cleanly (issue 14, "Silent data loss").

An analyst who downloads ``?format=csv`` cannot tell a header-only file from an empty result, nor a
truncated file from a smaller one. So the query runs before the first byte (a failure is a JSON
error with its status), and a failure while the rows stream aborts the connection: the chunked body
never gets its terminating chunk, which every HTTP client reports as an incomplete download.
"""

import csv
import http.client
import io
import socket
import time
from contextlib import closing, contextmanager
from urllib.parse import urlsplit

import psycopg2
import pytest
from django.db import connection

from agreements.models import Agreement
from tests.servers import production_server
from tests.test_faults import admin_connection, terminate_backends

pytestmark = pytest.mark.django_db

RESOURCES = ["agreements", "mechanisms", "events", "regions", "jurisdictions", "stages", "findings", "figures", "sources"]


def assert_json_error(response, status: int) -> dict:
    assert not response.streaming, f"{response.status_code} {response['Content-Type']} began to stream"
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"]
    return body


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize(
    "updated_since",
    ["2020-01-01T00:00:00+16:00", "2020-13-01", "yesterday", "2020-02-30T00:00:00Z"],
)
def test_a_bad_updated_since_on_a_csv_request_is_a_json_400(client, resource, updated_since):
    response = client.get(f"/api/v1/{resource}/", {"format": "csv", "updated_since": updated_since})
    body = assert_json_error(response, 400)
    assert "updated_since" in body["errors"]


@pytest.mark.parametrize(
    "params",
    [{"search": ""}, {"search": "x" * 201}, {"year_from": "2020", "year_to": "2010"}, {"kind": "nonsense"},
     {"ordering": "summary"}, {"region": "no-such-region"}],
    ids=["blank-search", "long-search", "years-reversed", "unknown-kind", "unknown-ordering", "unknown-region"],
)
def test_any_bad_filter_on_a_csv_request_is_a_json_400_not_a_header_row(client, params):
    response = client.get("/api/v1/agreements/", {"format": "csv", **params}, HTTP_ACCEPT="text/csv")
    assert_json_error(response, 400)


@contextmanager
def own_connection(**options):
    """A connection of our own to the test database (committed data only, outside the suite's transaction)."""
    conf = connection.settings_dict
    link = psycopg2.connect(host=conf["HOST"] or "127.0.0.1", port=conf["PORT"] or 5432, user=conf["USER"], dbname=conf["NAME"])
    link.autocommit = options.get("autocommit", False)
    try:
        yield link
    finally:
        link.rollback()
        link.close()


def test_a_query_the_database_refuses_is_a_json_error_before_any_csv_byte(client):
    """The rows' table is locked by another session and the portal gives up waiting: a real database error.

    Before the fix the header row had already been sent as ``200 text/csv`` when the query failed.
    """
    with connection.cursor() as cursor:
        cursor.execute("set local lock_timeout = '300ms'")
    with own_connection() as locker, locker.cursor() as cursor:
        cursor.execute("set local lock_timeout = '5s'")
        cursor.execute("lock table agreements_agreement in access exclusive mode")
        response = client.get("/api/v1/agreements/", {"format": "csv"})
    body = assert_json_error(response, 503)
    assert body["request_id"]
    assert response["Retry-After"]


# ------------------------------------------------------------------ under the production server

SYNTHETIC_PREFIX = "csv-integrity-"
SYNTHETIC_ROWS = 6000
# About 3 KB a row: the whole file (some 20 MB) is far more than the sockets between server and
# client can buffer, so the server is still streaming when its database connection is cut.
SUMMARY = "合成数据，用于检验导出的完整性。" * 60


@pytest.fixture
def many_agreements():
    """SYNTHETIC_ROWS agreements committed for the server to see, removed afterwards.

    Triggers are off for this session (``session_replication_role``): the rows are the test's own
    and must leave no history or revision behind.
    """
    with own_connection(autocommit=True) as link, link.cursor() as cursor:
        cursor.execute("set session_replication_role = replica")
        cursor.execute("delete from agreements_agreement where slug like %s", [SYNTHETIC_PREFIX + "%"])
        cursor.execute(
            """
            insert into agreements_agreement
                (slug, title, kind, untitled, signatories_text, signatories_note, summary, date_year, created_at, updated_at)
            select %s || n, '完整性检验协议第' || n || '号', 'cooperation', false, '', '', %s, 2000 + n %% 25, now(), now()
            from generate_series(1, %s) as n
            """,
            [SYNTHETIC_PREFIX, SUMMARY, SYNTHETIC_ROWS],
        )
        try:
            yield Agreement.objects.count()
        finally:
            cursor.execute("delete from agreements_agreement where slug like %s", [SYNTHETIC_PREFIX + "%"])


def open_csv(base: str, receive_buffer: int = 64 * 1024) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """GET the agreements as CSV over a socket with a small receive buffer, so that the client sets the pace."""
    address = urlsplit(base)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.settimeout(60)
    sock.connect((address.hostname, address.port))
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    conn.sock = sock
    conn.request("GET", "/api/v1/agreements/?format=csv")
    return conn, conn.getresponse()


def read_to_end(response: http.client.HTTPResponse) -> tuple[bytes, BaseException | None]:
    """The body as far as it came, and what stopped it early (None when it ended as HTTP says a body ends)."""
    parts = []
    try:
        while block := response.read(256 * 1024):
            parts.append(block)
    except http.client.IncompleteRead as error:
        parts.append(error.partial)
        return b"".join(parts), error
    except (ConnectionError, http.client.HTTPException) as error:
        return b"".join(parts), error
    return b"".join(parts), None


def row_count(body: bytes) -> int:
    text = body.decode("utf-8", errors="ignore").lstrip("\ufeff")
    # A cut may fall inside a row: only rows whose line ended count.
    complete = text[: text.rfind("\n") + 1]
    return len(list(csv.DictReader(io.StringIO(complete))))


def test_a_connection_lost_mid_stream_aborts_the_download_instead_of_ending_it_short(many_agreements):
    total = many_agreements
    with production_server(workers=1) as (base, application_name), admin_connection() as admin:
        # The control: left alone, the download ends cleanly with every row.
        conn, response = open_csv(base)
        with closing(conn):
            assert response.status == 200 and response.getheader("Content-Type").startswith("text/csv")
            assert response.getheader("Transfer-Encoding") == "chunked"
            body, stopped = read_to_end(response)
        assert stopped is None
        assert row_count(body) == total

        conn, response = open_csv(base)
        with closing(conn):
            assert response.status == 200
            first = response.read(64 * 1024)
            time.sleep(1)  # the server fills the socket buffers and waits, mid-stream
            assert terminate_backends(admin, application_name) >= 1
            rest, stopped = read_to_end(response)
    received = row_count(first + rest)
    assert 0 < received < total, "the server was not cut off mid-stream: make the file larger"
    assert isinstance(stopped, (http.client.IncompleteRead, ConnectionError)), (
        f"{received} of {total} rows arrived and the body ended as if complete"
    )
