"""Record pages: every record cited, citable, permanently addressed, in Chinese and in English (issue 10)."""

import re
from pathlib import Path

import bibtexparser
import pytest
import rispy
from django.conf import settings

from agreements.models import Agreement
from findings.models import Finding
from mechanisms.models import Mechanism
from regions.models import Region, Stage
from sources.models import Citation, Source

pytestmark = pytest.mark.django_db

FRAMEWORK = "/agreements/jjj-police-framework-2016/"


def text_of(response) -> str:
    return response.content.decode()


def test_a_quote_is_shown_without_the_extractions_spaces_between_chinese_characters(client):
    citation = Citation.objects.get(quote__contains="数据标准不 统一")
    page = text_of(client.get(citation.record.get_absolute_url()))
    assert "数据标准不统一、信息更新不及时" in page
    assert "数据标准不 统一" not in page.split('class="citations"')[1].split("</section>")[0]
    citation.refresh_from_db()
    assert "数据标准不 统一" in citation.quote  # storage stays verbatim


def test_a_record_page_names_each_citations_paper_section_and_credited_reference(client):
    agreement = Agreement.objects.with_related().get(slug="jjj-police-framework-2016")
    page = text_of(client.get(FRAMEWORK))
    for citation in agreement.citations_list:
        assert citation["source"]["citation"] in page
        assert f"章节 {citation['locator']}" in page
        if citation["cites"]:
            assert citation["cites"]["citation"] in page


def test_a_record_page_links_to_its_json_in_the_api(client):
    assert 'href="/api/v1/agreements/jjj-police-framework-2016/"' in text_of(client.get(FRAMEWORK))


def test_the_bibtex_download_parses_and_names_the_permalink_the_access_date_and_the_paper(client):
    response = client.get("/cite/agreement/jjj-police-framework-2016.bib")
    assert response["Content-Disposition"].startswith("attachment")
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    record, *papers = library.entries
    assert record.fields_dict["url"].value == "http://testserver/agreements/jjj-police-framework-2016/"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record.fields_dict["urldate"].value)
    assert "yang-xin-2025" in [paper.key for paper in papers]


def test_the_ris_download_parses_into_the_record_and_its_papers(client):
    entries = rispy.loads(client.get("/cite/agreement/jjj-police-framework-2016.ris").content.decode())
    assert entries[0]["type_of_reference"] == "DBASE"
    assert entries[0]["urls"] == ["http://testserver/agreements/jjj-police-framework-2016/"]
    journal = next(e for e in entries[1:] if e["type_of_reference"] == "JOUR")
    assert journal["authors"] == ["杨彦文", "辛昊"] and journal["start_page"] == "75"


def test_the_page_shows_the_gbt_7714_citation_of_the_record_as_an_online_database(client):
    page = text_of(client.get(FRAMEWORK))
    assert "区域警务协作知识库. 《京津冀警务协同发展的框架协议》[DB/OL]." in page


def test_a_changed_slug_keeps_answering_301_from_the_old_one(client):
    mechanism = Mechanism.objects.get(slug="jjj-eight-integrations")
    mechanism.slug = "jjj-eight-integrations-renamed"
    mechanism.save()
    response = client.get("/mechanisms/jjj-eight-integrations/")
    assert response.status_code == 301
    assert response["Location"] == "/mechanisms/jjj-eight-integrations-renamed/"


def test_a_source_keeps_its_old_slug_too(client):
    source = Source.objects.get(slug="yang-xin-2025-ref-2")
    source.slug = "yang-xin-2025-reference-2"
    source.save()
    assert client.get("/sources/yang-xin-2025-ref-2/")["Location"] == "/sources/yang-xin-2025-reference-2/"


def test_an_unknown_slug_is_the_portals_own_404_page(client):
    response = client.get("/agreements/no-such-agreement/")
    assert response.status_code == 404
    assert "页面不存在" in text_of(response) and "Not Found</h1>" not in text_of(response)


def test_a_region_lists_its_agreements_in_date_order_undated_last(client):
    region = Region.objects.get(slug="jjj")
    page = text_of(client.get(region.get_absolute_url()))
    section = page.split("region-agreements")[1].split("</ul>")[0]
    slugs = re.findall(r'href="/agreements/([^/]+)/"', section)
    expected = list(Agreement.objects.in_region(region).order_by_date().values_list("slug", flat=True))
    assert slugs == expected
    dates = [Agreement.objects.get(slug=s).date for s in slugs]
    known = [d.latest_year for d in dates if d.latest_year is not None]
    assert known == sorted(known) and dates[-1].latest_year is None


