"""The dataset revision: moved on by database triggers on every table that holds the dataset.

Triggers rather than signals, because curated data is written by many roads (admin, loader,
shell, ``QuerySet.update``, ``bulk_create``, raw SQL, a restore) and only the database sees them
all. PostgreSQL gets one statement-level trigger per table (a bulk statement moves the revision
once); SQLite has row-level triggers only, which is fine at its sizes.

Which tables hold the dataset: every model, auto-created link tables included, of an app whose
``AppConfig`` says ``holds_dataset = True``. The triggers are (re)installed after every
``migrate``, so a new table is covered as soon as it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import connections
from django.utils import timezone

from records.models import DatasetRevision

TABLE = DatasetRevision._meta.db_table
PG_FUNCTION = "records_bump_dataset_revision"
TRIGGER = "records_dataset_revision"


@dataclass(frozen=True)
class Revision:
    number: int
    changed_at: datetime


def current_revision(using: str | None = None) -> Revision:
    """The revision now: one indexed read of a one-row table (the only query a 304 costs).

    Read, unless ``using`` names a database, where the router sends this request's other reads: with
    read replicas, the revision must come from the copy the response's rows come from, or a lagging
    replica's rows would be cached under the primary's newer revision.
    """
    row = DatasetRevision.objects.using(using).filter(pk=1).values_list("number", "changed_at").first()
    if row is None:  # a flushed or new database: start counting
        DatasetRevision.objects.using(using).get_or_create(pk=1, defaults={"changed_at": timezone.now()})
        return current_revision(using)
    return Revision(*row)


def dataset_tables() -> list[str]:
    tables = []
    for config in apps.get_app_configs():
        if getattr(config, "holds_dataset", False):
            for model in config.get_models(include_auto_created=True):
                if model._meta.managed and not model._meta.proxy:
                    tables.append(model._meta.db_table)
    return sorted(set(tables))


def install_triggers(using: str = "default", **kwargs) -> None:
    """Create (or replace) the revision triggers on every dataset table; run after each migrate."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = [table for table in dataset_tables() if table in existing]
    if TABLE not in existing:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE {quote(TABLE)} SET number = number + 1, changed_at = clock_timestamp() WHERE id = 1;
                    RETURN NULL;
                END $$"""
            )
            for table in tables:
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                    f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
                )
        elif connection.vendor == "sqlite":
            for table in tables:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {quote(f'{TRIGGER}_{table}_{event.lower()}')} "
                        f"AFTER {event} ON {quote(table)} BEGIN "
                        f"UPDATE {quote(TABLE)} SET number = number + 1, "
                        f"changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = 1; END"
                    )
    current_revision(using)  # make sure the row exists
