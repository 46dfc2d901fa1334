"""Restoring a record from its history: one atomic step per restore.

An event holds a whole row (the new row of an insert or update, the old row of a delete), so a
restore puts that row back: the record's fields take the event's values, and a deleted record is
inserted again under its old id (links made from ids keep working). Restoring a delete also
restores what the same delete took with it — the rows deleted in the same transaction that
pointed at the record (its many-to-many links, aliases, citations, a region's stages) and the
references the delete set to NULL (a mechanism's ``established_by``) — so a record comes back whole. ``updated_at`` is set to now, so that a mirror following
``updated_since`` fetches the restored record again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction

from sources.models import Citation

from .context import recording
from .models import EVENT_MODELS


class RestoreError(Exception):
    """A restore that cannot be made (the old slug is taken, a linked record is gone…); nothing changed."""


@dataclass
class Restored:
    rows: list[models.Model] = field(default_factory=list)

    def __str__(self):
        return "；".join(f"{row._meta.verbose_name}「{row}」" for row in self.rows)


def event_from_slug(pgh_slug: str):
    """The event row named by the admin's ``pgh_slug`` ("history.AgreementHistory:12")."""
    label, _, pk = pgh_slug.partition(":")
    for event_model in EVENT_MODELS.values():
        if event_model._meta.label == label:
            return event_model.objects.get(pk=int(pk))
    raise RestoreError(f"没有这种历史记录：{label}")


def _row_values(event) -> dict:
    tracked = event.pgh_tracked_model
    return {f.attname: getattr(event, f.attname) for f in tracked._meta.concrete_fields}


def _put_back(event) -> models.Model:
    tracked = event.pgh_tracked_model
    values = _row_values(event)
    if tracked._meta.auto_created:
        # A link: the same pair linked again (under any id) is already restored.
        pair = {k: v for k, v in values.items() if k != tracked._meta.pk.attname}
        existing = tracked._base_manager.filter(**pair).first()
        if existing is not None:
            return existing
    row = tracked(**values)
    row._state.adding = not tracked._base_manager.filter(pk=row.pk).exists()
    row.save()  # auto_now: updated_at becomes now; signals run, so the search index follows
    keep = {f.attname: values[f.attname] for f in tracked._meta.concrete_fields if getattr(f, "auto_now_add", False)}
    if keep:
        tracked._base_manager.filter(pk=row.pk).update(**keep)  # a restored record keeps its creation time
    return row


def _deleted_with(event):
    """The delete events of rows that pointed at this event's row and went in the same transaction."""
    tracked = event.pgh_tracked_model
    pk = getattr(event, tracked._meta.pk.attname)
    for child_model, child_events in EVENT_MODELS.items():
        # pgh_created_at is the transaction's start time (NOW()): equal for everything one delete cascaded to.
        same_delete = child_events.objects.filter(pgh_label="delete", pgh_created_at=event.pgh_created_at)
        for fk in child_model._meta.concrete_fields:
            if fk.is_relation and fk.related_model is tracked and fk.name != "pgh_obj":
                yield from same_delete.filter(**{fk.attname: pk}).order_by("pgh_id")
        if child_model is Citation:
            content_type = ContentType.objects.get_for_model(tracked)
            yield from same_delete.filter(content_type_id=content_type.pk, object_id=pk).order_by("pgh_id")


def _relink_set_null(event, restored: Restored) -> None:
    """Rows whose foreign key the same delete set to NULL (ON DELETE SET NULL) point at the record again."""
    tracked = event.pgh_tracked_model
    pk = getattr(event, tracked._meta.pk.attname)
    for child_model, child_events in EVENT_MODELS.items():
        for fk in child_model._meta.concrete_fields:
            if not (fk.is_relation and fk.related_model is tracked and fk.null):
                continue
            nulled = child_events.objects.filter(
                pgh_label="update", pgh_created_at=event.pgh_created_at, **{f"{fk.attname}__isnull": True}
            )
            for update in nulled.order_by("pgh_id"):
                before = child_events.objects.filter(pgh_obj_id=update.pgh_obj_id, pgh_id__lt=update.pgh_id).order_by("pgh_id").last()
                if before is not None and getattr(before, fk.attname) == pk:
                    child = child_model._base_manager.filter(pk=update.pgh_obj_id).first()
                    if child is not None and getattr(child, fk.attname) is None:
                        setattr(child, fk.attname, pk)
                        child.save(update_fields=[fk.attname, *(["updated_at"] if hasattr(child, "updated_at") else [])])
                        restored.rows.append(child)


def _restore(event, restored: Restored, seen: set) -> None:
    key = (type(event), event.pk)
    if key in seen:
        return
    seen.add(key)
    restored.rows.append(_put_back(event))
    if event.pgh_label == "delete":
        for child in _deleted_with(event):
            _restore(child, restored, seen)
        _relink_set_null(event, restored)


def restore(*events) -> Restored:
    """Put each event's row back (and, for a delete, what went with it), all or nothing."""
    restored = Restored()
    try:
        with recording("restore", restored_from=[f"{e._meta.label}:{e.pk}" for e in events]), transaction.atomic():
            seen: set = set()
            for event in events:
                _restore(event, restored, seen)
            # Foreign keys are checked at commit; check now, so a restore into a savepoint fails here too.
            connection.check_constraints()
    except IntegrityError as exc:
        raise RestoreError(f"无法恢复：与现有数据冲突（{str(exc).splitlines()[0]}）。") from exc
    return restored
