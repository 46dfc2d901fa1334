"""Analysts read every record through /api/v1/, with its links, dates and sources."""

import pytest

from agreements.models import Agreement
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from regions.models import Jurisdiction, Region, Stage
from sources.models import Source
from timeline.models import Event

pytestmark = pytest.mark.django_db

RESOURCES = {
    "agreements": Agreement,
    "mechanisms": Mechanism,
    "regions": Region,
    "jurisdictions": Jurisdiction,
    "stages": Stage,
    "events": Event,
    "findings": Finding,
    "figures": Figure,
    "sources": Source,
}


def detail(client, resource, key):
    response = client.get(f"/api/v1/{resource}/{key}/")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_root_lists_every_resource_and_the_other_endpoints(client):
    body = client.get("/api/v1/").json()
    assert set(RESOURCES) | {"stats", "export", "schema", "docs"} <= set(body)
    assert body["agreements"] == "http://testserver/api/v1/agreements/"


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_resource_lists_all_its_records_with_a_count(client, resource):
    body = client.get(f"/api/v1/{resource}/", {"page_size": 100}).json()
    assert body["count"] == RESOURCES[resource].objects.count()
    assert set(body) == {"count", "next", "previous", "results"}


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_record_carries_its_id_slug_api_url_and_page_permalink(client, resource):
    obj = RESOURCES[resource].objects.order_by("pk").first()
    body = detail(client, resource, obj.slug)
    assert body["id"] == obj.pk
    assert body["slug"] == obj.slug
    assert body["url"] == f"http://testserver/api/v1/{resource}/{obj.slug}/"
    assert body["html_url"] == f"http://testserver{obj.get_absolute_url()}"


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_record_lists_its_citations_with_source_locator_and_quote(client, resource):
    obj = RESOURCES[resource].objects.order_by("pk").last()
    citation = obj.citations.select_related("source").first()
    first = detail(client, resource, obj.slug)["citations"][0]
    assert first["source"] == {"id": citation.source.pk, "slug": citation.source.slug, "citation": citation.source.citation}
    assert first["locator"] == citation.locator
    assert first["quote"] == citation.quote


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_record_can_also_be_fetched_by_its_numeric_id(client, resource):
    obj = RESOURCES[resource].objects.order_by("pk").last()
    assert detail(client, resource, obj.pk)["slug"] == obj.slug


def test_an_agreement_has_its_title_aliases_partial_date_regions_and_derived_stage(client):
    agreement = Agreement.objects.named("框架协议").get()
    body = detail(client, "agreements", agreement.slug)
    assert body["title"] == agreement.title
    assert "框架协议" in body["aliases"]
    assert body["kind"] == agreement.kind
    assert (body["date"], body["date_precision"], body["date_display"]) == ("2016-01", "month", "2016年1月")
    assert {"slug": "jjj", "name": "京津冀"} in body["regions"]
    assert {s["slug"] for s in body["signatories"]} == set(agreement.signatories.values_list("slug", flat=True))
    assert body["stage"] == {"slug": agreement.stage.slug, "name": "固化成效阶段"}
    assert body["summary"] == agreement.summary


def test_an_agreement_lists_the_mechanisms_it_establishes_and_its_events(client):
    agreement = Agreement.objects.named("框架协议").get()
    body = detail(client, "agreements", agreement.slug)
    assert {m["slug"] for m in body["establishes"]} == set(agreement.establishes.values_list("slug", flat=True))
    assert {e["slug"] for e in body["events"]} == set(agreement.events.values_list("slug", flat=True))


def test_a_date_known_only_as_a_bound_has_no_edtf_date_but_says_before(client):
    agreement = Agreement.objects.filter(date_before__isnull=False).first()
    body = detail(client, "agreements", agreement.slug)
    assert body["date"] is None
    assert body["date_precision"] == "before"
    assert body["date_before"] == agreement.date_before
    assert body["date_display"] == f"{agreement.date_before}年之前"


def test_an_undated_record_has_a_null_date_and_no_stage(client):
    agreement = Agreement.objects.filter(date_year__isnull=True, date_before__isnull=True).first()
    body = detail(client, "agreements", agreement.slug)
    assert (body["date"], body["date_precision"], body["stage"]) == (None, "unknown", None)


def test_a_year_only_date_is_written_as_the_year(client):
    agreement = Agreement.objects.filter(date_year__isnull=False, date_month__isnull=True).first()
    assert detail(client, "agreements", agreement.slug)["date"] == str(agreement.date_year)


def test_a_mechanism_uses_the_same_date_form_and_names_its_scheme_and_agreement(client):
    mechanism = Mechanism.objects.filter(parent__isnull=False, established_by__isnull=False, date_year__isnull=False).first()
    body = detail(client, "mechanisms", mechanism.slug)
    assert body["date"] == mechanism.date.edtf
    assert body["parent"] == {"slug": mechanism.parent.slug, "name": mechanism.parent.name}
    assert body["established_by"] == {"slug": mechanism.established_by.slug, "title": mechanism.established_by.title}
    assert body["category"] == mechanism.category


def test_a_scheme_lists_its_parts_in_order(client):
    scheme = Mechanism.objects.schemes().first()
    body = detail(client, "mechanisms", scheme.slug)
    assert [p["slug"] for p in body["parts"]] == list(scheme.parts.order_by("order", "pk").values_list("slug", flat=True))


def test_an_event_has_its_date_and_stage(client):
    event = next(e for e in Event.objects.order_by("pk") if e.stage is not None)
    body = detail(client, "events", event.slug)
    assert body["date"] == event.date.edtf
    assert body["date_display"] == event.date_display
    assert body["stage"] == {"slug": event.stage.slug, "name": event.stage.name}


def test_a_region_lists_its_member_jurisdictions_and_stages(client):
    body = detail(client, "regions", "jjj")
    assert {m["slug"] for m in body["members"]} >= {"beijing", "tianjin", "hebei"}
    stages = Stage.objects.filter(region__slug="jjj").order_by("order")
    assert [s["slug"] for s in body["stages"]] == [s.slug for s in stages]


def test_a_stage_has_its_start_and_end_year(client):
    stage = Stage.objects.get(region__slug="jjj", start_year=2014)
    body = detail(client, "stages", stage.slug)
    assert (body["start_year"], body["end_year"]) == (2014, stage.end_year)
    assert body["region"] == {"slug": "jjj", "name": "京津冀"}


def test_a_stage_open_at_its_start_has_a_null_start_year(client):
    stage = Stage.objects.filter(start_year__isnull=True).first()
    assert detail(client, "stages", stage.slug)["start_year"] is None


def test_a_finding_names_its_paper(client):
    finding = Finding.objects.select_related("source").first()
    assert detail(client, "findings", finding.slug)["source"]["slug"] == finding.source.slug


def test_a_figure_has_its_value_and_qualified_display(client):
    figure = Figure.objects.first()
    body = detail(client, "figures", figure.slug)
    assert body["value"] == float(figure.value)
    assert body["value_display"] == figure.value_display
    assert body["title"] == str(figure)


def test_a_paper_lists_its_reference_list_in_order(client):
    paper = Source.objects.papers().filter(reference_entries__isnull=False).distinct().first()
    body = detail(client, "sources", paper.slug)
    assert [r["number"] for r in body["references"]] == list(
        paper.reference_entries.order_by("number").values_list("number", flat=True)
    )
