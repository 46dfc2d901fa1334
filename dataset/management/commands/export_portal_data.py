import datetime
import json
import uuid
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError

# Every app whose tables hold the dataset: records, their aliases, and the citations that tie them to
# the papers. A history kept by django-simple-history or django-pghistory lives in the same apps
# (HistoricalAgreement sits in ``agreements``), so it is exported with them once it exists.
DATASET_APPS = ("sources", "regions", "agreements", "mechanisms", "timeline", "findings")


def dataset_models():
    for label in DATASET_APPS:
        yield from apps.get_app_config(label).get_models()


def exact(value):
    """Django's JSON encoder cuts times to milliseconds; the API shows microseconds, so keep them."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    raise TypeError(f"cannot export a {type(value).__name__}")


class Command(BaseCommand):
    help = (
        "Write the whole dataset, keys and timestamps included, to a JSON file that "
        "`manage.py loaddata` loads back into an empty database (docs/deploy.md, 'Backup and restore')."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="file to write (Django's JSON serialization)")

    def handle(self, *args, output: Path, **options):
        # Django's serialization rather than the fixtures' shape (/api/v1/export/): it keeps the primary
        # keys and created/updated timestamps that the API shows, so a restored database answers byte
        # for byte as the saved one did — an analyst's `updated_since` mirror included. The revision
        # counter (records) and the search index (search) are derived and rebuilt, not exported.
        rows = []
        for model in dataset_models():
            rows += serializers.serialize("python", model._default_manager.order_by("pk"))
        try:
            output.write_text(json.dumps(rows, ensure_ascii=False, default=exact), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Could not write {output}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Exported {len(rows)} rows of the portal dataset to {output}."))
