"""Benchmark search on a synthetic corpus of 100,000 agreement-like records in a throwaway database.

    python manage.py bench_search [--records 100000] [--queries 200] [--keep]

On PostgreSQL it creates a database `<name>_bench` beside the configured one (dropped at the end
unless --keep), migrates it, bulk-inserts the corpus, runs `rebuild_search_index`'s code (timed:
the full re-index), then times five tiers of queries — frequent words (in ≥ 20 % of records),
medium, rare, absent, two words — through `search_queryset`, the path the API's `?search=` takes,
with the pagination count and the first page of 20, beside naive `icontains` on the same data.

The corpus: titles of 20–60 and summaries of 200–2,000 characters, written from a vocabulary of
the words of the two papers (Zipf-distributed, as words are in text), with controlled tier words:
frequent words put into 30 % of records, medium words into ~1 %, rare words (jieba dictionary
words absent from the papers) into ~5 records each, and absent words that appear nowhere.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

TIERS = ("frequent", "medium", "rare", "absent", "two-word")


def _percentile(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    index = min(len(values) - 1, max(0, round(q / 100 * (len(values) - 1))))
    return values[index]


class Command(BaseCommand):
    help = "Benchmark Chinese search on 100,000 synthetic agreements in a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=100_000)
        parser.add_argument("--queries", type=int, default=200, help="queries per tier")
        parser.add_argument("--icontains-queries", type=int, default=20, help="icontains queries per tier (each scans every row)")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
        parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
        parser.add_argument(
            "--measure-only", action="store_true",
            help="time the queries on a corpus kept by an earlier --keep run (no insert, no re-index)",
        )
        parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--seed", type=int, default=4)

    def handle(self, *args, **opts):
        if opts["inside"]:
            return self.run_inside(opts)
        db = settings.DATABASES["default"]
        if connection.vendor != "postgresql":
            raise CommandError("bench_search measures the PostgreSQL backend: set DATABASE_URL to a PostgreSQL server.")
        bench_name = f"{db['NAME']}_bench"
        user = db.get("USER") or ""
        auth = f"{user}:{db.get('PASSWORD')}@" if db.get("PASSWORD") else (f"{user}@" if user else "")
        url = f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{bench_name}"
        if not opts["measure_only"]:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')
                cursor.execute(f'CREATE DATABASE "{bench_name}"')
        self.stdout.write(f"throwaway database: {bench_name}")
        keep = opts["keep"] or opts["measure_only"]
        try:
            args = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench_search", "--inside"]
            if opts["measure_only"]:
                args.append("--measure-only")
            for key in ("records", "queries", "icontains_queries", "workers", "seed"):
                args += [f"--{key.replace('_', '-')}", str(opts[key])]
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
            result = subprocess.run(args, env=env)
            if result.returncode:
                raise CommandError("the benchmark failed")
        finally:
            if not keep:
                connection.close()
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')

    # ------------------------------------------------------------ inside the throwaway database

    def run_inside(self, opts):
        from django.core.management import call_command

        from search.text import segmenter

        out = self.stdout
        started = time.perf_counter()
        segmenter.tokenizer()
        out.write(f"jieba + domain dictionary load (fresh process, one-time): {segmenter.load_seconds * 1000:.0f} ms")
        rng = random.Random(opts["seed"])
        corpus = Corpus(rng)
        if opts["measure_only"]:
            self.df_report(corpus.queries(opts["queries"]))
            self.measure(corpus.queries(opts["queries"]), opts["icontains_queries"])
            return
        call_command("migrate", verbosity=0)
        n = opts["records"]
        t = time.perf_counter()
        corpus.insert(n)
        out.write(f"corpus: {n} agreements inserted in {time.perf_counter() - t:.1f} s "
                  f"(vocabulary {len(corpus.vocabulary)} words; titles 20–60, summaries 200–2,000 characters)")

        from search.documents import rebuild_index

        segmenter._cache.clear()
        timings = rebuild_index(workers=opts["workers"])
        out.write(
            f"full re-index: {timings['seconds']:.1f} s for {timings['documents']} records "
            f"(documents {timings['documents_seconds']:.1f} s incl. segmentation on {opts['workers']} processes, "
            f"GIN build {timings.get('gin_seconds', 0):.1f} s; read {timings.get('read_seconds', 0):.1f} s, "
            f"segment {timings.get('segment_seconds', 0):.1f} s, write {timings.get('write_seconds', 0):.1f} s)"
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchdocument")
            cursor.execute("VACUUM ANALYZE agreements_agreement")
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('search_searchdocument')), "
                           "pg_size_pretty(pg_relation_size('search_searchdocument')), "
                           "avg(pg_column_size(vector))::int, avg(pg_column_size(title_vector))::int FROM search_searchdocument")
            total, heap, vec, tvec = cursor.fetchone()
        out.write(f"search_searchdocument: {total} total, heap {heap}; avg vector {vec} B, title_vector {tvec} B")

        queries = corpus.queries(opts["queries"])
        self.df_report(queries)
        self.measure(queries, opts["icontains_queries"])
        out.write(f"bench total {time.perf_counter() - started:.0f} s")

    def df_report(self, queries):
        from agreements.models import Agreement
        from search.query import search_queryset

        for tier in TIERS:
            sample = queries[tier][:5]
            counts = [search_queryset(Agreement.objects.all(), q).count() for q in sample]
            self.stdout.write(f"  {tier:<9} e.g. {' / '.join(sample[:3])}: result counts {counts}")

    def measure(self, queries, icontains_n):
        from django.db.models import Q

        from agreements.models import Agreement
        from search.query import search_queryset

        def api_path(q):
            qs = search_queryset(Agreement.objects.all(), q)
            total = qs.count()  # what PageNumberPagination asks first
            page = list(qs[:20])
            return total, page

        def icontains(q):
            cond = Q()
            for word in q.split():
                cond &= Q(title__icontains=word) | Q(summary__icontains=word)
            qs = Agreement.objects.filter(cond).order_by("pk")
            return qs.count(), list(qs[:20])

        for q in queries["frequent"][:3]:  # warm caches and the connection
            api_path(q)
        rows, all_search, all_naive = [], [], []
        for tier in TIERS:
            search_ms = []
            for q in queries[tier]:
                t = time.perf_counter()
                api_path(q)
                search_ms.append((time.perf_counter() - t) * 1000)
            naive_ms = []
            for q in queries[tier][:icontains_n]:
                t = time.perf_counter()
                icontains(q)
                naive_ms.append((time.perf_counter() - t) * 1000)
            all_search += search_ms
            all_naive += naive_ms
            rows.append((tier, len(search_ms), search_ms, len(naive_ms), naive_ms))
        w = self.stdout.write
        w("")
        w(f"{'tier':<10}{'n':>5}{'search p50':>12}{'search p95':>12}{'max':>9}{'icontains n':>13}{'p50':>9}{'p95':>9}")
        for tier, n, s, m, naive in rows:
            w(f"{tier:<10}{n:>5}{_percentile(s, 50):>10.1f}ms{_percentile(s, 95):>10.1f}ms{max(s):>7.1f}ms"
              f"{m:>13}{_percentile(naive, 50):>7.0f}ms{_percentile(naive, 95):>7.0f}ms")
        s95, n95 = _percentile(all_search, 95), _percentile(all_naive, 95)
        w(f"{'all':<10}{len(all_search):>5}{_percentile(all_search, 50):>10.1f}ms{s95:>10.1f}ms{max(all_search):>7.1f}ms"
          f"{len(all_naive):>13}{_percentile(all_naive, 50):>7.0f}ms{n95:>7.0f}ms")
        w(f"speed-up at p95 over the mix: {n95 / s95:.0f}x (targets: p95 ≤ 30 ms per tier, ≥ 10x)")


class Corpus:
    """Synthetic agreement-like text from the papers' own vocabulary."""

    def __init__(self, rng: random.Random):
        import jieba

        self.rng = rng
        papers = "".join(p.read_text(encoding="utf-8") for p in sorted(settings.PORTAL_SOURCES_DIR.glob("0*.txt")))
        counts: dict[str, int] = {}
        for word in jieba.cut(papers, HMM=False):
            if len(word) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in word):
                counts[word] = counts.get(word, 0) + 1
        ranked = sorted(counts, key=lambda w: -counts[w])
        if len(ranked) < 500:  # papers absent: fall back to jieba's own common words
            ranked = self._dictionary_words(lambda w, f: f > 20000)[:3000]
        self.vocabulary = ranked
        # Tier words. Frequent: common words of the papers, put into 30 % of the records.
        self.frequent = ranked[:10]
        self.medium = ranked[200:400]
        used = set(ranked)
        rare_pool = self._dictionary_words(lambda w, f: 2 <= len(w) <= 4 and 3 <= f <= 50 and w not in used)
        rng.shuffle(rare_pool)
        self.rare = rare_pool[:20000]
        self.absent = rare_pool[20000:20400]
        self.body_vocabulary = ranked[10:200] + ranked[400:3000]
        # Zipf weights over the body vocabulary: word k drawn with weight 1/k.
        self.weights = [1 / (k + 1) for k in range(len(self.body_vocabulary))]

    @staticmethod
    def _dictionary_words(keep):
        import jieba

        path = Path(jieba.__file__).parent / "dict.txt"
        words = []
        with path.open(encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in parts[0]) and keep(parts[0], int(parts[1])):
                    words.append(parts[0])
        return words

    def _text(self, length: int, extra: list[str]) -> str:
        rng = self.rng
        words = rng.choices(self.body_vocabulary, weights=self.weights, k=length // 2 + 8)
        for word in extra:
            words.insert(rng.randrange(len(words) + 1), word)
        pieces, clause = [], 0
        for word in words:
            pieces.append(word)
            clause += 1
            if clause >= rng.randint(4, 10):
                pieces.append(rng.choice("，，，、；。"))
                clause = 0
        text = "".join(pieces)
        return text[: max(length, sum(len(w) for w in extra) + 10)] + "。"

    def insert(self, n: int) -> None:
        from agreements.models import Agreement

        rng = self.rng
        kinds = [k for k, _ in Agreement.Kind.choices]
        rare_slots = list(range(n)) * 1  # each rare word lands in ~5 records
        batch = []
        rare_by_record: dict[int, list[str]] = {}
        for word in self.rare:
            for i in rng.sample(rare_slots, 5):
                rare_by_record.setdefault(i, []).append(word)
        for i in range(n):
            title_extra, body_extra = [], []
            for word in self.frequent:
                if rng.random() < 0.30:
                    (title_extra if rng.random() < 0.5 else body_extra).append(word)
            for word in self.medium:
                if rng.random() < 0.01:
                    (title_extra if rng.random() < 0.3 else body_extra).append(word)
            body_extra += rare_by_record.get(i, [])
            title = self._text(rng.randint(20, 60) - 8, title_extra[:3])[:52] + f"第{i}号协议"
            summary = self._text(rng.randint(200, 2000), body_extra + title_extra[3:])
            batch.append(
                Agreement(
                    slug=f"bench-{i}", title=title[:200], kind=rng.choice(kinds), summary=summary,
                    date_year=rng.randint(2000, 2025),
                )
            )
            if len(batch) == 5000:
                Agreement.objects.bulk_create(batch)
                batch = []
        if batch:
            Agreement.objects.bulk_create(batch)

    def queries(self, per_tier: int) -> dict[str, list[str]]:
        rng = self.rng
        pick = lambda pool: [rng.choice(pool) for _ in range(per_tier)]  # noqa: E731
        two = []
        for _ in range(per_tier):
            a, b = rng.choice([(self.frequent, self.medium), (self.medium, self.medium), (self.frequent, self.frequent), (self.rare, self.frequent)])
            two.append(f"{rng.choice(a)} {rng.choice(b)}")
        return {
            "frequent": pick(self.frequent),
            "medium": pick(self.medium),
            "rare": pick(self.rare),
            "absent": pick(self.absent),
            "two-word": two,
        }
