"""The provenance rule: a record states what its quotes say, or says where else a statement comes from.

Issue 12's audit found each kind below in the curated data; these tests keep them out. They run
the rules on the real fixtures, changed one statement at a time.
"""

import copy
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from dataset.outline import paper_outline
from dataset.provenance import (
    addresses_problems,
    dataset_provenance,
    date_problems,
    figure_problems,
    jurisdiction_problems,
    locator_problems,
    order_problems,
    party_problems,
    prose_problems,
    title_only_problems,
)
from dataset.services import dataset_read_directory
from mechanisms.models import Mechanism
from regions.models import Jurisdiction

PAPER_1, PAPER_2 = "yang-xin-2025", "cq-police-assoc-2026"


@pytest.fixture(scope="module")
def fixture_entries():
    return dataset_read_directory(settings.PORTAL_FIXTURES_DIR)


@pytest.fixture
def entries(fixture_entries):
    """A private copy of the fixture entries, to change one statement in."""
    return copy.deepcopy(fixture_entries)


def record(entries, kind, slug):
    return next(e for e in entries if e.kind.key == kind and e.slug == slug).data


def quote(source, locator, text):
    return {"source": source, "locator": locator, "quote": text}


# ---------------------------------------------------------------- the curated data passes


def test_the_curated_dataset_satisfies_every_provenance_rule(entries, sources_dir):
    assert dataset_provenance(entries, sources_dir) == []


# ---------------------------------------------------------------- locators


def test_the_papers_headings_are_read_from_their_texts(sources_dir):
    paper_1 = paper_outline(sources_dir, "000_8eeceb5dd6346f38.txt")
    paper_2 = paper_outline(sources_dir, "002_ed9f9c56b0186a67.txt")
    assert {"一、", "一、(二)", "三、(一)2.", "摘要", "参考文献[15]"} <= paper_1.locators
    assert {"三、(四)四", "一、(三)五", "五、(四)四", "课题组成员"} <= paper_2.locators
    assert "三、(四)八" not in paper_2.locators  # 三、(四) stops at 七是
    assert "三、(二)4." not in paper_1.locators  # 三、(二) has two numbered parts


def test_a_locator_the_paper_does_not_have_is_refused(entries, sources_dir):
    record(entries, "region", "fxn")["citations"][0]["locator"] = "引言"
    problems = locator_problems(entries, sources_dir)
    assert problems == [f"region 'fxn': citation 1's locator 「引言」 is not a part of {PAPER_2} in the paper's own numbering"]


def test_paper_2s_problems_cite_the_items_of_section_three_not_an_invented_heading(entries, sources_dir):
    record(entries, "finding", "p2-problem-cooperation-awareness")["citations"][0]["locator"] = "三、(问题)一"
    assert len(locator_problems(entries, sources_dir)) == 1
    record(entries, "finding", "p2-problem-cooperation-awareness")["citations"][0]["locator"] = "三、一"
    assert locator_problems(entries, sources_dir) == []


def test_a_quote_cited_under_another_section_is_refused(entries, sources_dir):
    # 「八个一体化」 is described in 一、(一), not 一、(二).
    record(entries, "mechanism", "jjj-eight-integrations")["citations"][0]["locator"] = "一、(二)"
    problems = locator_problems(entries, sources_dir)
    assert problems == [f"mechanism 'jjj-eight-integrations': citation 1's quote is not in section 「一、(二)」 of {PAPER_1}"]


def test_the_unnumbered_opening_is_cited_by_its_position_before_the_first_heading(entries, sources_dir):
    citation = record(entries, "region", "fxn")["citations"][0]
    assert citation["locator"] == "一、之前"
    citation["locator"] = "一、"
    assert len(locator_problems(entries, sources_dir)) == 1


# ---------------------------------------------------------------- figures


def test_an_ordinal_recorded_as_a_count_is_refused(entries):
    figure = record(entries, "figure", "jjj-7-work-proposals-2017")
    figure.update(value=2, unit="次", counts="领导小组会议", citations=[quote(PAPER_1, "一、(二)", "同年,第二次小组会议")])
    figure.pop("year")
    problems = figure_problems(entries)
    assert len(problems) == 1 and "「第二次」 in the quote is an ordinal" in problems[0]


def test_a_count_written_in_words_or_digits_is_accepted(entries):
    assert record(entries, "figure", "huan-shoudu-7-jurisdictions")["value"] == 7  # 「七省区市」
    assert record(entries, "figure", "cy-20000-data-services")["value"] == 20000  # 「2 万多次」
    assert figure_problems(entries) == []


