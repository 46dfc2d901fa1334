"""The timeline, the mechanism matrix, the region comparison and the charts, as the server renders them (issue 10)."""

import json
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from mechanisms.models import Mechanism
from regions.models import Region, Stage
from timeline.models import Event

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def data_block(page: str, element_id: str) -> dict:
    found = re.search(rf'<script id="{element_id}" type="application/json"[^>]*>(.*?)</script>', page, re.S)
    assert found, element_id
    return json.loads(found.group(1))


def stage_sections(page: str) -> dict[str, str]:
    """The list's sections by their heading text ("京津冀·起步探索阶段", "未划分阶段")."""
    listing = page.split('class="timeline-list"', 1)[1].split('class="undated"', 1)[0]
    sections = {}
    for chunk in listing.split('<section class="stage-group')[1:]:
        heading = re.search(r"<h3[^>]*>(.*?)<span class=\"count\"", chunk, re.S).group(1)
        text = re.sub(r"<[^>]+>", "", heading)
        sections[re.sub(r"\s+", "", text).split("（")[0]] = chunk
    return sections


def year_groups(section: str) -> dict[str, str]:
    groups = {}
    for chunk in section.split('<li class="year')[1:]:
        heading = re.search(r"<h4>(.*?)</h4>", chunk, re.S).group(1)
        groups[unescape(heading).strip()] = chunk
    return groups


def undated_section(page: str) -> str:
    return page.split('class="undated"', 1)[1].split("</section>", 1)[0]


def dated_records():
    return [r for r in [*Agreement.objects.for_timeline(), *Event.objects.for_timeline()] if r.date.year or r.date.before]


def title_of(record) -> str:
    return record.display_title if isinstance(record, Agreement) else record.title


# ---------------------------------------------------------------- timeline: grouping


def test_the_timeline_lists_each_dated_record_under_its_derived_stage(client):
    sections = stage_sections(html(client.get("/timeline/")))
    for record in dated_records():
        stage = record.derived_stage
        key = f"{stage.region.name}·{stage.name}" if stage else "未划分阶段"
        assert f">{title_of(record)}<" in unescape(sections[key]), (record.slug, key)


def test_stage_sections_come_in_stage_order_and_years_in_date_order(client):
    sections = stage_sections(html(client.get("/timeline/")))
    expected = [f"{s.region.name}·{s.name}" for s in Stage.objects.select_related("region").order_by("region", "order")]
    assert list(sections)[: len(expected)] == expected
    assert list(sections)[-1] == "未划分阶段"
    for section in sections.values():
        years = [int(re.search(r"\d{4}", key).group()) - (1 if "之前" in key else 0) for key in year_groups(section)]
        assert years == sorted(years)


def test_a_before_bound_is_listed_under_its_bound_and_not_under_the_year_before(client):
    page = html(client.get("/timeline/"))
    bounded = [r for r in dated_records() if r.date.before == 2014]
    assert bounded, "the dataset has 「2014年之前」 records (paper 1 section 一)"
    groups = {k: v for s in stage_sections(page).values() for k, v in year_groups(s).items()}
    assert "2013" not in groups
    for record in bounded:
        assert f">{title_of(record)}<" in unescape(groups["2014年之前"])


def test_undated_records_are_listed_apart_and_not_drawn(client):
    page = html(client.get("/timeline/"))
    undated = unescape(undated_section(page))
    marks = {m["title"] for m in data_block(page, "timeline-data")["marks"]}
    records = [*Agreement.objects.filter(date_year=None, date_before=None), *Event.objects.filter(date_year=None, date_before=None)]
    assert records
    for record in records:
        assert f">{title_of(record)}<" in undated
        assert title_of(record) not in marks


@pytest.mark.parametrize("precision", ["month", "year", "before", "unknown"])
def test_each_entry_is_marked_with_its_date_precision(client, precision):
    page = unescape(html(client.get("/timeline/")))
    records = [r for r in [*Agreement.objects.all(), *Event.objects.all()] if r.date.precision == precision]
    assert records
    for record in records:
        pattern = rf'<li class="entry entry-\w+ precision-{precision}">\s*<time class="date date-{precision}"[^>]*>[^<]*</time>\s*<span[^>]*>[^<]*</span>\s*<a href="{record.get_absolute_url()}">'
        assert re.search(pattern, page), record.slug


