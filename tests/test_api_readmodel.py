"""Related lists are stored for the API (api/readmodel.py) and never go stale.

Each write below changes something a record's lists show; afterwards every stored row, of
agreements, mechanisms, events and findings alike, must equal what the records say now, and the
API must show the change.
"""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

from agreements.models import Agreement, AgreementAlias
from api.models import AgreementLists
from api.readmodel import SHAPE, SPECS, computed_lists
from findings.models import Finding
from mechanisms.models import Mechanism
from portal.batching import deferred_refreshes
from regions.models import Jurisdiction, Region, Stage
from sources.models import Citation, Source
from timeline.models import Event

pytestmark = pytest.mark.django_db


def assert_every_record_current():
    for model, spec in SPECS.items():
        ids = list(model.objects.values_list("pk", flat=True))
        stored = dict(spec.storage.objects.filter(shape=SHAPE).values_list("record_id", "lists"))
        assert stored == computed_lists(model, ids), model.__name__


def api(client, record) -> dict:
    resource = {Agreement: "agreements", Mechanism: "mechanisms", Event: "events", Finding: "findings"}[type(record)]
    response = client.get(f"/api/v1/{resource}/{record.slug}/")
    assert response.status_code == 200, response.content
    return response.json()


def names(items, key="name") -> list[str]:
    return [item[key] for item in items]


@pytest.fixture
def agreement():
    return Agreement.objects.filter(regions__slug="jjj").order_by("pk").first()


@pytest.fixture
def other():
    return Agreement.objects.filter(regions__slug="yrd").order_by("pk").first()


@pytest.mark.parametrize("model", [Agreement, Mechanism, Event, Finding], ids=lambda m: m.__name__)
def test_every_loaded_record_has_its_lists_stored(model):
    assert SPECS[model].storage.objects.count() == model.objects.count() > 0
    assert_every_record_current()


# ---------------------------------------------------------------- aliases


def test_a_new_alias_appears_in_the_agreements_aliases(client, agreement):
    AgreementAlias.objects.create(agreement=agreement, name="测试简称")
    assert "测试简称" in api(client, agreement)["aliases"]
    assert_every_record_current()


def test_an_alias_moved_to_another_agreement_leaves_the_first(client, agreement, other):
    alias = AgreementAlias.objects.create(agreement=agreement, name="移动的简称")
    alias.agreement = other
    alias.save()
    assert "移动的简称" not in api(client, agreement)["aliases"]
    assert "移动的简称" in api(client, other)["aliases"]
    assert_every_record_current()


def test_a_deleted_alias_disappears(client, agreement):
    alias = AgreementAlias.objects.create(agreement=agreement, name="将删除的简称")
    alias.delete()
    assert "将删除的简称" not in api(client, agreement)["aliases"]
    assert_every_record_current()


# ---------------------------------------------------------------- regions and signatories


def test_a_renamed_region_is_shown_by_its_new_name(client, agreement):
    region = Region.objects.get(slug="jjj")
    region.name = "京津冀（改名）"
    region.save()
    assert "京津冀（改名）" in names(api(client, agreement)["regions"])
    assert_every_record_current()


def test_a_deleted_region_leaves_its_agreements_lists(client, other):
    region = Region.objects.get(slug="yrd")
    Region.objects.filter(parent=region).update(parent=None)
    region.stages.all().delete()
    region.delete()
    assert "yrd" not in [r["slug"] for r in api(client, other)["regions"]]
    assert_every_record_current()


def test_regions_linked_from_either_side_appear(client, agreement, other):
    gba = Region.objects.get(slug="gba")
    agreement.regions.add(gba)
    gba.agreements.add(other)
    assert "gba" in [r["slug"] for r in api(client, agreement)["regions"]]
    assert "gba" in [r["slug"] for r in api(client, other)["regions"]]
    assert_every_record_current()


def test_regions_cleared_from_either_side_disappear(client, agreement):
    region = Region.objects.get(slug="jjj")
    members = list(region.agreements.all())
    region.agreements.clear()
    for member in members:
        assert "jjj" not in [r["slug"] for r in api(client, member)["regions"]]
    assert_every_record_current()
    agreement.regions.clear()
    assert api(client, agreement)["regions"] == []
    assert_every_record_current()


def test_signatories_set_and_renamed_appear(client, agreement):
    beijing = Jurisdiction.objects.get(slug="beijing")
    agreement.signatories.set([beijing])
    beijing.name = "北京（改名）"
    beijing.save()
    assert names(api(client, agreement)["signatories"]) == ["北京（改名）"]
    assert_every_record_current()


