import contextlib
from pathlib import Path

import pgtrigger
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from dataset.backup import backup_models


class Command(BaseCommand):
    help = (
        "Load a file written by `manage.py export_portal_data` into an empty, migrated database, "
        "history included; then run `manage.py rebuild_search_index` (docs/deploy.md, 'Backup and restore')."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path, help="file written by export_portal_data")

    def handle(self, *args, input: Path, **options):
        if not input.is_file():
            raise CommandError(f"No such file: {input}")
        with transaction.atomic():
            occupied = [model._meta.label for model in backup_models() if model._default_manager.exists()]
            if occupied:
                # Loading over rows would mix two datasets and two histories under the same keys.
                raise CommandError(f"Nothing was loaded: the database is not empty ({', '.join(occupied[:5])} …).")
            # The file holds the history as it was; the history triggers would record the load itself
            # as a second history, new inserts of every row. The dataset revision's triggers (not
            # pgtrigger's) still fire, so clients' cached copies are revalidated.
            ignoring = pgtrigger.ignore() if connection.vendor == "postgresql" else contextlib.nullcontext()
            with ignoring:
                call_command("loaddata", str(input), verbosity=options["verbosity"], stdout=self.stdout)
