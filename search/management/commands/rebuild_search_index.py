"""Rebuild the dictionary and every search document from the records (after a bulk import, a
segmenter change, or when `check` reports the index was built by another segmenter)."""

import os
import sys

from django.core.management.base import BaseCommand

from search.documents import rebuild_index
from search.text import segmenter


class Command(BaseCommand):
    help = "Rebuild the search dictionary and index (documents, PostgreSQL GIN indexes / SQLite FTS5) from every searchable record."

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1,
            help="processes that read and segment records in parallel (default: one per CPU)",
        )

    def handle(self, *args, workers, **options):
        # A progress bar on a terminal only; logs and pipes get the one summary line.
        timings = rebuild_index(workers=max(1, workers), progress=sys.stderr.isatty() and options["verbosity"] > 0)
        self.stdout.write(
            f"Indexed {timings['documents']} records in {timings['seconds']:.1f} s "
            f"(CPU {timings['cpu_seconds']:.1f} s: this process, its workers and the database session) with {segmenter.name} "
            f"(dictionary v{segmenter.version}: {timings['dictionary_words']} words)."
        )
