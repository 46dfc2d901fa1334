"""Normalisation, segmentation, keeping the index current, and safety for any input (both vendors)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from agreements.models import Agreement, AgreementAlias
from mechanisms.models import Mechanism
from regions.models import Region
from search.models import SearchDocument
from search.query import search_queryset
from search.text import normalise, query_plan, segmenter
from sources.models import Citation, Source

pytestmark = pytest.mark.django_db


def agreement_slugs(text):
    return list(search_queryset(Agreement.objects.all(), text).values_list("slug", flat=True))


def new_agreement(**fields):
    defaults = {"slug": "test-agreement", "title": "测试用区域警务合作协议", "kind": "cooperation", "summary": ""}
    defaults.update(fields)
    return Agreement.objects.create(**defaults)


def test_normalise_folds_traditional_full_width_case_and_punctuation():
    assert normalise("《粵港澳三地警方合作備忘錄》") == "粤港澳三地警方合作备忘录"
    assert normalise("杭州Ｇ２０峰會") == "杭州g20峰会"
    assert normalise("「八个一体化」、“五融”，。") == "八个一体化 五融"


def test_domain_dictionary_keeps_knowledge_base_names_whole():
    query_plan("预热")  # loads the segmenter
    for name in ("通武廊", "八个一体化", "京警入冀", "万达开"):
        assert [w.word for w in query_plan(name).words] == [name]


def test_jieba_loads_once_per_process():
    query_plan("禁毒")
    first = segmenter.tokenizer()
    query_plan("框架协议")
    assert segmenter.tokenizer() is first
    assert segmenter.load_seconds is not None


def test_every_record_of_the_dataset_has_a_search_document():
    from search.documents import indexed_models

    for model in indexed_models():
        ct = ContentType.objects.get_for_model(model)
        assert SearchDocument.objects.filter(content_type=ct).count() == model.objects.count(), model


def test_a_saved_record_is_found_at_once_and_a_deleted_one_is_gone():
    agreement = new_agreement()
    assert agreement_slugs("测试用区域警务合作协议")[:1] == ["test-agreement"]
    agreement.title = "改名后的星火燎原协议"
    agreement.save()
    assert "test-agreement" not in agreement_slugs("测试用")
    assert agreement_slugs("星火燎原")[:1] == ["test-agreement"]
    agreement.delete()
    assert agreement_slugs("星火燎原") == []
    assert not SearchDocument.objects.filter(slug="test-agreement").exists()


def test_aliases_are_indexed_when_added_and_forgotten_when_removed():
    agreement = new_agreement()
    alias = AgreementAlias.objects.create(agreement=agreement, name="燎原备忘")
    assert agreement_slugs("燎原备忘")[:1] == ["test-agreement"]
    alias.delete()
    assert agreement_slugs("燎原备忘") == []


def test_citation_quotes_are_indexed_with_weight_c():
    agreement = new_agreement()
    paper = Source.objects.papers().first()
    Citation.objects.create(record=agreement, source=paper, locator="一、", quote="三地联合开展琥珀行动")
    assert agreement_slugs("琥珀行动") == ["test-agreement"]
    agreement.citations.all().delete()
    assert agreement_slugs("琥珀行动") == []


def test_region_links_update_the_facets():
    agreement = new_agreement()
    jjj = Region.objects.get(slug="jjj")
    agreement.regions.add(jjj)
    doc = SearchDocument.objects.get(slug="test-agreement", kind="agreement")
    assert list(doc.regions.values_list("slug", flat=True)) == ["jjj"]
    agreement.regions.clear()
    assert not doc.regions.exists()


def test_clearing_a_regions_records_from_the_region_side_updates_their_facets():
    agreement = new_agreement()
    gba = Region.objects.get(slug="gba")
    gba.agreements.add(agreement)
    doc = SearchDocument.objects.get(slug="test-agreement", kind="agreement")
    assert "gba" in doc.regions.values_list("slug", flat=True)
    gba.agreements.clear()
    assert "gba" not in doc.regions.values_list("slug", flat=True)


def test_quotes_of_a_newly_loaded_record_are_searchable():
    # The loader bulk-creates citations; its final save must still get them indexed.
    quote = Citation.objects.filter(content_type=ContentType.objects.get_for_model(Agreement)).order_by("pk").first()
    # The quote's opening words, whole: a prefix cut inside a word (「通」 of 「通过」) is not a query.
    opening = "".join(segmenter.engine().cut(quote.quote)[:8])
    assert quote.object_id in search_queryset(Agreement.objects.all(), opening).values_list("pk", flat=True)


def test_a_new_name_re_segments_records_indexed_before_it():
    new_agreement(summary="三地共建「蓝盾联络站」，每月会商。")
    Mechanism.objects.create(slug="test-mechanism", name="蓝盾联络站", category="joint_meeting")
    assert [w.word for w in query_plan("蓝盾联络站").words] == ["蓝盾联络站"]
    assert "test-agreement" in agreement_slugs("蓝盾联络站")


def test_search_ranks_within_the_callers_filtered_queryset():
    cy = Agreement.objects.filter(regions__slug="cy")
    slugs = list(search_queryset(cy, "框架协议").values_list("slug", flat=True))
    assert slugs and "jjj-police-framework-2016" not in slugs
    assert set(slugs) <= set(cy.values_list("slug", flat=True))


@pytest.mark.parametrize(
    "text",
    [
        "'", '"', "\\", "&", "|", "!", "()", ":*", "<->", "a & b | !c", "'; DROP TABLE agreements_agreement; --",
        "NEAR(禁毒 协议)", "禁毒 AND OR NOT", "*", "\x00禁毒", "😀", "的", "　", "《》「」“”", "禁" * 5000,
        "京津冀" * 300, "a" * 3000,
    ],
)
def test_any_input_is_safe(text):
    result = list(search_queryset(Agreement.objects.all(), text)[:5])
    assert isinstance(result, list)


def test_stopwords_only_match_nothing_rather_than_everything():
    assert agreement_slugs("的") == []


def test_empty_text_leaves_the_queryset_alone():
    assert search_queryset(Agreement.objects.all(), "   ").count() == Agreement.objects.count()


def test_rebuild_search_index_recreates_the_same_documents():
    from django.core.management import call_command

    before = SearchDocument.objects.count()
    call_command("rebuild_search_index", "--workers", "1", stdout=open("/dev/null", "w"))
    assert SearchDocument.objects.count() == before
    assert agreement_slugs("框架协议")[0] == "jjj-police-framework-2016"