def test_marks_span_what_their_precision_allows(client):
    marks = data_block(html(client.get("/timeline/")), "timeline-data")["marks"]
    by_precision = {}
    for mark in marks:
        by_precision.setdefault(mark["precision"], []).append(mark)
    for mark in by_precision["year"]:
        if not mark["ranged"]:
            assert mark["end"] - mark["start"] == 1
    for mark in by_precision["month"]:
        if not mark["ranged"]:
            assert 0.07 < mark["end"] - mark["start"] < 0.09  # one month of a year
    for mark in by_precision["before"]:
        # A bound has no start: it is drawn as an arrow ending at 1 January of its year.
        assert mark["start"] is None and mark["end"] == 2014


def test_every_mark_and_entry_links_to_its_record(client):
    page = html(client.get("/timeline/"))
    urls = {m["url"] for m in data_block(page, "timeline-data")["marks"]}
    assert urls == {r.get_absolute_url() for r in dated_records()}
    for url in urls:
        assert client.get(url).status_code == 200


def test_stages_cover_only_the_lanes_of_their_region(client):
    drawing = data_block(html(client.get("/timeline/")), "timeline-data")
    inside = {r.slug: {x.slug for x in Region.objects.tree() if x.pk in r.descendant_ids} for r in Region.objects.tree()}
    jjj = Region.objects.get(slug="jjj")
    assert len(drawing["stages"]) == Stage.objects.count()
    for stage in drawing["stages"]:
        assert stage["region"] == jjj.name
        assert set(stage["lanes"]) <= inside["jjj"]
    lanes = [lane["slug"] for lane in drawing["lanes"]]
    assert "yrd" in lanes and not any("yrd" in stage["lanes"] for stage in drawing["stages"])


def test_a_record_of_a_region_and_its_sub_region_is_drawn_in_the_sub_regions_lane(client):
    marks = data_block(html(client.get("/timeline/")), "timeline-data")["marks"]
    tongwulang = Agreement.objects.get(slug="tongwulang-mechanism-document-2017")
    [mark] = [m for m in marks if m["url"] == tongwulang.get_absolute_url()]
    assert mark["lanes"] == ["tongwulang"]


# ---------------------------------------------------------------- timeline: filters


def listed_urls(page: str) -> set[str]:
    return set(re.findall(r'<li class="entry [^"]*">\s*<time[^>]*>[^<]*</time>\s*<span[^>]*>[^<]*</span>\s*<a href="([^"]+)"', page))


def test_the_region_filter_keeps_the_regions_records_and_its_sub_regions(client):
    page = html(client.get("/timeline/", {"region": "cy"}))
    expected = {r.get_absolute_url() for r in [*Agreement.objects.in_region("cy"), *Event.objects.in_region("cy")]}
    assert expected and listed_urls(page) == expected


def test_the_type_filter_draws_one_kind_of_record(client):
    page = html(client.get("/timeline/", {"type": "event"}))
    assert listed_urls(page) == {e.get_absolute_url() for e in Event.objects.all()}
    assert "entry-agreement" not in page


def test_the_year_range_keeps_records_with_an_exact_year_inside_it(client):
    page = html(client.get("/timeline/", {"year_from": 2017, "year_to": 2018}))
    expected = {r.get_absolute_url() for r in [*Agreement.objects.in_years(2017, 2018), *Event.objects.in_years(2017, 2018)]}
    assert expected and listed_urls(page) == expected
    assert 'class="undated"' not in page


def test_the_search_inside_the_timeline_finds_matching_records(client):
    page = html(client.get("/timeline/", {"search": "禁毒"}))
    assert Agreement.objects.get(slug="cy-drug-control-community-agreement").get_absolute_url() in listed_urls(page)
    assert Agreement.objects.get(slug="jjj-police-framework-2016").get_absolute_url() not in listed_urls(page)


def test_empty_fields_of_the_filter_form_mean_no_filter(client):
    response = client.get("/timeline/?region=&year_from=&year_to=&search=&type=agreement&type=event")
    assert response.status_code == 200
    assert len(listed_urls(html(response))) == Agreement.objects.count() + Event.objects.count()


