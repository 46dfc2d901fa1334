"""Reads shared by the dated, regional records (agreements, mechanisms, events)."""

from django.db.models import Q

from portal.dates import PartialDateQuerySet
from regions.models import Region, Stage


class RegionalRecordQuerySet(PartialDateQuerySet):
    def in_region(self, region: Region | str):
        """Records of a region or of any region inside it."""
        ids = Region.objects.with_descendants(region)
        # A subquery, not a join: a record in two matching regions must not appear twice.
        return self.filter(pk__in=self.model.objects.filter(regions__in=ids).values("pk"))

    def in_jurisdiction(self, slug: str):
        """Records of any region the jurisdiction belongs to."""
        return self.filter(pk__in=self.model.objects.filter(regions__members__slug=slug).values("pk"))

    def in_stage(self, stage: Stage):
        """Records whose derived stage is this one: in the stage's region (or inside it) and within its years."""
        qs = self.in_region(stage.region_id and stage.region.slug)
        in_years = Q(date_year__isnull=False)
        if stage.start_year is not None:
            in_years &= Q(date_year__gte=stage.start_year)
        if stage.end_year is not None:
            in_years &= Q(date_year__lte=stage.end_year)
        condition = in_years
        if stage.start_year is None and stage.end_year is not None:
            condition |= Q(date_before__isnull=False, date_before__lte=stage.end_year + 1)
        return qs.filter(condition)
