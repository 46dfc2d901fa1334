"""Error answers (issue 14): small bilingual pages that need no database, JSON under /api/, request ids.

A failure here is a real one: a table renamed inside the test's transaction (rolled back after),
or, under production settings, a database without the portal's tables. What a reader sees must
never include a traceback, SQL, a table, a setting or the driver's name; the 500 says which
request it was, and the log line with that id is there to match it.
"""

import gettext
import io
import json
import logging
import re
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, RequestFactory
from django_guid import clear_guid, set_guid

from portal import errors
from tests.servers import production_environment_without_tables

LEAKS = re.compile(r"Traceback|psycopg|ProgrammingError|relation|SELECT|agreements_agreement|search_searchdocument|SECRET_KEY|settings\.|postgres", re.I)
UUID_HEX = re.compile(r"^[0-9a-f]{32}$")


def rename_table(table: str) -> None:
    """A real fault for this test only: the table is gone until the test's transaction rolls back."""
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{table}" RENAME TO "{table}_away"')


@pytest.fixture
def failing_client():
    return Client(raise_request_exception=False)


# ---------------------------------------------------------------- the pages


@pytest.mark.django_db
def test_a_missing_page_is_a_chinese_page_of_its_own(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="zh-hans">' in page and "页面不存在" in page
    assert "协议与文件" not in page  # not the portal's layout (base.html), which reads the database
    assert "/no-such-page/" not in page


@pytest.mark.django_db
def test_a_reader_who_asks_for_english_gets_the_page_in_english(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Page not found" in page and "Back to the home page" in page
    assert "页面不存在" not in page


@pytest.mark.django_db
def test_the_language_cookie_chooses_the_error_pages_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Page not found" in client.get("/no-such-page/").content.decode()


@pytest.mark.parametrize(
    "handler, status, title",
    [
        (lambda r: errors.bad_request(r, None), 400, "请求有误"),
        (lambda r: errors.permission_denied(r, None), 403, "禁止访问"),
        (lambda r: errors.page_not_found(r, None), 404, "页面不存在"),
        (errors.server_error, 500, "服务器内部错误"),
    ],
    ids=["400", "403", "404", "500"],
)
def test_every_error_page_renders_without_the_database(handler, status, title):
    # No django_db mark: pytest-django fails any query this test would make.
    response = handler(RequestFactory().get("/agreements/"))
    assert response.status_code == status
    assert title in response.content.decode()


@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_every_api_error_is_chinese_json_without_the_database(status):
    response = errors.error_response(RequestFactory().get("/api/v1/agreements/", HTTP_ACCEPT_LANGUAGE="en"), status)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert re.search(r"[\u4e00-\u9fff]", json.loads(response.content)["detail"])


def test_the_committed_catalogue_is_compiled_from_its_source():
    folder = settings.BASE_DIR / "portal" / "locale" / "en" / "LC_MESSAGES"
    source = dict(re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', (folder / "django.po").read_text(encoding="utf-8"), re.M))
    with open(folder / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    assert source and all(source.values())
    assert {key: catalogue.get(key) for key in source} == source


def test_english_error_pages_are_translated_from_the_committed_catalogue():
    set_guid(uuid.uuid4().hex)
    try:
        response = errors.server_error(RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en"))
    finally:
        clear_guid()
    assert "Server error" in response.content.decode() and "Request ID" in response.content.decode()


@pytest.mark.django_db
def test_a_page_500_shows_its_request_id_and_nothing_of_the_fault(failing_client):
    rename_table("agreements_agreement")
    response = failing_client.get("/agreements/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "服务器内部错误" in page
    assert UUID_HEX.match(response["X-Request-ID"])
    assert response["X-Request-ID"] in page
    assert not LEAKS.search(page), LEAKS.search(page)


@pytest.mark.django_db
def test_the_500_keeps_the_request_id_the_caller_sent(failing_client):
    rename_table("agreements_agreement")
    given = str(uuid.uuid4())
    response = failing_client.get("/agreements/", HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] == given
    assert given in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["not-a-uuid", "<script>alert(1)</script>", "x" * 200])
def test_an_invalid_request_id_is_replaced(client, given):
    response = client.get("/api/v1/", HTTP_X_REQUEST_ID=given)
    assert UUID_HEX.match(response["X-Request-ID"])


@pytest.mark.django_db
def test_every_answer_carries_a_request_id(client):
    ids = {client.get("/api/v1/stages/")["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3 and all(UUID_HEX.match(i) for i in ids)


@pytest.mark.django_db
def test_a_forged_csrf_post_gets_the_portals_403_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode() and "禁止访问" in response.content.decode()


@pytest.mark.django_db
def test_a_foreign_host_gets_the_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "本站不提供这个主机名的内容" in response.content.decode()


# ---------------------------------------------------------------- the API


@pytest.mark.django_db
@pytest.mark.parametrize(
    "table, url",
    [
        ("agreements_agreement", "/api/v1/agreements/"),
        ("agreements_agreement", "/api/v1/agreements/jjj-coordinated-development-outline/"),
        ("agreements_agreement", "/api/v1/stats/"),
        ("search_searchdocument", "/api/v1/search/?q=协议"),
    ],
)
def test_an_api_500_is_chinese_json_with_the_request_id_and_nothing_of_the_fault(failing_client, table, url):
    rename_table(table)
    response = failing_client.get(url)
    body = response.json()
    assert response.status_code == 500
    assert body["detail"].startswith("服务器内部错误")
    assert body["request_id"] == response["X-Request-ID"]
    assert not LEAKS.search(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/api/v1/agreements/?page=abc", "/api/v1/agreements/?year_from=x", "/api/v1/search/?q=", "/api/v1/search/?q=x&page_size=0", "/api/v1/nothing/"],
)
def test_api_errors_speak_chinese_whatever_the_browser_asks(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert 400 <= response.status_code < 500
    text = json.dumps(response.json(), ensure_ascii=False)
    assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"])
    assert not re.search(r"\b(valid|integer|required|Invalid|blank)\b", text), text


# ---------------------------------------------------------------- logs


@pytest.fixture
def log_lines():
    """What the portal's stdout log handler writes during the test, one parsed JSON object a line."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "stdout")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]
    handler.setStream(previous)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/agreements/", "/api/v1/agreements/"])
def test_every_500_is_logged_as_json_with_the_request_id_and_the_cause(failing_client, log_lines, url):
    rename_table("agreements_agreement")
    response = failing_client.get(url)
    errors_logged = [line for line in log_lines() if line["level"] == "ERROR"]
    assert response.status_code == 500
    assert errors_logged and {line["request_id"] for line in errors_logged} == {response["X-Request-ID"]}
    # The log, unlike the reader, gets the cause.
    assert any("agreements_agreement" in line.get("exc_info", "") for line in errors_logged)


@pytest.mark.django_db
def test_under_production_settings_a_failure_is_hidden_from_the_reader_and_logged_as_json():
    """Production settings against a database without the portal's tables: every request fails."""
    env = production_environment_without_tables()
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(raise_request_exception=False)\n"
        "answers = {}\n"
        "for url in ['/agreements/', '/api/v1/agreements/', '/api/v1/search/?q=x']:\n"
        "    r = client.get(url, secure=True, HTTP_HOST='portal.example.org')\n"
        "    answers[url] = [r.status_code, r['Content-Type'], r.content.decode(), r['X-Request-ID']]\n"
        "print('ANSWERS', json.dumps(answers))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    answers = json.loads(lines[-1].removeprefix("ANSWERS "))
    logged = [json.loads(line) for line in lines[:-1]]
    for url, (status, content_type, body, request_id) in answers.items():
        assert status == 500, (url, body)
        assert not LEAKS.search(body), (url, body)
        assert request_id in body
        assert content_type.startswith("application/json" if url.startswith("/api/") else "text/html")
        assert any(line["level"] == "ERROR" and line["request_id"] == request_id for line in logged), url
