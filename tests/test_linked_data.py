"""JSON-LD on every record page and in the API, expanded with a JSON-LD processor (pyld)."""

import json
import re

import pytest
from pyld import jsonld

from agreements.models import Agreement
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from regions.models import Jurisdiction, Region, Stage
from sources.models import Source
from timeline.models import Event

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"
BLOCK = re.compile(r'<script type="application/ld\+json"(?: nonce="[^"]+")?>(.*?)</script>', re.S)
MODELS = [Agreement, Mechanism, Event, Region, Jurisdiction, Stage, Finding, Figure, Source]


def page_jsonld(client, obj):
    page = client.get(obj.get_absolute_url()).content.decode()
    blocks = BLOCK.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_record_page_embeds_json_ld_that_expands(client, model):
    for obj in model.objects.order_by("pk")[:5]:
        document = page_jsonld(client, obj)
        expanded = jsonld.expand(document)
        assert expanded[0]["@id"] == f"http://testserver{obj.get_absolute_url()}"
        assert expanded[0]["@type"][0].startswith(SCHEMA)


def test_an_agreement_keeps_its_partial_date_as_written(client):
    agreement = Agreement.objects.filter(date_month__isnull=False, date_day__isnull=True).first()
    document = page_jsonld(client, agreement)
    date = document.get("legislationDate") or document.get("dateCreated")
    assert date == f"{agreement.date_year:04d}-{agreement.date_month:02d}"
    assert document["@type"] in {"Legislation", "CreativeWork"}


def test_citations_name_paper_section_and_quote(client):
    agreement = Agreement.objects.with_related().order_by("pk").first()
    expanded = jsonld.expand(page_jsonld(client, agreement))[0]
    first = agreement.citations.order_by("order", "pk").first()
    quotation = expanded[SCHEMA + "citation"][0]
    assert quotation[SCHEMA + "text"][0]["@value"] == first.quote
    assert quotation[SCHEMA + "position"][0]["@value"] == first.locator
    assert quotation[SCHEMA + "isPartOf"][0]["@id"].endswith(f"/sources/{first.source.slug}/")
    assert expanded[SCHEMA + "isBasedOn"]


def test_a_jurisdiction_is_an_administrative_area_with_its_division_code(client):
    document = page_jsonld(client, Jurisdiction.objects.get(slug="tongzhou"))
    assert document["@type"] == "AdministrativeArea"
    assert {"@type": "PropertyValue", "propertyID": "GB/T 2260", "value": "110112"} in document["identifier"]


def test_the_api_serves_json_ld_by_format_parameter(client):
    response = client.get("/api/v1/jurisdictions/tongzhou/", {"format": "jsonld"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert jsonld.expand(response.json())[0]["@type"] == [SCHEMA + "AdministrativeArea"]


def test_the_api_serves_json_ld_by_accept_header(client):
    agreement = Agreement.objects.order_by("pk").first()
    response = client.get(f"/api/v1/agreements/{agreement.slug}/", headers={"Accept": "application/ld+json"})
    assert response["Content-Type"].startswith("application/ld+json")
    assert response.json() == page_jsonld(client, agreement)


def test_an_api_list_in_json_ld_is_a_graph_that_expands(client):
    response = client.get("/api/v1/regions/", {"format": "jsonld"})
    expanded = jsonld.expand(response.json())
    listed = client.get("/api/v1/regions/").json()["results"]
    assert [node["@id"] for node in expanded] == [record["html_url"] for record in listed]


def test_the_json_ld_block_cannot_close_the_script_element():
    from opendata.templatetags.opendata import jsonld_text

    assert "</script>" not in jsonld_text({"text": "</script><script>alert(1)</script>"})


def test_a_jurisdiction_with_a_known_wikidata_item_is_the_same_as_it(client):
    expanded = jsonld.expand(page_jsonld(client, Jurisdiction.objects.get(slug="beijing")))[0]
    assert expanded[SCHEMA + "sameAs"] == [{"@id": "http://www.wikidata.org/entity/Q956"}]


def test_a_jurisdiction_without_a_known_item_claims_no_sameas(client):
    assert "sameAs" not in page_jsonld(client, Jurisdiction.objects.get(slug="tongzhou"))
