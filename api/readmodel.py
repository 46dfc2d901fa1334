"""The related lists of agreements, mechanisms, events and findings, stored for the API and kept current.

Each of these records is written with lists of other records (regions, linked agreements,
events, parts of a scheme …), its citations and, for agreements and events, the stage derived
from its regions and date. Reading them from a stored row (``api.models.StoredLists``) instead of
gathering them per request keeps a page of records inside issue 3's latency target.

Keeping them current: a ``ListSpec`` says, per kind of record, what its lists show. Every write
of a shown record (save or delete, before and after: a moved alias leaves its old agreement) and
every change of a listed many-to-many link refreshes the records that show it, in the writer's
transaction, so a rolled-back write leaves no stale row behind.

Writers that bypass signals (``bulk_create``, ``QuerySet.update``, raw SQL) must call
``refresh_lists`` themselves; ``manage.py refresh_api_lists`` rewrites every row, and every
``migrate`` fills in rows that are missing or in an older layout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models import OuterRef, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from agreements.models import Agreement, AgreementAlias
from findings.models import Finding
from mechanisms.models import Mechanism
from portal import batching
from records.dates import PartialDate
from records.jsonagg import json_list
from regions.models import Jurisdiction, Region, Stage
from sources.models import Citation, Source
from timeline.models import Event

from .aggregates import RequestLookups, citations_of
from .models import AgreementLists, EventLists, FindingLists, MechanismLists, StoredLists

# The layout of ``StoredLists.lists``: raise it whenever the stored keys or shapes change.
SHAPE = 1

# Attribute (and annotation) names of the stored lists: ``stored_regions`` never shadows ``regions``.
STORED_PREFIX = "stored_"

Ids = Callable[[int], Iterable[int]]


@dataclass(frozen=True)
class ListSpec:
    """What one kind of record stores: its lists, and which writes can change them."""

    model: type[models.Model]
    storage: type[StoredLists]
    lists: Callable[[], dict]  # name → expression over the record's row, in the shape the API writes
    # For each model whose records the lists show: record id → ids of ``model`` records showing it.
    shown: dict[type[models.Model], Ids]
    # Many-to-many links whose rows the lists show: (model declaring the field, field name).
    links: tuple[tuple[type[models.Model], str], ...]
    derives_stage: bool = False  # a stage from its regions and date (agreements, events)
    flat: tuple[str, ...] = field(default=())  # lists of ``{name}`` objects written as plain names
    single: tuple[str, ...] = field(default=())  # lists of at most one item written as that item or null


# ---------------------------------------------------------------- the lists, per kind of record


def _refs(queryset, label: str):
    return json_list(queryset, slug="slug", **{label: label})


def _regions(queryset):
    # With ids: the stage is derived from them, then they are dropped (the API writes {slug, name}).
    return json_list(queryset.order_by("pk"), id="id", slug="slug", name="name")


def agreement_lists() -> dict:
    pk = OuterRef("pk")
    return {
        "aliases": json_list(AgreementAlias.objects.filter(agreement=pk).order_by("pk"), name="name"),
        "regions": _regions(Region.objects.filter(agreements=pk)),
        "signatories": _refs(Jurisdiction.objects.filter(agreements_signed=pk).order_by("pk"), "name"),
        "establishes": _refs(Mechanism.objects.filter(established_by=pk).order_by("pk"), "name"),
        "implements": _refs(Agreement.objects.filter(implemented_by=pk).order_by("pk"), "title"),
        "implemented_by": _refs(Agreement.objects.filter(implements=pk).order_by("pk"), "title"),
        "events": _refs(Event.objects.filter(agreements=pk).order_by_date(), "title"),
        "citations": citations_of(Agreement),
    }


def mechanism_lists() -> dict:
    pk = OuterRef("pk")
    return {
        "established_by": _refs(Agreement.objects.filter(establishes=pk), "title"),
        "parent": _refs(Mechanism.objects.filter(parts=pk), "name"),
        "regions": _regions(Region.objects.filter(mechanisms=pk)),
        "parts": _refs(Mechanism.objects.filter(parent=pk).order_by("order", "pk"), "name"),
        "events": _refs(Event.objects.filter(mechanisms=pk).order_by_date(), "title"),
        "citations": citations_of(Mechanism),
    }


def event_lists() -> dict:
    pk = OuterRef("pk")
    return {
        "regions": _regions(Region.objects.filter(events=pk)),
        "agreements": _refs(Agreement.objects.filter(events=pk).order_by("pk"), "title"),
        "mechanisms": _refs(Mechanism.objects.filter(events=pk).order_by("pk"), "name"),
        "citations": citations_of(Event),
    }


def finding_lists() -> dict:
    pk = OuterRef("pk")
    return {
        "source": json_list(Source.objects.filter(findings=pk), id="id", slug="slug", citation="citation"),
        "parent": _refs(Finding.objects.filter(children=pk), "title"),
        "regions": _regions(Region.objects.filter(findings=pk)),
        "addresses": _refs(Finding.objects.filter(addressed_by=pk).order_by("pk"), "title"),
        "addressed_by": _refs(Finding.objects.filter(addresses=pk).order_by("pk"), "title"),
        "citations": citations_of(Finding),
    }


# ---------------------------------------------------------------- what shows a record


def _ids(queryset) -> Iterable[int]:
    return queryset.values_list("pk", flat=True)


def _linked(model, lookup: str) -> Ids:
    return lambda pk: _ids(model.objects.filter(**{lookup: pk}))


def _itself_and(model, *lookups: str) -> Ids:
    """The record itself (its own lists and fields) and the records that list it."""

    def ids(pk):
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{lookup: pk})
        return {pk, *(_ids(model.objects.filter(condition)) if lookups else ())}

    return ids


def _cited(model) -> Ids:
    def ids(pk):
        content_type = ContentType.objects.get_for_model(model)
        return Citation.objects.filter(pk=pk, content_type=content_type).values_list("object_id", flat=True)

    return ids


def _citing(model) -> Ids:
    # A source's citation line is written into every citation of it.
    def ids(pk):
        content_type = ContentType.objects.get_for_model(model)
        return Citation.objects.filter(Q(source=pk) | Q(cites=pk), content_type=content_type).values_list(
            "object_id", flat=True
        )

    return ids


def _within(model, region_of: Callable[[int], Region | None]) -> Ids:
    """Records of a region or any region inside it: their stage may come through it (通武廊 through 京津冀)."""

    def ids(pk):
        region = region_of(pk)
        if region is None:
            return ()
        return _ids(model.objects.filter(regions__in=Region.objects.with_descendants(region)))

    return ids


def _region(pk) -> Region | None:
    return Region.objects.filter(pk=pk).first()


def _stage_region(pk) -> Region | None:
    stage = Stage.objects.filter(pk=pk).select_related("region").first()
    return stage and stage.region


SPECS: dict[type[models.Model], ListSpec] = {
    spec.model: spec
    for spec in (
        ListSpec(
            model=Agreement,
            storage=AgreementLists,
            lists=agreement_lists,
            shown={
                Agreement: _itself_and(Agreement, "implements", "implemented_by"),
                AgreementAlias: lambda pk: AgreementAlias.objects.filter(pk=pk).values_list("agreement_id", flat=True),
                Mechanism: lambda pk: Mechanism.objects.filter(pk=pk, established_by__isnull=False).values_list(
                    "established_by_id", flat=True
                ),
                Jurisdiction: _linked(Agreement, "signatories"),
                Event: _linked(Agreement, "events"),
                Region: _within(Agreement, _region),
                Stage: _within(Agreement, _stage_region),
                Citation: _cited(Agreement),
                Source: _citing(Agreement),
            },
            links=((Agreement, "regions"), (Agreement, "signatories"), (Agreement, "implements"), (Event, "agreements")),
            derives_stage=True,
            flat=("aliases",),
        ),
        ListSpec(
            model=Mechanism,
            storage=MechanismLists,
            lists=mechanism_lists,
            shown={
                # A part is listed by its scheme, and names the scheme as its parent.
                Mechanism: _itself_and(Mechanism, "parts", "parent"),
                Agreement: _linked(Mechanism, "established_by"),
                Event: _linked(Mechanism, "events"),
                Region: _linked(Mechanism, "regions"),
                Citation: _cited(Mechanism),
                Source: _citing(Mechanism),
            },
            links=((Mechanism, "regions"), (Event, "mechanisms")),
            single=("established_by", "parent"),
        ),
        ListSpec(
            model=Event,
            storage=EventLists,
            lists=event_lists,
            shown={
                Event: _itself_and(Event),
                Agreement: _linked(Event, "agreements"),
                Mechanism: _linked(Event, "mechanisms"),
                Region: _within(Event, _region),
                Stage: _within(Event, _stage_region),
                Citation: _cited(Event),
                Source: _citing(Event),
            },
            links=((Event, "regions"), (Event, "agreements"), (Event, "mechanisms")),
            derives_stage=True,
        ),
        ListSpec(
            model=Finding,
            storage=FindingLists,
            lists=finding_lists,
            shown={
                Finding: _itself_and(Finding, "addresses", "addressed_by", "parent"),  # children name it as parent
                Region: _linked(Finding, "regions"),
                Citation: _cited(Finding),
                Source: lambda pk: {*_citing(Finding)(pk), *_ids(Finding.objects.filter(source=pk))},
            },
            links=((Finding, "regions"), (Finding, "addresses")),
            single=("source", "parent"),
        ),
    )
}


# ---------------------------------------------------------------- computing and storing


def computed_lists(model, ids: Iterable[int]) -> dict[int, dict]:
    """The lists of these records as the database says now, by record id, as the API writes them.

    At most three queries: the lists, and (when needed) the cited sources and the stage index.
    """
    spec = SPECS[model]
    expressions = spec.lists()
    columns = {STORED_PREFIX + name: expression for name, expression in expressions.items()}  # not the fields' names
    dates = ("date_year", "date_month", "date_day", "date_before") if spec.derives_stage else ()
    rows = list(
        model.objects.filter(pk__in=list(ids)).order_by().annotate(**columns).values_list("pk", *dates, *columns)
    )
    lookups = RequestLookups()
    computed = {}
    for pk, *values in rows:
        date = PartialDate(*values[: len(dates)]) if dates else None
        lists = dict(zip(expressions, values[len(dates):]))
        for name in spec.flat:
            lists[name] = [item["name"] for item in lists[name]]
        for name in spec.single:
            lists[name] = lists[name][0] if lists[name] else None
        region_ids = [region.pop("id") for region in lists["regions"]]
        if spec.derives_stage:
            stage = lookups.stages.stage_for(region_ids, date)
            lists["stage"] = None if stage is None else {"slug": stage.slug, "name": stage.name}
        lists["citations"] = [
            {
                "source": lookups.sources[c["source"]],
                "locator": c["locator"],
                "quote": c["quote"],
                "cites": lookups.sources[c["cites"]] if c["cites"] else None,
            }
            for c in lists["citations"]
        ]
        computed[pk] = lists
    return computed


def refresh_lists(model, ids: Iterable[int] | None = None) -> int:
    """Recompute and store the lists of these records (all of ``model``'s when ``ids`` is None); returns how many."""
    if ids is None:
        ids = model.objects.values_list("pk", flat=True)
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return 0
    storage = SPECS[model].storage
    with transaction.atomic():
        # Lock the records first: a concurrent writer refreshing the same record waits here until
        # this transaction commits, then computes from what it committed. Computing first, it
        # would store lists without this writer's change once both had committed.
        list(model.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        computed = computed_lists(model, ids)
        stored = [storage(record_id=pk, lists=lists, shape=SHAPE) for pk, lists in computed.items()]
        storage.objects.bulk_create(
            stored, update_conflicts=True, unique_fields=["record"], update_fields=["lists", "shape"], batch_size=500
        )
    return len(stored)


def refresh_all_lists() -> dict[str, int]:
    """Rewrite every stored row; returns how many per kind of record."""
    return {model._meta.model_name: refresh_lists(model) for model in SPECS}


def refresh_missing_lists() -> int:
    """Store the lists of records that have none, or have them in an older layout (after ``bulk_create``, or an upgrade).

    Rows whose record is gone (deleted by raw SQL, which sends no signals) are removed.
    """
    refreshed = 0
    for model, spec in SPECS.items():
        spec.storage.objects.exclude(record_id__in=model.objects.values("pk")).delete()
        current = model.objects.filter(stored_lists__shape=SHAPE)
        refreshed += refresh_lists(model, model.objects.exclude(pk__in=current).values_list("pk", flat=True))
    return refreshed


def attach_lists(records: list) -> list:
    """Set each stored list as ``stored_<name>`` on records read with ``select_related("stored_lists")``.

    A missing row, or one in an older layout, is computed, in one go for all of them: a reader
    never sees less than the database holds, even if a bulk writer forgot to refresh.
    """
    missing = []
    for record in records:
        try:
            stored = record.stored_lists
        except ObjectDoesNotExist:
            stored = None
        if stored is None or stored.shape != SHAPE:
            missing.append(record)
        else:
            _attach(record, stored.lists)
    if missing:
        computed = computed_lists(type(missing[0]), [record.pk for record in missing])
        for record in missing:
            _attach(record, computed[record.pk])
    return records


def _attach(record, lists: dict) -> None:
    for name, value in lists.items():
        setattr(record, STORED_PREFIX + name, value)


# ---------------------------------------------------------------- signals


def _showing(sender, pk) -> dict[type[models.Model], set[int]]:
    """Per kind of record, the records whose stored lists show record ``pk`` of ``sender``, as the database has it now."""
    if pk is None:
        return {}
    return {model: set(spec.shown[sender](pk)) for model, spec in SPECS.items() if sender in spec.shown}


def _refresh(affected: dict[type[models.Model], set[int]]) -> None:
    for model, ids in affected.items():
        batching.refresh(_refresh_lists_of[model], model, ids)


# One function per kind of record, so a deferred batch collects all of a kind's ids under one key.
_refresh_lists_of = {model: (lambda ids, model=model: refresh_lists(model, ids)) for model in SPECS}


def _merge(*maps: dict[type[models.Model], set[int]]) -> dict[type[models.Model], set[int]]:
    merged: dict[type[models.Model], set[int]] = {}
    for found in maps:
        for model, ids in found.items():
            merged.setdefault(model, set()).update(ids)
    return merged


def _before_write(sender, instance, raw=False, **kwargs):
    # Who shows the record before the write: a moved alias or mechanism leaves its old agreement.
    if not raw:
        instance._api_lists_before = _showing(sender, instance.pk)


def _after_save(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures loaded raw: `refresh_api_lists` (or the next migrate) fills the rows in
        return
    before = instance.__dict__.pop("_api_lists_before", {})
    _refresh(_merge(before, _showing(sender, instance.pk)))


def _after_delete(sender, instance, **kwargs):
    before = instance.__dict__.pop("_api_lists_before", {})
    if sender in SPECS:  # its own row goes with it
        before.get(sender, set()).discard(instance.pk)
        SPECS[sender].storage.objects.filter(record_id=instance.pk).delete()
    _refresh(before)


def _link_fields():
    for spec in SPECS.values():
        for owner, name in spec.links:
            yield owner._meta.get_field(name)


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action == "pre_clear":
        # After a clear pk_set is empty: remember what was linked.
        instance._api_lists_cleared = set(_manager(sender, instance, reverse).values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    linked = instance.__dict__.pop("_api_lists_cleared", set()) if action == "post_clear" else set(pk_set or ())
    affected: dict[type[models.Model], set[int]] = {}
    for spec in SPECS.values():
        if not any(owner._meta.get_field(name).remote_field.through is sender for owner, name in spec.links):
            continue
        ids = set(linked) if model is spec.model else set()
        if isinstance(instance, spec.model):
            ids.add(instance.pk)
        affected[spec.model] = ids
    _refresh(affected)


def _manager(through, instance, reverse):
    for link in _link_fields():
        if link.remote_field.through is through:
            return getattr(instance, link.remote_field.get_accessor_name() if reverse else link.name)
    raise LookupError(f"{through} is not a link the API's stored lists show")


def connect() -> None:
    shown = {model for spec in SPECS.values() for model in spec.shown}
    for model in shown:
        label = model._meta.label_lower
        pre_save.connect(_before_write, sender=model, dispatch_uid=f"api-lists-pre-save-{label}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"api-lists-save-{label}")
        pre_delete.connect(_before_write, sender=model, dispatch_uid=f"api-lists-pre-delete-{label}")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"api-lists-delete-{label}")
    for link in _link_fields():
        through = link.remote_field.through
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"api-lists-links-{through._meta.label_lower}")
