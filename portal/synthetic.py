"""More of the curated dataset: each record copied ``factor - 1`` times, links and citations included.

Used to show that a page's SQL queries do not grow with the data (tests/test_page_queries.py) and
by ``bench_pages``. Copies keep their original's date, kind, regions, citations and links, so
facets, stages and related lists are as busy as the real ones, only bigger. Written with
``bulk_create``, inside the caller's transaction: nothing here is meant to be committed.
"""

from django.contrib.contenttypes.models import ContentType

from agreements.models import Agreement, AgreementAlias
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from sources.models import Citation
from timeline.models import Event


def _copy(model, factor: int, fields: list[str], unique: tuple[str, ...] = ()) -> dict[int, list[int]]:
    """Copies of every record of ``model``; returns original id → the copies' ids."""
    originals = list(model.objects.order_by("pk"))
    copies = []
    for n in range(1, factor):
        for obj in originals:
            values = {name: getattr(obj, name) for name in fields}
            for name in unique:
                values[name] = f"{values[name]}（副本{n}）"
            copies.append((obj.pk, model(slug=f"{obj.slug}-copy-{n}", **values)))
    model.objects.bulk_create([c for _, c in copies], batch_size=2000)
    made: dict[int, list[int]] = {}
    for original, copy in copies:
        made.setdefault(original, []).append(copy.pk)
    content_type = ContentType.objects.get_for_model(model)
    citations = []
    for citation in Citation.objects.filter(content_type=content_type):
        for pk in made.get(citation.object_id, []):
            citations.append(Citation(content_type=content_type, object_id=pk, source_id=citation.source_id,
                                      locator=citation.locator, quote=citation.quote, cites_id=citation.cites_id, order=citation.order))
    Citation.objects.bulk_create(citations, batch_size=5000)
    return made


def _copy_links(through, own: str, made: dict[int, list[int]], other: str, other_made: dict[int, list[int]] | None = None) -> None:
    """Copy a link table's rows for the copies (the other side copied in step, when it was copied too)."""
    rows = list(through.objects.values_list(own, other))
    links = []
    for own_id, other_id in rows:
        for i, pk in enumerate(made.get(own_id, [])):
            target = other_made[other_id][i] if other_made and other_id in other_made else other_id
            links.append(through(**{own: pk, other: target}))
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)


DATED = ["date_year", "date_month", "date_day", "date_before"]


def multiply_dataset(factor: int = 10) -> None:
    agreements = _copy(Agreement, factor, ["title", "untitled", "kind", "signatories_text", "summary", *DATED], unique=("title",))
    _copy_links(Agreement.regions.through, "agreement_id", agreements, "region_id")
    _copy_links(Agreement.signatories.through, "agreement_id", agreements, "jurisdiction_id")
    _copy_links(Agreement.implements.through, "from_agreement_id", agreements, "to_agreement_id", agreements)
    AgreementAlias.objects.bulk_create(
        [AgreementAlias(agreement_id=pk, name=f"{alias.name}（副本{i + 1}）")
         for alias in AgreementAlias.objects.all() for i, pk in enumerate(agreements.get(alias.agreement_id, []))],
        batch_size=5000,
    )
    mechanisms = _copy(Mechanism, factor, ["name", "aliases", "category", "established_by_id", "established_by_text", "order", "description", *DATED])
    # A copied part belongs to the copied scheme of the same round.
    for original in Mechanism.objects.filter(parent__isnull=False, pk__in=list(mechanisms)):
        for i, pk in enumerate(mechanisms[original.pk]):
            Mechanism.objects.filter(pk=pk).update(parent_id=mechanisms[original.parent_id][i])
    _copy_links(Mechanism.regions.through, "mechanism_id", mechanisms, "region_id")
    events = _copy(Event, factor, ["title", "end_year", "end_month", "end_day", "description", *DATED])
    _copy_links(Event.regions.through, "event_id", events, "region_id")
    _copy_links(Event.agreements.through, "event_id", events, "agreement_id", agreements)
    _copy_links(Event.mechanisms.through, "event_id", events, "mechanism_id", mechanisms)
    findings = _copy(Finding, factor, ["source_id", "kind", "dimension", "order", "title", "text"])
    _copy_links(Finding.regions.through, "finding_id", findings, "region_id")
    _copy_links(Finding.addresses.through, "from_finding_id", findings, "to_finding_id", findings)
    _copy(Figure, factor, ["value", "qualifier", "unit", "counts", "region_id", "year", "mechanism_id"])
