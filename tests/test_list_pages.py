"""A list page takes exactly the API's query string and shows the same records in the same order (issue 10)."""

import re

import pytest

from agreements.models import Agreement

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr data-slug="([^"]+)"')

# (page, API resource, query string): filters, search, ordering and pages, alone and together.
SAMPLE = [
    ("/agreements/", "agreements", ""),
    ("/agreements/", "agreements", "region=jjj"),
    ("/agreements/", "agreements", "region=yrd"),
    ("/agreements/", "agreements", "kind=framework"),
    ("/agreements/", "agreements", "kind=cooperation&region=jjj"),
    ("/agreements/", "agreements", "year_from=2016&year_to=2018"),
    ("/agreements/", "agreements", "year_from=2020"),
    ("/agreements/", "agreements", "stage=jjj-consolidation"),
    ("/agreements/", "agreements", "search=禁毒"),
    ("/agreements/", "agreements", "search=协议&ordering=-date"),
    ("/agreements/", "agreements", "ordering=-date"),
    ("/agreements/", "agreements", "ordering=title"),
    ("/agreements/", "agreements", "ordering=-title&page_size=5&page=2"),
    ("/agreements/", "agreements", "page_size=7&page=last"),
    ("/agreements/", "agreements", "jurisdiction=beijing&ordering=date"),
    ("/mechanisms/", "mechanisms", ""),
    ("/mechanisms/", "mechanisms", "region=jjj&page=2"),
    ("/mechanisms/", "mechanisms", "category=joint_meeting"),
    ("/mechanisms/", "mechanisms", "search=京警入冀"),
    ("/mechanisms/", "mechanisms", "parent=jjj-eight-integrations&ordering=name"),
    ("/mechanisms/", "mechanisms", "year_to=2016&ordering=-date&page_size=50"),
    ("/timeline/events/", "events", ""),
    ("/timeline/events/", "events", "region=jjj&year_from=2014&year_to=2016"),
    ("/timeline/events/", "events", "search=协同发展"),
    ("/timeline/events/", "events", "ordering=-date&page_size=10&page=2"),
    ("/findings/browse/", "findings", ""),
    ("/findings/browse/", "findings", "kind=problem"),
    ("/findings/browse/", "findings", "source=yang-xin-2025&kind=recommendation"),
    ("/findings/browse/", "findings", "dimension=technical&page=1"),
    ("/findings/browse/", "findings", "search=信息共享&page_size=100"),
]


def page_slugs(client, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200, response.content.decode()[:500]
    return ROW.findall(response.content.decode())


def api_slugs(client, resource, query):
    response = client.get(f"/api/v1/{resource}/?{query}", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return [record["slug"] for record in response.json()["results"]]


def test_the_sample_covers_twenty_query_strings_that_list_something(client):
    listing = [q for path, resource, q in SAMPLE if api_slugs(client, resource, q)]
    assert len(listing) >= 20


@pytest.mark.parametrize(("path", "resource", "query"), SAMPLE)
def test_a_page_and_the_api_list_the_same_records_in_the_same_order(client, path, resource, query):
    assert page_slugs(client, path, query) == api_slugs(client, resource, query)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("region=atlantis", "region"),
        ("kind=treaty", "kind"),
        ("year_from=abc", "year_from"),
        ("year_from=2020&year_to=2010", "year_to"),
        ("ordering=colour", "ordering"),
        ("page=zero", "page"),
        ("page_size=0", "page_size"),
        ("stage=no-such-stage", "stage"),
        ("search=", "search"),
    ],
)
def test_a_bad_value_is_a_friendly_400_naming_the_parameter(client, query, parameter):
    response = client.get(f"/agreements/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert f"<code>{parameter}</code>" in page
    assert 'role="alert"' in page


def test_a_page_past_the_last_is_a_404_that_says_how_many_pages_there_are(client):
    response = client.get("/agreements/?page=99")
    assert response.status_code == 404
    assert "共 2 页" in response.content.decode()


def test_agreements_sort_by_date_with_bounds_before_their_year_and_undated_last(client):
    slugs = page_slugs(client, "/agreements/", "page_size=100")
    records = {a.slug: a for a in Agreement.objects.all()}
    keys = [records[s].date for s in slugs]
    known = [d.latest_year for d in keys if d.latest_year is not None]
    assert known == sorted(known)
    first_unknown = next(i for i, d in enumerate(keys) if d.latest_year is None)
    assert all(d.latest_year is None for d in keys[first_unknown:])


def test_facets_count_the_listed_records_and_their_links_narrow_the_list(client):
    page = client.get("/agreements/").content.decode()
    match = re.search(r'<a href="(\?kind=framework)"[^>]*>[^<]+</a> <span class="count">(\d+)</span>', page)
    assert match
    link, count = match.groups()
    narrowed = page_slugs(client, "/agreements/", link[1:] + "&page_size=100")
    assert len(narrowed) == int(count) == Agreement.objects.filter(kind="framework").count()


def test_a_region_facet_counts_the_records_of_its_sub_regions_too(client):
    page = client.get("/agreements/").content.decode()
    count = int(re.search(r'href="\?region=jjj"[^>]*>[^<]+</a> <span class="count">(\d+)</span>', page).group(1))
    assert count == Agreement.objects.in_region("jjj").count()


def test_the_download_links_are_the_api_urls_of_the_same_list(client):
    page = client.get("/agreements/?region=jjj&kind=framework&page=1").content.decode()
    assert 'href="/api/v1/agreements/?region=jjj&amp;kind=framework&amp;format=csv"' in page
    assert 'href="/api/v1/agreements/?region=jjj&amp;kind=framework&amp;page=1&amp;format=json"' in page


def test_a_search_marks_the_matched_words_in_the_results(client):
    page = client.get("/agreements/?search=禁毒").content.decode()
    assert "<mark>禁毒</mark>" in page


@pytest.mark.parametrize("query", ["", "kind=opinion", "search=协议"])
def test_stage_facet_counts_match_the_stage_filter(client, query):
    from regions.models import Stage

    page = client.get(f"/agreements/?{query}").content.decode()
    for stage in Stage.objects.select_related("region"):
        shown = re.search(rf'stage={stage.slug}"[^>]*>[^<]+</a> <span class="count">(\d+)</span>', page)
        expected = len(page_slugs(client, "/agreements/", f"{query}&stage={stage.slug}&page_size=100".lstrip("&")))
        assert (int(shown.group(1)) if shown else 0) == expected, stage.slug


@pytest.mark.parametrize("query", ["", "category=joint_meeting", "year_from=2017"])
def test_region_facet_counts_match_the_region_filter(client, query):
    from regions.models import Region

    page = client.get(f"/mechanisms/?{query}").content.decode()
    for region in Region.objects.all():
        shown = re.search(rf'region={region.slug}"[^>]*>[^<]+</a> <span class="count">(\d+)</span>', page)
        expected = len(page_slugs(client, "/mechanisms/", f"{query}&region={region.slug}&page_size=100".lstrip("&")))
        assert (int(shown.group(1)) if shown else 0) == expected, region.slug


@pytest.mark.parametrize(
    "url",
    ["/mechanisms/?category=nonsense", "/timeline/events/?year_to=20x", "/findings/browse/?source=nobody", "/mechanisms/?page_size=-1"],
)
def test_every_list_answers_a_bad_value_with_a_friendly_400(client, url):
    response = client.get(url)
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
