"""Secure by default (issue 14, "Security"): deploy checks, response headers, an anonymous read-only API.

Headers are checked on pages, API answers (fresh and from the response cache), the API docs, the
admin and error pages, since each takes a different path through the middleware.
"""

import base64
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache

from agreements.models import Agreement

pytestmark = pytest.mark.django_db

AGREEMENT = "/agreements/jjj-coordinated-development-outline/"
URLS = [
    "/",
    "/agreements/",
    AGREEMENT,
    "/timeline/",
    "/no-such-page/",
    "/api/v1/",
    "/api/v1/agreements/",
    "/api/v1/agreements/jjj-coordinated-development-outline/",
    "/api/v1/search/?q=协议",
    "/api/v1/nothing-here/",
    "/api/v1/docs/",
    "/api/v1/schema/",
    "/admin/login/",
]


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def manage(*args, env=None):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], env={**base, **(env or {})}, capture_output=True, text=True,
        cwd=settings.BASE_DIR, timeout=300,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
}


# ---------------------------------------------------------------- check --deploy


def test_production_passes_the_deploy_check_at_warning_level():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_turning_the_https_redirect_off_is_reported_by_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, "DJANGO_SECURE_SSL_REDIRECT": "0"})
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def production_setting(expression: str, env: dict | None = None) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", code], env={**base, **PRODUCTION, **(env or {})}, capture_output=True, text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_proxy_https_header_is_trusted_only_when_configured():
    assert production_setting("settings.SECURE_PROXY_SSL_HEADER") == "None"
    configured = production_setting("settings.SECURE_PROXY_SSL_HEADER", {"DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"})
    assert configured == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_production_answers_json_only():
    assert production_setting("settings.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES']") == "['rest_framework.renderers.JSONRenderer']"
    assert production_setting("settings.API_BROWSABLE", {"API_BROWSABLE": "1"}) == "False"


