"""One event table per dataset table, filled by PostgreSQL triggers on insert, update and delete.

django-pghistory generates the event models from the tracked models: every column of the row is
snapshotted (the new row for an insert or update, the old row for a delete) with the time, the
operation and a context (who, from which address, through which road: admin, loader, shell).
The link tables of many-to-many fields are tracked too, so removing a region from an agreement is
an event like any other.

The triggers are installed after every ``migrate`` (``PGTRIGGER_INSTALL_ON_MIGRATE``), as the
dataset revision's are (records/revision.py): auto-created link tables have no migrations of their
own, so migrations could not carry their triggers. On SQLite (the embedded development database)
the event tables exist but stay empty: triggers and context are PostgreSQL's.
"""

import pghistory
import pghistory.models
from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When

from agreements.models import Agreement, AgreementAlias
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from regions.models import Jurisdiction, Region, Stage
from sources.models import Citation, Reference, Source
from timeline.models import Event

# The dataset's models; their many-to-many link tables are added below. A test checks that every
# table the dataset revision watches (records.revision.dataset_tables) is in this list.
RECORD_MODELS = [
    Source, Reference, Citation, Jurisdiction, Region, Stage, Agreement, AgreementAlias, Mechanism, Event,
    Finding, Figure,
]


def _tracked_models() -> list[type[models.Model]]:
    tracked = []
    for model in RECORD_MODELS:
        tracked.append(model)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                tracked.append(through)
    return tracked


def _event_model_name(model) -> str:
    # "Agreement_signatories" (an auto-created link table) → "AgreementSignatoriesHistory"
    return "".join(part[:1].upper() + part[1:] for part in model._meta.object_name.split("_")) + "History"


def _verbose_name(model) -> str:
    if model._meta.auto_created:
        owner = model._meta.auto_created._meta.verbose_name
        field = next(f for f in model._meta.auto_created._meta.local_many_to_many if f.remote_field.through is model)
        return f"{owner}·{field.verbose_name}（关联）历史"
    return f"{model._meta.verbose_name}历史"


class RecordEventQuerySet(models.QuerySet):
    def tombstones(self, since=None):
        """The slugs of this kind that went away (since a moment) and are not back: what a mirror must drop.

        A mirror keys records by slug, the API's stable public name, so a tombstone is a slug, not a
        row: one event per slug that no record of this kind has now, the last event that took it away
        — the delete of its row, or the update that renamed it (the row stays, under a new slug, and
        ``updated_since`` brings it back). A record deleted and then restored, or re-created under
        the same slug, exists again, so it is no tombstone. Each event is annotated with
        ``gone_slug``; ``pgh_obj_id`` is the id the record had under that slug.
        """
        tracked = self.model.pgh_tracked_model
        # An update event holds the new row only; the slug it replaced is the one its row had in
        # the event before it (every event is a whole row). Correlated on pgh_obj, which is indexed.
        previous_slug = Subquery(
            self.model.objects.filter(pgh_obj_id=OuterRef("pgh_obj_id"), pgh_id__lt=OuterRef("pgh_id"))
            .order_by("-pgh_id")
            .values("slug")[:1]
        )
        removals = self.filter(pgh_label__in=["delete", "update"])
        if since is not None:
            removals = removals.filter(pgh_created_at__gte=since)
        removals = (
            removals.annotate(previous_slug=previous_slug)
            .annotate(
                gone_slug=Case(
                    When(pgh_label="delete", then=F("slug")),
                    When(~Q(previous_slug=F("slug")), then=F("previous_slug")),
                    default=None,
                    output_field=models.CharField(),
                )
            )
            .filter(gone_slug__isnull=False)
            .exclude(Exists(tracked._base_manager.filter(slug=OuterRef("gone_slug"))))
        )
        # The last removal of each slug (a slug deleted, re-created and deleted again is one
        # tombstone): no later event of this table has that slug in its row. After a slug's last
        # removal it never came back (it would exist now, or have a later removal, whose row or
        # the row before it would hold the slug).
        later = self.model.objects.filter(slug=OuterRef("gone_slug"), pgh_id__gt=OuterRef("pgh_id"))
        return removals.exclude(Exists(later)).order_by("pgh_created_at", "pgh_id")


class RecordEvent(pghistory.models.Event):
    """What every event table shares: a queryset that knows deletions."""

    objects = RecordEventQuerySet.as_manager()

    class Meta:
        abstract = True


class RecordChange(pghistory.models.Events):
    """Every event of every table, as the admin lists them, with the context's fields as columns."""

    user = pghistory.ProxyField(
        "pgh_context__user",
        models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, verbose_name="用户"),
    )
    username = pghistory.ProxyField("pgh_context__username", models.TextField(null=True, verbose_name="用户名"))
    address = pghistory.ProxyField("pgh_context__address", models.TextField(null=True, verbose_name="地址"))
    via = pghistory.ProxyField("pgh_context__via", models.TextField(null=True, verbose_name="途径"))
    url = pghistory.ProxyField("pgh_context__url", models.TextField(null=True, verbose_name="请求路径"))

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "修改历史"
        permissions = [("restore_recordchange", "可以从历史恢复记录")]


# tracked model → its event model
EVENT_MODELS: dict[type[models.Model], type[pghistory.models.Event]] = {}

for _model in _tracked_models():
    EVENT_MODELS[_model] = pghistory.create_event_model(
        _model,
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        model_name=_event_model_name(_model),
        app_label="history",
        abstract=False,
        base_model=RecordEvent,
        meta={"verbose_name": _verbose_name(_model), "verbose_name_plural": _verbose_name(_model)},
    )


def tombstone_feed(models_, since=None):
    """The tombstones of several kinds as one queryset, oldest first, for paging through.

    Rows are dicts: ``record_kind`` (the model's name), ``gone_slug``, ``pgh_obj_id`` (the record's id under
    that slug) and ``pgh_created_at`` (when it went away). One SQL statement: a UNION of the kinds.
    """
    parts = [
        EVENT_MODELS[model].objects.tombstones(since)
        .annotate(record_kind=Value(model._meta.model_name, output_field=models.CharField()))
        .values("record_kind", "gone_slug", "pgh_obj_id", "pgh_created_at", "pgh_id")
        .order_by()
        for model in models_
    ]
    if not parts:
        return EVENT_MODELS[RECORD_MODELS[0]].objects.none()
    first, *rest = parts
    return first.union(*rest, all=True).order_by("pgh_created_at", "record_kind", "pgh_id")
