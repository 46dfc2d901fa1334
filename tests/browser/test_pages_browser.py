"""The pages in a real browser (issue 10): facets, downloads, search, citations, languages, a11y, phones.

Every test's page is watched by the harness: a console error or a failed request fails it.
Screenshots land in tests/browser/screenshots/ (git-ignored) to be looked at by eye.
"""

import csv
import io
import re

import bibtexparser
import pytest
import rispy

from .conftest import axe_violations, horizontal_overflow, screenshot

PAGES = [
    ("home", "/"),
    ("agreements", "/agreements/"),
    ("agreements-filtered", "/agreements/?region=jjj&kind=opinion"),
    ("agreements-search", "/agreements/?search=禁毒"),
    ("agreements-bad-value", "/agreements/?year_from=abc"),
    ("agreement", "/agreements/jjj-police-framework-2016/"),
    ("mechanisms", "/mechanisms/"),
    ("mechanism-categories", "/mechanisms/categories/"),
    ("mechanism", "/mechanisms/jjj-eight-integrations/"),
    ("events", "/timeline/events/"),
    ("event", "/timeline/events/jjj-2014-02-report/"),
    ("findings", "/findings/"),
    ("findings-browse", "/findings/browse/"),
    ("finding", "/findings/p1-problem-information-sharing/"),
    ("figure", "/findings/figures/jjj-68-mechanisms/"),
    ("regions", "/regions/"),
    ("region", "/regions/jjj/"),
    ("jurisdiction", "/regions/jurisdictions/beijing/"),
    ("stage", "/regions/stages/jjj-consolidation/"),
    ("sources", "/sources/"),
    ("source", "/sources/yang-xin-2025/"),
    ("search", "/search/?q=京警入冀"),
    ("search-none", "/search/?q=火星殖民"),
    ("search-bad-value", "/search/?q="),
    ("findings-bad-value", "/findings/browse/?source=nobody"),
    ("not-found", "/agreements/no-such-agreement/"),
    ("data", "/data/"),
]
STATUS = {"agreements-bad-value": 400, "search-bad-value": 400, "findings-bad-value": 400, "not-found": 404}


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_axe_finds_no_serious_violation(page, problems, name, path):
    if name in STATUS:
        problems.expect_status(STATUS[name])
    page.goto(path)
    screenshot(page, f"laptop-{name}")
    assert axe_violations(page) == []


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_a_page_fits_a_375_px_phone(phone_page, problems, name, path):
    if name in STATUS:
        problems.expect_status(STATUS[name])
    phone_page.goto(path)
    screenshot(phone_page, f"phone-{name}")
    assert horizontal_overflow(phone_page) <= 0
    # A navigation link never breaks across lines (issue 10: 「at 375 px the navigation wraps inside a link」).
    broken = phone_page.eval_on_selector_all("header nav a", "links => links.filter(a => a.getClientRects().length > 1).map(a => a.textContent)")
    assert broken == []


def test_an_english_page_fits_a_phone_too(browser, portal_url, problems):
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=portal_url, extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    problems.watch(page)
    for path in ("/", "/agreements/", "/agreements/jjj-police-framework-2016/"):
        page.goto(path)
        assert horizontal_overflow(page) <= 0, path
    screenshot(page, "phone-en-agreement")
    context.close()
    assert not problems.items


def row_slugs(page) -> list[str]:
    return page.eval_on_selector_all("table.records tbody tr[data-slug]", "rows => rows.map(r => r.dataset.slug)")


def test_a_facet_narrows_the_list_and_the_csv_download_matches_it(page):
    page.goto("/agreements/")
    everything = page.locator(".results-summary").inner_text()
    facet = page.locator(".facet a", has_text="框架协议").first
    expected = int(facet.locator("xpath=following-sibling::span[@class='count']").inner_text())
    facet.click()
    page.wait_for_url(re.compile(r"kind=framework"))
    slugs = row_slugs(page)
    assert len(slugs) == expected and page.locator(".results-summary").inner_text() != everything
    with page.expect_download() as download:
        page.click("a.download-csv")
    text = open(download.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["slug"] for row in rows] == slugs


def test_the_header_search_returns_highlighted_results_of_every_type(page):
    page.goto("/")
    page.fill("#site-search", "京警入冀")
    page.press("#site-search", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.locator(".search-results li").count() >= 1
    assert page.locator(".search-results mark", has_text="京警入冀").count() >= 1
    screenshot(page, "laptop-search-typed")


def test_a_list_search_marks_the_matched_words(page):
    page.goto("/agreements/")
    page.fill("#list-search", "禁毒")
    page.click(".list-search button")
    page.wait_for_url(re.compile(r"search="))
    assert page.locator("table.records mark").count() >= 1


def test_a_record_page_shows_its_citations_and_its_bibtex_and_ris_downloads_parse(page):
    page.goto("/agreements/jjj-police-framework-2016/")
    assert page.locator(".citations blockquote").count() >= 1
    assert page.locator(".citations cite a").count() >= 1
    with page.expect_download() as download:
        page.click("a.download-bibtex")
    library = bibtexparser.parse_string(open(download.value.path(), encoding="utf-8").read())
    assert not library.failed_blocks and library.entries[0].fields_dict["url"].value.endswith("/agreements/jjj-police-framework-2016/")
    with page.expect_download() as download:
        page.click("a.download-ris")
    entries = rispy.loads(open(download.value.path(), encoding="utf-8").read())
    assert entries[0]["urls"][0].endswith("/agreements/jjj-police-framework-2016/")


def test_the_language_switch_works_and_persists(page):
    page.goto("/agreements/")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    page.click("header.site .language a")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("h1").inner_text() == "Agreements and documents"
    page.goto("/regions/")
    assert page.get_attribute("html", "lang") == "en"
    screenshot(page, "laptop-en-regions")
    page.click("header.site .language a")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "zh-Hans"


def test_accept_language_en_alone_gives_english(english_page):
    english_page.goto("/")
    assert english_page.get_attribute("html", "lang") == "en"
    assert "Regional Police Cooperation Knowledge Portal" in english_page.locator("h1").inner_text()
    screenshot(english_page, "laptop-en-home")


def test_the_skip_link_is_the_first_stop_and_focus_is_visible(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, getComputedStyle(document.activeElement).outlineStyle]")
    assert focused[0] == "skip-link" and focused[1] != "none"
