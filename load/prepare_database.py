"""Build the load test's database: migrated, the curated dataset, plus synthetic agreements.

Run by load/run with DATABASE_URL naming a throwaway database (default ``portal_load``). The synthetic
agreements come from the API benchmark's builder (api/management/commands/bench_api.py), so both
measure the same shape of data; the search index is rebuilt afterwards since bulk inserts skip it.
"""

import os
import random
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from agreements.models import Agreement  # noqa: E402
from api.management.commands.bench_api import Command as BenchApi  # noqa: E402

SYNTHETIC = int(os.environ.get("LOAD_SYNTHETIC_AGREEMENTS", "10000"))

call_command("migrate", verbosity=0)
call_command("load_portal_data", "--skip-quote-check", verbosity=0, stdout=open(os.devnull, "w"))
if not Agreement.objects.filter(slug__startswith="synthetic-").exists():
    with transaction.atomic():
        BenchApi().make_synthetic(SYNTHETIC, random.Random(14))
    call_command("rebuild_search_index", verbosity=0, stdout=open(os.devnull, "w"))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
print(f"load database ready: {Agreement.objects.count()} agreements")
