"""bench_search runs end to end and prints a row per issue-11 target (a smoke test on a tiny corpus:
the figures themselves are the benchmark's business, not a test's)."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)  # CREATE DATABASE cannot run inside a transaction


def test_bench_search_prints_every_target_with_noise_and_verdict():
    if connection.vendor != "postgresql":
        pytest.skip("bench_search measures the PostgreSQL backend")
    out = io.StringIO()
    call_command(
        "bench_search", "--records", "200", "--queries", "5", "--repeats", "2", "--reindex-repeats", "1",
        "--workers", "1", "--fresh", "--drop", stdout=out,
    )
    text = out.getvalue()
    for row in [
        "full re-index (wall clock)", "first search, fresh process", "tier frequent p95", "tier medium p95",
        "tier rare p95", "tier absent p95", "tier two-word p95", "suggest endpoint p95",
    ]:
        line = next((line for line in text.splitlines() if line.startswith(row)), None)
        assert line is not None, f"no row «{row}» in:\n{text}"
        # value, a min–max noise figure, the target, and the verdict
        assert re.search(r"\d+\.\d+\s*(s|ms)\s+\d+\.\d+–\d+\.\d+ (s|ms)\s+≤ [\d.]+ (s|ms)\s+(met|NOT MET)$", line), line
    assert "load average" in text
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"{connection.settings_dict['NAME']}_bench"])
        assert cursor.fetchone() is None  # --drop removed it
