"""One relevance suite for both search backends (STYLE.md 7): PostgreSQL and SQLite subclasses.

Run it on each database: `pytest tests/test_search_*.py` (PostgreSQL, the default) and
`DATABASE_URL=sqlite:////tmp/search-test.sqlite3 pytest tests/test_search_*.py`; `make test`
does both. The subclass for the other vendor skips itself.
"""

import pytest
from django.apps import apps
from django.db import connection

from search.query import search_queryset
from tests.search_relevance import CASES

pytestmark = pytest.mark.django_db


def ranking(case, depth=10) -> list[str]:
    model = apps.get_model(case.model)
    return list(search_queryset(model.objects.all(), case.query).values_list("slug", flat=True)[:depth])


def rank_of(case) -> int | None:
    slugs = ranking(case)
    return slugs.index(case.expected) + 1 if case.expected in slugs else None


class RelevanceSuite:
    vendor = ""

    @pytest.fixture(autouse=True)
    def _only_on_vendor(self):
        if connection.vendor != self.vendor:
            pytest.skip(f"{self.vendor} suite; this run uses {connection.vendor}")

    def test_suite_has_at_least_30_queries_of_every_kind(self):
        assert len(CASES) >= 30
        kinds = " ".join(c.kind for c in CASES)
        for needed in ("exact title", "alias", "single word", "two words", "partial title", "traditional"):
            assert needed in kinds

    def test_recall_at_5_is_at_least_095_and_mrr_is_reported(self, capsys):
        ranks = [rank_of(case) for case in CASES]
        recall = sum(1 for r in ranks if r and r <= 5) / len(ranks)
        mrr = sum(1 / r for r in ranks if r) / len(ranks)
        misses = [(c.query, c.expected, r) for c, r in zip(CASES, ranks) if r != 1]
        with capsys.disabled():
            print(f"\n[search relevance · {connection.vendor}] {len(ranks)} queries: Recall@5 = {recall:.3f}, MRR = {mrr:.3f}; not first: {misses}")
        assert recall >= 0.95, misses

    @pytest.mark.parametrize("case", [c for c in CASES if c.first], ids=lambda c: c.query)
    def test_key_query_ranks_the_meant_record_first(self, case):
        assert ranking(case)[:1] == [case.expected]

    def test_exact_alias_beats_titles_that_merely_contain_it(self):
        # Five agreement titles end in 框架协议; paper 1 calls only the 2016 one 《框架协议》.
        slugs = ranking(CASES[5])
        assert slugs[0] == "jjj-police-framework-2016"
        assert {"cy-criminal-technology-framework", "cy-police-dog-technology-framework"} <= set(slugs[:5])

    def test_title_match_ranks_above_body_only_match(self):
        from agreements.models import Agreement

        slugs = list(search_queryset(Agreement.objects.all(), "禁毒").values_list("slug", flat=True))
        # The drug-control agreement has 禁毒 in its title; any other hit only mentions it.
        assert slugs[0] == "cy-drug-control-community-agreement"

    def test_traditional_and_simplified_queries_rank_identically(self):
        from agreements.models import Agreement

        simplified = list(search_queryset(Agreement.objects.all(), "粤港澳 备忘录").values_list("slug", flat=True))
        traditional = list(search_queryset(Agreement.objects.all(), "粵港澳 備忘錄").values_list("slug", flat=True))
        assert simplified == traditional and simplified


class TestRelevancePostgres(RelevanceSuite):
    vendor = "postgresql"


class TestRelevanceSqlite(RelevanceSuite):
    vendor = "sqlite"
