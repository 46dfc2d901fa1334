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