def test_a_figure_tied_to_a_year_its_quotes_do_not_give_is_refused(entries):
    record(entries, "figure", "jjj-8-integrations")["year"] = 2015
    assert figure_problems(entries) == [
        "figure 'jjj-8-integrations': year 2015 is not in the quotes; quote where the paper ties the number to it"
    ]


# ---------------------------------------------------------------- order among siblings


def test_siblings_sharing_an_order_are_refused(entries):
    record(entries, "finding", "p1-problem-resource-imbalance")["order"] = 1
    problems = order_problems(entries)
    assert len(problems) == 1
    assert "'p1-problem-information-sharing', 'p1-problem-resource-imbalance' share order 1 under p1-problems" in problems[0]


def test_the_same_order_under_different_parents_is_fine(entries):
    parts = [e.data for e in entries if e.kind.key == "mechanism" and e.data.get("order") == 1]
    assert len({p["parent"] for p in parts}) == len(parts) > 1
    assert order_problems(entries) == []


# ---------------------------------------------------------------- signatories and members


def test_a_jurisdiction_named_only_by_its_parts_is_not_a_signatory(entries):
    agreement = record(entries, "agreement", "tianjin-five-districts-langfang-agreement-2017")
    agreement["signatories"] = ["tianjin", "langfang"]
    del agreement["signatories_note"]
    problems = party_problems(entries)
    assert len(problems) == 1
    assert problems[0].startswith("agreement 'tianjin-five-districts-langfang-agreement-2017': signatory 天津市 is not named")


def test_a_note_naming_the_signatory_says_why_it_is_recorded(entries):
    agreement = record(entries, "agreement", "tianjin-five-districts-langfang-agreement-2017")
    agreement["signatories"] = ["tianjin", "langfang"]
    agreement["signatories_note"] = "协议由天津市政府授权五区县签署。"
    assert party_problems(entries) == []
    agreement["signatories_note"] = "另有说明。"
    assert len(party_problems(entries)) == 1


def test_abbreviations_in_a_run_name_their_jurisdictions(entries):
    # 《苏浙皖沪三省一市公安机关区域警务合作章程》 names all four; 「沪」 alone in another word would not.
    charter = record(entries, "agreement", "yrd-regional-police-cooperation-charter-2010")
    assert set(charter["signatories"]) == {"shanghai", "jiangsu", "zhejiang", "anhui"}
    assert party_problems(entries) == []
    charter["citations"] = [quote(PAPER_2, "三、(一)", "2009年启动以来")]
    assert len(party_problems(entries)) == 4


def test_a_member_the_quotes_do_not_name_needs_a_note_that_names_it(entries):
    region = record(entries, "region", "tianjin-five-langfang")
    region["members"] = ["tianjin", "langfang"]
    region["members_note"] = "取自协议标题。"
    assert len(party_problems(entries)) == 1


# ---------------------------------------------------------------- jurisdictions: outside sources


def test_a_parent_the_papers_do_not_give_must_name_its_outside_source(entries):
    del record(entries, "jurisdiction", "rongchang")["outside_sources"]["parent"]
    problems = jurisdiction_problems(entries)
    assert problems == [
        "jurisdiction 'rongchang': the quotes do not place it in 重庆市; quote where the paper does (「河北省廊坊市」),"
        " or name the source in outside_sources.parent (e.g. GB/T 2260)"
    ]


def test_a_parent_written_before_the_child_in_a_quote_is_the_papers(entries):
    langfang = record(entries, "jurisdiction", "langfang")
    assert "outside_sources" not in langfang  # 「河北省廊坊市」
    langfang["citations"] = [quote(PAPER_1, "一、(二)", "《天津市五区县与河北省廊坊市区域警务合作协议》")]
    assert jurisdiction_problems(entries) == []
    langfang["parent"] = "tianjin"
    assert len(jurisdiction_problems(entries)) == 1


def test_a_full_name_the_quotes_do_not_write_needs_a_source_for_it_and_its_level(entries):
    del record(entries, "jurisdiction", "shanghai")["outside_sources"]
    problems = jurisdiction_problems(entries)
    assert [p.split(" so its ")[1][:5] for p in problems] == ["name ", "level"]


@pytest.mark.django_db
def test_outside_sources_names_a_source_for_each_statement():
    rongchang = Jurisdiction.objects.get(slug="rongchang")
    assert rongchang.outside_sources["parent"] == "GB/T 2260"
    rongchang.outside_sources = {"parent": ""}
    with pytest.raises(ValidationError, match="outside_sources"):
        rongchang.full_clean()
    rongchang.outside_sources = {"population": "统计年鉴"}
    with pytest.raises(ValidationError, match="outside_sources"):
        rongchang.full_clean()


# ---------------------------------------------------------------- dates


