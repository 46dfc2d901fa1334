"""Researchers read every record on a page of its own, with its sources."""

import re

import pytest
from django.test import override_settings

from agreements.models import Agreement
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from regions.models import Jurisdiction, Region, Stage
from sources.models import Source
from timeline.models import Event

pytestmark = pytest.mark.django_db


def test_the_home_page_answers_with_the_portals_name(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "区域警务协作知识库" in response.content.decode()


@pytest.mark.parametrize("model", [Agreement, Mechanism, Region, Jurisdiction, Stage, Event, Finding, Figure, Source])
def test_every_record_has_a_page(client, model):
    for obj in model.objects.all():
        response = client.get(obj.get_absolute_url())
        assert response.status_code == 200, obj.slug


def test_an_agreement_page_shows_its_partial_date_and_verbatim_source(client):
    agreement = Agreement.objects.named("框架协议").get()
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "2016年1月" in page
    assert "固化成效阶段" in page
    assert agreement.citations.first().quote in page


def test_the_timeline_lists_events_in_date_order_within_each_stage(client):
    # The timeline groups by stage first (tests/test_explore_pages.py), then lists by date.
    page = client.get("/timeline/").content.decode()
    for stage in Stage.objects.all():
        dated = [e for e in Event.objects.in_stage(stage).order_by_date()]
        positions = [page.index(e.title) for e in dated]
        assert positions == sorted(positions), stage.slug


@pytest.mark.parametrize("path", ["/agreements/", "/mechanisms/", "/regions/", "/findings/", "/sources/", "/timeline/"])
def test_list_pages_answer(client, path):
    assert client.get(path).status_code == 200


def test_an_unknown_slug_is_a_404(client):
    assert client.get("/agreements/no-such-agreement/").status_code == 404


def test_agreement_list_searches_with_the_apis_search_parameter(client):
    page = client.get("/agreements/", {"search": "禁毒"}).content.decode()
    rows = page.split("<tbody>")[1]
    assert "禁毒合作共同体战略合作协议" in rows.replace("<mark>", "").replace("</mark>", "")
    assert "京津冀警务协同发展的框架协议" not in rows


def nav_links(page: str) -> dict[str, str]:
    """The main navigation's links: href → the <a> tag's attributes (aria-current among them)."""
    nav = page.split('<nav aria-label=', 1)[1].split("</nav>", 1)[0]
    return {href: attrs for href, attrs in re.findall(r'<a href="([^"]+)"([^>]*)>', nav)}


@pytest.mark.parametrize("path", ["/", "/agreements/", "/regions/jjj/", "/sources/"])
def test_the_navigation_reaches_the_matrix_the_region_comparison_and_the_charts(client, path):
    links = nav_links(client.get(path).content.decode())
    assert {"/mechanisms/matrix/", "/regions/compare/", "/charts/", "/timeline/", "/agreements/", "/findings/"} <= set(links)


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/mechanisms/matrix/", "/mechanisms/matrix/"),
        ("/regions/compare/", "/regions/compare/"),
        ("/charts/", "/charts/"),
        ("/mechanisms/jjj-eight-integrations/", "/mechanisms/"),
        ("/regions/jjj/", "/regions/"),
        ("/timeline/events/", "/timeline/"),
    ],
)
def test_the_navigation_marks_the_section_the_reader_is_in_and_only_that(client, path, current):
    links = nav_links(client.get(path).content.decode())
    assert [href for href, attrs in links.items() if 'aria-current="page"' in attrs] == [current]