def test_a_deleted_signatory_disappears(client, agreement):
    jurisdiction = Jurisdiction.objects.create(slug="test-county", name="测试县", level="county")
    agreement.signatories.add(jurisdiction)
    jurisdiction.delete()
    assert "test-county" not in [j["slug"] for j in api(client, agreement)["signatories"]]
    assert_every_record_current()


# ---------------------------------------------------------------- mechanisms


def test_a_mechanism_established_moved_renamed_and_deleted(client, agreement, other):
    mechanism = Mechanism.objects.create(slug="test-mechanism", name="测试机制", category="platform", established_by=agreement)
    assert "测试机制" in names(api(client, agreement)["establishes"])
    mechanism.established_by = other
    mechanism.name = "测试机制（改名）"
    mechanism.save()
    assert "test-mechanism" not in [m["slug"] for m in api(client, agreement)["establishes"]]
    assert "测试机制（改名）" in names(api(client, other)["establishes"])
    assert_every_record_current()
    mechanism.delete()
    assert "test-mechanism" not in [m["slug"] for m in api(client, other)["establishes"]]
    assert_every_record_current()


# ---------------------------------------------------------------- agreements linked to agreements


def test_implementing_shows_on_both_sides_and_follows_a_new_title(client, agreement, other):
    other.implements.add(agreement)
    agreement.title = "改过的标题"
    agreement.save()
    assert names(api(client, other)["implements"], "title") == ["改过的标题"]
    assert "改过的标题" == api(client, agreement)["title"]
    assert other.slug in [a["slug"] for a in api(client, agreement)["implemented_by"]]
    assert_every_record_current()


def test_a_deleted_agreement_leaves_the_lists_that_named_it(client):
    implemented = Agreement.objects.filter(implemented_by__isnull=False).distinct().first()
    implementers = list(implemented.implemented_by.all())
    implemented.delete()
    for implementer in implementers:
        assert api(client, implementer)["implements"] == []
    assert not AgreementLists.objects.filter(record_id=implemented.pk).exists()
    assert_every_record_current()


# ---------------------------------------------------------------- events


def test_events_linked_renamed_redated_and_deleted(client, agreement):
    early = Event.objects.create(slug="test-early", title="早事件", date_year=2001)
    late = Event.objects.create(slug="test-late", title="晚事件", date_year=2002)
    early.agreements.add(agreement)
    agreement.events.add(late)
    assert [e["slug"] for e in api(client, agreement)["events"]][-2:] == ["test-early", "test-late"] or [
        e["slug"] for e in api(client, agreement)["events"]
    ][:2] == ["test-early", "test-late"]
    early.date_year = 2030  # events are listed by date: it moves after the other
    early.title = "早事件（改期）"
    early.save()
    events = api(client, agreement)["events"]
    assert [e["slug"] for e in events].index("test-late") < [e["slug"] for e in events].index("test-early")
    assert "早事件（改期）" in names(events, "title")
    assert_every_record_current()
    late.delete()
    early.agreements.clear()
    assert {"test-early", "test-late"}.isdisjoint(e["slug"] for e in api(client, agreement)["events"])
    assert_every_record_current()


# ---------------------------------------------------------------- citations


def test_a_citation_added_edited_and_deleted(client, agreement):
    paper = Source.objects.papers().first()
    citation = Citation.objects.create(
        content_type=ContentType.objects.get_for_model(Agreement), object_id=agreement.pk,
        source=paper, locator="一", quote="测试引文", order=99,
    )
    assert "测试引文" in [c["quote"] for c in api(client, agreement)["citations"]]
    citation.quote = "改过的引文"
    citation.save()
    assert "改过的引文" in [c["quote"] for c in api(client, agreement)["citations"]]
    citation.delete()
    assert "改过的引文" not in [c["quote"] for c in api(client, agreement)["citations"]]
    assert_every_record_current()


# ---------------------------------------------------------------- stages and sources


def dated_jjj_agreement() -> Agreement:
    return Agreement.objects.filter(regions__slug="jjj", date_year__gte=2014).order_by("pk").first()


def test_an_edited_stage_changes_the_derived_stage_of_its_regions_agreements(client):
    agreement = dated_jjj_agreement()
    stage = Stage.objects.get(slug=api(client, agreement)["stage"]["slug"])
    stage.name = "改名的阶段"
    stage.save()
    assert api(client, agreement)["stage"]["name"] == "改名的阶段"
    stage.delete()
    assert (api(client, agreement)["stage"] or {}).get("slug") != stage.slug
    assert_every_record_current()


def test_a_sub_region_moved_out_of_its_region_loses_the_stages_it_inherited(client):
    sub = Region.objects.get(slug="tongwulang")
    agreement = Agreement.objects.create(slug="test-twl", title="测试通武廊协议", kind="cooperation", date_year=2018)
    agreement.regions.add(sub)
    assert api(client, agreement)["stage"] is not None  # inherited from 京津冀
    sub.parent = None
    sub.save()
    assert api(client, agreement)["stage"] is None
    assert_every_record_current()


