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
from django.db.models import Exists, OuterRef

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
    def deletions(self, since=None):
        """Delete events (since a moment) of rows that do not exist now: what a mirror must drop.

        A record deleted and then restored exists again, so it is no tombstone; its restore moved
        its ``updated_at``, and ``updated_since`` brings it back to the mirror.
        """
        tracked = self.model.pgh_tracked_model
        events = self.filter(pgh_label="delete").exclude(Exists(tracked._base_manager.filter(pk=OuterRef("pgh_obj_id"))))
        if since is not None:
            events = events.filter(pgh_created_at__gte=since)
        return events.order_by("pgh_created_at", "pgh_id")


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
