"""Recompute the stored related lists (api/readmodel.py) from the records themselves."""

from django.core.management.base import BaseCommand
from django.db import transaction

from api.readmodel import refresh_all_lists


class Command(BaseCommand):
    help = "Recompute every stored related list the API reads (after bulk writes or raw SQL that send no signals)."

    def handle(self, *args, **options):
        with transaction.atomic():
            refreshed = refresh_all_lists()
        counts = ", ".join(f"{count} {name}s" for name, count in refreshed.items())
        self.stdout.write(f"Stored the related lists of {counts}.")
