"""Under the portal's Content-Security-Policy, pages and the API docs work in a real browser.

A script the policy blocks shows as a console error, which the harness (tests/browser/conftest.py)
reports: these tests open the pages that carry scripts and fail on any such report.
"""

import pytest


@pytest.fixture(autouse=True)
def without_favicon_noise(page, problems):
    """The portal has no favicon yet (the page work's); Chromium's own request for it is not a script."""
    yield
    page.context.close()  # deliver every late console message before filtering
    problems.items[:] = [item for item in problems.items if "/favicon.ico" not in item]


def test_the_api_docs_render_every_operation_under_the_policy(page):
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=20000)
    assert page.locator(".opblock").count() >= 18  # list and detail of nine resources
    assert "区域警务协作知识库 API" in page.content()


def test_a_record_page_with_linked_data_loads_under_the_policy(page):
    page.goto("/agreements/jjj-coordinated-development-outline/")
    data = page.evaluate("() => JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert data["@context"]


def test_an_inline_script_without_the_nonce_is_blocked(page, problems):
    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.append(s); }"
    )
    assert page.evaluate("() => window.injected") is None
    # The browser's report of the blocked script is what this test provokes.
    assert any("Content Security Policy" in item for item in problems.items)
    problems.items.clear()


def test_an_error_page_is_styled_from_the_portal_itself(page, problems):
    problems.expect_status(404)
    page.goto("/no-such-page/")
    assert page.locator("h1").inner_text().startswith("页面不存在")


def test_the_admin_sign_in_page_loads_under_the_policy(page):
    page.goto("/admin/login/")
    assert page.locator("input[name=password]").count() == 1
