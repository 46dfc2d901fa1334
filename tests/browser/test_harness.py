"""The harness itself: what it reports is what a user's browser would show."""

from .conftest import Problems, axe_violations, horizontal_overflow


def test_a_script_error_on_a_page_is_reported(browser, portal_url):
    problems = Problems()
    context = browser.new_context(base_url=portal_url)
    page = context.new_page()
    problems.watch(page)
    page.goto("/")
    page.evaluate("() => setTimeout(() => { throw new Error('boom') }, 0)")
    page.wait_for_timeout(200)
    context.close()
    assert any("boom" in item for item in problems.items)


def test_a_missing_resource_is_reported(browser, portal_url):
    problems = Problems()
    context = browser.new_context(base_url=portal_url)
    page = context.new_page()
    problems.watch(page)
    page.goto("/static/no-such-file.css")
    context.close()
    assert any("HTTP 404" in item for item in problems.items)


def test_axe_runs_on_a_portal_page(page):
    page.goto("/")
    assert isinstance(axe_violations(page), list)


def test_overflow_is_measured_in_pixels(page):
    page.goto("/")
    page.evaluate("() => { const d = document.createElement('div'); d.style.width = '5000px';"
                  " d.style.height = '1px'; document.body.append(d); }")
    assert horizontal_overflow(page) > 1000


def test_the_page_shows_the_suite_database(page):
    from agreements.models import Agreement

    title = Agreement.objects.order_by("pk").first().title
    page.goto("/agreements/")
    assert title in page.content()
