"""The timeline, the mechanism matrix, the region comparison and the charts, in Chromium (issue 10)."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from mechanisms.models import Mechanism
from tests.servers import get

from .conftest import axe_violations, horizontal_overflow, screenshot

@pytest.fixture(autouse=True)
def no_favicon_request(request):
    # Chromium asks for /favicon.ico on its own; the icon belongs to the base layout (another part of
    # issue 10), and these tests are about the explore pages, so the browser's own request is answered here.
    for name in ("page", "phone_page", "english_page"):
        if name in request.fixturenames:
            request.getfixturevalue(name).route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))


PAGES = ["/timeline/", "/mechanisms/matrix/", "/regions/compare/?region=jjj&region=yrd&region=cy", "/charts/"]


def timeline_data(page) -> dict:
    return json.loads(page.locator("#timeline-data").text_content())


def test_the_visual_timeline_draws_every_dated_record_at_its_precision(page):
    page.goto("/timeline/")
    page.wait_for_selector("#visual-timeline svg a.mark")
    data = timeline_data(page)
    drawn = page.locator("#visual-timeline a.mark")
    assert drawn.count() == sum(len(m["lanes"]) for m in data["marks"])
    # A 「2014年之前」 bound is an arrow, a year-only date a dashed year, a month a month.
    for precision in ("before", "year", "month"):
        assert page.locator(f"#visual-timeline a.mark.p-{precision}").count() > 0, precision
    assert page.locator("#visual-timeline a.mark.p-before path.arrow").count() > 0
    screenshot(page, "timeline-laptop")


def test_the_timeline_draws_stages_only_over_their_regions_lanes(page):
    page.goto("/timeline/")
    page.wait_for_selector("#visual-timeline svg rect.era")
    eras = page.locator("#visual-timeline rect.era")
    lanes = {lane["slug"]: lane for lane in timeline_data(page)["lanes"]}
    assert "yrd" in lanes and eras.count() == 4
    yrd_label_y = float(page.locator("#visual-timeline text.lane-label", has_text="长三角").get_attribute("y"))
    for i in range(eras.count()):
        # 京津冀's eras end above the 长三角 lane, which is drawn below 京津冀 and its sub-regions.
        era = eras.nth(i)
        assert float(era.get_attribute("y")) + float(era.get_attribute("height")) < yrd_label_y


def test_a_timeline_filter_narrows_the_list_and_the_marks(page):
    page.goto("/timeline/")
    page.select_option("#tl-region", "yrd")
    page.uncheck("input[name=type][value=agreement]")
    page.click(".timeline-filters button[type=submit]")
    page.wait_for_url(re.compile(r"region=yrd"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["region"] == ["yrd"] and query["type"] == ["event"]
    entries = page.locator(".timeline-list li.entry")
    assert entries.count() >= 1
    assert page.locator(".timeline-list li.entry-agreement").count() == 0
    for lane in timeline_data(page)["lanes"]:
        assert lane["slug"] == "yrd"


def test_a_timeline_mark_opens_its_record(page):
    page.goto("/timeline/")
    mark = page.locator("#visual-timeline a.mark").first
    href = mark.get_attribute("href")
    mark.click()
    page.wait_for_url(f"**{href}")
    assert page.locator("h1").count() == 1


def test_the_timeline_is_keyboard_usable(page):
    page.goto("/timeline/")
    page.wait_for_selector("#visual-timeline a.mark[tabindex='0']")
    assert page.locator("#visual-timeline a.mark[tabindex='0']").count() == 1
    page.focus("#visual-timeline a.mark[tabindex='0']")
    start = page.evaluate("() => document.activeElement.getAttribute('data-index') + '/' + document.activeElement.getAttribute('data-lane')")
    page.keyboard.press("ArrowRight")
    moved = page.evaluate("() => document.activeElement.getAttribute('data-index') + '/' + document.activeElement.getAttribute('data-lane')")
    assert moved != start
    page.keyboard.press("ArrowDown")
    lane = page.evaluate("() => document.activeElement.getAttribute('data-lane')")
    assert lane != moved.split("/")[1]
    assert page.locator("#visual-timeline a.mark[tabindex='0']").count() == 1
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")


def test_a_matrix_cell_links_to_the_mechanisms_it_counts(page, portal_url):
    page.goto("/mechanisms/matrix/")
    cell = page.locator("table.matrix a[data-region='jjj'][data-category='public_security']")
    count = int(cell.text_content())
    cell.click()
    page.wait_for_url(re.compile(r"/mechanisms/\?"))
    query = urlsplit(page.url).query
    assert parse_qs(query) == {"region": ["jjj"], "category": ["public_security"]}
    # The page's query string is the API's: the same query there lists the counted mechanisms.
    status, body = get(f"{portal_url}/api/v1/mechanisms/?{query}&page_size=100")
    assert status == 200
    found = json.loads(body)
    assert found["count"] == count
    expected = set(Mechanism.objects.in_region("jjj").filter(category="public_security").values_list("name", flat=True))
    assert {m["name"] for m in found["results"]} == expected
    content = page.content()
    assert all(name in content for name in expected)


def test_the_region_comparison_sets_the_chosen_regions_side_by_side(page):
    page.goto("/regions/compare/")
    page.check("input[name=region][value=jjj]")
    page.check("input[name=region][value=gba]")
    page.click(".compare-form button[type=submit]")
    page.wait_for_url(re.compile(r"region=jjj&region=gba"))
    headers = page.locator("table.compare thead th").all_text_contents()
    assert headers[1:] == ["京津冀", "粤港澳大湾区"]
    assert page.locator("table.compare svg.members").count() == 2
    screenshot(page, "compare-laptop")


def test_the_charts_render_and_a_node_opens_its_record(page):
    page.goto("/charts/")
    for name in ("by-year", "by-category", "network"):
        page.wait_for_selector(f"[data-chart='{name}'][data-ready='true'] svg")
        assert page.locator(f"[data-chart='{name}'] svg path, [data-chart='{name}'] svg rect").count() > 0, name
    screenshot(page, "charts-laptop")
    # Click the first region node of the network (its position from ECharts' own layout).
    page.locator("#chart-network").scroll_into_view_if_needed()
    point = page.evaluate("""() => {
        // The region node inside the chart's box that stands furthest from any other node, so the
        // click lands on it and not on a neighbour the (randomly seeded) force layout put close by.
        const el = document.getElementById('chart-network');
        const chart = echarts.getInstanceByDom(el);
        const data = chart.getModel().getSeriesByIndex(0).getData();
        const box = el.getBoundingClientRect();
        const at = [];
        for (let i = 0; i < data.count(); i++) at.push(chart.convertToPixel({seriesIndex: 0}, data.getItemLayout(i)));
        let best = null;
        for (let i = 0; i < data.count(); i++) {
            const model = data.getItemModel(i), [x, y] = at[i];
            if (model.get('category') !== 0 || x < 20 || y < 40 || x > box.width - 20 || y > box.height - 20) continue;
            const room = Math.min(...at.filter((_, j) => j !== i).map(([u, v]) => Math.hypot(u - x, v - y)));
            if (!best || room > best.room) best = {room, x: box.left + x, y: box.top + y, url: model.get('url')};
        }
        return best;
    }""")
    assert point is not None
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(f"**{point['url']}")


@pytest.mark.parametrize("path", PAGES)
def test_the_explore_pages_have_no_serious_accessibility_violation(page, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", PAGES)
def test_the_explore_pages_fit_a_phone(phone_page, path):
    phone_page.goto(path)
    phone_page.wait_for_load_state("networkidle")
    name = urlsplit(path).path.strip("/").replace("/", "-") or "home"
    screenshot(phone_page, f"{name}-phone")
    assert horizontal_overflow(phone_page) == 0


@pytest.mark.parametrize("path, heading", [
    ("/timeline/", "Timeline: agreements and events"),
    ("/mechanisms/matrix/", "Mechanism matrix: category × region"),
    ("/regions/compare/", "Compare regions"),
    ("/charts/", "Charts"),
])
def test_the_explore_pages_read_in_english(english_page, path, heading):
    english_page.goto(path)
    assert english_page.locator("h1").text_content().strip() == heading
