"""Server-side render time and SQL queries of every kind of page (issue 10: ≤ 50 ms p95 on the real dataset).

In-process with Django's test client, so the figures are the page's own cost (routing, filters,
queries, templates) without a web server in front. Pages are not kept in the response cache
(only the API is), so every timed request renders. ``noise`` is the p95/p50 of a fixed CPU-only
task timed between the row's requests: on a shared machine a noise of 2.0 means the machine
alone doubled that row's tail. ``--synthetic N`` also times the pages with N times the records
(copies of the curated ones, in a transaction rolled back at the end).
"""

import json
import os
import statistics
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from portal.synthetic import multiply_dataset

PAGES = [
    ("home", "/"),
    ("agreements list", "/agreements/"),
    ("agreements region+kind", "/agreements/?region=jjj&kind=opinion"),
    ("agreements search", "/agreements/?search=协议"),
    ("agreement", "/agreements/jjj-police-framework-2016/"),
    ("mechanisms list", "/mechanisms/"),
    ("mechanism categories", "/mechanisms/categories/"),
    ("categories last page", "/mechanisms/categories/?page=last"),
    ("mechanism", "/mechanisms/jjj-eight-integrations/"),
    ("events list", "/timeline/events/"),
    ("event", "/timeline/events/jjj-2014-02-report/"),
    ("timeline", "/timeline/"),
    ("timeline filtered", "/timeline/?region=jjj&year_from=2015"),
    ("findings side by side", "/findings/"),
    ("findings side by side p2", "/findings/?page=last"),
    ("findings list", "/findings/browse/"),
    ("finding", "/findings/p1-problem-information-sharing/"),
    ("figure", "/findings/figures/jjj-68-mechanisms/"),
    ("mechanism matrix", "/mechanisms/matrix/"),
    ("region comparison", "/regions/compare/?region=jjj&region=yrd&region=cy"),
    ("charts", "/charts/"),
    ("regions", "/regions/"),
    ("region", "/regions/jjj/"),
    ("jurisdiction", "/regions/jurisdictions/beijing/"),
    ("stage", "/regions/stages/jjj-consolidation/"),
    ("sources", "/sources/"),
    ("source", "/sources/yang-xin-2025/"),
    ("search", "/search/?q=禁毒"),
    ("search (English)", "/search/?q=京警入冀"),
]

CONTROL_WORK = [{"slug": f"record-{n}", "names": [str(m) for m in range(20)]} for n in range(100)]


def p95(timings):
    return statistics.quantiles(timings, n=20)[18]


def control() -> float:
    start = time.perf_counter()
    for _ in range(3):
        json.loads(json.dumps(CONTROL_WORK))
    return (time.perf_counter() - start) * 1000


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Print p50/p95 render time, spread and SQL queries per page."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=60, help="timed requests per page (default 60)")
        parser.add_argument("--synthetic", type=int, default=0, help="also time with N times the records (e.g. 10)")

    @override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False)
    def handle(self, *args, requests, synthetic, **options):
        self.requests = requests
        self.client = Client()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        worst = self.run("real dataset")
        if synthetic > 1:
            try:
                with transaction.atomic():
                    multiply_dataset(synthetic)
                    with connection.cursor() as cursor:
                        if connection.vendor == "postgresql":
                            cursor.execute("ANALYZE")
                    self.run(f"{synthetic}× the records (rolled back)")
                    raise Rollback
            except Rollback:
                pass
        self.stdout.write("")
        self.stdout.write(f"worst p95 on the real dataset: {worst:.1f} ms (target ≤ 50 ms)")

    def run(self, title) -> float:
        self.stdout.write("")
        # The machine's load when the row was timed: other processes' work shows in the noise column too.
        self.stdout.write(f"== {title} (load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores)")
        self.stdout.write(f"{'page':<26} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7} {'spread':>7} {'noise':>6}  path")
        worst = 0.0
        for label, path in PAGES:
            headers = {"HTTP_ACCEPT_LANGUAGE": "en"} if "English" in label else {}
            for _ in range(3):
                self.client.get(path, **headers)
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(path, **headers)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}")
            queries = len(captured)
            timings, controls = [], []
            for _ in range(self.requests):
                controls.append(control())
                start = time.perf_counter()
                self.client.get(path, **headers)
                timings.append((time.perf_counter() - start) * 1000)
            p50, tail = statistics.median(timings), p95(timings)
            spread = tail / p50
            noise = p95(controls) / statistics.median(controls)
            worst = max(worst, tail)
            self.stdout.write(f"{label:<26} {queries:>7} {p50:>7.1f} {tail:>7.1f} {spread:>7.2f} {noise:>6.2f}  {path}")
        return worst
