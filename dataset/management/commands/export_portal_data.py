import json
from pathlib import Path

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from dataset.backup import backup_models, exact, own_columns


class Command(BaseCommand):
    help = (
        "Write the whole dataset and its edit history, keys and timestamps included, to a JSON file that "
        "`manage.py import_portal_data` loads back into an empty database (docs/deploy.md, 'Backup and restore')."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="file to write (Django's JSON serialization)")

    def handle(self, *args, output: Path, **options):
        # Django's serialization rather than the fixtures' shape (/api/v1/export/): it keeps the primary
        # keys and created/updated timestamps that the API shows, so a restored database answers byte
        # for byte as the saved one did — an analyst's `updated_since` mirror and the tombstone feed
        # (read from the history) included. One snapshot: the tables are read in one transaction.
        rows = []
        # (Inside a caller's transaction, a test's say, that transaction's view is the snapshot.)
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic():
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            for model in backup_models():
                rows += serializers.serialize("python", model._base_manager.order_by("pk"), fields=own_columns(model))
        try:
            output.write_text(json.dumps(rows, ensure_ascii=False, default=exact), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Could not write {output}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Exported {len(rows)} rows of the portal dataset and its history to {output}."))
