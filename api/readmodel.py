"""The agreements' related lists as stored for the API, and keeping them current.

Eight lists appear with every agreement the API writes: aliases, regions, signatories, the
mechanisms it establishes, the agreements it implements and is implemented by, related events
and citations. Reading them from ``AgreementLists`` instead of gathering them per request keeps a
page of agreements inside issue 3's latency target (see ``AgreementLists``).

Keeping them current: every write that can change what a list shows refreshes the agreements
that show it, in the writer's transaction (a rolled-back write leaves no stale row behind):

* an agreement's own save (its title also appears in the lists of agreements linked to it);
* an alias, a mechanism's ``established_by``, an agreement's citation: saved, moved or deleted;
* a region, jurisdiction or event renamed or deleted (they appear by slug and name; events also
  by date order);
* the many-to-many links: ``regions``, ``signatories``, ``implements`` and ``Event.agreements``.

Writers that bypass signals (``bulk_create``, ``QuerySet.update``, raw SQL) must call
``refresh_agreement_lists`` themselves; ``manage.py refresh_api_lists`` and every ``migrate``
fill in rows that are missing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from agreements.models import Agreement, AgreementAlias
from mechanisms.models import Mechanism
from portal.dates import PartialDate
from portal.jsonagg import json_list
from regions.models import Jurisdiction, Region, Stage
from sources.models import Citation, Source
from timeline.models import Event

from .aggregates import RequestLookups, citations_of
from .models import AgreementLists


# The layout of ``AgreementLists.lists``: raise it whenever the stored keys or shapes change.
SHAPE = 1

# Attribute (and annotation) names of the stored lists: ``stored_regions`` never shadows ``regions``.
STORED_PREFIX = "stored_"


def _refs(queryset, label: str):
    return json_list(queryset, slug="slug", **{label: label})


def agreement_list_expressions() -> dict:
    """Each list gathered in SQL, already in the shape the API writes (``{slug, name}`` references)."""
    pk = OuterRef("pk")
    return {
        "aliases": json_list(AgreementAlias.objects.filter(agreement=pk).order_by("pk"), name="name"),
        "regions": json_list(Region.objects.filter(agreements=pk).order_by("pk"), id="id", slug="slug", name="name"),
        "signatories": _refs(Jurisdiction.objects.filter(agreements_signed=pk).order_by("pk"), "name"),
        "establishes": _refs(Mechanism.objects.filter(established_by=pk).order_by("pk"), "name"),
        "implements": _refs(Agreement.objects.filter(implemented_by=pk).order_by("pk"), "title"),
        "implemented_by": _refs(Agreement.objects.filter(implements=pk).order_by("pk"), "title"),
        "events": _refs(Event.objects.filter(agreements=pk).order_by_date(), "title"),
        "citations": citations_of(Agreement),
    }


def computed_lists(ids: Iterable[int]) -> dict[int, dict]:
    """The lists of these agreements as the records say now, by agreement id, as the API writes them.

    Three queries: the lists, the sources the citations name, and the stage index (a stage is
    derived from the agreement's regions and date, never stored on the agreement itself).
    """
    expressions = agreement_list_expressions()
    columns = {STORED_PREFIX + name: expression for name, expression in expressions.items()}  # not the fields' names
    rows = list(
        Agreement.objects.filter(pk__in=list(ids))
        .order_by()
        .annotate(**columns)
        .values_list("pk", "date_year", "date_month", "date_day", "date_before", *columns)
    )
    if not rows:
        return {}
    lookups = RequestLookups()
    computed = {}
    for pk, year, month, day, before, *values in rows:
        lists = dict(zip(expressions, values))
        lists["aliases"] = [alias["name"] for alias in lists["aliases"]]
        region_ids = [region.pop("id") for region in lists["regions"]]
        stage = lookups.stages.stage_for(region_ids, PartialDate(year, month, day, before))
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


def refresh_agreement_lists(ids: Iterable[int] | None = None) -> int:
    """Recompute and store the lists of these agreements (all of them when ``ids`` is None); returns how many."""
    if ids is None:
        ids = Agreement.objects.values_list("pk", flat=True)
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return 0
    stored = [AgreementLists(agreement_id=pk, lists=lists, shape=SHAPE) for pk, lists in computed_lists(ids).items()]
    AgreementLists.objects.bulk_create(
        stored, update_conflicts=True, unique_fields=["agreement"], update_fields=["lists", "shape"], batch_size=500
    )
    return len(stored)


def refresh_missing_agreement_lists() -> int:
    """Store the lists of agreements that have none, or have them in an older layout (after ``bulk_create``, or an upgrade)."""
    current = Agreement.objects.filter(stored_lists__shape=SHAPE)
    return refresh_agreement_lists(Agreement.objects.exclude(pk__in=current).values_list("pk", flat=True))


def attach_agreement_lists(agreements: list[Agreement]) -> list[Agreement]:
    """Set each stored list as ``stored_<name>`` on agreements read with ``select_related("stored_lists")``.

    A missing row, or one in an older layout, is computed, in one go for all of them: a reader
    never sees less than the database holds, even if a bulk writer forgot to refresh.
    """
    missing = []
    for agreement in agreements:
        try:
            stored = agreement.stored_lists
        except AgreementLists.DoesNotExist:
            stored = None
        if stored is None or stored.shape != SHAPE:
            missing.append(agreement)
        else:
            _attach(agreement, stored.lists)
    if missing:
        computed = computed_lists(agreement.pk for agreement in missing)
        for agreement in missing:
            _attach(agreement, computed[agreement.pk])
    return agreements


def _attach(agreement: Agreement, lists: dict) -> None:
    for name, value in lists.items():
        setattr(agreement, STORED_PREFIX + name, value)


# ---------------------------------------------------------------- what shows a record


def _agreement_content_type_id() -> int:
    return ContentType.objects.get_for_model(Agreement).pk


def _showing(model, pk) -> set[int]:
    """The agreements whose stored lists show record ``pk`` of ``model``, as the database has it now."""
    if pk is None:
        return set()
    if model is Agreement:
        linked = Agreement.objects.filter(Q(implements=pk) | Q(implemented_by=pk)).values_list("pk", flat=True)
        return {pk, *linked}
    if model is AgreementAlias:
        query = AgreementAlias.objects.filter(pk=pk).values_list("agreement_id", flat=True)
    elif model is Mechanism:
        query = Mechanism.objects.filter(pk=pk, established_by__isnull=False).values_list("established_by_id", flat=True)
    elif model is Citation:
        query = Citation.objects.filter(pk=pk, content_type_id=_agreement_content_type_id()).values_list(
            "object_id", flat=True
        )
    elif model is Region:
        # By name, and by stage: agreements of the regions inside it derive their stage through it.
        query = _agreements_within(Region.objects.filter(pk=pk).first())
    elif model is Stage:
        stage = Stage.objects.filter(pk=pk).select_related("region").first()
        query = _agreements_within(stage and stage.region)
    elif model is Source:  # its citation line is written into every citation of it
        query = Citation.objects.filter(
            Q(source=pk) | Q(cites=pk), content_type_id=_agreement_content_type_id()
        ).values_list("object_id", flat=True)
    elif model is Jurisdiction:
        query = Agreement.objects.filter(signatories=pk).values_list("pk", flat=True)
    elif model is Event:
        query = Agreement.objects.filter(events=pk).values_list("pk", flat=True)
    else:
        return set()
    return set(query)


def _agreements_within(region: Region | None):
    if region is None:
        return []
    return Agreement.objects.filter(regions__in=Region.objects.with_descendants(region)).values_list("pk", flat=True)


SHOWN_MODELS = (Agreement, AgreementAlias, Mechanism, Citation, Region, Stage, Jurisdiction, Event, Source)


def _before_write(sender, instance, raw=False, **kwargs):
    # Who shows the record before the write: a moved alias or mechanism leaves its old agreement.
    if not raw:
        instance._api_lists_before = _showing(sender, instance.pk)


def _after_save(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures loaded raw: `refresh_api_lists` (or the next migrate) fills the rows in
        return
    before = instance.__dict__.pop("_api_lists_before", set())
    refresh_agreement_lists(before | _showing(sender, instance.pk))


def _after_delete(sender, instance, **kwargs):
    before = instance.__dict__.pop("_api_lists_before", set())
    if sender is Agreement:
        before.discard(instance.pk)  # its own row went with it
    refresh_agreement_lists(before)


# The many-to-many links whose rows appear in the lists: (model, field name).
LINKS = ((Agreement, "regions"), (Agreement, "signatories"), (Agreement, "implements"), (Event, "agreements"))


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action == "pre_clear":
        # After a clear pk_set is empty: remember what was linked.
        instance._api_lists_cleared = set(_manager(sender, instance, reverse).values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    linked = instance.__dict__.pop("_api_lists_cleared", set()) if action == "post_clear" else set(pk_set or ())
    ids = set(linked) if model is Agreement else set()
    if isinstance(instance, Agreement):
        ids.add(instance.pk)
    refresh_agreement_lists(ids)


def _manager(through, instance, reverse):
    for owner, name in LINKS:
        field = owner._meta.get_field(name)
        if field.remote_field.through is through:
            return getattr(instance, field.remote_field.get_accessor_name() if reverse else name)
    raise LookupError(f"{through} is not a link the API's agreement lists show")


def connect() -> None:
    for model in SHOWN_MODELS:
        label = model._meta.label_lower
        pre_save.connect(_before_write, sender=model, dispatch_uid=f"api-lists-pre-save-{label}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"api-lists-save-{label}")
        pre_delete.connect(_before_write, sender=model, dispatch_uid=f"api-lists-pre-delete-{label}")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"api-lists-delete-{label}")
    for owner, name in LINKS:
        through = owner._meta.get_field(name).remote_field.through
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"api-lists-links-{through._meta.label_lower}")
