"""sitemap.xml lists every record page with its last change; robots.txt points to it; an Atom feed of changes."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from agreements.models import Agreement
from opendata.sitemaps import RECORD_MODELS

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {u.findtext("s:loc", namespaces=SITEMAP_NS): u.findtext("s:lastmod", namespaces=SITEMAP_NS)
            for u in root.findall("s:url", SITEMAP_NS)}


def test_the_sitemap_lists_every_record_page(client):
    entries = sitemap_entries(client)
    expected = {f"http://testserver{obj.get_absolute_url()}" for model in RECORD_MODELS for obj in model.objects.all()}
    assert set(entries) == expected


def test_the_sitemap_gives_each_pages_last_change(client):
    agreement = Agreement.objects.order_by("pk").first()
    entries = sitemap_entries(client)
    lastmod = timezone.localtime(agreement.updated_at).date().isoformat()
    assert entries[f"http://testserver{agreement.get_absolute_url()}"] == lastmod


def test_robots_txt_points_to_the_sitemap(client):
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
