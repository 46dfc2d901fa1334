"""CSV for spreadsheets, the whole dataset as JSON, the comparison counts, and the documented schema."""

import csv
import io
import json
import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

from agreements.models import Agreement
from mechanisms.models import Mechanism
from regions.models import Region, Stage

pytestmark = pytest.mark.django_db

RESOURCES = ["agreements", "mechanisms", "regions", "jurisdictions", "stages", "events", "findings", "figures", "sources"]


def csv_body(response) -> str:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[dict]:
    text = csv_body(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


# ---------------------------------------------------------------- CSV


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_list_answers_as_csv_with_format_csv(client, resource):
    response = client.get(f"/api/v1/{resource}/", {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert len(rows) == client.get(f"/api/v1/{resource}/").json()["count"]


def test_a_list_answers_as_csv_to_an_accept_header(client):
    response = client.get("/api/v1/agreements/", HTTP_ACCEPT="text/csv")
    assert len(csv_rows(response)) == Agreement.objects.count()


def test_csv_starts_with_a_byte_order_mark_for_excel(client):
    response = client.get("/api/v1/agreements/", {"format": "csv"})
    assert b"".join(response.streaming_content).startswith("\ufeff".encode())


def test_csv_names_its_file(client):
    response = client.get("/api/v1/mechanisms/", {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="mechanisms.csv"'


def test_csv_holds_all_pages_in_one_file(client):
    Agreement.objects.bulk_create(Agreement(slug=f"bulk-{n}", title=f"批量{n}", kind="plan") for n in range(130))
    rows = csv_rows(client.get("/api/v1/agreements/", {"format": "csv", "page_size": 5}))
    assert len(rows) == Agreement.objects.count()


def test_csv_applies_the_same_filters(client):
    rows = csv_rows(client.get("/api/v1/agreements/", {"format": "csv", "region": "yrd", "ordering": "title"}))
    assert [r["slug"] for r in rows] == list(
        Agreement.objects.filter(regions__slug="yrd").order_by("title", "pk").values_list("slug", flat=True)
    )


def test_csv_flattens_lists_references_and_citations(client):
    agreement = Agreement.objects.named("框架协议").get()
    rows = csv_rows(client.get("/api/v1/agreements/", {"format": "csv"}))
    row = next(r for r in rows if r["slug"] == agreement.slug)
    assert "框架协议" in row["aliases"].split("; ")
    assert "jjj" in row["regions_slugs"].split("; ")
    assert "京津冀" in row["regions"].split("; ")
    assert row["stage"] == "固化成效阶段"
    assert row["date"] == "2016-01"
    citation = agreement.citations.select_related("source").first()
    assert f"{citation.source.slug} {citation.locator}: {citation.quote}" in row["citations"]


def test_csv_links_point_to_json_records(client):
    rows = csv_rows(client.get("/api/v1/stages/", {"format": "csv"}))
    assert "format" not in rows[0]["url"]


def test_a_bad_filter_on_a_csv_request_is_a_json_400(client):
    response = client.get("/api/v1/agreements/", {"format": "csv", "year_from": "abc"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "year_from" in response.json()["errors"]


def test_a_record_is_not_offered_as_csv(client):
    response = client.get("/api/v1/regions/jjj/", {"format": "csv"})
    assert response.status_code == 404
    assert "csv" in response.json()["detail"]


# ---------------------------------------------------------------- export


def test_the_export_is_the_whole_dataset(client):
    body = client.get("/api/v1/export/").json()
    assert body["format"] == "portal-dataset/1"
    assert {a["slug"] for a in body["agreement"]} == set(Agreement.objects.values_list("slug", flat=True))
    assert len(body["mechanism"]) == Mechanism.objects.count()


def test_the_export_loads_back_without_changes(client, tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(client.get("/api/v1/export/").content)
    out = io.StringIO()
    call_command("load_portal_data", "--json", str(path), "--skip-quote-check", stdout=out)
    assert "no changes" in out.getvalue()


# ---------------------------------------------------------------- stats


def test_stats_count_agreements_per_region_and_year(client):
    body = client.get("/api/v1/stats/").json()
    jjj_2016 = next(r for r in body["agreements_by_year"] if r["region"]["slug"] == "jjj" and r["year"] == 2016)
    assert jjj_2016["count"] == Agreement.objects.filter(regions__slug="jjj", date_year=2016).count()


def test_stats_count_undated_agreements_under_a_null_year(client):
    body = client.get("/api/v1/stats/").json()
    undated = sum(r["count"] for r in body["agreements_by_year"] if r["region"]["slug"] == "jjj" and r["year"] is None)
    assert undated == Agreement.objects.filter(regions__slug="jjj", date_year__isnull=True).count()


def test_stats_count_mechanisms_per_region_and_category(client):
    body = client.get("/api/v1/stats/").json()
    row = body["mechanisms_by_category"][0]
    expected = Mechanism.objects.filter(regions__slug=row["region"]["slug"], category=row["category"]).count()
    assert row["count"] == expected
    assert row["category_display"] == Mechanism.Category(row["category"]).label


def test_stats_for_a_region_cover_it_and_its_sub_regions_only(client):
    body = client.get("/api/v1/stats/", {"region": "jjj"}).json()
    expected = set(Region.objects.filter(pk__in=Region.objects.with_descendants("jjj")).values_list("slug", flat=True))
    found = {r["region"]["slug"] for r in body["agreements_by_year"] + body["mechanisms_by_category"]}
    assert "jjj" in found and found <= expected


def test_stats_for_a_stage_count_only_years_in_the_stage(client):
    stage = Stage.objects.get(region__slug="jjj", start_year=2014)
    body = client.get("/api/v1/stats/", {"stage": stage.slug}).json()
    assert {r["year"] for r in body["agreements_by_year"]} <= set(range(stage.start_year, stage.end_year + 1))
    total = sum(r["count"] for r in body["agreements_by_year"] if r["region"]["slug"] == "jjj")
    assert total == Agreement.objects.in_stage(stage).filter(regions__slug="jjj").count()


def test_stats_reject_an_unknown_region(client):
    response = client.get("/api/v1/stats/", {"region": "atlantis"})
    assert response.status_code == 400
    assert "region" in response.json()["errors"]


def test_stats_take_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):  # eight for the matrix, one for the dataset revision
        client.get("/api/v1/stats/", {"region": "jjj", "stage": Stage.objects.filter(region__slug="jjj").first().slug})


# ---------------------------------------------------------------- schema and docs


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_is_openapi_3_and_covers_every_resource(schema):
    assert schema["openapi"].startswith("3.")
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in schema["paths"]
        assert f"/api/v1/{resource}/{{slug}}/" in schema["paths"]
    assert {"/api/v1/stats/", "/api/v1/export/"} <= set(schema["paths"])


def test_the_schema_documents_every_filter(schema):
    names = {p["name"]: p for p in schema["paths"]["/api/v1/agreements/"]["get"]["parameters"]}
    expected = {"region", "jurisdiction", "stage", "kind", "year_from", "year_to", "search", "updated_since", "ordering", "page", "page_size", "format"}
    assert expected <= set(names)
    assert all(names[name].get("description") for name in expected)


def test_the_schema_describes_every_response_field(schema):
    undocumented = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, spec in component.get("properties", {}).items()
        if not spec.get("description") and "allOf" not in spec
    ]
    assert undocumented == []


def test_the_docs_page_loads_its_assets_from_the_portal_only(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(url.startswith("/static/") for url in assets)
    assert not re.search(r"https?://(?!testserver)", page)
    for url in assets:
        assert finders.find(url.removeprefix("/static/")), url


def test_the_schema_json_names_the_portal(client):
    body = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)
    assert body["info"]["title"] == "区域警务协作知识库 API"
