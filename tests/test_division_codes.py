"""GB/T 2260 administrative division codes: curated from the standard, validated, shown and filterable."""

import re
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from agreements.models import Agreement
from regions.models import Jurisdiction, Region

pytestmark = pytest.mark.django_db

# Levels that are GB/T 2260 divisions (province-level, prefecture-level, county-level).
DIVISION_LEVELS = {"province", "municipality", "sar", "prefecture", "county", "district"}


@pytest.fixture
def fixtures_copy(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(settings.PORTAL_FIXTURES_DIR, target)
    return target


def load(directory):
    call_command("load_portal_data", "--skip-quote-check", "--fixtures", str(directory), stdout=StringIO())


def set_code(directory, slug, code):
    """Rewrite one jurisdiction's code in the fixture copy."""
    path = directory / "regions.toml"
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf'(slug = "{slug}"\n(?:(?!\[\[).*\n)*?)division_code = "\d*"')
    new, count = pattern.subn(rf'\g<1>division_code = "{code}"', text, count=1)
    assert count == 1
    path.write_text(new, encoding="utf-8")


def test_every_division_level_jurisdiction_has_a_six_digit_code_from_the_standard():
    for jurisdiction in Jurisdiction.objects.filter(level__in=DIVISION_LEVELS):
        assert re.fullmatch(r"\d{6}", jurisdiction.division_code), jurisdiction.slug
        assert jurisdiction.division_code_source == "GB/T 2260", jurisdiction.slug


@pytest.mark.parametrize(
    ("slug", "code"),
    [("beijing", "110000"), ("hebei", "130000"), ("chongqing", "500000"), ("tongzhou", "110112"),
     ("wuqing", "120114"), ("langfang", "131000"), ("wanzhou", "500101"), ("dazhou", "511700"),
     ("kaizhou", "500154")],
)
def test_the_codes_the_issue_names_are_curated(slug, code):
    assert Jurisdiction.objects.get(slug=slug).division_code == code


def test_a_child_code_shares_its_parents_province_prefix():
    for child in Jurisdiction.objects.exclude(parent=None).exclude(division_code="").select_related("parent"):
        assert child.division_code[:2] == child.parent.division_code[:2], child.slug


def test_a_code_that_is_not_six_digits_stops_the_load_naming_the_record(fixtures_copy):
    set_code(fixtures_copy, "tongzhou", "11011")
    with pytest.raises(CommandError) as error:
        load(fixtures_copy)
    text = str(error.value)
    assert "jurisdiction 'tongzhou'" in text and "六位数字" in text


def test_a_code_outside_the_parents_province_stops_the_load_naming_the_record(fixtures_copy):
    set_code(fixtures_copy, "wuqing", "110114")
    with pytest.raises(CommandError) as error:
        load(fixtures_copy)
    text = str(error.value)
    assert "jurisdiction 'wuqing'" in text and "天津市" in text and "120000" in text
    assert Jurisdiction.objects.get(slug="wuqing").division_code == "120114"


def test_a_code_without_its_source_is_refused(fixtures_copy):
    path = fixtures_copy / "regions.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('slug = "langfang"')
    at = text.index('division_code_source = "GB/T 2260"\n', start)
    path.write_text(text[:at] + text[at + len('division_code_source = "GB/T 2260"\n'):], encoding="utf-8")
    with pytest.raises(CommandError, match=r"jurisdiction 'langfang'.*来源"):
        load(fixtures_copy)


def test_the_jurisdiction_page_shows_its_code_and_the_standard(client):
    page = client.get(Jurisdiction.objects.get(slug="tongzhou").get_absolute_url()).content.decode()
    assert "110112" in page and "GB/T 2260" in page


def test_the_api_gives_the_code_and_its_source(client):
    record = client.get("/api/v1/jurisdictions/tongzhou/").json()
    assert record["division_code"] == "110112"
    assert record["division_code_source"] == "GB/T 2260"


def test_jurisdictions_filter_by_division_code(client):
    response = client.get("/api/v1/jurisdictions/", {"division_code": "500154"})
    assert [r["slug"] for r in response.json()["results"]] == ["kaizhou"]


@pytest.mark.parametrize("value", ["11011", "1101120", "abcdef", "11-112"])
def test_a_malformed_division_code_is_a_400_with_a_message(client, value):
    response = client.get("/api/v1/jurisdictions/", {"division_code": value})
    assert response.status_code == 400
    assert "六位数字" in str(response.json()["errors"]["division_code"])


def test_regions_filter_by_a_member_division_code(client):
    response = client.get("/api/v1/regions/", {"division_code": "110112", "page_size": 100})
    found = {r["slug"] for r in response.json()["results"]}
    assert found == set(Region.objects.filter(members__slug="tongzhou").values_list("slug", flat=True))
    assert found


def test_agreements_filter_by_a_signatory_division_code(client):
    response = client.get("/api/v1/agreements/", {"division_code": "110000", "page_size": 100})
    assert response.status_code == 200
    found = {r["slug"] for r in response.json()["results"]}
    assert found == set(Agreement.objects.filter(signatories__slug="beijing").values_list("slug", flat=True))
    assert found


def test_a_malformed_wikidata_item_stops_the_load_naming_the_record(fixtures_copy):
    path = fixtures_copy / "regions.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('wikidata = "Q956"', 'wikidata = "956"'), encoding="utf-8")
    with pytest.raises(CommandError, match=r"jurisdiction 'beijing'.*Q956"):
        load(fixtures_copy)
