"""`/api/v1/search/`: typed, scored, highlighted results with facets; errors as JSON."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/"


@pytest.fixture
def get(client):
    def _get(**params):
        return client.get(URL, params, HTTP_HOST="localhost")

    return _get


def test_results_are_typed_scored_and_best_first(get):
    body = get(q="框架协议").json()
    first = body["results"][0]
    assert (first["type"], first["slug"]) == ("agreement", "jjj-police-framework-2016")
    assert first["url"].endswith("/api/v1/agreements/jjj-police-framework-2016/")
    assert first["html_url"].endswith("/agreements/jjj-police-framework-2016/")
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_searches_every_record_type(get):
    types = {r["type"] for r in get(q="通武廊", page_size=100).json()["results"]}
    assert {"agreement", "mechanism", "region"} <= types


def test_snippet_marks_matched_words_and_escapes_the_rest(get):
    result = get(q="粵港澳").json()["results"][0]
    assert "<mark>粤港澳</mark>" in result["snippet"]
    assert "<mark>粤港澳</mark>" in result["title_highlighted"]


def test_snippet_escapes_html_in_records():
    from search.highlight import highlight

    html, matched = highlight("<b>禁毒</b> & 合作", ["禁毒"])
    assert matched and html == "&lt;b&gt;<mark>禁毒</mark>&lt;/b&gt; &amp; 合作"


def test_facets_count_types_regions_stages_and_years(get):
    facets = get(q="京津冀").json()["facets"]
    assert set(facets) == {"type", "region", "stage", "year"}
    assert any(f["value"] == "agreement" and f["count"] > 0 for f in facets["type"])
    assert any(f["value"] == "jjj" for f in facets["region"])
    assert facets["stage"] and facets["year"]


def test_filters_combine_with_the_query(get):
    body = get(q="禁毒", type="agreement", region="cy").json()
    assert body["results"] and all(r["type"] == "agreement" for r in body["results"])
    assert [r["slug"] for r in body["results"]][:1] == ["cy-drug-control-community-agreement"]
    years = get(q="京津冀", type="agreement", year_from=2017, year_to=2018, page_size=100).json()["results"]
    assert years and all(2017 <= r["year"] <= 2018 for r in years)


def test_region_filter_includes_sub_regions(get):
    slugs = [r["slug"] for r in get(q="通武廊", region="jjj", page_size=100).json()["results"]]
    assert "tongwulang-mechanism-document-2017" in slugs


def test_stage_filter(get):
    body = get(q="京津冀", stage="jjj-consolidation", page_size=100).json()
    assert body["count"] > 0
    assert "jjj-police-framework-2016" in [r["slug"] for r in body["results"]]


def test_pagination_like_the_rest_of_the_api(get):
    body = get(q="京津冀", page_size=2).json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert len(body["results"]) == 2 and body["count"] > 2 and body["previous"] is None
    second = get(q="京津冀", page_size=2, page=2).json()
    assert second["previous"] and second["results"][0]["slug"] != body["results"][0]["slug"]
    assert len(get(q="京津冀", page_size=1000).json()["results"]) <= 100


@pytest.mark.parametrize("q", ["", "   ", "\t"])
def test_empty_query_is_400_with_a_message(get, q):
    response = get(q=q)
    assert response.status_code == 400 and response.json()["detail"]


def test_missing_query_is_400(client):
    assert client.get(URL, HTTP_HOST="localhost").status_code == 400


def test_over_long_query_is_400(get):
    response = get(q="禁" * 201)
    assert response.status_code == 400 and "200" in response.json()["detail"]


@pytest.mark.parametrize(
    "params", [{"year_from": "abc"}, {"region": "nowhere"}, {"stage": "nope"}, {"type": "planet"}, {"page": "0"}]
)
def test_bad_filters_are_400_not_500(get, params):
    response = get(q="禁毒", **params)
    assert response.status_code == 400 and response.json()["detail"]


def test_hostile_query_is_answered(get):
    for q in ["'\"&|!():*<->", "'; DROP TABLE x; --", "😀", "《》"]:
        response = get(q=q)
        assert response.status_code == 200 and response.json()["count"] == 0 or response.json()["results"] is not None


def test_page_past_the_end_is_404(get):
    assert get(q="通武廊", page=99).status_code == 404