def test_references_are_listed_in_natural_order(client):
    page = text_of(client.get("/sources/"))
    listing = page.split('id="all-references"')[1]
    slugs = [s for s in re.findall(r'href="/sources/([^/]+)/"', listing) if s.startswith("yang-xin-2025-ref-")]
    numbers = [int(s.rsplit("-", 1)[1]) for s in slugs]
    assert numbers == sorted(numbers) and 10 in numbers


def test_the_sources_page_gives_both_papers_full_details_and_the_api_links(client):
    page = text_of(client.get("/sources/"))
    for paper in Source.objects.papers():
        assert paper.citation in page
    for link in ("/api/v1/docs/", "/api/v1/schema/", "/api/v1/export/"):
        assert f'href="{link}"' in page


def test_a_chinese_stage_page_shows_no_english_label(client):
    stage = Stage.objects.exclude(name_en="").first()
    page = text_of(client.get(stage.get_absolute_url()))
    assert stage.name_en not in page


def test_an_english_stage_page_gives_the_english_name(client):
    stage = Stage.objects.exclude(name_en="").first()
    page = text_of(client.get(stage.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert stage.name_en in page


def test_findings_side_by_side_link_each_problem_to_the_recommendations_addressing_it(client):
    page = text_of(client.get("/findings/"))
    problem = Finding.objects.filter(kind="problem", addressed_by__isnull=False).first()
    item = page.split(f'<li id="{problem.slug}">')[1].split("</li>")[0]
    for recommendation in problem.addressed_by.all():
        assert f'href="{recommendation.get_absolute_url()}"' in item


def test_mechanism_categories_show_grouped_schemes_with_their_parts(client):
    page = text_of(client.get("/mechanisms/categories/"))
    scheme = Mechanism.objects.get(slug="jjj-eight-integrations")
    parts = page.split(f'href="{scheme.get_absolute_url()}"')[1].split("</ol>")[0]
    assert all(part.get_absolute_url() in parts for part in scheme.parts.all())
    assert scheme.parts.count() == 8


def test_the_home_page_counts_link_to_the_lists(client):
    page = text_of(client.get("/"))
    assert f'<a href="/agreements/"><strong>{Agreement.objects.count()}</strong>' in page
    assert 'href="/api/v1/docs/"' in page


def test_the_admin_carries_the_portals_name(admin_client):
    page = text_of(admin_client.get("/admin/"))
    assert "区域警务协作知识库" in page and "Django administration" not in page and "Django 管理" not in page


def test_english_is_asked_for_by_accept_language_alone(client):
    page = text_of(client.get("/agreements/", HTTP_ACCEPT_LANGUAGE="en"))
    assert '<html lang="en">' in page and "Agreements and documents" in page


def test_chinese_is_the_default(client):
    page = text_of(client.get("/agreements/"))
    assert '<html lang="zh-Hans">' in page and "协议与文件" in page


def test_the_language_choice_persists(client):
    response = client.get("/i18n/lang/en/", {"next": "/regions/"})
    assert response.status_code == 302 and response["Location"] == "/regions/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in text_of(client.get("/regions/"))
    client.get("/i18n/lang/zh-hans/", {"next": "/regions/"})
    assert '<html lang="zh-Hans">' in text_of(client.get("/regions/"))


def test_the_language_switch_is_a_link_that_returns_to_the_same_page(client):
    page = text_of(client.get("/agreements/?region=jjj"))
    assert '<a href="/i18n/lang/en/?next=/agreements/%3Fregion%3Djjj"' in page
    assert "<form class=\"language\"" not in page and "csrfmiddlewaretoken" not in page


def test_a_reader_who_does_not_click_the_switch_gets_no_cookie(client):
    for path in ("/", "/agreements/", "/regions/", "/search/?q=川渝", "/sources/"):
        assert not client.get(path).cookies, path
        assert not client.get(path, HTTP_ACCEPT_LANGUAGE="en").cookies, path


def test_the_language_switch_refuses_to_send_a_reader_to_another_site(client):
    response = client.get("/i18n/lang/en/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_unknown_interface_language_is_a_400(client):
    response = client.get("/i18n/lang/fr/", {"next": "/"})
    assert response.status_code == 400 and settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_every_interface_string_has_an_english_translation():
    catalogue = (Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    untranslated = re.findall(r'\nmsgid "(.+)"\nmsgstr ""\n\n', catalogue + "\n\n")
    assert untranslated == []
    assert "#, fuzzy" not in catalogue.split("\n\n", 1)[1]


def test_a_quote_drops_the_extractions_spaces_around_numbers_in_chinese_but_keeps_those_between_latin_words():
    from records.templatetags.pages import reading_text

    assert reading_text("2016 年 1 月签订") == "2016年1月签订"
    assert reading_text("使用 Open Data 平台") == "使用 Open Data 平台"
    assert reading_text("Open Data") == "Open Data"


def test_a_first_visit_to_a_page_sets_no_cookie_so_it_can_be_revalidated(client):
    response = client.get("/agreements/")
    assert not response.cookies and response["ETag"]
    assert client.get("/agreements/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


# ---------------------------------------------------------------- the overview pages are paged

LISTED = "//div[@class='column']/ol/li/@id"
SCHEME = "//ul[@class='mechanisms']/li/a[1]/@href"  # a scheme, not its parts (ol.parts)


def every_page(client, path: str, xpath: str) -> list[list[str]]:
    """The slugs each page of an overview lists, page 1 to the last (followed by its rel=next links)."""
    import lxml.html

    pages, url = [], path
    while url:
        page = text_of(client.get(url))
        found = lxml.html.fromstring(page).xpath(xpath)
        pages.append([value.strip("/").rsplit("/", 1)[-1] for value in found])
        following = re.search(r'<a href="([^"]+)" rel="next">', page)
        url = path + following.group(1).replace("&amp;", "&") if following else None
    return pages


def test_the_findings_side_by_side_page_lists_the_real_dataset_on_one_page(client):
    [listed] = every_page(client, "/findings/", LISTED)
    assert sorted(listed) == sorted(Finding.objects.values_list("slug", flat=True))


def test_the_findings_side_by_side_pages_show_a_bounded_slice_of_each_cell_and_every_finding_once(client):
    from findings.views import FINDINGS_PER_CELL
    from portal.synthetic import multiply_dataset

    multiply_dataset(10)
    pages = every_page(client, "/findings/", LISTED)
    assert len(pages) > 1
    cells = {slug: (paper, kind) for slug, paper, kind in Finding.objects.values_list("slug", "source_id", "kind")}
    for slugs in pages:
        per_cell = {cell: sum(1 for s in slugs if cells[s] == cell) for cell in set(cells.values())}
        assert max(per_cell.values()) == FINDINGS_PER_CELL or slugs is pages[-1]
        assert max(per_cell.values()) <= FINDINGS_PER_CELL
    listed = [slug for slugs in pages for slug in slugs]
    assert sorted(listed) == sorted(Finding.objects.values_list("slug", flat=True))


def test_a_partial_findings_cell_says_which_and_links_to_the_list_of_them_all(client):
    from portal.synthetic import multiply_dataset

    multiply_dataset(10)
    paper = Source.objects.get(slug="cq-police-assoc-2026")
    total = Finding.objects.filter(source=paper, kind="recommendation").count()
    page = text_of(client.get("/findings/?page=2"))
    assert f"第 26–50 条，共 {total} 条" in page
    assert f'href="/findings/browse/?source={paper.slug}&amp;kind=recommendation"' in page


def test_the_mechanism_categories_pages_list_every_top_level_mechanism_once(client):
    from mechanisms.views import MECHANISMS_PER_CATEGORY
    from portal.synthetic import multiply_dataset

    multiply_dataset(10)
    pages = every_page(client, "/mechanisms/categories/", SCHEME)
    assert len(pages) > 1
    categories = dict(Mechanism.objects.values_list("slug", "category"))
    for slugs in pages:
        per_category = {c: sum(1 for s in slugs if categories[s] == c) for c in set(categories.values())}
        assert max(per_category.values()) <= MECHANISMS_PER_CATEGORY
    listed = [slug for slugs in pages for slug in slugs]
    assert sorted(listed) == sorted(Mechanism.objects.filter(parent__isnull=True).values_list("slug", flat=True))


def test_each_category_lists_its_mechanisms_in_date_order_across_pages(client):
    from portal.synthetic import multiply_dataset

    multiply_dataset(10)
    listed = [slug for slugs in every_page(client, "/mechanisms/categories/", SCHEME) for slug in slugs]
    expected = list(Mechanism.objects.filter(parent__isnull=True, category="government_services").order_by_date().values_list("slug", flat=True))
    assert [slug for slug in listed if slug in set(expected)] == expected


@pytest.mark.parametrize("path", ["/findings/", "/mechanisms/categories/"])
@pytest.mark.parametrize(("query", "status"), [("page=zero", 400), ("page=0", 400), ("page=99", 404)])
def test_a_bad_overview_page_number_is_a_friendly_error(client, path, query, status):
    response = client.get(f"{path}?{query}")
    assert response.status_code == status
    assert 'role="alert"' in text_of(response) and "<code>page</code>" in text_of(response)