def test_a_sources_new_citation_line_appears_in_the_citations_quoting_it(client, agreement):
    source = Source.objects.get(pk=api(client, agreement)["citations"][0]["source"]["id"])
    source.title = source.title + "（修订）"
    source.save()
    assert "（修订）" in api(client, agreement)["citations"][0]["source"]["citation"]
    assert_every_record_current()


# ---------------------------------------------------------------- safety nets


def test_a_rolled_back_write_leaves_the_stored_lists_as_they_were(client, agreement):
    before = api(client, agreement)
    with pytest.raises(RuntimeError), transaction.atomic():
        AgreementAlias.objects.create(agreement=agreement, name="回滚的简称")
        raise RuntimeError("abandon the write")
    assert api(client, agreement) == before
    assert_every_record_current()


def test_an_agreement_without_stored_lists_is_still_served_whole(client, agreement):
    before = api(client, agreement)
    AgreementLists.objects.filter(record=agreement).delete()
    assert api(client, agreement) == before
    listed = client.get("/api/v1/agreements/", {"page_size": 100}).json()["results"]
    assert next(row for row in listed if row["slug"] == agreement.slug) == before


def test_a_row_in_an_older_layout_is_served_whole_and_rewritten_by_migrate(client, agreement):
    before = api(client, agreement)
    AgreementLists.objects.filter(record=agreement).update(lists={"aliases_list": []}, shape=SHAPE - 1)
    assert api(client, agreement) == before
    call_command("migrate", verbosity=0)
    assert AgreementLists.objects.get(record=agreement).shape == SHAPE
    assert_every_record_current()


def test_writes_in_a_deferred_batch_are_stored_once_at_its_end(agreement):
    with deferred_refreshes():
        AgreementAlias.objects.create(agreement=agreement, name="批量简称")
        agreement.regions.add(Region.objects.get(slug="cy"))
        assert "批量简称" not in AgreementLists.objects.get(record=agreement).lists["aliases"]
    stored = AgreementLists.objects.get(record=agreement).lists
    assert "批量简称" in stored["aliases"] and "cy" in [r["slug"] for r in stored["regions"]]
    assert_every_record_current()


def test_refresh_api_lists_repairs_missing_and_stale_rows(agreement, other):
    AgreementLists.objects.filter(record=agreement).delete()
    AgreementLists.objects.filter(record=other).update(lists={"aliases_list": []})
    call_command("refresh_api_lists", stdout=open("/dev/null", "w"))
    assert_every_record_current()


# ---------------------------------------------------------------- mechanisms, events and findings


def test_a_part_renamed_reordered_and_moved_changes_its_schemes_parts(client):
    scheme = Mechanism.objects.filter(parts__isnull=False).distinct().order_by("pk").first()
    other_scheme = Mechanism.objects.filter(parts__isnull=False).exclude(pk=scheme.pk).distinct().first()
    part = scheme.parts.order_by("order").first()
    part.name = "改名的部分"
    part.order = 99  # parts are listed by their order: it moves last
    part.save()
    assert api(client, scheme)["parts"][-1] == {"slug": part.slug, "name": "改名的部分"}
    part.parent = other_scheme
    part.save()
    assert part.slug not in [p["slug"] for p in api(client, scheme)["parts"]]
    assert part.slug in [p["slug"] for p in api(client, other_scheme)["parts"]]
    assert_every_record_current()


def test_deleting_a_scheme_deletes_its_parts_and_their_rows():
    scheme = Mechanism.objects.filter(parts__isnull=False).distinct().order_by("pk").first()
    ids = [scheme.pk, *scheme.parts.values_list("pk", flat=True)]
    scheme.delete()
    assert not SPECS[Mechanism].storage.objects.filter(record_id__in=ids).exists()
    assert_every_record_current()


def test_an_event_shows_renamed_agreements_and_mechanisms_and_its_derived_stage(client):
    event = Event.objects.filter(agreements__isnull=False, regions__slug="jjj", date_year__gte=2014).first()
    agreement = event.agreements.order_by("pk").first()
    agreement.title = "事件所涉文件（改名）"
    agreement.save()
    assert "事件所涉文件（改名）" in names(api(client, event)["agreements"], "title")
    mechanism = Mechanism.objects.order_by("pk").first()
    mechanism.events.add(event)
    mechanism.name = "事件所涉机制（改名）"
    mechanism.save()
    assert "事件所涉机制（改名）" in names(api(client, event)["mechanisms"])
    assert api(client, event)["stage"] is not None
    Stage.objects.filter(region__slug="jjj").delete()
    assert api(client, event)["stage"] is None
    assert_every_record_current()