@pytest.mark.parametrize("query, message", [
    ({"region": "atlantis"}, "没有 slug 为「atlantis」的区域"),
    ({"year_from": "twenty"}, "year_from"),
    ({"year_from": 2020, "year_to": 2010}, "早于"),
    ({"type": "figure"}, "类型只能是"),
])
def test_a_bad_filter_is_a_400_that_says_what_is_wrong(client, query, message):
    response = client.get("/timeline/", query)
    assert response.status_code == 400
    assert message in html(response)


# ---------------------------------------------------------------- timeline: pages (issue 14, "Load and scale")


def listed_in_order(page: str) -> list[str]:
    return re.findall(r'<li class="entry [^"]*">\s*<time[^>]*>[^<]*</time>\s*<span[^>]*>[^<]*</span>\s*<a href="([^"]+)"', page)


def test_the_papers_records_fit_on_one_page_of_the_timeline(client):
    page = html(client.get("/timeline/"))
    assert len(listed_in_order(page)) == Agreement.objects.count() + Event.objects.count()
    assert 'class="pages"' not in page


def test_a_large_timeline_is_paged_in_date_order_and_its_pages_hold_every_record_once(client):
    from timeline.entries import entries_from
    from timeline.views import PAGE_SIZE

    grow_the_dataset_tenfold()
    # Every record in the timeline's order (entries_from sorts by timeline.entries.sort_key).
    everything = [e.url for e in entries_from(Agreement.objects.for_timeline(), Event.objects.for_timeline())]
    total = len(everything)
    pages = -(-total // PAGE_SIZE)
    assert pages >= 3
    first = html(client.get("/timeline/"))
    assert f"共 {total} 条记录" in first and f"第 1 / {pages} 页" in first
    assert '<a href="?page=2" rel="next">' in first
    seen = []
    for number in range(1, pages + 1):
        page = html(client.get("/timeline/", {"page": number}))
        urls = listed_in_order(page)
        # Each page holds the next slice of the date order (listed by stage and year within it).
        assert set(urls) == set(everything[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]), number
        undated = listed_in_order(undated_section(page)) if 'class="undated"' in page else []
        assert len(data_block(page, "timeline-data")["marks"]) == len(urls) - len(undated)
        seen += urls
    assert len(seen) == len(set(seen)) == total
    assert html(client.get("/timeline/", {"page": "last"})).count('<li class="entry ') == total - PAGE_SIZE * (pages - 1)


def test_a_filtered_timeline_is_paged_too(client):
    from timeline.views import PAGE_SIZE

    grow_the_dataset_tenfold()
    expected = {r.get_absolute_url() for r in [*Agreement.objects.in_region("jjj"), *Event.objects.in_region("jjj")]}
    assert len(expected) > PAGE_SIZE
    seen, number = [], 1
    while (response := client.get("/timeline/", {"region": "jjj", "page": number})).status_code == 200:
        seen += listed_in_order(html(response))
        number += 1
    assert response.status_code == 404
    assert number - 1 == -(-len(expected) // PAGE_SIZE)
    assert len(seen) == len(expected) and set(seen) == expected


@pytest.mark.parametrize("page, status, message", [("x", 400, "page"), ("0", 400, "page"), ("99", 404, "没有第 99 页：共 1 页。")])
def test_a_bad_timeline_page_says_what_is_wrong(client, page, status, message):
    response = client.get("/timeline/", {"page": page})
    assert response.status_code == status
    assert message in html(response)


# ---------------------------------------------------------------- matrix


def matrix_cells(page: str) -> dict[tuple[str, str], tuple[int, str]]:
    cells = {}
    for href, region, category, count in re.findall(
        r'<a href="([^"]+)" data-region="([^"]+)" data-category="([^"]+)"[^>]*>(\d+)</a>', page
    ):
        cells[(region, category)] = (int(count), unescape(href))
    return cells


def test_each_matrix_cell_counts_the_mechanisms_of_its_region_and_category(client):
    cells = matrix_cells(html(client.get("/mechanisms/matrix/")))
    for region in Region.objects.all():
        for category in Mechanism.Category.values:
            expected = Mechanism.objects.in_region(region).filter(category=category).count()
            got = cells.get((region.slug, category), (0, None))[0]
            assert got == expected, (region.slug, category)


def test_a_matrix_row_counts_a_mechanism_linked_only_to_one_of_its_sub_regions(client):
    before = Mechanism.objects.in_region("jjj").filter(category="ecology").count()
    made = Mechanism.objects.create(slug="tongwulang-river-patrol", name="通武廊联合巡河", category="ecology")
    made.regions.set([Region.objects.get(slug="tongwulang")])
    cells = matrix_cells(html(client.get("/mechanisms/matrix/")))
    assert cells[("jjj", "ecology")][0] == before + 1
    assert cells[("tongwulang", "ecology")][0] == 1


def test_a_matrix_cell_links_to_the_list_the_api_answers_with_the_same_records(client):
    cells = matrix_cells(html(client.get("/mechanisms/matrix/")))
    count, href = cells[("jjj", "public_security")]
    assert href == "/mechanisms/?region=jjj&category=public_security"
    api = client.get("/api/v1" + href + "&page_size=100").json()
    assert api["count"] == count


def test_the_matrix_totals_count_every_mechanism_once(client):
    page = html(client.get("/mechanisms/matrix/"))
    assert f'<a href="/mechanisms/">{Mechanism.objects.count()}</a>' in page


# ---------------------------------------------------------------- comparison


def test_the_comparison_sets_the_chosen_regions_side_by_side_in_the_order_given(client):
    page = html(client.get("/regions/compare/", {"region": ["yrd", "jjj"]}))
    head = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert head.index("长三角") < head.index("京津冀")
    for slug in ("yrd", "jjj"):
        assert f'/agreements/?region={slug}">{Agreement.objects.in_region(slug).count()}<' in page
        assert f'/mechanisms/?region={slug}">{Mechanism.objects.in_region(slug).count()}<' in page
        assert f'/timeline/?region={slug}">{Event.objects.in_region(slug).count()}<' in page


def test_the_comparison_draws_each_regions_members(client):
    page = html(client.get("/regions/compare/", {"region": ["jjj", "gba"]}))
    diagrams = re.findall(r'<svg class="members".*?</svg>', page, re.S)
    assert len(diagrams) == 2
    for diagram, slug in zip(diagrams, ["jjj", "gba"]):
        members = Region.objects.get(slug=slug).members.all()
        assert diagram.count('class="member"') == members.count()
        for member in members:
            assert member.get_absolute_url() in diagram


def test_the_comparison_without_a_choice_offers_the_regions(client):
    response = client.get("/regions/compare/")
    assert response.status_code == 200
    assert html(response).count('name="region"') == Region.objects.count()


@pytest.mark.parametrize("regions, message", [
    (["jjj"], "请至少选择两个区域"),
    (["jjj", "atlantis"], "没有 slug 为「atlantis」的区域"),
    (["jjj", "yrd", "gba", "cy", "fxn", "wandakai", "gaozhu"], "最多同时比较 6 个区域"),
])
def test_a_bad_comparison_is_a_400_that_says_why(client, regions, message):
    response = client.get("/regions/compare/", {"region": regions})
    assert response.status_code == 400
    assert message in html(response)


def dated_columns(page: str) -> list[str]:
    """The comparison's 协议与文件（按日期） cells, one a compared region, in column order."""
    row = page.split("协议与文件（按日期）", 1)[1].split("</tr>", 1)[0]
    return re.findall(r"<td>(.*?)</td>", row, re.S)


def column_urls(cell: str) -> list[str]:
    return re.findall(r'<li><time[^>]*>.*?</time> <a href="([^"]+)"', cell)


def add_agreements(region: Region, n: int) -> None:
    """``n`` agreements in ``region``, in the date forms the papers use (months, year only, 「…之前」, undated)."""
    forms = [dict(date_year=2012 + i % 9, date_month=(i % 12) + 1 if i % 3 else None) for i in range(9)]
    forms += [dict(date_before=2014), dict()]
    made = Agreement.objects.bulk_create(
        Agreement(slug=f"cut-{region.slug}-{i}", title=f"{region.name}批量文件{i}", kind="plan", **forms[i % len(forms)])
        for i in range(n)
    )
    Agreement.regions.through.objects.bulk_create(
        Agreement.regions.through(agreement_id=a.pk, region_id=region.pk) for a in made
    )


def test_a_region_under_the_bound_lists_all_its_agreements_in_date_order(client):
    from regions.models import COMPARE_AGREEMENTS

    expected = [a.get_absolute_url() for a in Agreement.objects.in_region("jjj").order_by_date()]
    assert 1 < len(expected) <= COMPARE_AGREEMENTS
    jjj, _yrd = dated_columns(html(client.get("/regions/compare/", {"region": ["jjj", "yrd"]})))
    assert column_urls(jjj) == expected  # 通武廊's and the other sub-regions' agreements included
    assert 'class="cut"' not in jjj


def test_a_region_over_the_bound_lists_its_earliest_agreements_and_links_to_all_of_them(client):
    from regions.models import COMPARE_AGREEMENTS

    yrd = Region.objects.get(slug="yrd")
    add_agreements(yrd, COMPARE_AGREEMENTS + 12)
    total = Agreement.objects.in_region("yrd").count()
    expected = [a.get_absolute_url() for a in Agreement.objects.in_region("yrd").order_by_date()[:COMPARE_AGREEMENTS]]
    jjj, cut = dated_columns(html(client.get("/regions/compare/", {"region": ["jjj", "yrd"]})))
    assert column_urls(cut) == expected
    assert (f'<p class="cut"><a href="/agreements/?region=yrd">列出最早的 {COMPARE_AGREEMENTS} 份，'
            f"共 {total} 份：查看全部</a></p>") in cut
    assert 'class="cut"' not in jjj


def test_a_sub_region_and_its_region_are_each_cut_at_the_bound(client, monkeypatch):
    monkeypatch.setattr("regions.models.COMPARE_AGREEMENTS", 1)
    page = html(client.get("/regions/compare/", {"region": ["jjj", "jjj-border"]}))
    for slug, cell in zip(["jjj", "jjj-border"], dated_columns(page)):
        region = Agreement.objects.in_region(slug)
        assert column_urls(cell) == [a.get_absolute_url() for a in region.order_by_date()[:1]]
        assert f"列出最早的 1 份，共 {region.count()} 份" in cell


def test_a_cut_column_says_so_in_english(client):
    from regions.models import COMPARE_AGREEMENTS

    add_agreements(Region.objects.get(slug="yrd"), COMPARE_AGREEMENTS + 1)
    total = Agreement.objects.in_region("yrd").count()
    page = html(client.get("/regions/compare/", {"region": ["jjj", "yrd"]}, HTTP_ACCEPT_LANGUAGE="en"))
    assert f"The earliest {COMPARE_AGREEMENTS} of {total} are listed: see them all" in page


# ---------------------------------------------------------------- charts


def test_the_agreements_per_year_chart_counts_each_regions_agreements(client):
    data = data_block(html(client.get("/charts/")), "chart-data-by-year")
    for series in data["series"]:
        region = Region.objects.get(slug=series["slug"])
        for year, count in zip(data["years"], series["data"]):
            assert count == Agreement.objects.in_region(region).filter(date_year=year).count(), (region.slug, year)
        assert series["without_year"] == Agreement.objects.in_region(region).filter(date_year=None).count()


def test_the_mechanisms_per_category_chart_agrees_with_the_matrix(client):
    data = data_block(html(client.get("/charts/")), "chart-data-by-category")
    labels = dict((label, value) for value, label in Mechanism.Category.choices)
    for series in data["series"]:
        for label, count in zip(data["categories"], series["data"]):
            assert count == Mechanism.objects.in_region(series["slug"]).filter(category=labels[label]).count()


def test_the_network_has_a_node_per_record_linking_to_its_page(client):
    network = data_block(html(client.get("/charts/")), "chart-data-network")
    urls = {node["url"] for node in network["nodes"]}
    expected = {r.get_absolute_url() for model in (Region, Agreement, Mechanism) for r in model.objects.all()}
    assert urls == expected
    ids = {node["id"] for node in network["nodes"]}
    assert all(link["source"] in ids and link["target"] in ids for link in network["links"])


def test_every_chart_has_a_table_alternative(client):
    page = html(client.get("/charts/"))
    assert page.count('<table class="data">') == 2
    assert 'class="network-list"' in page


@pytest.mark.parametrize("path, blocks", [("/timeline/", 1), ("/charts/", 3)])
def test_the_data_blocks_carry_the_responses_csp_nonce(client, path, blocks):
    response = client.get(path)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    found = re.findall(r'<script id="[^"]+" type="application/json"([^>]*)>', html(response))
    assert len(found) == blocks
    assert all(f'nonce="{nonce}"' in attributes for attributes in found)


# ---------------------------------------------------------------- query counts


PAGES = [
    "/timeline/",
    "/timeline/?region=jjj&year_from=2015",
    "/mechanisms/matrix/",
    "/regions/compare/?region=jjj&region=yrd",
    "/regions/compare/?region=jjj&region=yrd&region=cy&region=gba",
    "/charts/",
]


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def grow_the_dataset_tenfold():
    """Nine more of each dated record, in regions and in every precision the papers use."""
    regions = list(Region.objects.all())
    agreements = Agreement.objects.count() * 9
    events = Event.objects.count() * 9
    mechanisms = Mechanism.objects.count() * 9
    forms = [dict(date_year=2015 + n % 10, date_month=(n % 12) + 1 if n % 3 else None) for n in range(12)]
    forms += [dict(date_before=2014), dict()]
    made_agreements = Agreement.objects.bulk_create(
        Agreement(slug=f"bulk-a-{n}", title=f"批量文件{n}", kind="plan", **forms[n % len(forms)]) for n in range(agreements)
    )
    made_events = Event.objects.bulk_create(
        Event(slug=f"bulk-e-{n}", title=f"批量事件{n}", **forms[n % len(forms)]) for n in range(events)
    )
    made_mechanisms = Mechanism.objects.bulk_create(
        Mechanism(slug=f"bulk-m-{n}", name=f"批量机制{n}", category=Mechanism.Category.values[n % 14]) for n in range(mechanisms)
    )
    for model, made in ((Agreement, made_agreements), (Event, made_events), (Mechanism, made_mechanisms)):
        through = model.regions.through
        own = model._meta.get_field("regions").m2m_field_name()
        through.objects.bulk_create(through(**{f"{own}_id": r.pk, "region_id": regions[i % len(regions)].pk}) for i, r in enumerate(made))


@pytest.mark.parametrize("path", PAGES)
def test_a_page_runs_as_many_queries_with_ten_times_the_records(client, path):
    before = queries(client, path)
    grow_the_dataset_tenfold()
    assert queries(client, path) == before


def test_the_comparison_runs_as_many_queries_for_four_regions_as_for_two(client):
    assert queries(client, PAGES[3]) == queries(client, PAGES[4])


def test_the_comparison_runs_as_many_queries_when_every_column_is_cut(client):
    from regions.models import COMPARE_AGREEMENTS

    path = "/regions/compare/?region=jjj&region=yrd&region=cy&region=gba&region=fxn&region=tongwulang"
    before = queries(client, path)
    for slug in ("yrd", "cy", "gba", "fxn", "tongwulang"):
        add_agreements(Region.objects.get(slug=slug), 2 * COMPARE_AGREEMENTS)
    assert queries(client, path) == before


# ---------------------------------------------------------------- English


def test_every_choice_label_the_explore_pages_show_has_english():
    from django.utils import translation

    from explore.labels import label

    with translation.override("en"):
        for _value, text in [*Mechanism.Category.choices, *Region.Kind.choices]:
            assert not re.search(r"[\u4e00-\u9fff]", label(text)), text


@pytest.mark.parametrize("path, heading, phrase", [
    ("/timeline/", "Timeline: agreements and events", "By development stage and year"),
    ("/mechanisms/matrix/", "Mechanism matrix: category × region", "Government services"),
    ("/regions/compare/?region=jjj&region=yrd", "Compare regions", "Large region"),
    ("/charts/", "Charts", "Mechanisms per category, by region"),
])
def test_accept_language_en_gives_the_english_interface(client, path, heading, phrase):
    page = html(client.get(path, HTTP_ACCEPT_LANGUAGE="en"))
    assert f"<h1>{heading}</h1>" in unescape(page)
    assert phrase in page


def test_an_english_timeline_writes_partial_dates_in_english(client):
    page = html(client.get("/timeline/", HTTP_ACCEPT_LANGUAGE="en"))
    assert ">before 2014<" in page and ">Jan 2016<" in page and ">Date unknown<" in page
    assert "2014年之前" not in page.split('class="timeline-list"', 1)[1].split("<script", 1)[0]
