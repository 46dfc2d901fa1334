"""Rebuild every search document from the records (after a bulk import, or a dictionary change)."""

import os

from django.core.management.base import BaseCommand

from search.documents import rebuild_index
from search.text import segmenter


class Command(BaseCommand):
    help = "Rebuild the search index (documents, PostgreSQL GIN indexes / SQLite FTS5) from every searchable record."

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers", type=int, default=min(os.cpu_count() or 1, 4),
            help="processes that segment text in parallel (default: CPU count, at most 4)",
        )

    def handle(self, *args, workers, **options):
        # Reload the dictionary from the database first: the rebuild is how a dictionary change
        # made in another process reaches every document.
        segmenter._tokenizer = None
        segmenter._cache.clear()
        timings = rebuild_index(workers=workers, stdout=self.stdout if options["verbosity"] > 1 else None)
        self.stdout.write(
            f"Indexed {timings['documents']} records in {timings['seconds']:.1f} s "
            f"(dictionary: {len(segmenter.words)} domain words, jieba loaded in {segmenter.load_seconds:.2f} s)."
        )
