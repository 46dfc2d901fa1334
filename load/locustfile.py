"""Load test (issue 14, "Load and scale"): readers of pages and clients of the API, against gunicorn.

Run by ``make loadtest`` (load/run): 50 users for 60 s, headless. At the end it prints the p95 of
pages and of API calls separately, against the issue's targets (pages ≤ 200 ms, API ≤ 100 ms,
0 errors), and exits 1 when a target is missed. Tasks are tagged ``page`` and ``api``: LOAD_TAGS=api
(load/run) drives the API alone, to tell its own figures from the pages' queueing behind it.
"""

import random

from locust import FastHttpUser, between, events, tag, task

PAGE_P95_MS, API_P95_MS = 200, 100
SLUGS: list[str] = []


@events.test_start.add_listener
def learn_slugs(environment, **kwargs):
    """Details of real and synthetic agreements alike, taken from the API's own list."""
    import json
    import urllib.request

    for page in (1, 2, 50, 100):
        url = f"{environment.host}/api/v1/agreements/?page_size=100&page={page}"
        with urllib.request.urlopen(url, timeout=30) as response:
            SLUGS.extend(item["slug"] for item in json.load(response)["results"])


class Reader(FastHttpUser):
    # FastHttpUser (geventhttpclient) rather than HttpUser (requests), far cheaper per request:
    # locust shares this 2-core machine with the server it measures (issue 14, "Load and scale";
    # load/run prints the CPU seconds locust used).
    wait_time = between(0.5, 2)

    def slug(self) -> str:
        return random.choice(SLUGS)

    @task(3)
    @tag("page")
    def timeline(self):
        self.client.get("/timeline/", name="page: timeline")

    @task(3)
    @tag("page")
    def lists(self):
        path = random.choice(["/agreements/", "/mechanisms/", "/regions/", "/findings/", "/sources/"])
        self.client.get(path, name="page: list")

    @task(2)
    @tag("page")
    def agreement_page(self):
        self.client.get(f"/agreements/{self.slug()}/", name="page: agreement detail")

    @task(2)
    @tag("page")
    def search_page(self):
        self.client.get(f"/agreements/?search={random.choice(['长三角', '反恐', '协议', '警务'])}", name="page: search")

    @task(3)
    @tag("api")
    def api_list(self):
        resource = random.choice(["mechanisms", "events", "regions", "findings", "sources"])
        self.client.get(f"/api/v1/{resource}/", name="api: list")
        self.client.get(f"/api/v1/agreements/?page={random.randint(1, 500)}", name="api: list")

    @task(3)
    @tag("api")
    def api_detail(self):
        self.client.get(f"/api/v1/agreements/{self.slug()}/", name="api: detail")

    @task(2)
    @tag("api")
    def api_search(self):
        self.client.get(f"/api/v1/search/?q={random.choice(['长三角', '反恐', '协议', '警务'])}", name="api: search")


def percentile(entries, fraction: float) -> float:
    """Percentile over several locust entries, from their merged response-time histograms."""
    merged: dict[int, int] = {}
    for entry in entries:
        for ms, count in entry.response_times.items():
            merged[ms] = merged.get(ms, 0) + count
    total = sum(merged.values())
    if not total:
        return 0.0
    seen = 0
    for ms in sorted(merged):
        seen += merged[ms]
        if seen >= fraction * total:
            return float(ms)
    return float(max(merged))


@events.quitting.add_listener
def report(environment, **kwargs):
    stats = environment.stats
    groups = {"page": PAGE_P95_MS, "api": API_P95_MS}
    missed = []
    print("\nload test figures (ms)")
    for group, target in groups.items():
        entries = [e for (name, _), e in stats.entries.items() if name.startswith(group + ":")]
        requests = sum(e.num_requests for e in entries)
        if not requests:
            print(f"  {group:5} not driven (LOAD_TAGS)")
            continue
        failures = sum(e.num_failures for e in entries)
        p50, p95, p99 = (percentile(entries, f) for f in (0.5, 0.95, 0.99))
        print(f"  {group:5} requests {requests:6}  failures {failures:3}  p50 {p50:5.0f}  p95 {p95:5.0f}  p99 {p99:5.0f}  target p95 ≤ {target}")
        if failures or p95 > target:
            missed.append(group)
    total = stats.total
    print(f"  all   requests {total.num_requests:6}  failures {total.num_failures:3}  rps {total.total_rps:.1f}")
    environment.process_exit_code = 1 if missed else 0
