"""Browser tests: Debian's Chromium driven by Playwright for Python against the production server.

The portal runs under gunicorn (tests/servers.py) on the test database, so the browser sees what a
deployment serves: committed data, whitenoise static files, the real middleware. Every page a test
opens is watched: a console error, an uncaught exception, a failed request or a 4xx/5xx sub-resource
fails the test at teardown, unless the test says it expects one.

axe-core (tests/browser/vendor/) is evaluated through the DevTools protocol, not injected as a
script tag, so the portal's Content-Security-Policy stays on while the page is checked.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.servers import production_server

# Playwright's sync API keeps an event loop running on the test thread; the suite's own database
# calls on that thread are still synchronous, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).with_name("vendor") / "axe-core-4.10.3" / "axe.min.js"
SCREENSHOTS = Path(__file__).with_name("screenshots")  # git-ignored
PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1280, "height": 900}
BLOCKING_IMPACTS = {"serious", "critical"}


# tryfirst: the mark must be on before pytest-django orders the tests by it (database tests, then
# transactional ones, whose flush empties the suite's database, then the rest); unmarked, the
# browser tests ran last and found the dataset gone after tests/test_search_rebuild.py's flush.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # pytest-django sets up the test database only for runs that collect a database test;
            # the server reads it, and a test may read it too (inside a transaction the server
            # never sees: write through the server, or commit, to show the browser a change).
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def portal_url(django_db_setup, django_db_blocker):
    """Base URL of a gunicorn serving the suite's database (the curated dataset, loaded once)."""
    with django_db_blocker.unblock(), production_server(workers=2) as (base_url, _name):
        yield base_url


@pytest.fixture(scope="session")
def browser(portal_url):
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@dataclass
class Problems:
    """What went wrong on the pages a test opened; teardown fails the test if anything did."""

    items: list[str] = field(default_factory=list)
    expected: set[int] = field(default_factory=set)  # HTTP statuses the test provokes on purpose

    def expect_status(self, status: int) -> None:
        self.expected.add(status)

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.items.append(f"uncaught: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error" and not self._is_expected_status_echo(message.text):
            self.items.append(f"console: {message.text} ({message.location.get('url', '')})")

    def _is_expected_status_echo(self, text: str) -> bool:
        # Chromium echoes every 4xx/5xx response as a console error; those the test asked for are fine.
        return any(f"status of {status}" in text for status in self.expected)

    def _failed(self, request) -> None:
        failure = request.failure or ""
        if "net::ERR_ABORTED" in failure and request.resource_type in ("document", "other"):
            return  # a download, or a navigation that replaced the page
        self.items.append(f"request failed: {request.method} {request.url} {failure}")

    def _response(self, response) -> None:
        if response.status >= 400 and response.status not in self.expected:
            self.items.append(f"HTTP {response.status}: {response.request.method} {response.url}")


@pytest.fixture
def problems():
    return Problems()


def _new_page(browser, problems, viewport, locale, base_url):
    context = browser.new_context(viewport=viewport, locale=locale, base_url=base_url, accept_downloads=True)
    page = context.new_page()
    problems.watch(page)
    return context, page


@pytest.fixture
def page(browser, portal_url, problems):
    """A laptop-sized page in a Chinese-speaking browser, base URL set to the portal."""
    context, page = _new_page(browser, problems, LAPTOP, "zh-CN", portal_url)
    yield page
    context.close()
    assert not problems.items, "\n".join(problems.items)


@pytest.fixture
def phone_page(browser, portal_url, problems):
    """A 375-px-wide page, as on a phone."""
    context, page = _new_page(browser, problems, PHONE, "zh-CN", portal_url)
    yield page
    context.close()
    assert not problems.items, "\n".join(problems.items)


@pytest.fixture
def english_page(browser, portal_url, problems):
    """A page whose browser asks for English only (Accept-Language: en)."""
    context, page = _new_page(browser, problems, LAPTOP, "en-US", portal_url)
    context.set_extra_http_headers({"Accept-Language": "en"})
    yield page
    context.close()
    assert not problems.items, "\n".join(problems.items)


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now, one line each."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    return [
        f"{v['impact']}: {v['id']} — {v['help']} at {', '.join(v['nodes'][:5])}"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than its viewport (0 when nothing scrolls sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
