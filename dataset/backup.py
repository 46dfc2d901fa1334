"""What a backup file holds (``export_portal_data``) and how it is loaded back (``import_portal_data``).

The dataset's own tables — records, their aliases and links, the citations that tie them to the
papers — and their edit history: the event tables (``history``) and the contexts the events point
at (``pghistory``: who, from where, through which road). Records' former slugs (records) come too; the
revision counter (records) and the search index (search) are derived and rebuilt, not kept.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.apps import apps

DATASET_APPS = ("sources", "regions", "agreements", "mechanisms", "timeline", "findings")
# Curated too, though kept in the records app: the slugs records used to have, whose permalinks redirect.
EXTRA_MODELS = ("records.FormerSlug",)
# Contexts before the events that name them; both load with the history triggers off (import_portal_data).
HISTORY_APPS = ("pghistory", "history")


def backup_models():
    """Every table a backup holds, in loading order; views and proxies (pghistory's Events) hold no rows.

    Many-to-many link tables are tables of their own here, with their ids: the history's events
    of a link name its row by id, so a restored link must keep it (Django's serialization would
    otherwise write the links into each record and loading would number them afresh).
    """
    for label in (*DATASET_APPS, *HISTORY_APPS):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                yield model
    for label in EXTRA_MODELS:
        yield apps.get_model(label)


def own_columns(model) -> list[str]:
    """The fields a model's rows are written with: its columns, without the many-to-many links."""
    return [field.name for field in model._meta.concrete_fields if not field.primary_key]


def exact(value):
    """Django's JSON encoder cuts times to milliseconds; the API shows microseconds, so keep them."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    raise TypeError(f"cannot export a {type(value).__name__}")
