from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opendata.release import release_build, release_validate


class Command(BaseCommand):
    help = "Write a dated, validated release of the dataset (Frictionless Data Package, JSON, codebook, zip)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=None, help="directory of releases (default: PORTAL_RELEASES_DIR)")
        parser.add_argument("--date", default=None, help="release date YYYY-MM-DD (default: today, UTC)")

    def handle(self, *args, output=None, date=None, **options):
        date = date or datetime.now(UTC).date().isoformat()
        try:
            datetime.strptime(date, "%Y-%m-%d")
        except ValueError:
            raise CommandError(f"--date {date!r} is not a date of the form YYYY-MM-DD") from None
        release = release_build(output=output or settings.PORTAL_RELEASES_DIR, date=date)
        report = release_validate(release.directory)
        if not report.valid:
            errors = "\n  ".join(
                f"{task.name}: {error.message}" for task in report.tasks for error in task.errors[:10]
            )
            raise CommandError(f"{release.name} does not validate:\n  {errors}")
        size = release.zip_path.stat().st_size
        self.stdout.write(f"{release.directory} ({len(release.files)} files)")
        self.stdout.write(self.style.SUCCESS(f"{release.zip_path}: {size:,} bytes; frictionless: valid"))
