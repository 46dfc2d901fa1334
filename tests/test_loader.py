"""load_portal_data: idempotent, all-or-nothing, and clear about what is wrong and where."""

import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from agreements.models import Agreement
from dataset.services import dataset_export, dataset_load, dataset_read_json
from sources.models import Citation

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixtures_copy(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(settings.PORTAL_FIXTURES_DIR, target)
    return target


def load(directory=None):
    out = StringIO()
    args = ["--skip-quote-check"] + (["--fixtures", str(directory)] if directory else [])
    call_command("load_portal_data", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return dataset_export(), sorted(Agreement.objects.values_list("slug", "updated_at"))


def test_loading_twice_changes_nothing():
    before = snapshot()
    output = load()
    assert "no changes" in output
    assert snapshot() == before


def test_a_changed_fixture_updates_only_that_record(fixtures_copy):
    path = fixtures_copy / "agreements.toml"
    text = path.read_text(encoding="utf-8")
    framework = Agreement.objects.named("框架协议").get()
    path.write_text(text.replace(framework.summary, framework.summary + "（修订）", 1), encoding="utf-8")
    output = load(fixtures_copy)
    assert "1 records created or updated" in output
    assert Agreement.objects.get(pk=framework.pk).summary.endswith("（修订）")


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


BAD_AGREEMENT = """
[[agreement]]
slug = "a-bad-record"
title = "一份坏记录"
kind = "framework"
date = "{date}"
regions = ["{region}"]
citations = [{{ source = "yang-xin-2025", locator = "一", quote = "京津冀" }}]
"""


@pytest.mark.parametrize(
    ("date", "region", "message"),
    [
        ("2016-13", "jjj", "month 13 is not between 1 and 12"),
        ("2016年1月", "jjj", "is not a date of the form"),
        ("2016", "nowhere", "'regions' names unknown region 'nowhere'"),
    ],
)
def test_a_malformed_record_stops_the_load_naming_file_record_and_problem(fixtures_copy, date, region, message):
    append(fixtures_copy / "agreements.toml", BAD_AGREEMENT.format(date=date, region=region))
    with pytest.raises(CommandError) as error:
        load(fixtures_copy)
    text = str(error.value)
    assert "agreements.toml" in text and "agreement 'a-bad-record'" in text and message in text


def test_a_failed_load_leaves_the_database_as_it_was(fixtures_copy):
    before = snapshot()
    framework = Agreement.objects.named("框架协议").get()
    path = fixtures_copy / "agreements.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(framework.summary, "改动", 1), encoding="utf-8")
    append(fixtures_copy / "agreements.toml", BAD_AGREEMENT.format(date="2016-13", region="jjj"))
    with pytest.raises(CommandError):
        load(fixtures_copy)
    assert snapshot() == before


def test_invalid_toml_is_reported_with_its_file(fixtures_copy):
    append(fixtures_copy / "events.toml", "[[event]\nslug = ")
    with pytest.raises(CommandError, match=r"events.toml: is not valid TOML"):
        load(fixtures_copy)


def test_an_unknown_key_is_reported_rather_than_ignored(fixtures_copy):
    append(fixtures_copy / "agreements.toml", BAD_AGREEMENT.format(date="2016", region="jjj") + 'titel = "typo"\n')
    with pytest.raises(CommandError, match=r"unknown keys \['titel'\]"):
        load(fixtures_copy)


def test_a_record_without_citations_is_refused(fixtures_copy):
    append(fixtures_copy / "agreements.toml", '[[agreement]]\nslug = "uncited"\ntitle = "无出处"\nkind = "opinion"\n')
    with pytest.raises(CommandError, match="needs at least one citation"):
        load(fixtures_copy)


def test_an_alias_already_naming_another_agreement_is_refused(fixtures_copy):
    append(
        fixtures_copy / "agreements.toml",
        BAD_AGREEMENT.format(date="2016", region="jjj") + 'aliases = ["框架协议"]\n',
    )
    with pytest.raises(CommandError, match="alias 「框架协议」 already names agreement"):
        load(fixtures_copy)


def test_a_quote_not_in_the_paper_stops_the_load(fixtures_copy, sources_dir):
    append(fixtures_copy / "agreements.toml", BAD_AGREEMENT.format(date="2016", region="jjj").replace('quote = "京津冀"', 'quote = "论文里没有这句话"'))
    with pytest.raises(CommandError, match="quote not found"):
        call_command("load_portal_data", "--fixtures", str(fixtures_copy), stdout=StringIO())
    assert not Agreement.objects.filter(slug="a-bad-record").exists()


def test_the_export_loads_back_unchanged():
    document = dataset_export()
    import json

    report = dataset_load(entries=dataset_read_json(json.dumps(document, ensure_ascii=False)))
    assert report.changed == 0
    assert dataset_export() == document
    assert Citation.objects.count() == sum(len(r.get("citations", [])) for kind in document.values() if isinstance(kind, list) for r in kind)