def test_a_mechanism_lists_its_events_in_date_order_and_its_regions(client):
    mechanism = Mechanism.objects.order_by("pk").first()
    late = Event.objects.create(slug="test-late-event", title="晚的事件", date_year=2030)
    early = Event.objects.create(slug="test-early-event", title="早的事件", date_year=1990)
    late.mechanisms.add(mechanism)
    mechanism.events.add(early)
    slugs = [e["slug"] for e in api(client, mechanism)["events"]]
    assert slugs.index("test-early-event") < slugs.index("test-late-event")
    Region.objects.get(slug=api(client, mechanism)["regions"][0]["slug"]).save()  # a save that changes nothing
    mechanism.regions.add(Region.objects.get(slug="cy"))
    assert "cy" in [r["slug"] for r in api(client, mechanism)["regions"]]
    assert_every_record_current()


def test_findings_show_what_they_address_from_both_sides(client):
    problem = Finding.objects.filter(kind="problem").order_by("pk").first()
    recommendation = Finding.objects.filter(kind="recommendation").order_by("pk").last()
    recommendation.addresses.add(problem)
    assert problem.slug in [f["slug"] for f in api(client, recommendation)["addresses"]]
    problem.title = "改过题目的问题"
    problem.save()
    assert "改过题目的问题" in names(api(client, recommendation)["addresses"], "title")
    assert recommendation.slug in [f["slug"] for f in api(client, problem)["addressed_by"]]
    problem.addressed_by.clear()
    assert api(client, problem)["addressed_by"] == []
    assert_every_record_current()


def test_a_retitled_agreement_and_a_renamed_scheme_show_in_the_mechanisms_naming_them(client):
    mechanism = Mechanism.objects.filter(established_by__isnull=False).order_by("pk").first()
    agreement = mechanism.established_by
    agreement.title = "依据文件（改名）"
    agreement.save()
    assert api(client, mechanism)["established_by"] == {"slug": agreement.slug, "title": "依据文件（改名）"}
    part = Mechanism.objects.filter(parent__isnull=False).order_by("pk").first()
    scheme = part.parent
    scheme.name = "方案（改名）"
    scheme.save()
    assert api(client, part)["parent"] == {"slug": scheme.slug, "name": "方案（改名）"}
    part.parent = None
    part.save()
    assert api(client, part)["parent"] is None
    assert_every_record_current()


def test_a_findings_paper_and_parent_follow_their_changes(client):
    child = Finding.objects.filter(parent__isnull=False).order_by("pk").first()
    parent = child.parent
    parent.title = "上级条目（改名）"
    parent.save()
    assert api(client, child)["parent"] == {"slug": parent.slug, "title": "上级条目（改名）"}
    paper = child.source
    paper.title = paper.title + "（修订）"
    paper.save()
    assert "（修订）" in api(client, child)["source"]["citation"]
    assert_every_record_current()


# ---------------------------------------------------------------- concurrent writers


def in_thread(work):
    """Run ``work`` on its own database connection (its own transactions, committed for real)."""
    from django.db import connection as thread_connection

    failures = []

    def run():
        try:
            work()
        except BaseException as exc:  # reported to the test below
            failures.append(exc)
        finally:
            thread_connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, failures


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL is the system of record")
def test_two_writers_linking_the_same_agreement_at_once_both_show():
    # Writer B computes the lists while writer A's link is not yet committed. Unless B waits for
    # A, it stores lists without A's event after A commits, and the row stays stale.
    agreement = Agreement.objects.order_by("pk").first()
    first, second = Event.objects.order_by("pk")[:2]
    assert not {first.pk, second.pk} & set(agreement.events.values_list("pk", flat=True))
    a_linked, let_a_commit = threading.Event(), threading.Event()

    def writer_a():
        with transaction.atomic():
            first.agreements.add(agreement)
            a_linked.set()
            let_a_commit.wait(10)

    def writer_b():
        a_linked.wait(10)
        with transaction.atomic():
            second.agreements.add(agreement)

    a, a_failures = in_thread(writer_a)
    a_linked.wait(10)
    b, b_failures = in_thread(writer_b)
    b.join(0.5)  # B reaches the refresh and, with the row lock, waits there for A
    let_a_commit.set()
    a.join(10), b.join(10)
    try:
        assert not a_failures and not b_failures, a_failures + b_failures
        stored = AgreementLists.objects.get(record=agreement).lists["events"]
        assert {first.slug, second.slug} <= {event["slug"] for event in stored}
    finally:
        cleanup, _ = in_thread(lambda: (first.agreements.remove(agreement), second.agreements.remove(agreement)))
        cleanup.join(10)
    assert_every_record_current()
