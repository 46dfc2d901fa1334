"""/search/?q=: every record type, ranked, marked, faceted, traditional characters accepted (issue 10)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def results(page: str) -> list[str]:
    return re.findall(r'<h3 class="result-title"><a href="([^"]+)"', page)


def test_the_header_search_goes_to_the_search_page(client):
    assert 'action="/search/"' in client.get("/agreements/").content.decode()


def test_a_mechanism_is_found_by_the_site_search(client):
    page = client.get("/search/", {"q": "京警入冀"}).content.decode()
    assert any(path.startswith("/mechanisms/") for path in results(page))
    assert "<mark>京警入冀</mark>" in page


def test_the_page_lists_what_the_search_api_finds_in_the_same_order(client):
    api = client.get("/api/v1/search/", {"q": "禁毒"}).json()
    page = client.get("/search/", {"q": "禁毒"}).content.decode()
    assert results(page) == [r["html_url"].removeprefix("http://testserver") for r in api["results"]]
    assert len(results(page)) == api["count"] >= 6


def test_traditional_characters_find_the_same_records(client):
    simplified = results(client.get("/search/", {"q": "情报信息"}).content.decode())
    traditional = results(client.get("/search/", {"q": "情報信息"}).content.decode())
    assert simplified and traditional == simplified


def test_type_facet_narrows_the_results(client):
    page = client.get("/search/", {"q": "禁毒"}).content.decode()
    link = re.search(r'href="(\?q=[^"]*type=mechanism)"', page).group(1).replace("&amp;", "&")
    narrowed = results(client.get(f"/search/{link}").content.decode())
    assert narrowed and all(path.startswith("/mechanisms/") for path in narrowed)


def test_region_facet_narrows_the_results(client):
    page = client.get("/search/", {"q": "禁毒", "region": "yrd"}).content.decode()
    assert results(page) and 'aria-current="true"' in page


def test_no_results_say_so_and_suggest_words_that_find_something(client):
    page = client.get("/search/", {"q": "火星殖民"}).content.decode()
    assert "没有找到与「火星殖民」相符的记录" in page
    suggestion = re.search(r'<a href="\?q=([^"]+)">', page.split("no-results")[1]).group(1)
    assert results(client.get(f"/search/?q={suggestion}").content.decode())


def test_an_empty_query_is_a_friendly_400(client):
    response = client.get("/search/", {"q": " "})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
