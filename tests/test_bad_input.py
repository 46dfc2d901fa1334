"""Input that breaks Django sites gets a clear 4xx with a message, on pages and API alike (issue 14, "Bad input").

Each class of input here once reached a view or the database and ended as a 500; now the request
guard (portal/guard.py), the filters' forms and the API's lookup refuse it with a message, and no
error body repeats more than a short excerpt of what was sent.
"""

import socket
import urllib.parse

import pytest

from agreements.models import Agreement
from tests.servers import get, production_server

pytestmark = pytest.mark.django_db

PAGE_LISTS = ["/agreements/", "/mechanisms/", "/timeline/", "/findings/", "/regions/", "/sources/"]
API_LISTS = ["/api/v1/agreements/", "/api/v1/mechanisms/", "/api/v1/events/", "/api/v1/regions/", "/api/v1/sources/"]
API_VIEWS = [*API_LISTS, "/api/v1/", "/api/v1/stats/", "/api/v1/search/?q=协议"]
EVERYWHERE = [*PAGE_LISTS, "/", *API_VIEWS]


def join(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"


def assert_refused(response, status: int = 400):
    """A 4xx that says why: JSON ``detail`` under /api/, a page with a heading elsewhere."""
    assert response.status_code == status, response.content[:300]
    if response["Content-Type"].startswith("application/json"):
        assert response.json()["detail"]
    else:
        assert "<h1>" in response.content.decode()


# ---------------------------------------------------------------- more than 1,000 parameters


@pytest.mark.parametrize("url", EVERYWHERE)
def test_more_than_a_thousand_parameters_are_a_400(client, url):
    query = "&".join(f"p{i}=1" for i in range(1001))
    response = client.get(join(url, query))
    assert_refused(response)
    assert "1000" in response.content.decode()


def test_a_thousand_parameters_are_still_answered(client):
    query = "&".join(["a"] * 999)  # 2 KB: under the URL limit
    assert client.get(f"/api/v1/agreements/?{query}").status_code == 200


# ---------------------------------------------------------------- NUL bytes


@pytest.mark.parametrize("url", EVERYWHERE)
@pytest.mark.parametrize("query", ["search=a%00b", "q=%00", "ordering=%00date", "region=jjj%00", "a%00b=1"])
def test_a_nul_byte_in_any_parameter_is_a_400(client, url, query):
    assert_refused(client.get(join(url, query)))


@pytest.mark.parametrize(
    "path",
    ["/api/v1/agreements/a%00b/", "/api/v1/regions/%00/", "/api/v1/sources/x%00/", "/agreements/a%00b/", "/regions/%00/"],
)
def test_a_nul_byte_in_a_slug_is_a_400(client, path):
    assert_refused(client.get(path))


# ---------------------------------------------------------------- ids are ASCII digits only


@pytest.mark.parametrize(
    "digit",
    ["%C2%B2", "%C2%B9", "%EF%BC%91", "%D9%A1", "%E0%A5%A7"],
    ids=["superscript two", "superscript one", "full-width one", "arabic-indic one", "devanagari one"],
)
def test_a_unicode_digit_names_no_record(client, digit):
    response = client.get(f"/api/v1/agreements/{digit}/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_an_ascii_id_still_names_its_record(client):
    agreement = Agreement.objects.order_by("pk").first()
    response = client.get(f"/api/v1/agreements/{agreement.pk}/")
    assert response.status_code == 200
    assert response.json()["slug"] == agreement.slug


def test_an_id_beyond_the_database_integer_range_is_a_404(client):
    response = client.get("/api/v1/agreements/99999999999999999999999999/")
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/agreements/%EF%BC%91/", "/agreements/%C2%B2/"])
def test_a_unicode_digit_is_no_page(client, path):
    assert client.get(path).status_code == 404


# ---------------------------------------------------------------- dates and time zones


@pytest.mark.parametrize(
    "value",
    ["2020-01-01T00:00:00+16:00", "2020-01-01T00:00:00-16:00", "2020-01-01T00:00:00+23:59", "2020-01-01T00:00:00-23:00"],
)
def test_a_time_zone_offset_beyond_15_59_is_a_400(client, value):
    response = client.get("/api/v1/agreements/", {"updated_since": value})
    assert_refused(response)
    assert "updated_since" in response.json()["errors"]
    assert "15:59" in response.json()["errors"]["updated_since"][0]


@pytest.mark.parametrize("value", ["2020-01-01T00:00:00+15:59", "2020-01-01T00:00:00-15:59", "2020-01-01T00:00:00Z"])
def test_an_offset_within_15_59_is_accepted(client, value):
    assert client.get("/api/v1/agreements/", {"updated_since": value}).status_code == 200


@pytest.mark.parametrize(
    "value", ["2020-02-30T00:00:00", "2021-13-01", "2020-01-01T25:00:00", "0000-01-01T00:00:00", "yesterday", "2020-01-01T00:00:00+8"]
)
@pytest.mark.parametrize("url", API_LISTS)
def test_an_impossible_change_date_is_a_400(client, url, value):
    response = client.get(url, {"updated_since": value})
    assert_refused(response)
    assert "updated_since" in response.json()["errors"]


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59+15:59", "0001-01-01T00:00:00-15:59"])
def test_dates_at_the_ends_of_the_calendar_are_answered(client, value):
    assert client.get("/api/v1/agreements/", {"updated_since": value}).status_code == 200


@pytest.mark.parametrize(
    "value",
    ["2020-01-01T00:00:00", "2020-01-01", "2020-01-01 00:00:00+08:00", "2020-01-01T00:00+08:00", "20200101T000000Z",
     "2020-01-01T00:00:00\u00a0+08:00", "２０２０-01-01T00:00:00Z"],
)
def test_a_change_time_must_be_rfc_3339_with_its_offset(client, value):
    # The schema's format: date-time. Without an offset the moment would be read in the portal's
    # time zone, which a mirror in another one would not expect.
    response = client.get("/api/v1/agreements/", {"updated_since": value})
    assert_refused(response)
    assert "RFC 3339" in response.json()["errors"]["updated_since"][0]


@pytest.mark.parametrize("value", ["2020-01-01T00:00:00.123456+08:00", "2020-01-01t00:00:00z", "2020-01-01T00:00:00.5Z"])
def test_rfc_3339_variants_are_accepted(client, value):
    assert client.get("/api/v1/agreements/", {"updated_since": value}).status_code == 200


@pytest.mark.parametrize("params", [{"year_from": "20x0"}, {"year_from": "99999999999999999999"}, {"year_to": "-1"}])
def test_an_impossible_year_is_a_400(client, params):
    assert_refused(client.get("/api/v1/agreements/", params))


# ---------------------------------------------------------------- search syntax

SEARCH_SYNTAX = [
    "a & b | !c", "foo:*", "'a' <-> 'b'", "(((", ")", "!", "&&||", "a:b:c", "'", '"unterminated', "\\",
    "%", "_", "%_%", "100%", "[a-z]+", ".*", "^$", "(?i)x", "a{1,9999}", "*", "NOT OR AND", "-", "--", "/*", ";",
    "京津冀 & !协议", "通武廊:*A", "\u200b", "\ufeff京",
]


@pytest.mark.parametrize("text", SEARCH_SYNTAX)
def test_query_syntax_in_the_api_search_is_plain_text(client, text):
    for url, name in (("/api/v1/agreements/", "search"), ("/api/v1/mechanisms/", "search"), ("/api/v1/search/", "q")):
        response = client.get(url, {name: text})
        assert response.status_code in (200, 400), (url, text, response.content[:300])
        if response.status_code == 400:
            assert response.json()["detail"]


@pytest.mark.parametrize("text", SEARCH_SYNTAX)
def test_query_syntax_in_the_page_search_is_plain_text(client, text):
    for url in ("/agreements/", "/mechanisms/"):
        assert client.get(url, {"q": text}).status_code in (200, 400), (url, text)


# ---------------------------------------------------------------- pagination and ordering


@pytest.mark.parametrize("value", ["0", "-1", "-99999999999999999999", "abc", "1.5", ""])
@pytest.mark.parametrize("name", ["page", "page_size"])
@pytest.mark.parametrize("url", [*API_LISTS, "/api/v1/search/?q=协议"])
def test_a_zero_negative_or_malformed_page_is_a_400(client, url, name, value):
    if value == "" and name == "page":
        pytest.skip("an empty page means the first page")
    response = client.get(join(url, f"{name}={value}"))
    if value == "":
        assert response.status_code in (200, 400)
    else:
        assert_refused(response)


INTEGER_PARAMETERS = [
    *[(url, name) for url in [*API_LISTS, "/api/v1/search/?q=协议"] for name in ("page", "page_size")],
    *[(url, name) for url in ["/api/v1/agreements/", "/api/v1/events/", "/api/v1/search/?q=协议"] for name in ("year_from", "year_to")],
]


@pytest.mark.parametrize("value", ["2000.0", "+2000", " 2000", "2000 ", "２０００", "٢٠٠٠", "2_000", "0x7d0"])
@pytest.mark.parametrize(("url", "name"), INTEGER_PARAMETERS)
def test_an_integer_parameter_takes_ascii_digits_only(client, url, name, value):
    # The schema says integer; Python's int() also reads these, and so did the API (issue 14).
    response = client.get(join(url, f"{name}={urllib.parse.quote(value)}"))
    assert_refused(response)
    assert name in response.json()["errors"]


@pytest.mark.parametrize("query", ["page_size=abc", "page=0", "page=1.5"])
def test_a_malformed_page_on_a_csv_request_is_a_400_too(client, query):
    # CSV holds every page in one file, but the parameter is still the caller's mistake.
    response = client.get(join("/api/v1/agreements/?format=csv", query))
    assert_refused(response)
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("url", ["/api/v1/agreements/?format=jsonld&page=0", "/api/v1/regions/no-such-region/?format=jsonld"])
def test_an_error_under_json_ld_is_plain_json(client, url):
    # Every error is documented as application/json, whatever format was asked for.
    response = client.get(url)
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.parametrize("url", [*API_LISTS, "/api/v1/search/?q=协议"])
def test_a_page_past_the_last_is_a_404_with_a_message(client, url):
    assert_refused(client.get(join(url, "page=99999999999999999999999999")), status=404)


@pytest.mark.parametrize("url", [*API_LISTS, "/api/v1/search/?q=协议"])
def test_a_huge_page_size_is_served_at_the_cap(client, url):
    response = client.get(join(url, "page_size=99999999999999999999999999"))
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 100


@pytest.mark.parametrize("value", ["bogus", "-", "--date", "date,title", "pk", "updated_at", "title; drop table x"])
def test_an_unknown_ordering_is_a_400(client, value):
    response = client.get("/api/v1/agreements/", {"ordering": value})
    assert_refused(response)
    assert "ordering" in response.json()["errors"]


@pytest.mark.parametrize("query", ["page=-1", "page=99999999999999999999", "ordering=bogus", "page_size=0"])
@pytest.mark.parametrize("url", PAGE_LISTS)
def test_pages_never_fail_on_odd_list_parameters(client, url, query):
    assert client.get(join(url, query)).status_code < 500


# ---------------------------------------------------------------- invalid UTF-8


@pytest.mark.parametrize("url", EVERYWHERE)
@pytest.mark.parametrize("query", ["q=%FF%FE", "search=%C3%28", "x=%E4%B8", "%FF=1"])
def test_invalid_utf8_in_the_query_string_is_a_400(client, url, query):
    assert_refused(client.get(join(url, query)))


@pytest.mark.parametrize("path", ["/api/v1/agreements/%FF/", "/api/v1/%C3%28/", "/agreements/%FF/", "/%E4%B8/"])
def test_invalid_utf8_in_the_path_names_nothing(client, path):
    # Without the server's raw request line, Django percent-encodes the bytes again: a name no
    # record or page has.
    assert_refused(client.get(path), status=404)


@pytest.mark.parametrize("path", ["/api/v1/agreements/%FF/", "/agreements/%C3%28/"])
def test_invalid_utf8_in_the_raw_request_line_is_a_400(client, path):
    response = client.get(path, RAW_URI=path)
    assert_refused(response)
    assert "UTF-8" in response.content.decode()


# ---------------------------------------------------------------- long URLs and echoes


@pytest.mark.parametrize("url", ["/api/v1/agreements/" + "a" * 8192 + "/", "/agreements/" + "a" * 8192 + "/"])
def test_a_very_long_path_is_a_414_that_does_not_repeat_it(client, url):
    response = client.get(url)
    assert_refused(response, status=414)
    assert len(response.content) < 2000


@pytest.mark.parametrize("url", ["/api/v1/agreements/", "/agreements/", "/api/v1/search/"])
def test_a_very_long_query_string_is_a_414(client, url):
    assert_refused(client.get(url, {"q": "京" * 3000}), status=414)


def test_a_long_unknown_slug_comes_back_as_an_excerpt(client):
    slug = "b" * 3000
    response = client.get(f"/api/v1/agreements/{slug}/")
    assert response.status_code == 404
    assert len(response.content) < 600
    assert "b" * 100 not in response.json()["detail"]
    assert "b" * 20 in response.json()["detail"]  # enough to recognise it


def test_a_long_unknown_api_path_comes_back_as_an_excerpt(client):
    response = client.get("/api/v1/" + "c" * 3000)
    assert response.status_code == 404
    assert len(response.content) < 600


@pytest.mark.parametrize(
    "params", [{"region": "r" * 3000}, {"ordering": "o" * 3000}, {"kind": "k" * 3000}, {"jurisdiction": "j" * 3000}]
)
def test_a_long_bad_parameter_comes_back_as_an_excerpt(client, params):
    response = client.get("/api/v1/agreements/", params)
    assert response.status_code == 400
    assert len(response.content) < 2000
    value = next(iter(params.values()))
    assert value[:400] not in response.content.decode()


def test_a_long_bad_search_region_comes_back_as_an_excerpt(client):
    response = client.get("/api/v1/search/", {"q": "协议", "region": "r" * 3000})
    assert response.status_code == 400
    assert len(response.content) < 2000


# ---------------------------------------------------------------- Host and methods


@pytest.mark.parametrize("url", ["/", "/agreements/", "/api/v1/", "/api/v1/agreements/", "/api/v1/search/?q=协议"])
def test_a_foreign_host_is_a_400(client, url):
    response = client.get(url, HTTP_HOST="evil.example")
    assert_refused(response)
    assert "evil.example" not in response.content.decode()


API_WRITES = ["/api/v1/agreements/", "/api/v1/agreements/jjj-coordinated-development-outline/", "/api/v1/", "/api/v1/stats/", "/api/v1/search/", "/api/v1/export/"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "PROPFIND", "TRACE", "CONNECT", "BREW"])
@pytest.mark.parametrize("url", API_WRITES)
def test_writes_and_odd_methods_on_the_api_are_a_405_with_a_message(client, url, method):
    response = client.generic(method, url, data='{"title": "x"}', content_type="application/json")
    assert response.status_code == 405
    detail = response.json()["detail"]
    assert "只读" in detail and method in detail
    assert "GET" in response["Allow"]


def test_a_write_leaves_the_record_as_it_was(client):
    agreement = Agreement.objects.order_by("pk").first()
    client.delete(f"/api/v1/agreements/{agreement.slug}/")
    client.put(f"/api/v1/agreements/{agreement.slug}/", {"title": "x"}, content_type="application/json")
    agreement.refresh_from_db()
    assert Agreement.objects.filter(pk=agreement.pk, title=agreement.title).exists()
    assert agreement.title != "x"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PROPFIND"])
@pytest.mark.parametrize("url", ["/", "/agreements/", "/timeline/"])
def test_writes_on_pages_are_a_405_page_that_says_so(client, url, method):
    response = client.generic(method, url)
    assert_refused(response, status=405)
    assert "不支持的请求方法" in response.content.decode()
    assert "GET" in response["Allow"]


def test_a_write_on_a_page_without_its_csrf_token_is_a_403_page(url="/agreements/"):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(url, {"q": "x"})
    assert_refused(response, status=403)


# ---------------------------------------------------------------- through the production server


@pytest.fixture(scope="module")
def served(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), production_server(workers=1) as (base_url, _name):
        yield base_url


def raw_get(base_url: str, target: str, host: str = "127.0.0.1") -> tuple[int, bytes]:
    """A GET whose request line is sent exactly as written (urllib would re-quote it)."""
    address = urllib.parse.urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize(
    "target, status",
    [
        ("/agreements/%FF/", 400),
        ("/api/v1/agreements/%C3%28/", 400),
        ("/api/v1/agreements/a%00b/", 400),
        ("/api/v1/agreements/?search=%FF", 400),
        ("/api/v1/agreements/%C2%B2/", 404),
        ("/api/v1/agreements/?updated_since=2020-01-01T00:00:00%2B16:00", 400),
        ("/api/v1/agreements/" + "a" * 3000 + "/", 404),
    ],
)
def test_the_production_server_refuses_bad_requests_with_a_message(served, target, status):
    answer, body = raw_get(served, target)
    assert answer == status
    assert len(body) < 2000


def test_the_production_server_refuses_a_foreign_host(served):
    assert raw_get(served, "/api/v1/", host="evil.example")[0] == 400


def test_the_production_server_refuses_a_request_line_past_its_limit(served):
    # gunicorn's own limit (4,094 bytes) stops an 8 KB path before Django; either way, no echo.
    status, body = raw_get(served, "/api/v1/agreements/" + "a" * 8192 + "/")
    assert status in (400, 414)
    assert b"a" * 1000 not in body


def test_the_production_server_still_answers_good_requests(served):
    assert get(served + "/api/v1/agreements/")[0] == 200
