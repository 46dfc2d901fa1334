"""The one entry point the rest of the portal uses to search records.

Placeholder implementation (plain substring match); the Chinese search issue replaces the
inside of this module with jieba segmentation and a backend per database vendor, keeping the
signature: callers pass a queryset of a searchable model and the user's text, and get back the
matching records ordered by relevance (best first).
"""

from django.db.models import Q

# Fields matched per model label; titles and aliases first.
SEARCH_FIELDS = {
    "agreements.agreement": ["title", "aliases__name", "summary"],
    "mechanisms.mechanism": ["name", "description"],
    "timeline.event": ["title", "description"],
    "regions.region": ["name", "full_name", "description"],
    "regions.jurisdiction": ["name", "short_name"],
    "regions.stage": ["name", "summary"],
    "findings.finding": ["title", "text"],
    "findings.figure": ["counts", "unit"],
    "sources.source": ["title", "container"],
}


def search_queryset(queryset, text: str):
    text = (text or "").strip()
    if not text:
        return queryset
    fields = SEARCH_FIELDS[queryset.model._meta.label_lower]
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))
