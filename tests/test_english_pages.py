"""Every page of issue 10's public reading side is fully English for a reader who asks for English.

Record content (titles, quotes, names of regions and bodies) stays as the papers wrote it, so the
check looks only at the interface's own chrome: the header, navigation and footer, field labels,
table headings, facet headings, buttons and placeholders. A Han character there means a string
that was hard-coded or left out of the English catalogue.
"""

import re
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

PAGES = [
    "/",
    "/agreements/",
    "/agreements/?region=jjj&kind=opinion",
    "/agreements/?year_from=abc",
    "/agreements/jjj-police-framework-2016/",
    "/mechanisms/",
    "/mechanisms/categories/",
    "/mechanisms/jjj-eight-integrations/",
    "/timeline/events/",
    "/timeline/events/jjj-2014-02-report/",
    "/findings/",
    "/findings/browse/",
    "/findings/p1-problem-information-sharing/",
    "/findings/figures/jjj-68-mechanisms/",
    "/regions/",
    "/regions/jjj/",
    "/regions/jurisdictions/beijing/",
    "/regions/stages/jjj-consolidation/",
    "/sources/",
    "/sources/yang-xin-2025/",
    "/search/?q=京警入冀",
    "/search/?q=火星殖民",
    "/timeline/",
    "/mechanisms/matrix/",
    "/regions/compare/",
    "/regions/compare/?region=jjj&region=yrd",
    "/charts/",
    "/data/",
]

# Interface chrome; inside it, links, quotes, marks and citations carry record content.
CHROME = "//header[@class='site'] | //nav | //footer | //dt | //th | //legend | //button | //h2 | //caption"
CONTENT = ".//a | .//q | .//mark | .//cite | .//*[@lang='zh-Hans'] | .//*[contains(@class, 'record-content')]"


def chrome_text(element) -> str:
    for inner in element.xpath(CONTENT):
        if inner.getparent() is not None:  # not already dropped with an outer one
            inner.drop_tree()
    return element.text_content()


# Labels that name a record (a grouped scheme's parts, a matrix cell's region), and the home page's
# search examples, which are words of the records.
NAMED = "//*[not(self::ol[@class='parts']) and not(@id='home-search') and not(contains(@class, 'record-content'))]"


def han_in_chrome(html: str, query: str = "") -> list[str]:
    document = lxml.html.fromstring(html)
    texts = [chrome_text(element) for element in document.xpath(CHROME)]
    texts += document.xpath(f"{NAMED}/@placeholder | {NAMED}/@aria-label")
    # What the reader typed is theirs, not the interface's.
    return [text.strip() for text in texts if HAN.search(text.replace(query, "") if query else text)]


@pytest.mark.parametrize("path", PAGES)
def test_an_english_page_has_no_chinese_in_its_interface(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert han_in_chrome(html, query=parse_qs(urlsplit(path).query).get("q", [""])[0]) == []


def test_the_check_does_find_chinese_chrome_on_a_chinese_page(client):
    assert han_in_chrome(client.get("/agreements/").content.decode())



# ---------------------------------------------------------------- bad values: the page's language, the API's Chinese

# (list page, query string, the parameter named, words of the English message, words of the Chinese one)
BAD_VALUES = [
    ("/agreements/", "region=atlantis", "region", "no region with the slug “atlantis”", "没有 slug 为「atlantis」的区域"),
    ("/agreements/", "stage=nope", "stage", "no development stage with the slug “nope”", "没有 slug 为「nope」的发展阶段"),
    ("/agreements/", "jurisdiction=nope", "jurisdiction", "no jurisdiction with the slug", "没有 slug 为「nope」的辖区"),
    ("/agreements/", "division_code=12", "division_code", "six digits", "六位数字"),
    ("/agreements/", "search=", "search", "search text is empty", "检索词不能为空"),
    ("/agreements/", f"search={'x' * 201}", "search", "at most 200 characters (this one has 201)", "最多 200 个字符（收到 201 个）"),
    ("/agreements/", "year_from=2020&year_to=2010", "year_to", "year_to (2010) is earlier than year_from (2020)", "year_to（2010）早于 year_from（2020）"),
    ("/agreements/", "updated_since=2025-01-01T00:00:00%2B20:00", "updated_since", "within ±15:59", "时区偏移须在 ±15:59 之内"),
    ("/mechanisms/", "parent=nope", "parent", "no mechanism with the slug", "没有 slug 为「nope」的机制"),
    ("/mechanisms/", "established_by=nope", "established_by", "no agreement or document with the slug", "没有 slug 为「nope」的文件"),
    ("/findings/browse/", "source=nobody", "source", "no paper with the slug “nobody”", "没有 slug 为「nobody」的论文"),
    ("/timeline/events/", "region=atlantis", "region", "no region with the slug", "没有 slug 为「atlantis」的区域"),
]
API = {"/agreements/": "agreements", "/mechanisms/": "mechanisms", "/findings/browse/": "findings", "/timeline/events/": "events"}


def alert_text(html: str) -> str:
    alert = lxml.html.fromstring(html).xpath("//*[@role='alert']")
    assert alert, "no alert on the page"
    return alert[0].text_content()


@pytest.mark.parametrize(("path", "query", "parameter", "english", "chinese"), BAD_VALUES)
def test_a_bad_value_is_explained_in_english_on_an_english_page(client, path, query, parameter, english, chinese):
    response = client.get(f"{path}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    text = alert_text(response.content.decode())
    assert f"{parameter}: " in text and english in text
    # The slug or text the reader sent is theirs; every other character of the message is English.
    assert not HAN.search(text), text


@pytest.mark.parametrize(("path", "query", "parameter", "english", "chinese"), BAD_VALUES)
def test_a_bad_value_is_explained_in_chinese_on_a_chinese_page(client, path, query, parameter, english, chinese):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert chinese in alert_text(response.content.decode())


@pytest.mark.parametrize(("path", "query", "parameter", "english", "chinese"), BAD_VALUES)
def test_the_api_keeps_its_chinese_messages_when_the_browser_asks_for_english(client, path, query, parameter, english, chinese):
    response = client.get(f"/api/v1/{API[path]}/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert chinese in response.json()["errors"][parameter][0]
    assert english not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "english", "chinese"),
    [
        ("q=", "Type something to search for: q is empty.", "请输入检索词：q 为空。"),
        ("q=x&region=atlantis", "region: There is no cooperation region with the slug “atlantis”.", "没有 slug 为「atlantis」的协作区域。"),
        ("q=x&year_from=2020&year_to=2010", "year_to: year_to (2010) is earlier than year_from (2020).", "year_to（2010）早于 year_from（2020）。"),
        (f"q={'x' * 300}", "The search text is too long: at most 200 characters.", "检索词过长：最多 200 个字符。"),
    ],
)
def test_the_search_page_explains_a_bad_value_in_english_and_the_search_api_in_chinese(client, query, english, chinese):
    page = client.get(f"/search/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and alert_text(page.content.decode()).strip() == english
    api = client.get(f"/api/v1/search/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 400 and chinese in api.json()["detail"]
