"""Recompute the agreements' stored related lists (api/readmodel.py) from the records themselves."""

from django.core.management.base import BaseCommand
from django.db import transaction

from api.readmodel import refresh_agreement_lists


class Command(BaseCommand):
    help = "Recompute every agreement's stored related lists (after bulk writes or raw SQL that send no signals)."

    def handle(self, *args, **options):
        with transaction.atomic():
            refreshed = refresh_agreement_lists()
        self.stdout.write(f"Stored the related lists of {refreshed} agreements.")
