"""sitemap.xml indexes one paged sitemap per record section; robots.txt points to it; an Atom feed of changes."""

import datetime
import math
import xml.etree.ElementTree as ET

import pytest
from django.db.models import Max
from django.utils import timezone

from agreements.models import Agreement
from opendata.sitemaps import RECORD_MODELS, RecordSitemap

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}
SECTIONS = [model._meta.model_name for model in RECORD_MODELS]


def parsed(response, entry):
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {e.findtext("s:loc", namespaces=SITEMAP_NS): e.findtext("s:lastmod", namespaces=SITEMAP_NS)
            for e in root.findall(f"s:{entry}", SITEMAP_NS)}


def index_entries(client):
    return parsed(client.get("/sitemap.xml"), "sitemap")


def page_entries(client, url):
    return parsed(client.get(url), "url")


def section_url(section):
    return f"http://testserver/sitemap-{section}.xml"


def test_the_index_lists_one_sitemap_per_record_section(client):
    assert set(index_entries(client)) == {section_url(section) for section in SECTIONS}


def test_the_index_gives_each_sections_latest_change(client):
    entries = index_entries(client)
    for model in RECORD_MODELS:
        latest = model.objects.aggregate(latest=Max("updated_at"))["latest"]
        assert datetime.datetime.fromisoformat(entries[section_url(model._meta.model_name)]) == latest


def test_every_record_page_appears_in_its_section(client):
    for model in RECORD_MODELS:
        entries = page_entries(client, f"/sitemap-{model._meta.model_name}.xml")
        assert set(entries) == {f"http://testserver{obj.get_absolute_url()}" for obj in model.objects.all()}


def test_a_section_gives_each_pages_last_change(client):
    agreement = Agreement.objects.order_by("pk").first()
    entries = page_entries(client, "/sitemap-agreement.xml")
    lastmod = timezone.localtime(agreement.updated_at).date().isoformat()
    assert entries[f"http://testserver{agreement.get_absolute_url()}"] == lastmod


def test_a_section_with_more_records_than_the_limit_is_split_into_pages(client, monkeypatch):
    monkeypatch.setattr(RecordSitemap, "limit", 3)
    pages = math.ceil(Agreement.objects.count() / 3)
    assert pages > 1
    listed = [url for url in index_entries(client) if url.startswith(section_url("agreement"))]
    assert listed == [section_url("agreement")] + [f"{section_url('agreement')}?p={n}" for n in range(2, pages + 1)]
    seen = []
    for url in listed:
        entries = page_entries(client, url.removeprefix("http://testserver"))
        assert 0 < len(entries) <= 3
        seen += entries
    assert sorted(seen) == sorted(f"http://testserver{a.get_absolute_url()}" for a in Agreement.objects.all())


@pytest.mark.parametrize("url", ["/sitemap-nope.xml", "/sitemap-agreement.xml?p=999", "/sitemap-agreement.xml?p=abc"])
def test_a_sitemap_that_is_not_there_is_a_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-agreement.xml"])
def test_a_second_sitemap_request_is_answered_from_the_cache_with_one_query(client, django_assert_num_queries, url):
    first = client.get(url)
    assert first["X-Portal-Cache"] == "miss"
    with django_assert_num_queries(1):  # the revision check
        second = client.get(url)
    assert second["X-Portal-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-agreement.xml"])
def test_a_new_revision_changes_the_cached_sitemap(client, url):
    agreement = Agreement.objects.order_by("pk").first()
    client.get(url)
    assert client.get(url)["X-Portal-Cache"] == "hit"
    later = datetime.datetime(2031, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)
    Agreement.objects.filter(pk=agreement.pk).update(updated_at=later)
    response = client.get(url)
    assert response["X-Portal-Cache"] == "miss"
    entries = parsed(response, "sitemap" if url == "/sitemap.xml" else "url")
    if url == "/sitemap.xml":
        assert datetime.datetime.fromisoformat(entries[section_url("agreement")]) == later
    else:
        assert entries[f"http://testserver{agreement.get_absolute_url()}"] == timezone.localtime(later).date().isoformat()


def test_an_api_throttle_does_not_keep_the_sitemaps_out_of_the_cache(client, settings):
    # Only the API is throttled (PORTAL_THROTTLED_PATHS); the sitemaps have nothing to count.
    settings.API_ANON_THROTTLE_RATE = "3/minute"
    client.get("/sitemap.xml")
    assert client.get("/sitemap.xml")["X-Portal-Cache"] == "hit"


def test_robots_txt_points_to_the_sitemap_index(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode().splitlines()


def test_the_feed_is_atom_and_leads_with_the_latest_change(client):
    agreement = Agreement.objects.order_by("pk").last()
    agreement.summary += "（更新）"
    agreement.save()
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall("a:entry", ATOM_NS)
    assert 0 < len(entries) <= 50
    first = entries[0]
    assert first.find("a:link", ATOM_NS).get("href") == f"http://testserver{agreement.get_absolute_url()}"
    updated = [e.findtext("a:updated", namespaces=ATOM_NS) for e in entries]
    assert updated == sorted(updated, reverse=True)


def test_pages_advertise_the_feed(client):
    page = client.get("/").content.decode()
    assert 'type="application/atom+xml"' in page and 'href="/feed/"' in page
