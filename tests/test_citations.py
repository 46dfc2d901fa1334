"""Everything a record says is traceable: a paper, a section, and a verbatim quote."""

import pytest
from django.contrib.contenttypes.models import ContentType

from dataset.quotes import missing_texts, unverified_quotes
from dataset.schema import KINDS
from sources.models import Citation, Source

pytestmark = pytest.mark.django_db


def test_every_quote_is_verbatim_in_its_paper(sources_dir):
    absent = missing_texts(sources_dir)
    if absent:
        pytest.skip(f"papers' texts missing from {sources_dir}: {absent}")
    assert Citation.objects.count() > 0
    assert unverified_quotes(sources_dir) == []


def test_a_changed_character_in_a_quote_is_caught(sources_dir):
    citation = Citation.objects.select_related("source").filter(source__seed_file__gt="").first()
    citation.quote = citation.quote[:-1] + ("甲" if citation.quote[-1] != "甲" else "乙")
    assert len(unverified_quotes(sources_dir, [citation])) == 1


def test_whitespace_differences_in_a_quote_are_ignored(sources_dir):
    citation = Citation.objects.select_related("source").filter(source__seed_file__gt="").first()
    citation.quote = " \n".join(citation.quote)
    assert unverified_quotes(sources_dir, [citation]) == []


def test_every_record_cites_at_least_one_paper():
    uncited = []
    for kind in KINDS:
        if not kind.cited:
            continue
        content_type = ContentType.objects.get_for_model(kind.model)
        cited_ids = set(Citation.objects.filter(content_type=content_type).values_list("object_id", flat=True))
        uncited += [f"{kind.key} {slug}" for pk, slug in kind.model.objects.values_list("pk", "slug") if pk not in cited_ids]
    assert uncited == []


def test_paper_2_lists_paper_1_as_its_sixth_reference_without_a_duplicate_source():
    paper_1 = Source.objects.get(slug="yang-xin-2025")
    entry = paper_1.cited_entries.get()
    assert (entry.citing.slug, entry.number) == ("cq-police-assoc-2026", 6)
    assert Source.objects.filter(title__startswith="京津冀警务协同发展回顾与展望").count() == 1
