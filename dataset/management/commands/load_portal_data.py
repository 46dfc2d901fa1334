import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dataset.quotes import missing_texts, unverified_quotes
from dataset.services import (
    DatasetError,
    dataset_check_provenance,
    dataset_load,
    dataset_read_directory,
    dataset_read_json,
)
from search.signals import indexing_deferred
from history.context import command_context


class Command(BaseCommand):
    help = "Load the curated dataset (fixtures/*.toml, or an export JSON) in one transaction; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=None, help="directory of TOML fixtures (default: PORTAL_FIXTURES_DIR)")
        parser.add_argument("--json", type=Path, default=None, help="load an /api/v1/export/ document instead")
        parser.add_argument(
            "--skip-quote-check", action="store_true", help="do not check quotes and locators against the papers' texts"
        )

    def handle(self, *args, fixtures=None, json=None, skip_quote_check=False, **options):
        try:
            if json is not None:
                entries = dataset_read_json(json.read_text(encoding="utf-8"), origin=json.name)
            else:
                entries = dataset_read_directory(fixtures or settings.PORTAL_FIXTURES_DIR)
            # The search index is rebuilt once at the end of the load (with a progress bar on a
            # terminal), not re-segmented record by record as each is saved (issue 11); the history
            # records every row this writes as the loader's (history/context.py).
            with command_context("load_portal_data"), transaction.atomic(), indexing_deferred(progress=sys.stderr.isatty()):
                report = dataset_load(entries=entries)
                if not skip_quote_check:
                    self._check_quotes()
                # After the quotes, so a quote that is not in the paper is reported as such first.
                texts = None if skip_quote_check else settings.PORTAL_SOURCES_DIR
                dataset_check_provenance(entries=entries, sources_dir=texts)
        except (DatasetError, OSError) as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        verdict = "no changes" if report.changed == 0 else f"{report.changed} records created or updated"
        self.stdout.write(self.style.SUCCESS(f"Loaded the portal dataset: {verdict}."))

    def _check_quotes(self):
        sources_dir = settings.PORTAL_SOURCES_DIR
        absent = missing_texts(sources_dir)
        if absent:
            self.stdout.write(f"Quotes not checked: papers' texts not found in {sources_dir} ({', '.join(absent)}).")
            return
        problems = unverified_quotes(sources_dir)
        if problems:
            listing = "\n  ".join(problems[:20])
            raise DatasetError("citations", f"{len(problems)} quotes are not verbatim:\n  {listing}")
