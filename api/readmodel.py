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
from portal.jsonagg import json_list, refs
from regions.models import Jurisdiction, Region
from sources.models import Citation
from timeline.models import Event

from .aggregates import citations_of
from .models import AgreementLists


def agreement_list_expressions() -> dict:
    """Each stored list as an expression over an agreement row (the same shapes the serializer writes)."""
    pk = OuterRef("pk")
    return {
        "aliases_list": json_list(AgreementAlias.objects.filter(agreement=pk).order_by("pk"), name="name"),
        "regions_list": refs(Region.objects.filter(agreements=pk).order_by("pk"), "name"),
        "signatories_list": refs(Jurisdiction.objects.filter(agreements_signed=pk).order_by("pk"), "name"),
        "establishes_list": refs(Mechanism.objects.filter(established_by=pk).order_by("pk"), "name"),
        "implements_list": refs(Agreement.objects.filter(implemented_by=pk).order_by("pk"), "title"),
        "implemented_by_list": refs(Agreement.objects.filter(implements=pk).order_by("pk"), "title"),
        "events_list": refs(Event.objects.filter(agreements=pk).order_by_date(), "title"),
        "citations_list": citations_of(Agreement),
    }


def computed_lists(ids: Iterable[int]) -> dict[int, dict]:
    """The lists of these agreements as they are in the database now, by agreement id (one query)."""
    expressions = agreement_list_expressions()
    rows = Agreement.objects.filter(pk__in=list(ids)).order_by().annotate(**expressions)
    return {pk: dict(zip(expressions, values)) for pk, *values in rows.values_list("pk", *expressions)}


def refresh_agreement_lists(ids: Iterable[int] | None = None) -> int:
    """Recompute and store the lists of these agreements (all of them when ``ids`` is None); returns how many."""
    if ids is None:
        ids = Agreement.objects.values_list("pk", flat=True)
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return 0
    stored = [AgreementLists(agreement_id=pk, lists=lists) for pk, lists in computed_lists(ids).items()]
    AgreementLists.objects.bulk_create(
        stored, update_conflicts=True, unique_fields=["agreement"], update_fields=["lists"], batch_size=500
    )
    return len(stored)


def refresh_missing_agreement_lists() -> int:
    """Store the lists of agreements that have none (after ``bulk_create``, or a fresh migration)."""
    return refresh_agreement_lists(
        Agreement.objects.filter(stored_lists__isnull=True).values_list("pk", flat=True)
    )


def attach_agreement_lists(agreements: list[Agreement]) -> list[Agreement]:
    """Set each list as an attribute (``aliases_list`` …) on agreements read with ``select_related("stored_lists")``.

    A missing row is computed, in one query for all of them: a reader never sees less than the
    database holds, even if a bulk writer forgot to refresh.
    """
    missing = []
    for agreement in agreements:
        try:
            lists = agreement.stored_lists.lists
        except AgreementLists.DoesNotExist:
            missing.append(agreement)
            continue
        agreement.__dict__.update(lists)
    if missing:
        computed = computed_lists(agreement.pk for agreement in missing)
        for agreement in missing:
            agreement.__dict__.update(computed[agreement.pk])
    return agreements


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
        query = Agreement.objects.filter(regions=pk).values_list("pk", flat=True)
    elif model is Jurisdiction:
        query = Agreement.objects.filter(signatories=pk).values_list("pk", flat=True)
    elif model is Event:
        query = Agreement.objects.filter(events=pk).values_list("pk", flat=True)
    else:
        return set()
    return set(query)


SHOWN_MODELS = (Agreement, AgreementAlias, Mechanism, Citation, Region, Jurisdiction, Event)


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
