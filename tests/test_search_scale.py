"""Search at scale (issue 11), on both databases: the recorded segmenter, the stored dictionary,
pinyin, suggestions for the search box, did-you-mean, and a region's other names standing for it."""

import logging

import pytest
from django.core.checks import run_checks

from agreements.models import Agreement
from mechanisms.models import Mechanism
from regions.models import Region
from search.dictionary import dictionary_add, dictionary_replace, stored_dictionary, stored_version
from search.models import DictionaryWord, IndexBuild
from search.query import search_queryset
from search.text import ENGINES, query_plan, segmenter

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/search/"
SUGGEST = "/api/v1/search/suggest/"


@pytest.fixture
def api(client):
    def _get(url, **params):
        return client.get(url, params, HTTP_HOST="localhost")

    return _get


def first_result(api, q, **params):
    results = api(SEARCH, q=q, **params).json()["results"]
    return (results[0]["type"], results[0]["slug"]) if results else None


def slugs(model, q):
    return list(search_queryset(model.objects.all(), q).values_list("slug", flat=True))


# ---------------------------------------------------------------- the segmenter and the index build


def test_rjieba_segments_where_it_is_installed():
    query_plan("预热")
    assert segmenter.name.startswith("rjieba ")


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_either_engine_keeps_a_domain_word_whole(engine):
    cutter = ENGINES[engine](fresh=True)
    assert "通武廊" not in cutter.cut("通武廊三地")
    cutter.add_word("通武廊")
    assert cutter.cut("通武廊三地")[0] == "通武廊"
    assert "通武廊" in cutter.cut_for_search("通武廊三地")


def test_a_rebuild_records_the_segmenter_and_dictionary_version_that_built_the_index():
    from django.core.management import call_command

    call_command("rebuild_search_index", "--workers", "1", stdout=open("/dev/null", "w"))
    build = IndexBuild.objects.get()
    assert build.segmenter == segmenter.name
    assert build.dictionary_version == stored_version()[0]
    assert build.documents > 250


def test_the_index_of_the_loaded_dataset_passes_the_check():
    assert [m for m in run_checks(tags=["database"], databases=["default"]) if m.id == "search.W001"] == []


def test_an_index_built_by_another_segmenter_is_a_check_warning_naming_the_rebuild():
    IndexBuild.objects.update(segmenter="jieba 0.1")
    warnings = [m for m in run_checks(tags=["database"], databases=["default"]) if m.id == "search.W001"]
    assert len(warnings) == 1
    assert "jieba 0.1" in warnings[0].msg and "rebuild_search_index" in warnings[0].hint


def test_an_index_behind_the_stored_dictionary_is_a_check_warning():
    IndexBuild.objects.update(dictionary_version=stored_version()[0] - 1)
    warnings = [m for m in run_checks(tags=["database"], databases=["default"]) if m.id == "search.W001"]
    assert warnings and "dictionary version" in warnings[0].msg


