"""The Data page lists releases with their size, checksum and changes, and serves the files."""

import hashlib
import re

import pytest

from agreements.models import Agreement
from findings.models import Figure
from opendata.release import release_build
from regions.models import Jurisdiction

pytestmark = pytest.mark.django_db


@pytest.fixture
def releases_dir(settings, tmp_path):
    settings.PORTAL_RELEASES_DIR = tmp_path
    return tmp_path


@pytest.fixture
def two_releases(releases_dir):
    first = release_build(output=releases_dir, date="2026-12-01")
    agreement = Agreement.objects.order_by("pk").first()
    agreement.summary += "（修订）"
    agreement.save()
    Jurisdiction.objects.create(slug="new-county", name="新县", level="county")
    Figure.objects.order_by("pk").first().delete()
    second = release_build(output=releases_dir, date="2026-12-07")
    return first, second


def test_the_data_page_without_releases_says_so(client, releases_dir):
    response = client.get("/data/")
    assert response.status_code == 200
    assert "尚无数据发布" in response.content.decode()


def test_the_data_page_lists_releases_newest_first_with_size_and_checksum(client, two_releases):
    first, second = two_releases
    page = client.get("/data/").content.decode()
    assert page.index(second.name) < page.index(first.name)
    for release in two_releases:
        assert hashlib.sha256(release.zip_path.read_bytes()).hexdigest() in page
        assert f"{release.zip_path.stat().st_size} 字节" in page
    assert "首次发布" in page


def test_the_data_page_links_the_latest_release(client, two_releases):
    page = client.get("/data/").content.decode()
    latest = page.split('class="latest"', 1)[1].split("</p>", 1)[0]
    assert f"/data/releases/{two_releases[1].name}.zip" in latest


def test_the_data_page_counts_records_added_changed_and_removed(client, two_releases):
    response = client.get("/data/")
    newest = response.context["releases"][0]
    assert (newest.added, newest.changed, newest.removed) == (1, 1, 1)
    assert "<td>1</td><td>1</td><td>1</td>" in response.content.decode()


def test_a_release_is_served_as_its_file(client, two_releases):
    release = two_releases[0]
    response = client.get(f"/data/releases/{release.name}.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content) == release.zip_path.read_bytes()


@pytest.mark.parametrize("name", ["portal-dataset-2026-12-09-r1", "..%2Fsecret", "settings"])
def test_an_unknown_release_is_a_404(client, releases_dir, name):
    assert client.get(f"/data/releases/{name}.zip").status_code == 404


def test_the_data_page_reads_in_english_for_an_english_reader(client, two_releases):
    page = client.get("/data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Data downloads</h1>" in page and "First release" in page
    assert f"{two_releases[0].zip_path.stat().st_size} bytes" in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert not re.search(r"[\u4e00-\u9fff]", main), main
