"""Latency and query count of the API's list and detail endpoints (issue 3, "Must show").

Runs in-process with Django's test client, so the figures are the view's own cost (routing,
filtering, queries, serialisation) without a web server in front.

The synthetic run measures a portal of 10,000 agreements as it would be in service: on
PostgreSQL it builds one in a throwaway database ``<name>_bench_api`` beside the configured one
(the curated dataset plus synthetic agreements, committed and vacuumed), measured by a child
process and dropped at the end. Elsewhere the synthetic agreements are added inside a
transaction that is rolled back. Either way the configured database is left as it was.

Each row is timed three ways: cold (the response cache emptied before each request: the view's
own cost), warm (answered from the cache) and 304 (revalidating with the ETag). ``queries`` is
the cold count, the revision check included.

Targets (issue 9, PostgreSQL): cold 20-row list p95 ≤ 30 ms and detail ≤ 15 ms; warm ≤ 5 ms;
304 ≤ 3 ms; the same query count at page size 1 and 100.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement, AgreementAlias
from regions.models import Jurisdiction, Region
from sources.models import Citation, Source


def p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[18]


class Rollback(Exception):
    """Raised to leave the synthetic records' transaction without committing them."""


class Command(BaseCommand):
    help = "Print p50/p95 latency and SQL queries per request for the API's list and detail endpoints."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=100, help="timed requests per endpoint (default 100)")
        parser.add_argument("--synthetic", type=int, default=10_000, help="agreements in the synthetic run (default 10,000; 0 skips it)")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)  # the child, in the throwaway database

    def handle(self, *args, **options):
        # Measure what production runs: DEBUG off (no query log kept, no debug page machinery).
        with override_settings(DEBUG=False):
            self.bench(**options)

    def bench(self, *, requests, synthetic, seed, inside, **options):
        self.client = Client(HTTP_HOST="localhost")
        self.requests = requests
        if inside:
            return self.synthetic_inside(synthetic, seed)
        if not Agreement.objects.exists():
            raise CommandError("No agreements: run `manage.py migrate` and `manage.py load_portal_data` first.")
        self.stdout.write(f"database: {connection.vendor} ({connection.settings_dict['NAME']}), {requests} timed requests per row")
        self.settle()
        self.stdout.write("noise: p95/p50 of a fixed CPU task timed between the row's requests (1.00 = a quiet machine)")
        self.run("real dataset")
        if synthetic and connection.vendor == "postgresql":
            self.synthetic_in_throwaway_database(synthetic, seed)
        elif synthetic:
            try:
                with transaction.atomic():
                    made = self.make_synthetic(synthetic, random.Random(seed))
                    self.run(f"synthetic: {made} agreements")
                    raise Rollback
            except Rollback:
                self.stdout.write(f"synthetic records rolled back; agreements now {Agreement.objects.count()}")

    def synthetic_in_throwaway_database(self, synthetic: int, seed: int):
        db = settings.DATABASES["default"]
        name = f"{db['NAME']}_bench_api"
        user, password = db.get("USER") or "", db.get("PASSWORD") or ""
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        url = f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        self.stdout.write("")
        self.stdout.write(f"throwaway database for the synthetic run: {name}")
        try:
            command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench_api", "--inside"]
            command += ["--requests", str(self.requests), "--synthetic", str(synthetic), "--seed", str(seed)]
            self.stdout.flush()
            if subprocess.run(command, env={**os.environ, "DATABASE_URL": url}).returncode:
                raise CommandError("the synthetic run failed")
        finally:
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')

    def synthetic_inside(self, synthetic: int, seed: int):
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_portal_data", verbosity=0, stdout=open(os.devnull, "w"))
        with transaction.atomic():
            made = self.make_synthetic(synthetic, random.Random(seed))
        self.settle()
        self.stdout.write(f"built, committed and vacuumed in {time.perf_counter() - started:.0f} s")
        self.run(f"synthetic: {made} agreements")

    # ------------------------------------------------------------------ measuring

    def settle(self):
        """Vacuum and analyse the database first, as autovacuum would have by the time anyone reads it.

        Rows rolled back by earlier synthetic runs still bloat the tables and indexes, and a
        freshly loaded table has no planner statistics yet.
        """
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")

    CONTROL_WORK = [{"slug": f"record-{n}", "names": [str(m) for m in range(20)]} for n in range(100)]

    def control(self) -> float:
        """Milliseconds of a fixed CPU-only task, timed between requests: the machine's own noise.

        On a shared virtual machine the CPU slows down in bursts. A task that never varies shows
        how much of a row's p95 is the machine at that moment rather than the portal.
        """
        start = time.perf_counter()
        for _ in range(3):
            json.loads(json.dumps(self.CONTROL_WORK))
        return (time.perf_counter() - start) * 1000

    def endpoints(self):
        agreement = Agreement.objects.order_by("pk").first()
        region = Region.objects.order_by("pk").first()
        return [
            ("agreements list", "/api/v1/agreements/", {"page_size": 20}),
            ("agreements list", "/api/v1/agreements/", {"page_size": 100}),
            ("agreements list region=jjj", "/api/v1/agreements/", {"page_size": 20, "region": "jjj"}),
            ("agreements detail", f"/api/v1/agreements/{agreement.slug}/", {}),
            ("mechanisms list", "/api/v1/mechanisms/", {"page_size": 20}),
            ("mechanisms list", "/api/v1/mechanisms/", {"page_size": 100}),
            ("events list", "/api/v1/events/", {"page_size": 20}),
            ("events list", "/api/v1/events/", {"page_size": 100}),
            ("findings list", "/api/v1/findings/", {"page_size": 20}),
            ("findings list", "/api/v1/findings/", {"page_size": 100}),
            ("regions detail", f"/api/v1/regions/{region.slug}/", {}),
        ]

    def run(self, title):
        self.stdout.write("")
        self.stdout.write(f"== {title}")
        self.stdout.write(
            f"{'endpoint':<28} {'page_size':>9} {'rows':>5} {'count':>6} {'queries':>7} "
            f"{'cold p50':>8} {'cold p95':>8} {'warm p50':>8} {'warm p95':>8} {'304 p50':>8} {'304 p95':>8} {'noise':>6}"
        )
        for label, path, params in self.endpoints():
            for _ in range(5):  # warm per-process caches (content types, URL resolver, connection)
                cache.clear()
                self.client.get(path, params)
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(path, params)
            queries = len(captured)  # now: the captured list is read from the connection's log, which later requests reset
            body, etag = response.json(), response["ETag"]
            controls = []
            cold = self.timed(path, params, controls, before=cache.clear)
            warm = self.timed(path, params, controls)
            revalidated = self.timed(path, params, controls, status=304, HTTP_IF_NONE_MATCH=etag)
            rows = len(body["results"]) if "results" in body else 1
            count = body.get("count", "")
            noise = p95(controls) / statistics.median(controls)
            size = params.get("page_size", "-")
            figures = " ".join(f"{statistics.median(t):>8.1f} {p95(t):>8.1f}" for t in (cold, warm, revalidated))
            self.stdout.write(f"{label:<28} {size:>9} {rows:>5} {count:>6} {queries:>7} {figures} {noise:>6.2f}")

    def timed(self, path, params, controls, before=None, status=200, **headers) -> list[float]:
        """Milliseconds of each of ``requests`` requests; ``before`` runs untimed ahead of each one."""
        timings = []
        for _ in range(self.requests):
            controls.append(self.control())
            if before:
                before()
            start = time.perf_counter()
            response = self.client.get(path, params, **headers)
            timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != status:
                raise CommandError(f"{path} answered {response.status_code}, not {status}")
        return timings

    # ------------------------------------------------------------------ synthetic data

    def make_synthetic(self, total: int, rng: random.Random) -> int:
        """Agreements shaped like the real ones: partial dates, regions, signatories, an alias and a citation each."""
        regions = list(Region.objects.all())
        jurisdictions = list(Jurisdiction.objects.all())
        paper = Source.objects.papers().first()
        kinds = [value for value, _ in Agreement.Kind.choices]
        agreements = []
        for n in range(total):
            agreement = Agreement(slug=f"synthetic-{n}", title=f"合成协议第{n}号", kind=rng.choice(kinds), summary="合成数据。" * 5)
            shape = rng.random()
            if shape < 0.6:
                agreement.date_year, agreement.date_month = rng.randint(2005, 2025), rng.randint(1, 12)
            elif shape < 0.85:
                agreement.date_year = rng.randint(2005, 2025)
            elif shape < 0.9:
                agreement.date_before = 2014
            agreements.append(agreement)
        Agreement.objects.bulk_create(agreements, batch_size=2000)
        region_links, signatory_links, aliases, citations = [], [], [], []
        content_type = ContentType.objects.get_for_model(Agreement)
        for agreement in agreements:
            for region in rng.sample(regions, rng.randint(1, 2)):
                region_links.append(Agreement.regions.through(agreement_id=agreement.pk, region_id=region.pk))
            for jurisdiction in rng.sample(jurisdictions, rng.randint(1, 3)):
                signatory_links.append(Agreement.signatories.through(agreement_id=agreement.pk, jurisdiction_id=jurisdiction.pk))
            aliases.append(AgreementAlias(agreement_id=agreement.pk, name=f"合成简称{agreement.pk}"))
            citations.append(
                Citation(content_type=content_type, object_id=agreement.pk, source=paper, locator="一、", quote="合成引文。")
            )
        Agreement.regions.through.objects.bulk_create(region_links, batch_size=5000)
        Agreement.signatories.through.objects.bulk_create(signatory_links, batch_size=5000)
        AgreementAlias.objects.bulk_create(aliases, batch_size=5000)
        Citation.objects.bulk_create(citations, batch_size=5000)
        return total