def test_the_mismatch_is_also_logged_naming_the_rebuild(caplog, monkeypatch):
    from search import checks

    IndexBuild.objects.update(segmenter="jieba 0.1")
    monkeypatch.setattr(checks, "_warned", False)
    with caplog.at_level(logging.WARNING, logger="search"):
        checks.warn_once()
    assert any("jieba 0.1" in r.getMessage() and "rebuild_search_index" in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------- one stored, versioned dictionary


def test_the_dictionary_is_stored_from_the_names():
    _, words, synonyms = stored_dictionary()
    assert {"通武廊", "八个一体化", "京警入冀", "万达开", "京津冀"} <= set(words)
    assert ("region:%d" % Region.objects.get(slug="cy").pk, "川渝") in set(synonyms)


def test_a_new_name_moves_the_version_and_the_index_follows():
    before = stored_version()[0]
    Mechanism.objects.create(slug="test-mechanism", name="鹭岛联络站", category="joint_meeting")
    after = stored_version()[0]
    assert after > before
    assert DictionaryWord.objects.get(word="鹭岛联络站").version == after
    assert IndexBuild.objects.get().dictionary_version == after


def test_a_process_behind_the_stored_version_catches_up_at_its_next_search():
    query_plan("预热")
    # Another process stores a word (as its save of a new name would): this one has not seen it.
    dictionary_add(words={"鹭岛联络站"})
    assert "鹭岛联络站" not in segmenter.words
    assert [w.word for w in query_plan("鹭岛联络站").words] == ["鹭岛联络站"]
    assert segmenter.version == stored_version()[0]


def test_a_removed_word_makes_a_process_reload_its_segmenter():
    query_plan("预热")
    dictionary_add(words={"鹭岛联络站"})
    query_plan("鹭岛联络站")
    _, words, synonyms = stored_dictionary()
    dictionary_replace(words=set(words) - {"鹭岛联络站"}, synonyms=set(synonyms))
    assert [w.word for w in query_plan("鹭岛联络站").words] != ["鹭岛联络站"]
    assert "鹭岛联络站" not in segmenter.words


def test_a_saved_record_that_uses_a_new_name_is_found_by_it():
    agreement = Agreement.objects.create(slug="test-agreement", title="测试协议", kind="cooperation", summary="两地共建「鹭岛联络站」。")
    Mechanism.objects.create(slug="test-mechanism", name="鹭岛联络站", category="joint_meeting")
    assert agreement.slug in slugs(Agreement, "鹭岛联络站")


# ---------------------------------------------------------------- pinyin of names


@pytest.mark.parametrize(
    "q, expected",
    [
        ("jingjinji", ("region", "jjj")),
        ("jjj", ("region", "jjj")),
        ("tongwulang", ("region", "tongwulang")),
        ("twl", ("region", "tongwulang")),
        ("bgyth", ("mechanism", "jjj-eight-integrations")),
        ("JingJinJi", ("region", "jjj")),
    ],
)
def test_full_pinyin_and_initials_find_the_name(api, q, expected):
    assert first_result(api, q) == expected


def test_a_name_with_two_readings_is_found_by_the_one_people_say(api):
    # 长 reads zhang on its own; in 长三角 it is chang.
    assert first_result(api, "changsanjiao") == ("region", "yrd")


def test_a_pinyin_match_ranks_below_the_chinese_match(api):
    chinese = api(SEARCH, q="京津冀").json()["results"][0]
    pinyin = api(SEARCH, q="jingjinji").json()["results"][0]
    assert chinese["slug"] == pinyin["slug"] == "jjj"
    assert pinyin["score"] < chinese["score"]


def test_pinyin_comes_from_names_not_bodies():
    Agreement.objects.create(slug="test-agreement", title="测试协议", kind="cooperation", summary="会同通武廊三地开展巡逻。")
    assert "test-agreement" in slugs(Agreement, "通武廊")
    assert "test-agreement" not in slugs(Agreement, "twl")
    assert "test-agreement" not in slugs(Agreement, "tongwulang")


# ---------------------------------------------------------------- suggestions for the search box


def names(api, q):
    return [r["name"] for r in api(SUGGEST, q=q).json()["results"]]


@pytest.mark.parametrize("q", ["京津", "jingjin", "jjj"])
def test_suggest_completes_a_prefix_pinyin_or_initials(api, q):
    body = api(SUGGEST, q=q).json()
    first = body["results"][0]
    assert (first["name"], first["type"]) == ("京津冀", "region")
    assert first["url"].endswith("/api/v1/regions/jjj/") and first["html_url"].endswith("/regions/jjj/")
    assert all(r["name"] for r in body["results"])


def test_suggest_offers_names_of_every_record_type(api):
    types = {r["type"] for r in api(SUGGEST, q="tw").json()["results"]} | {
        r["type"] for r in api(SUGGEST, q="通武廊").json()["results"]
    }
    assert {"region", "mechanism", "agreement"} <= types


def test_suggest_returns_at_most_ten_names_once_each(api):
    results = api(SUGGEST, q="京").json()["results"]
    assert len(results) == 10
    assert len({r["url"] for r in results}) == 10


def test_suggest_completes_an_alias(api):
    assert "双城经济圈" in names(api, "双城")


def test_suggest_knows_a_record_saved_a_moment_ago(api):
    Mechanism.objects.create(slug="test-mechanism", name="鹭岛联络站", category="joint_meeting")
    assert names(api, "鹭岛") == ["鹭岛联络站"]
    assert names(api, "ldllz") == ["鹭岛联络站"]


def test_suggest_with_nothing_to_offer_is_an_empty_list(api):
    response = api(SUGGEST, q="zzzzqqq")
    assert response.status_code == 200 and response.json()["results"] == []


@pytest.mark.parametrize("q", ["", "   ", "京" * 51])
def test_suggest_bad_input_is_400_with_a_chinese_message(api, q):
    response = api(SUGGEST, q=q)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in detail)


def test_suggest_without_q_is_400(client):
    response = client.get(SUGGEST, HTTP_HOST="localhost")
    assert response.status_code == 400 and response.json()["detail"]


def test_suggest_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}, HTTP_HOST="localhost").json()
    operation = schema["paths"]["/api/v1/search/suggest/"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["q"]


# ---------------------------------------------------------------- did you mean


@pytest.mark.parametrize(
    "q, meant",
    [
        ("京津翼", "京津冀"),  # a mistyped character
        ("通武郎", "通武廊"),
        ("京津兾", "京津冀"),  # 兾, a variant of 冀 that traditional-to-simplified does not fold
        ("八个体化", "八个一体化"),  # a missing character
    ],
)
def test_a_query_without_hits_suggests_the_closest_name(api, q, meant):
    body = api(SEARCH, q=q).json()
    assert body["count"] == 0
    assert body["suggestions"][0] == meant
    assert first_result(api, body["suggestions"][0]) is not None


def test_a_query_with_hits_needs_no_suggestions(api):
    body = api(SEARCH, q="京津冀").json()
    assert body["count"] > 0 and body["suggestions"] == []


# ---------------------------------------------------------------- a region's other names


@pytest.mark.parametrize(
    "q, region",
    [
        ("京津冀", "jjj"), ("北京天津河北", "jjj"),
        ("长三角", "yrd"), ("长三角地区", "yrd"),
        ("大湾区", "gba"), ("粤港澳大湾区", "gba"),
        ("川渝", "cy"), ("成渝", "cy"),
    ],
)
def test_an_abbreviation_and_the_full_name_find_the_same_region(q, region):
    assert slugs(Region, q)[:1] == [region]


def records(q):
    from search.query import search_hits

    return {(h.content_type_id, h.object_id) for h in search_hits(q)}


@pytest.mark.parametrize("short, full", [("川渝", "成渝"), ("京津冀", "北京天津河北"), ("大湾区", "粤港澳大湾区")])
def test_each_name_finds_the_records_that_use_the_other(short, full):
    by_short, by_full = records(short), records(full)
    assert by_short and by_full <= by_short


def test_an_alias_added_to_a_region_stands_for_it_at_once():
    # 长江三角洲 is not in the papers (nor in the fixtures): once a region has it, it resolves.
    assert slugs(Region, "长江三角洲") == []
    yrd = Region.objects.get(slug="yrd")
    yrd.aliases = [*yrd.aliases, "长江三角洲"]
    yrd.save()
    assert slugs(Region, "长江三角洲")[:1] == ["yrd"]
    assert set(slugs(Agreement, "长三角")) <= set(slugs(Agreement, "长江三角洲"))
