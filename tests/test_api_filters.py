"""List filters, ordering, search and pagination, and the 400s a bad value gets."""


import pytest

from agreements.models import Agreement
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from regions.models import Region, Stage
from search import query as search_query
from timeline.models import Event

pytestmark = pytest.mark.django_db


def slugs(client, resource, **params):
    response = client.get(f"/api/v1/{resource}/", {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return [record["slug"] for record in response.json()["results"]]


def errors(client, resource, **params):
    response = client.get(f"/api/v1/{resource}/", params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    return body["errors"]


def slug_set(queryset):
    return set(queryset.values_list("slug", flat=True))


# ---------------------------------------------------------------- agreements


def test_the_region_filter_includes_sub_regions(client):
    sub_region_only = Agreement.objects.filter(regions__parent__slug="jjj").exclude(regions__slug="jjj")
    found = set(slugs(client, "agreements", region="jjj"))
    assert found == slug_set(Agreement.objects.in_region("jjj"))
    assert slug_set(sub_region_only) <= found


def test_the_region_filter_excludes_other_regions(client):
    found = set(slugs(client, "agreements", region="yrd"))
    assert found and found == slug_set(Agreement.objects.filter(regions__slug="yrd"))


def test_the_jurisdiction_filter_finds_agreements_of_its_regions(client):
    assert set(slugs(client, "agreements", jurisdiction="chongqing")) == slug_set(Agreement.objects.in_jurisdiction("chongqing"))


def test_the_stage_filter_finds_agreements_dated_in_the_stage(client):
    stage = Stage.objects.get(region__slug="jjj", start_year=2014)
    found = set(slugs(client, "agreements", stage=stage.slug))
    assert Agreement.objects.named("框架协议").get().slug in found
    assert found == slug_set(Agreement.objects.in_stage(stage))


def test_the_stage_open_at_its_start_finds_agreements_known_only_as_before(client):
    stage = Stage.objects.get(region__slug="jjj", start_year__isnull=True)
    found = set(slugs(client, "agreements", stage=stage.slug))
    assert slug_set(Agreement.objects.in_region("jjj").filter(date_before=2014)) <= found


def test_the_kind_filter_keeps_only_that_kind(client):
    assert set(slugs(client, "agreements", kind="framework")) == slug_set(Agreement.objects.filter(kind="framework"))


def test_year_bounds_are_inclusive(client):
    found = set(slugs(client, "agreements", year_from=2016, year_to=2017))
    assert found == slug_set(Agreement.objects.filter(date_year__gte=2016, date_year__lte=2017))


def test_a_year_filter_never_matches_an_undated_record(client):
    undated = slug_set(Agreement.objects.filter(date_year__isnull=True))
    assert undated
    assert not undated & set(slugs(client, "agreements", year_from=1900))
    assert not undated & set(slugs(client, "agreements", year_to=2100))


def test_updated_since_keeps_records_changed_after_the_moment(client):
    agreement = Agreement.objects.order_by("pk").first()
    Agreement.objects.exclude(pk=agreement.pk).update(updated_at="2000-01-01T00:00:00Z")
    Agreement.objects.filter(pk=agreement.pk).update(updated_at="2030-01-01T00:00:00Z")
    assert slugs(client, "agreements", updated_since="2029-12-31T00:00:00+08:00") == [agreement.slug]


def test_unknown_parameters_are_ignored(client):
    assert slugs(client, "agreements", colour="blue") == slugs(client, "agreements")


# ---------------------------------------------------------------- ordering


def test_the_default_order_is_chronological_with_undated_last(client):
    expected = [a.slug for a in Agreement.objects.order_by_date()]
    assert slugs(client, "agreements") == expected
    assert Agreement.objects.get(slug=expected[-1]).date.latest_year is None


def test_ordering_by_date_puts_undated_records_last(client):
    found = slugs(client, "agreements", ordering="date")
    undated = slug_set(Agreement.objects.filter(date_year__isnull=True, date_before__isnull=True))
    assert set(found[-len(undated):]) == undated


def test_ordering_by_descending_date_still_puts_undated_records_last(client):
    found = slugs(client, "agreements", ordering="-date")
    assert found == [a.slug for a in Agreement.objects.order_by_date(descending=True)]
    undated = slug_set(Agreement.objects.filter(date_year__isnull=True, date_before__isnull=True))
    assert set(found[-len(undated):]) == undated


@pytest.mark.parametrize("ordering", ["title", "-title"])
def test_ordering_by_title(client, ordering):
    assert slugs(client, "agreements", ordering=ordering) == list(
        Agreement.objects.order_by(ordering, "pk").values_list("slug", flat=True)
    )


# ---------------------------------------------------------------- search


def test_search_lists_what_the_search_module_ranks_in_its_order(client):
    expected = [a.slug for a in search_query.search_queryset(Agreement.objects.all(), "禁毒")]
    assert expected, "the dataset has agreements about drug control"
    assert slugs(client, "agreements", search="禁毒") == expected


def test_search_puts_the_best_match_first(client):
    framework = Agreement.objects.named("框架协议").get()
    assert slugs(client, "agreements", search="框架协议")[0] == framework.slug


def test_an_explicit_ordering_wins_over_relevance(client):
    found = slugs(client, "agreements", search="协议", ordering="title")
    assert len(found) > 2
    titles = dict(Agreement.objects.values_list("slug", "title"))
    assert found == sorted(found, key=titles.get)
    assert found != slugs(client, "agreements", search="协议")


def test_search_combines_with_the_other_filters(client):
    found = set(slugs(client, "agreements", search="协议", region="yrd"))
    assert found and found <= slug_set(Agreement.objects.filter(regions__slug="yrd"))


@pytest.mark.parametrize("resource", ["agreements", "mechanisms", "events", "regions", "jurisdictions", "stages", "findings", "figures", "sources"])
def test_every_list_accepts_a_search(client, resource):
    assert client.get(f"/api/v1/{resource}/", {"search": "京津冀"}).status_code == 200


def test_a_blank_search_is_a_400(client):
    assert "search" in errors(client, "agreements", search="   ")


def test_a_search_over_200_characters_is_a_400(client):
    assert "search" in errors(client, "agreements", search="京" * 201)


# ---------------------------------------------------------------- other resources


def test_mechanisms_filter_by_region_including_sub_regions(client):
    assert set(slugs(client, "mechanisms", region="jjj")) == slug_set(Mechanism.objects.in_region("jjj"))


def test_mechanisms_filter_by_category(client):
    category = Mechanism.objects.values_list("category", flat=True).first()
    assert set(slugs(client, "mechanisms", category=category)) == slug_set(Mechanism.objects.filter(category=category))


def test_mechanisms_filter_by_parent_scheme(client):
    scheme = Mechanism.objects.schemes().first()
    assert set(slugs(client, "mechanisms", parent=scheme.slug)) == slug_set(scheme.parts.all())


def test_mechanisms_filter_by_the_agreement_that_established_them(client):
    agreement = Agreement.objects.named("框架协议").get()
    assert set(slugs(client, "mechanisms", established_by=agreement.slug)) == slug_set(agreement.establishes.all())


def test_mechanisms_filter_by_years(client):
    assert set(slugs(client, "mechanisms", year_from=2020)) == slug_set(Mechanism.objects.filter(date_year__gte=2020))


def test_events_filter_by_region_and_stage(client):
    stage = Stage.objects.get(region__slug="jjj", start_year=2017)
    assert set(slugs(client, "events", region="jjj")) == slug_set(Event.objects.in_region("jjj"))
    assert set(slugs(client, "events", stage=stage.slug)) == slug_set(Event.objects.in_stage(stage))


def test_events_filter_by_years(client):
    assert set(slugs(client, "events", year_to=2016)) == slug_set(Event.objects.filter(date_year__lte=2016))


def test_findings_filter_by_paper_kind_and_dimension(client):
    finding = Finding.objects.exclude(dimension="").select_related("source").first()
    found = set(slugs(client, "findings", source=finding.source.slug, kind=finding.kind, dimension=finding.dimension))
    expected = Finding.objects.filter(source=finding.source, kind=finding.kind, dimension=finding.dimension)
    assert finding.slug in found and found == slug_set(expected)


def test_figures_filter_by_region_including_sub_regions(client):
    ids = Region.objects.with_descendants("jjj")
    assert set(slugs(client, "figures", region="jjj")) == slug_set(Figure.objects.filter(region__in=ids))


# ---------------------------------------------------------------- invalid values


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year_from": "abc"}, "year_from"),
        ({"year_to": "2016.5"}, "year_to"),
        ({"year_from": "99999"}, "year_from"),
        ({"year_from": "2020", "year_to": "2010"}, "year_to"),
        ({"region": "atlantis"}, "region"),
        ({"jurisdiction": "atlantis"}, "jurisdiction"),
        ({"stage": "no-such-stage"}, "stage"),
        ({"kind": "treaty"}, "kind"),
        ({"ordering": "summary"}, "ordering"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "many"}, "page_size"),
    ],
)
def test_an_invalid_value_is_a_400_naming_the_parameter(client, params, field):
    assert errors(client, "agreements", **params)[field]