def test_a_date_its_quotes_do_not_give_is_refused(entries):
    event = record(entries, "event", "jjj-2021-joint-crackdowns")
    event["citations"] = event["citations"][:1]  # 「此间,…」 without the sentence that says 2021
    assert date_problems(entries) == [
        "event 'jjj-2021-joint-crackdowns': date 2021 is not in the quotes; quote the sentence that dates it"
        " (for 「同年」 or 「此间」, also the one that names the year)"
    ]


def test_a_month_must_be_in_the_quotes_too(entries):
    record(entries, "agreement", "jjj-police-framework-2016")["date"] = "2016-02"
    assert len(date_problems(entries)) == 1


def test_a_part_of_a_scheme_shares_the_schemes_date(entries):
    part = record(entries, "mechanism", "jjj-ei-public-security-network")
    assert part["date"] == record(entries, "mechanism", "jjj-eight-integrations")["date"] == "2016-01"
    assert date_problems(entries) == []
    part["date"] = "2017"
    assert len(date_problems(entries)) == 1


# ---------------------------------------------------------------- prose


def test_a_frequency_the_quotes_do_not_say_is_refused(entries):
    mechanism = record(entries, "mechanism", "gba-high-level-meeting")
    mechanism["description"] = "粤港澳大湾区警务协作制度框架的组成部分之一：三地警方高层定期会晤。"
    assert prose_problems(entries) == ["mechanism 'gba-high-level-meeting': 'description' says 「定期」, which its quotes do not"]


def test_a_number_the_quotes_do_not_give_is_refused(entries):
    record(entries, "event", "chengdu-universiade-security")["description"] += "共出动警力3000人次。"
    assert prose_problems(entries) == [
        "event 'chengdu-universiade-security': 'description' gives the number 3000, which its quotes do not"
    ]


# ---------------------------------------------------------------- mechanisms known only from a title


def test_a_mechanism_named_only_inside_a_title_must_say_so(entries):
    del record(entries, "mechanism", "cy-forest-fire-joint-prevention")["title_only"]
    assert title_only_problems(entries) == [
        "mechanism 'cy-forest-fire-joint-prevention': its quotes name it only inside an agreement's title 《…》;"
        " set title_only = true"
    ]


def test_a_mechanism_the_paper_describes_is_not_title_only(entries):
    record(entries, "mechanism", "jjj-regional-police-cooperation-mechanism")["title_only"] = True
    problems = title_only_problems(entries)
    assert "title_only is set, but its quotes name it outside a title" in problems[0]


@pytest.mark.django_db
def test_the_api_and_the_page_say_a_mechanism_is_known_only_from_a_title(client):
    mechanism = Mechanism.objects.get(slug="jjj-anti-pyramid-selling-mechanism")
    assert mechanism.title_only
    assert client.get(f"/api/v1/mechanisms/{mechanism.slug}/").json()["title_only"] is True
    assert "仅见于依据文件的标题" in client.get(mechanism.get_absolute_url()).content.decode()
    described = Mechanism.objects.get(slug="jjj-leading-group")
    assert client.get(f"/api/v1/mechanisms/{described.slug}/").json()["title_only"] is False
    assert "仅见于依据文件的标题" not in client.get(described.get_absolute_url()).content.decode()


# ---------------------------------------------------------------- which problems a recommendation answers


def test_problems_a_recommendation_answers_are_quoted_or_the_match_is_explained(entries):
    recommendation = record(entries, "finding", "p2-rec-talent-exchange")
    assert recommendation["addresses_note"]
    del recommendation["addresses_note"]
    assert addresses_problems(entries) == [
        "finding 'p2-rec-talent-exchange': its quotes do not name the problems p2-problem-cooperation-awareness,"
        " p2-problem-policy-implementation it is said to address; say in addresses_note how they were matched"
    ]


# ---------------------------------------------------------------- the loader enforces it


@pytest.mark.django_db
def test_the_loader_stops_at_a_statement_its_quotes_do_not_support(tmp_path, sources_dir):
    target = tmp_path / "fixtures"
    shutil.copytree(settings.PORTAL_FIXTURES_DIR, target)
    path = target / "mechanisms.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("方面建立的粤港澳三地警方高层会晤机制", "方面定期举行的粤港澳三地警方高层会晤机制", 1), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("load_portal_data", "--fixtures", str(target), stdout=StringIO())
    message = str(error.value)
    assert "Nothing was loaded" in message and "1 statements are not supported by their quotes" in message
    assert "mechanism 'gba-high-level-meeting': 'description' says 「定期」" in message
    assert "定期" not in Mechanism.objects.get(slug="gba-high-level-meeting").description
