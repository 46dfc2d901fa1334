"""The data behind a comparison matrix, counted in SQL over the record–region link tables.

Counting link rows rather than records means a record in two regions counts once in each, which
is what a per-region matrix shows; a record with no region is in no row.
"""

from django.db.models import Count, F

from agreements.models import Agreement
from mechanisms.models import Mechanism
from regions.models import Region, Stage


def stats_matrix(*, region: Region | None = None, stage: Stage | None = None) -> dict:
    # A stage belongs to a region, so it narrows the rows to that region (and its sub-regions) too.
    scope = region or (stage.region if stage is not None else None)
    region_ids = Region.objects.with_descendants(scope) if scope is not None else None
    agreements, mechanisms = Agreement.objects.all(), Mechanism.objects.all()
    if stage is not None:
        agreements, mechanisms = agreements.in_stage(stage), mechanisms.in_stage(stage)
    return {
        "region": region.slug if region else None,
        "stage": stage.slug if stage else None,
        "agreements_by_year": _agreements_by_year(agreements, region_ids),
        "mechanisms_by_category": _mechanisms_by_category(mechanisms, region_ids),
    }


def _links(model, records, region_ids):
    links = model.regions.through.objects.all()
    if records.query.where:  # only a filtered set needs the subquery
        links = links.filter(**{f"{model._meta.model_name}__in": records.values("pk")})
    if region_ids is not None:
        links = links.filter(region_id__in=region_ids)
    return links


def _region(row) -> dict:
    return {"slug": row["region__slug"], "name": row["region__name"]}


def _agreements_by_year(records, region_ids) -> list[dict]:
    rows = (
        _links(Agreement, records, region_ids)
        .values("region_id", "region__slug", "region__name", year=F("agreement__date_year"))
        .annotate(count=Count("agreement_id"))
        .order_by("region_id", F("year").asc(nulls_last=True))
    )
    return [{"region": _region(row), "year": row["year"], "count": row["count"]} for row in rows]


def _mechanisms_by_category(records, region_ids) -> list[dict]:
    rows = (
        _links(Mechanism, records, region_ids)
        .values("region_id", "region__slug", "region__name", category=F("mechanism__category"))
        .annotate(count=Count("mechanism_id"))
        .order_by("region_id", "category")
    )
    return [
        {
            "region": _region(row),
            "category": row["category"],
            "category_display": Mechanism.Category(row["category"]).label,
            "count": row["count"],
        }
        for row in rows
    ]