def test_development_keeps_the_browsable_api():
    code = "import django; django.setup(); from django.conf import settings; print(settings.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES'][-1])"
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "API_BROWSABLE"}
    result = subprocess.run(
        [sys.executable, "-c", code], env={**base, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}, capture_output=True, text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.stdout.strip() == "rest_framework.renderers.BrowsableAPIRenderer"


def test_production_sends_hsts_and_secure_cookies():
    values = production_setting(
        "settings.SECURE_HSTS_SECONDS, settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE"
    )
    assert values == "31536000 True True True"


# ---------------------------------------------------------------- headers


@pytest.mark.parametrize("url", URLS)
def test_every_answer_has_a_content_security_policy_without_inline_script(client, url):
    response = client.get(url)
    directives = policy(response)
    assert directives["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]


@pytest.mark.parametrize("url", URLS)
def test_every_answer_forbids_sniffing_framing_and_cross_origin_openers(client, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_cached_api_answer_and_a_304_keep_the_headers(client):
    first = client.get("/api/v1/agreements/")
    second = client.get("/api/v1/agreements/")
    not_modified = client.get("/api/v1/agreements/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second["X-Portal-Cache"] == "hit" and not_modified.status_code == 304
    for response in (second, not_modified):
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


def scripts(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", html)


def test_the_json_ld_block_carries_its_responses_nonce(client):
    response = client.get(AGREEMENT)
    nonces = [s.removeprefix("'nonce-").removesuffix("'") for s in policy(response)["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1
    blocks = scripts(response.content.decode())
    assert blocks and all(f'nonce="{nonces[0]}"' in block for block in blocks)


def test_each_response_has_a_new_nonce(client):
    first, second = (policy(client.get(AGREEMENT))["script-src"] for _ in range(2))
    assert first != second


@pytest.mark.parametrize("url", ["/", "/agreements/", AGREEMENT, "/timeline/", "/api/v1/docs/", "/admin/login/"])
def test_no_page_has_an_inline_script_without_the_nonce(client, url):
    response = client.get(url)
    nonce_sources = [s for s in policy(response)["script-src"] if s.startswith("'nonce-")]
    for tag in scripts(response.content.decode()):
        if "src=" in tag:
            continue
        assert nonce_sources and f'nonce="{nonce_sources[0][7:-1]}"' in tag, tag


def test_the_api_docs_start_swagger_ui_from_a_static_file(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert re.search(r'<script src="/static/api/docs\.js">', page)
    assert 'data-schema-url="/api/v1/schema/"' in page
    assert client.get("/static/api/docs.js").status_code == 200


# ---------------------------------------------------------------- anonymous, read-only API


@pytest.mark.parametrize(
    "url", ["/", "/agreements/", AGREEMENT, "/api/v1/", "/api/v1/agreements/", "/api/v1/search/?q=协议", "/api/v1/docs/", "/api/v1/schema/", "/no-such-page/"]
)
def test_anonymous_readers_get_no_cookie(client, url):
    response = client.get(url)
    assert not response.cookies, list(response.cookies)


@pytest.mark.parametrize("url", ["/api/v1/agreements/", "/api/v1/search/?q=协议", "/api/v1/stats/"])
def test_the_api_ignores_basic_authentication(client, url, django_user_model):
    django_user_model.objects.create_superuser("editor-basic", "e@example.org", "correct-horse-battery-staple")
    for password in ("wrong-password", "correct-horse-battery-staple"):
        credentials = base64.b64encode(f"editor-basic:{password}".encode()).decode()
        response = client.get(url, HTTP_AUTHORIZATION=f"Basic {credentials}")
        # Had Basic authentication been on, the wrong password would be a 401 with WWW-Authenticate.
        assert response.status_code == 200
        assert "WWW-Authenticate" not in response


def test_a_signed_in_editor_is_anonymous_to_the_api(client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor-session", "s@example.org", "correct-horse-battery-staple")
    client.force_login(editor)
    # Session authentication would check CSRF first and answer 403; with none, the API says read-only.
    response = client.post("/api/v1/agreements/", {"title": "x"})
    assert response.status_code == 405


@pytest.mark.parametrize("url", ["/api/v1/agreements/", "/api/v1/", "/api/v1/search/?q=协议"])
def test_a_browser_gets_json_not_the_browsable_api(client, url):
    response = client.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response["Content-Type"].startswith("application/json")


def test_the_browsable_format_is_not_offered(client):
    response = client.get("/api/v1/agreements/", {"format": "api"})
    assert response.status_code == 404
    assert response.json()["detail"]


# ---------------------------------------------------------------- throttling by the real address


@pytest.fixture
def throttled(settings):
    settings.API_ANON_THROTTLE_RATE = "3/minute"
    cache.clear()
    yield settings
    cache.clear()


def test_a_forged_forwarded_for_does_not_escape_the_throttle(client, throttled):
    statuses = [
        client.get("/api/v1/stages/", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}", REMOTE_ADDR="203.0.113.7").status_code
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_the_search_is_throttled_too(client, throttled):
    statuses = [client.get("/api/v1/search/", {"q": "协议"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_behind_one_proxy_the_address_it_saw_is_counted(client, throttled):
    throttled.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.2"

    def call(client_writes: str, real: str) -> int:
        # The proxy appends the address it saw to whatever the client sent.
        return client.get("/api/v1/stages/", HTTP_X_FORWARDED_FOR=f"{client_writes}, {real}", REMOTE_ADDR=proxy).status_code

    assert [call(f"192.0.2.{i}", "203.0.113.9") for i in range(4)] == [200, 200, 200, 429]
    assert call("192.0.2.50", "203.0.113.10") == 200  # another reader behind the same proxy


def test_without_proxies_the_peer_address_is_counted(client, throttled):
    assert [client.get("/api/v1/stages/", REMOTE_ADDR="203.0.113.20").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get("/api/v1/stages/", REMOTE_ADDR="203.0.113.21").status_code == 200


def test_records_still_read_as_before(client):
    # The hardening changes no answer: a detail still reads its record.
    agreement = Agreement.objects.get(slug="jjj-coordinated-development-outline")
    assert client.get(f"/api/v1/agreements/{agreement.slug}/").json()["title"] == agreement.title