def test_an_unknown_slug_message_names_the_slug(client):
    assert "atlantis" in errors(client, "mechanisms", region="atlantis")["region"][0]


def test_every_bad_parameter_is_reported_at_once(client):
    assert set(errors(client, "events", region="x", stage="y", year_from="z")) == {"region", "stage", "year_from"}


# ---------------------------------------------------------------- pagination


def test_pages_hold_20_records_by_default(client):
    body = client.get("/api/v1/mechanisms/").json()
    assert len(body["results"]) == min(20, Mechanism.objects.count())
    assert body["previous"] is None


def test_next_and_previous_link_the_pages(client):
    first = client.get("/api/v1/mechanisms/", {"page_size": 5}).json()
    second = client.get(first["next"]).json()
    assert second["previous"].startswith("http://testserver/api/v1/mechanisms/")
    assert not {r["slug"] for r in first["results"]} & {r["slug"] for r in second["results"]}


def test_the_page_size_cap_is_100(client):
    extra = [Agreement(slug=f"bulk-{n}", title=f"批量{n}", kind="plan") for n in range(120)]
    Agreement.objects.bulk_create(extra)
    body = client.get("/api/v1/agreements/", {"page_size": 1000}).json()
    assert len(body["results"]) == 100
    assert body["next"] is not None


def test_a_page_past_the_last_is_a_json_404(client):
    response = client.get("/api/v1/agreements/", {"page": 999})
    assert response.status_code == 404
    assert response.json()["detail"]
