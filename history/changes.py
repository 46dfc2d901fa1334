"""``updated_since`` for a mirror: the records whose API answer may have changed since a moment.

A record's answer shows more than its own row: its links (regions, signatories…), the names and
slugs of the records it refers to or that refer to it, its aliases, its citations and their
sources, a derived stage. A change to any of those changes the answer without moving the record's
``updated_at`` — renaming a region, deleting an agreement that others implement, removing a link,
a ``QuerySet.update``. The edit history has an event for every one of those rows, so a record has
changed since ``moment`` when its ``updated_at`` has, or when any event since then touched a row its
answer reads. The rule follows the model's relations, one step out (two for citations' sources
and for a paper's reference list), and errs on the side of more: a record sent again unchanged
costs a mirror nothing, one left out would leave it wrong.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q

from agreements.models import Agreement
from regions.models import Region, Stage
from sources.models import Citation, Reference, Source
from timeline.models import Event

from .models import EVENT_MODELS

# The kinds whose answer carries a stage derived from the region tree, the stages and the date
# (records/querysets.py, with_stage): a stage or region edited may move any of them.
DERIVED_STAGE = (Agreement, Event)


def changed_since(queryset, moment):
    """``queryset`` narrowed to the records changed since ``moment`` (see the module's note)."""
    own = queryset.filter(updated_at__gte=moment)
    if connection.vendor != "postgresql":
        return own  # elsewhere the history is empty: triggers are PostgreSQL's
    ids = touched_ids(queryset.model, moment)
    return queryset.filter(Q(updated_at__gte=moment) | Q(pk__in=ids)) if ids else own


def _events(model, moment):
    return EVENT_MODELS[model].objects.filter(pgh_created_at__gte=moment)


def _changed_rows(model, moment) -> set[int]:
    return set(_events(model, moment).values_list("pgh_obj_id", flat=True))


def _values_of_changed_rows(model, column: str, moment) -> set[int]:
    """``column`` in every version of the rows changed since ``moment``: where a row pointed, before and after."""
    changed = _events(model, moment).values("pgh_obj_id")
    values = EVENT_MODELS[model].objects.filter(pgh_obj_id__in=changed).values_list(column, flat=True)
    return {value for value in values if value is not None}


def touched_ids(model, moment) -> set[int]:
    """Ids of ``model``'s records whose answer reads a row that an event since ``moment`` wrote."""
    manager = model._base_manager
    ids = _changed_rows(model, moment)  # own row, whatever wrote it (QuerySet.update, ON DELETE SET NULL)
    for field in model._meta.get_fields():
        if isinstance(field, GenericRelation):  # citations
            content_type_id = ContentType.objects.get_for_model(model).pk
            ids |= {
                pk for ct, pk in _events(Citation, moment).values_list("content_type_id", "object_id") if ct == content_type_id
            }
            changed_sources = _changed_rows(Source, moment)
            if changed_sources:
                ids |= set(
                    Citation.objects.filter(content_type_id=content_type_id, source_id__in=changed_sources)
                    .values_list("object_id", flat=True)
                )
                ids |= set(
                    Citation.objects.filter(content_type_id=content_type_id, cites_id__in=changed_sources)
                    .values_list("object_id", flat=True)
                )
            continue
        if not field.is_relation or field.related_model not in EVENT_MODELS:
            continue
        related = field.related_model
        if field.many_to_many:
            through = field.through if field.auto_created else field.remote_field.through
            if through not in EVENT_MODELS:
                continue
            own_column = _link_column(through, field)
            ids |= _values_of_changed_rows(through, own_column, moment)  # links made or removed
            changed = _changed_rows(related, moment)  # a linked record renamed, say
            if changed:
                ids |= set(manager.filter(**{f"{field.name}__in": changed}).values_list("pk", flat=True))
        elif field.many_to_one or field.one_to_one and field.concrete:
            changed = _changed_rows(related, moment)
            if changed:
                ids |= set(manager.filter(**{f"{field.attname}__in": changed}).values_list("pk", flat=True))
        elif field.one_to_many:  # rows pointing here: aliases, sub-regions, stages, parts, references…
            ids |= _values_of_changed_rows(field.related_model, field.field.attname, moment)
    if model is Source:
        # A paper's reference list shows the listed works' citations, and the listed work its citing papers'.
        changed = _changed_rows(Source, moment)
        if changed:
            ids |= set(Reference.objects.filter(cited_id__in=changed).values_list("citing_id", flat=True))
            ids |= set(Reference.objects.filter(citing_id__in=changed).values_list("cited_id", flat=True))
    if model in DERIVED_STAGE and (_events(Stage, moment).exists() or _events(Region, moment).exists()):
        ids |= set(manager.values_list("pk", flat=True))
    return ids


def _link_column(through, field) -> str:
    """The column of a link table that names this side's record (a self-link has two: Django knows which)."""
    name = field.field.m2m_reverse_field_name() if field.auto_created else field.m2m_field_name()
    return through._meta.get_field(name).attname
